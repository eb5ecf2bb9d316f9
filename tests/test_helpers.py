"""Helper processes of the full scan (dedup.helpers): order, errors, a helper that dies."""

import os
import sys

import pytest

from dedup.errors import DedupError
from dedup.helpers import Helpers, chunked

forking = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are forked on Linux only")


def pid_and_sum(offset, chunk):
    return os.getpid(), sum(chunk) + offset


def fail_on_three(_, chunk):
    if 3 in chunk:
        raise ValueError("three")
    return chunk


def die(_, chunk):
    os._exit(1)


def test_chunks_cover_the_items_in_order():
    chunks = chunked(range(1000), 2, most=50, least=10)
    assert [i for c in chunks for i in c] == list(range(1000))
    assert {len(c) for c in chunks[:-1]} == {50}
    assert [len(c) for c in chunked(range(30), 2, most=50, least=10)] == [10, 10, 10]
    assert chunked([], 2, most=5) == []


@forking
def test_forked_helpers_read_shared_state_and_answer_in_order():
    chunks = [list(range(k, k + 3)) for k in range(0, 60, 3)]
    found = list(Helpers(2).map(pid_and_sum, 100, chunks))
    assert [total for _, total in found] == [sum(c) + 100 for c in chunks]
    assert os.getpid() not in {pid for pid, _ in found}
    assert list(Helpers(1).map(pid_and_sum, 0, chunks[:2])) == [(os.getpid(), 3), (os.getpid(), 12)]


@forking
def test_an_error_in_a_helper_reaches_the_caller():
    with pytest.raises(ValueError, match="three"):
        list(Helpers(2).map(fail_on_three, None, [[1], [2], [3], [4]]))


@forking
def test_a_helper_that_dies_is_a_clear_error():
    with pytest.raises(DedupError, match="helper process stopped.*--jobs 1"):
        list(Helpers(2).map(die, None, [[1], [2], [3]]))


def test_objects_the_program_froze_stay_frozen():
    import gc

    gc.freeze()
    try:
        held = gc.get_freeze_count()
        with Helpers(2) as helpers:
            list(helpers.map(pid_and_sum, 0, [[1], [2], [3]]))
        list(Helpers(2).map(pid_and_sum, 0, [[1], [2], [3]]))
        # Frozen objects that die leave the count; had the helpers unfrozen them, it would be 0.
        assert gc.get_freeze_count() > held // 2 > 0
    finally:
        gc.unfreeze()
    with Helpers(1) as helpers:
        list(helpers.map(pid_and_sum, 0, [[1]]))
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
