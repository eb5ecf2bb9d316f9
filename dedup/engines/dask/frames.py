"""The columns of the Dask engine's frames: empty pandas frames that are their ``meta``.

pandas and pyarrow are imported with this module, which only the Dask engine imports (they
come with the ``dask`` extra).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["BANDS_META", "BINARY", "CAPPED_META", "DOCS_META", "DUPLICATES_META", "PAIRS_META", "empty_frame"]

BINARY = pd.ArrowDtype(pa.binary())  # bytes that Dask leaves alone (object columns become strings)


def empty_frame(**columns) -> pd.DataFrame:
    """An empty pandas frame with these columns and dtypes (the meta of a Dask frame)."""
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


# The document level's documents: key, id, summary (JSON) and shingle set (bytes), indexed by key.
DOCS_META = empty_frame(key="int64", id=object, summary=object, set=BINARY).set_index(
    pd.Index(np.empty(0, np.int64), name="doc"))
BANDS_META = empty_frame(band_key="int64", doc="int64")
PAIRS_META = empty_frame(a="int64", b="int64")
DUPLICATES_META = empty_frame(a="int64", b="int64", similarity="float64", containment_a="float64",
                              containment_b="float64")
CAPPED_META = empty_frame(band_key="int64", documents="int64")
