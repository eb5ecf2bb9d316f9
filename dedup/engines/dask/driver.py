"""The Dask engine's entry: :func:`scan` checks the settings, starts (or joins) a cluster and
runs the document-level or the full job on it."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from contextlib import contextmanager

from dedup.errors import DedupError, ParameterError
from dedup.report.model import Report
from dedup.settings import (
    BLOCKSIZE,
    BLOCKSIZES,
    BUCKET_CAP,
    DOCUMENT_LEVEL,
    HUB_PAIRS,
    ScanConfig,
    default_jobs,
)
from dedup.userdata import DataFiles, current_data_files, use_data_files

__all__ = ["MISSING_EXTRA", "scan"]

MISSING_EXTRA = "the Dask engine needs the 'dask' extra: pip install 'dedup[dask]'"


def scan(
    paths: Sequence[str | os.PathLike],
    *,
    client=None,
    level: str = "passage",
    bucket_cap: int = BUCKET_CAP.default,
    hub_pairs: int = HUB_PAIRS.default,
    blocksize: int | None = None,
    output_dir: str | None = None,
    output_format: str = "jsonl",
    merge: bool = True,
    id_field: str = "id",
    text_field: str = "text",
    progress: bool = False,
    **settings,
) -> Report | None:
    """Scan the corpus at ``paths`` on a Dask cluster, as :func:`dedup.scan` (``level=
    "passage"``) or :func:`dedup.near_duplicates` (``level="document"``).

    Parameters
    ----------
    paths : sequence of str
        Files, directories or globs that fsspec opens (local, ``s3://``, ...): JSONL,
        Parquet, text, Markdown, HTML, JSON or CSV, read by the workers.
    client : distributed.Client, optional
        The cluster to run on. Without one, a LocalCluster on loopback with one worker per
        core is started and stopped.
    level : {"passage", "document"}
        ``"passage"``: near-duplicates, reused passages (copy, paraphrase, quote) and
        attribution (:mod:`dedup.engines.dask.passage_job`). ``"document"``: near-duplicate
        documents only, much cheaper.
    bucket_cap : int
        A band bucket holding more documents than this (boilerplate, templates) makes pairs
        among its first ``bucket_cap`` documents and between each other one and its first,
        not all pairs; capped buckets are reported (``parameters["capped_buckets"]``).
    hub_pairs : int
        A document in more candidate pairs than this (the first of a capped bucket) has its
        data sent to every worker once, instead of copied into each pair, which would
        gather all its pairs in its partition.
    blocksize : int, optional
        Bytes of JSONL per part (default: ``dedup.settings.BLOCKSIZES[level]``, 64 MB at the
        document level and 8 MB at the passage level).
    output_dir : str, optional
        Write the report's pieces there, one file per partition: ``documents/``,
        ``duplicates/``, ``clusters/`` and, at the passage level, ``passages/`` and
        ``attribution/``, as ``output_format`` (``jsonl`` or ``parquet``), and
        ``input.json`` (the parameters, the ``input`` section, the problems met).
    merge : bool
        Collect and return the merged report (when it fits in the client's memory).
    id_field, text_field : str
        Fields of JSONL, JSON, CSV records and Parquet columns.
    progress : bool
        Say on stderr what step runs.
    **settings
        Fields of :class:`dedup.ScanConfig` (at the document level: ``threshold``,
        ``num_perm``, ``shingle`` and ``seed``).

    Returns
    -------
    Report or None
        With ``merge``: the local engine's report for the same documents (``parameters``
        adds ``engine``); else None.
    """
    if level not in ("passage", "document"):
        raise ParameterError(f"The 'level' parameter of distributed.scan must be 'passage' or 'document'. "
                             f"Got {level!r} instead.", parameter="level")
    config = ScanConfig.from_settings({**settings, "bucket_cap": bucket_cap}, "distributed.scan",
                                      DOCUMENT_LEVEL if level == "document" else None)
    if blocksize is None:
        blocksize = BLOCKSIZES[level]
    HUB_PAIRS.check(hub_pairs, "distributed.scan")
    BLOCKSIZE.check(blocksize, "distributed.scan")
    if output_format not in ("jsonl", "parquet"):
        raise ParameterError(f"The 'output_format' parameter of distributed.scan must be 'jsonl' or 'parquet'. "
                             f"Got {output_format!r} instead.", parameter="output_format")
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise DedupError(MISSING_EXTRA) from None
    if level == "passage":
        from dedup.engines.dask.passage_job import PassageJob as job
    else:
        from dedup.engines.dask.document_job import DocumentJob as job
    with _client(client) as active, active.as_current():  # every compute and persist runs there
        # Every worker, present and future, uses the data files this scan uses.
        active.register_plugin(_data_files_plugin(current_data_files()), name="dedup-data-files")
        return job(active, config, progress, hub_pairs).run(
            [os.fspath(p) for p in paths], blocksize, id_field, text_field, output_dir, output_format, merge)


def _data_files_plugin(files: DataFiles):
    """A worker plugin that sets ``files`` (:func:`dedup.userdata.use_data_files`) on each worker."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class DataFilesPlugin(WorkerPlugin):
        def __init__(self, files: DataFiles) -> None:
            self.files = files

        def setup(self, worker) -> None:
            use_data_files(self.files)

    return DataFilesPlugin(files)


@contextmanager
def _client(client):
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    # The scheduler runs in this process: its routine notes of each shuffle are not news.
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    with LocalCluster(n_workers=default_jobs(), threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster, Client(cluster) as local:
        yield local
