"""The scan on a Dask cluster (the public import path; the engine lives in
:mod:`dedup.engines.dask`): ``dedup.distributed.scan(paths, client=...)``."""

from dedup.engines.dask import (
    DEFAULT_BLOCKSIZES,
    HUB_PAIRS,
    MISSING_EXTRA,
    read_input,
    scan,
)

__all__ = ["DEFAULT_BLOCKSIZES", "HUB_PAIRS", "MISSING_EXTRA", "read_input", "scan"]
