"""The Dask engine: the scan at either level as a Dask graph, with the local engine's kernels
per partition.

- :mod:`~dedup.engines.dask.driver`: :func:`scan`, the cluster it runs on;
- :mod:`~dedup.engines.dask.frames`: the frames' columns (their empty ``meta``);
- :mod:`~dedup.engines.dask.graph`: steps of any job (persisting, broadcasting, joins,
  connected components);
- :mod:`~dedup.engines.dask.candidates`: per-partition candidate and verification steps;
- :mod:`~dedup.engines.dask.document_job` and :mod:`~dedup.engines.dask.passage_job`: the
  document-level and full scans;
- :mod:`~dedup.engines.dask.output`: the report's pieces and the merged report.
"""

from dedup.engines.dask.driver import MISSING_EXTRA, scan
from dedup.engines.dask.output import read_input

__all__ = ["MISSING_EXTRA", "read_input", "scan"]
