"""An index's parameters: stored at creation, checked on open."""

import pytest

from dedup import Document, ParameterError
from dedup.engines.index.core import Index
from tests.engines.index.conftest import STORY


def test_parameters_are_stored_and_a_mismatch_is_refused(location):
    with Index(location, num_perm=64, threshold=0.7) as index:
        index.add([Document("a", STORY)])
    with Index(location) as index:
        assert index.settings.num_perm == 64 and index.settings.threshold == 0.7
    with pytest.raises(ParameterError, match="num_perm=64, not 128"):
        Index(location, num_perm=128)
    with pytest.raises(ParameterError, match="threshold"):
        Index(location, threshold=0.5)  # looser than the stored LSH tuning
    with Index(location, threshold=0.9, max_matches=1) as index:  # stricter: allowed for one run
        assert index.threshold == 0.9 and index.settings.threshold == 0.7
    with pytest.raises(ParameterError, match="'shingle' parameter of index"):
        Index(location, shingle=0)
    with pytest.raises(ParameterError, match="Unknown parameter 'bands'"):
        Index(location, bands=3)
