"""One BLAS thread per process for the passage-level drivers.

The full scan's dense products are small (the sentence vectors of one pair of articles), so
more BLAS threads gain nothing on a quiet machine and spin against every other process on a
busy one: a scan beside a pipeline's other stages must take its share of the machine and no
more. The limit (threadpoolctl) holds while a driver runs and is lifted after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["one_blas_thread"]


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with one BLAS thread (OpenBLAS, MKL or BLIS), then restore the limits.

    >>> from threadpoolctl import threadpool_info
    >>> with one_blas_thread():
    ...     all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
    True
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
