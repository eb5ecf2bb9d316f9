"""The scan on a Dask cluster (the public import path; the engine lives in
:mod:`dedup.engines.dask`): ``dedup.distributed.scan(paths, client=...)``."""

from dedup.engines.dask import MISSING_EXTRA, read_input, scan

__all__ = ["MISSING_EXTRA", "read_input", "scan"]
