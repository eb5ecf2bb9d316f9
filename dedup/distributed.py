"""The scan on Dask, for corpora beyond one machine; here the document level and the
steps both levels share (the passage level is :mod:`dedup.distributed_passages`).

``dedup scan --level document --engine dask`` (or :func:`scan` with a ``distributed.Client``)
runs the steps of :func:`dedup.near_duplicates.near_duplicates` as a Dask graph::

    parts read by the workers -> shingle sets, band keys and summaries per part (the local
    engine's DocumentPrinter) -> shuffle on band keys -> pairs per bucket (capped) -> distinct
    pairs -> both shingle sets joined to each pair -> exact Jaccard (the local verify_pairs)
    -> connected components by label propagation -> report pieces written per partition,
    and the merged report when asked for

Nothing is collected to the client but counts, the capped buckets, the shingle sets of hub
documents (in more than ``hub_pairs`` pairs; sent back to every worker) and, with
``merge=True``, the report itself. With the same parameters the duplicates and clusters are the local
engine's (documents are numbered ``part << 32 | position``, which keeps input order).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np

from .config import ScanConfig, check_setting
from .errors import DedupError, ParameterError
from .near_duplicates import DocumentPrinter, document_config, document_parameters
from .records import Duplicate, InputProblem
from .report import DocumentSummary, Report

__all__ = ["DEFAULT_BLOCKSIZES", "DEFAULT_BUCKET_CAP", "HUB_PAIRS", "MISSING_EXTRA", "broadcast",
           "connected_components", "hub_documents", "join_sets", "orient", "persisted", "read_input", "scan"]

DEFAULT_BUCKET_CAP = 1000
# A document in more pairs than this (the first of a crowded bucket) has its data sent to
# every worker once, not copied into each of its pairs.
HUB_PAIRS = 10_000
# Bytes of JSONL per part: parts of the full scan hold their texts and sentence data.
DEFAULT_BLOCKSIZES = {"document": 64 * 2**20, "passage": 8 * 2**20}
_MAX_ROUNDS = 64
MISSING_EXTRA = "the Dask engine needs the 'dask' extra: pip install 'dedup[dask]'"


def scan(
    paths: Sequence[str | os.PathLike],
    *,
    client=None,
    level: str = "passage",
    bucket_cap: int = DEFAULT_BUCKET_CAP,
    hub_pairs: int = HUB_PAIRS,
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
    "passage"``) or :func:`dedup.near_duplicates.near_duplicates` (``level="document"``).

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
        attribution (:mod:`dedup.distributed_passages`). ``"document"``: near-duplicate
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
        Bytes of JSONL per part (default: ``DEFAULT_BLOCKSIZES[level]``).
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
    if level == "document":
        config = document_config({**settings, "bucket_cap": bucket_cap}, "distributed.scan")
    else:
        config = ScanConfig.from_settings({**settings, "bucket_cap": bucket_cap}, "distributed.scan")
    if blocksize is None:
        blocksize = DEFAULT_BLOCKSIZES[level]
    check_setting("hub_pairs", hub_pairs, "int", 1, None, False, caller="distributed.scan")
    check_setting("blocksize", blocksize, "int", 1024, None, False, caller="distributed.scan")
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
        from .distributed_passages import PassageJob as job
    else:
        job = _Job
    with _client(client) as active, active.as_current():  # every compute and persist runs there
        return job(active, config, progress, hub_pairs).run(
            [os.fspath(p) for p in paths], blocksize, id_field, text_field, output_dir, output_format, merge)


@contextmanager
def _client(client):
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    # The scheduler runs in this process: its routine notes of each shuffle are not news.
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    cores = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    with LocalCluster(n_workers=cores, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster, Client(cluster) as local:
        yield local


class _Job:
    def __init__(self, client, config: ScanConfig, progress: bool, hub_pairs: int = HUB_PAIRS) -> None:
        self.client = client
        self.config = config
        self.bucket_cap = config.bucket_cap
        self.progress = progress
        self.hub_pairs = hub_pairs
        self.printer = DocumentPrinter(config)

    def check_unique_ids(self, docs) -> None:
        """Stop with an error naming an id that two documents share."""
        counts = docs.id.value_counts()
        repeated = counts[counts > 1].head(1, npartitions=-1)
        if len(repeated):
            raise DedupError(f"two documents share the id {repeated.index[0]!r}; the Dask engine needs unique ids "
                             f"(see --id-field).")

    def say(self, message: str) -> None:
        if self.progress:
            print(f"dedup: dask: {message}", file=sys.stderr, flush=True)

    def run(self, paths, blocksize, id_field, text_field, output_dir, output_format, merge) -> Report | None:
        import dask
        import dask.dataframe as dd
        from dask import delayed

        from .dask_input import corpus_parts

        self.say("cutting the input into parts")
        parts = corpus_parts(paths, blocksize=blocksize, id_field=id_field, text_field=text_field)
        self.say(f"fingerprinting {len(parts)} part{'s' if len(parts) != 1 else ''}")
        # The parts' prints are held by the workers, then split into the two frames.
        printed = persisted([delayed(_print_part)(part, number, self.printer) for number, part in enumerate(parts)])
        # Indexed by key, part by part: the divisions are known, so the pairs are sent to
        # the documents' partitions to meet their shingle sets, and the sets never move.
        divisions = [number << 32 for number in range(len(parts))] + [max(0, (len(parts) << 32) - 1)]
        docs = persisted(dd.from_delayed([p[0] for p in printed], meta=_DOCS_META, divisions=divisions,
                                         verify_meta=False))
        bands = persisted(dd.from_delayed([p[1] for p in printed], meta=_BANDS_META, verify_meta=False))
        problems = [problem for found in dask.compute(*[p[2] for p in printed]) for problem in found]
        del printed
        self.check_unique_ids(docs)

        self.say("shuffling on band keys")
        buckets = persisted(bands.shuffle(on="band_key"))
        capped = buckets.map_partitions(_capped_buckets, self.bucket_cap, meta=_CAPPED_META).compute()
        pairs = buckets.map_partitions(bucket_pairs, self.bucket_cap, meta=_PAIRS_META)
        pairs = pairs.drop_duplicates(split_out=max(1, pairs.npartitions))
        joined = join_sets(pairs, docs, self.client, self.hub_pairs)
        self.say("verifying candidates")
        duplicates = persisted(joined.map_partitions(_verify, self.config.threshold, meta=_DUPLICATES_META))
        self.say("connected components")
        labels = connected_components(duplicates[["a", "b"]])

        capped = capped.sort_values(["documents", "band_key"], ascending=[False, True])
        parameters = {**document_parameters(self.config, [{"band_key": int(k), "documents": int(n)}
                                                          for k, n in zip(capped.band_key, capped.documents)]),
                      "engine": "dask"}
        if output_dir:
            self.say(f"writing the report's pieces to {output_dir}")
            _write_pieces(docs, duplicates, labels, output_dir, output_format)
            _write_input(output_dir, docs, problems, parameters)
        if not merge:
            return None
        self.say("merging the report")
        return _merged(docs, duplicates, labels, parameters, problems)


def persisted(collection):
    """``collection`` (a Dask collection, or a list of delayed objects) persisted on the
    current client, and waited for before the caller builds anything else.

    On Python before 3.12, ``functools.cached_property`` holds a lock shared by every
    instance of a class while it computes. A scheduler running in the client's process (a
    LocalCluster) builds the graph of one step in a thread while the client optimises the
    next: both take those locks of Dask's expressions in different orders, and can deadlock
    (dask/distributed#8616, python/cpython#87634). Waiting keeps the two apart.
    """
    from distributed import default_client, futures_of, wait

    # Frames use their own .persist(): client.persist and dask.persist gave wrong rows for
    # grouped frames with dask 2026.8.
    found = default_client().persist(collection) if isinstance(collection, list) else collection.persist()
    wait(futures_of(found))
    return found


def connected_components(edges, max_rounds: int = _MAX_ROUNDS):
    """The component of every node of the edge frame ``(a, b)``: a frame ``(node, label)``
    whose label is the smallest node of its component. Labels propagate to the smallest
    neighbour's label, then jump to their label's label, until no label falls."""
    import dask.dataframe as dd

    both = persisted(dd.concat([edges.rename(columns={"a": "node", "b": "other"})[["node", "other"]],
                                edges.rename(columns={"b": "node", "a": "other"})[["node", "other"]]]))
    labels = persisted(both.groupby("node").other.min().to_frame("label").reset_index().map_partitions(_at_most_self))
    total = labels.label.sum().compute()
    for _ in range(max_rounds):
        seen = both.merge(labels.rename(columns={"node": "other", "label": "seen"}), on="other")[["node", "seen"]]
        lowest = persisted(dd.concat([labels.rename(columns={"label": "seen"}), seen])
                           .groupby("node").seen.min().to_frame("label").reset_index())
        # Every label is a node of the frame (its component's smallest so far): jump to its
        # label. (Merged with itself unpersisted, dask 2026.8 lost rows.)
        jumped = lowest.merge(lowest.rename(columns={"node": "label", "label": "jump"}), on="label")
        new = persisted(jumped.map_partitions(_jump))
        new_total = new.label.sum().compute()
        labels = new
        if new_total == total:
            return labels
        total = new_total
    raise DedupError(f"connected components did not settle in {max_rounds} rounds.")


def _at_most_self(frame):
    return frame.assign(label=np.minimum(frame["label"].to_numpy(), frame["node"].to_numpy()))


def _jump(frame):
    return frame[["node"]].assign(label=np.minimum(frame["label"].to_numpy(dtype=np.int64),
                                                   frame["jump"].to_numpy(dtype=np.int64)))


# -- per partition ------------------------------------------------------------------------

def _frames():
    import pandas as pd

    docs = pd.DataFrame({"key": np.empty(0, np.int64), "id": pd.Series([], dtype=object),
                         "summary": pd.Series([], dtype=object), "set": pd.array([], dtype=_BINARY)},
                        index=pd.Index(np.empty(0, np.int64), name="doc"))
    bands = pd.DataFrame({"band_key": np.empty(0, np.int64), "doc": np.empty(0, np.int64)})
    pairs = pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    duplicates = pairs.assign(similarity=np.empty(0, float), containment_a=np.empty(0, float),
                              containment_b=np.empty(0, float))
    capped = pd.DataFrame({"band_key": np.empty(0, np.int64), "documents": np.empty(0, np.int64)})
    return docs, bands, pairs, duplicates, capped


def empty_frame(**columns):
    """An empty pandas frame with these columns and dtypes (the meta of a Dask frame)."""
    import pandas as pd

    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def _binary():
    import pandas as pd
    import pyarrow as pa

    return pd.ArrowDtype(pa.binary())  # bytes that Dask leaves alone (object columns become strings)


_BINARY = _binary()
_DOCS_META, _BANDS_META, _PAIRS_META, _DUPLICATES_META, _CAPPED_META = _frames()


def _print_part(part, number: int, printer: DocumentPrinter):
    """One part's documents frame (key, id, summary as JSON, shingle set as bytes), band key
    frame and problems."""
    import pandas as pd

    documents, problems = part
    if not documents:
        return _DOCS_META, _BANDS_META, problems
    sets, keys, summaries = printer.prints(documents)
    numbers = (np.int64(number) << np.int64(32)) + np.arange(len(documents), dtype=np.int64)
    # Columns from arrays, not Series: a Series would be aligned on its own index.
    docs = pd.DataFrame({"key": numbers, "id": np.array([d.id for d in documents], dtype=object),
                         "summary": np.array([json.dumps(s.to_dict(), ensure_ascii=False) for s in summaries],
                                             dtype=object),
                         "set": pd.array([s.astype(np.uint64).tobytes() for s in sets], dtype=_BINARY)},
                        index=pd.Index(numbers, name="doc"))
    filled = np.flatnonzero([len(s) > 0 for s in sets])
    band_rows = keys[filled]
    bands = pd.DataFrame({"band_key": band_rows.ravel().astype(np.int64),
                          "doc": np.repeat(numbers[filled], band_rows.shape[1])})
    return docs, bands, problems


def _with_set(pairs, docs, side: str):
    """``pairs`` with the shingle set of document ``side`` (``a`` or ``b``) as ``set_a`` or
    ``set_b``: the pairs are range-partitioned like the documents, then joined partition by
    partition."""
    import dask.dataframe as dd

    ordered = pairs.set_index(side, divisions=list(docs.divisions), drop=False)
    sets = docs[["set"]]
    return dd.map_partitions(_join_set, ordered, sets, f"set_{side}", align_dataframes=False,
                             meta=_join_set(ordered._meta, sets._meta, f"set_{side}"))


def hub_documents(pairs, limit: int = HUB_PAIRS) -> list[int]:
    """The documents in more than ``limit`` pairs of the frame ``(a, b)``: the first
    documents of crowded buckets, whose pairs make a star."""
    import dask.dataframe as dd

    sides = dd.concat([pairs["a"].rename("key"), pairs["b"].rename("key")])
    counts = sides.value_counts(split_out=max(1, pairs.npartitions))
    return sorted(counts[counts > limit].index.compute().tolist())


def broadcast(client, value):
    """``value`` held by every worker, as a future that tasks take as an argument."""
    return client.scatter([value], broadcast=True, hash=False)[0]


def orient(pairs, hubs: list[int]):
    """``pairs`` with ``near`` (the document whose partition aligns or verifies the pair:
    ``a``, or ``b`` when ``a`` is a hub and ``b`` is not) and ``far`` (the other one)."""
    a, b = pairs["a"].to_numpy(dtype=np.int64), pairs["b"].to_numpy(dtype=np.int64)
    swap = np.isin(a, hubs) & ~np.isin(b, hubs)
    return pairs.assign(near=np.where(swap, b, a), far=np.where(swap, a, b))


def join_sets(pairs, docs, client, limit: int = HUB_PAIRS):
    """The pairs with both shingle sets (``set_a``, ``set_b``). Each pair is sent to the
    partitions of its documents to meet their sets there, except that the set of a hub
    (see :func:`hub_documents`) is sent to every worker once instead of being copied into
    each of its pairs, which would gather them all in its partition."""
    import dask.dataframe as dd

    hubs = hub_documents(pairs, limit)
    if not hubs:
        return _with_set(_with_set(pairs, docs, "a"), docs, "b")
    found = docs[["set"]].loc[hubs].compute()
    hub_sets = broadcast(client, dict(zip(found.index.tolist(), found["set"])))
    starred = pairs["a"].isin(hubs) | pairs["b"].isin(hubs)
    plain = _with_set(_with_set(pairs[~starred], docs, "a"), docs, "b")
    stars = pairs[starred].map_partitions(orient, hubs)
    stars = stars.set_index("near", divisions=list(docs.divisions), drop=False)
    sets = docs[["set"]]
    stars = dd.map_partitions(_join_star_sets, stars, sets, hub_sets, align_dataframes=False,
                              meta=_join_star_sets(stars._meta, sets._meta, {}))
    return dd.concat([plain, stars])


def _join_star_sets(pairs, sets, hub_sets: dict):
    """Star pairs with both sets: the near document's from this partition, the far one's
    (a hub's) from ``hub_sets``."""
    import pandas as pd

    joined = pairs.join(sets, how="inner").reset_index(drop=True)
    near_is_a = (joined["near"] == joined["a"]).to_numpy()
    far = pd.array([hub_sets.get(key) for key in joined["far"].tolist()], dtype=_BINARY)
    near = joined["set"].array
    return pd.DataFrame({"a": joined["a"].to_numpy(dtype=np.int64), "b": joined["b"].to_numpy(dtype=np.int64),
                         "set_a": pd.array(np.where(near_is_a, near, far), dtype=_BINARY),
                         "set_b": pd.array(np.where(near_is_a, far, near), dtype=_BINARY)})


def _join_set(pairs, sets, column: str):
    return pairs.join(sets.rename(columns={"set": column}), how="inner").reset_index(drop=True)


def _buckets(frame, order: str = "doc", owner: str = "doc"):
    """Band buckets of a frame of ``band_key`` rows: the keys and row owners sorted by key
    then ``order``, where each bucket starts, and its size."""
    keys = frame["band_key"].to_numpy(dtype=np.int64)
    rank = np.lexsort((frame[order].to_numpy(dtype=np.int64), keys))
    return (keys[rank], frame[owner].to_numpy(dtype=np.int64)[rank], *_runs(keys[rank]))


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and lengths of the runs of equal values of a sorted array."""
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(sorted_keys) else \
        np.empty(0, np.int64)
    return starts, np.diff(np.r_[starts, len(sorted_keys)])


def bucket_pairs(frame, cap: int, order: str = "doc", owner: str = "doc"):
    """Pairs ``(a, b)``, ``a < b``, of the owners of rows sharing a band key, as the local
    :func:`dedup.candidates.candidate_pairs` makes them: in a bucket of more than ``cap``
    rows (in ``order``), its first ``cap`` pair among themselves and each other one with
    its first; rows of one owner make no pair. The pairs of one partition are distinct."""
    import pandas as pd

    keys, owners, starts, sizes = _buckets(frame, order, owner)
    codes = []
    for size in np.unique(sizes[sizes > 1]).tolist():
        kept = min(size, cap)
        groups = owners[starts[sizes == size][:, None] + np.arange(size)]  # (buckets, size), in order
        left, right = np.triu_indices(kept, k=1)
        low, high = [np.minimum(groups[:, left], groups[:, right]).ravel()], \
            [np.maximum(groups[:, left], groups[:, right]).ravel()]
        if size > cap:
            first = np.broadcast_to(groups[:, :1], groups[:, cap:].shape)
            low.append(np.minimum(first, groups[:, cap:]).ravel())
            high.append(np.maximum(first, groups[:, cap:]).ravel())
        low, high = np.concatenate(low), np.concatenate(high)
        codes.append(np.unique(np.column_stack((low, high))[low != high], axis=0))
    if not codes:
        return _PAIRS_META
    unique = np.unique(np.concatenate(codes), axis=0)
    return pd.DataFrame({"a": unique[:, 0], "b": unique[:, 1]})


def _capped_buckets(frame, cap: int):
    import pandas as pd

    keys, _, starts, sizes = _buckets(frame)
    big = sizes > cap
    return pd.DataFrame({"band_key": keys[starts[big]], "documents": sizes[big].astype(np.int64)})


def _verify(frame, threshold: float):
    """The joined pairs whose exact Jaccard reaches ``threshold`` (the local verify_pairs)."""
    import pandas as pd

    from .candidates import verify_pairs

    count = len(frame)
    if not count:
        return _DUPLICATES_META
    sets = [np.frombuffer(b, dtype=np.uint64) for b in frame["set_a"]] + \
           [np.frombuffer(b, dtype=np.uint64) for b in frame["set_b"]]
    pairs = np.column_stack((np.arange(count), np.arange(count) + count))
    rows = list(verify_pairs(pairs, sets, threshold))
    if not rows:
        return _DUPLICATES_META
    index = np.array([i for i, _, _, _ in rows])
    return pd.DataFrame({
        "a": frame["a"].to_numpy()[index], "b": frame["b"].to_numpy()[index],
        "similarity": [r[2] for r in rows],
        "containment_a": [r[3][0] for r in rows], "containment_b": [r[3][1] for r in rows],
    })


# -- output -------------------------------------------------------------------------------

def _named(duplicates, docs):
    ids = docs[["key", "id"]]
    return (duplicates.merge(ids.rename(columns={"key": "a", "id": "id_a"}), on="a")
            .merge(ids.rename(columns={"key": "b", "id": "id_b"}), on="b"))


def _write_pieces(docs, duplicates, labels, output_dir: str, output_format: str, more: dict | None = None) -> None:
    """Write the pieces, a file per partition: documents, duplicates, clusters and the
    ``more`` folders (``{folder: (frame, records)}``, ``records`` making a partition's
    records)."""
    import dask
    import fsspec
    from dask import delayed

    fs, _, [root] = fsspec.get_fs_token_paths(output_dir)
    members = labels.merge(docs[["key", "id"]].rename(columns={"key": "node"}), on="node")
    pieces = [("documents", docs[["key", "summary"]], _document_records),
              ("duplicates", _named(duplicates, docs), _duplicate_records),
              ("clusters", members, _cluster_records)]
    pieces += [(folder, frame, records) for folder, (frame, records) in (more or {}).items()]
    writes = []
    for folder, frame, records in pieces:
        fs.makedirs(f"{root}/{folder}", exist_ok=True)
        for number, part in enumerate(frame.to_delayed()):
            path = f"{root}/{folder}/part-{number:05d}.{output_format}"
            writes.append(delayed(_write_part)(fs, path, delayed(records)(part), output_format))
    dask.compute(*writes)


def _write_input(output_dir: str, docs, problems: list[InputProblem], parameters: dict) -> None:
    """``input.json`` beside the pieces: the parameters, the report's ``input`` section and
    every problem met while reading (``read_input`` reads it back)."""
    import fsspec

    from .report import input_summary

    summary = {"parameters": parameters, "input": input_summary(int(docs.shape[0].compute()), problems),
               "problems": [dataclasses.asdict(problem) for problem in problems]}
    with fsspec.open(f"{output_dir.rstrip('/')}/input.json", "w", encoding="utf-8") as handle:
        json.dump(summary, handle, ensure_ascii=False, indent=2)


def read_input(output_dir: str) -> tuple[dict, list[InputProblem]]:
    """The ``input`` section and the problems of a scan written to ``output_dir``."""
    import fsspec

    with fsspec.open(f"{output_dir.rstrip('/')}/input.json", "r", encoding="utf-8") as handle:
        summary = json.load(handle)
    return summary["input"], [InputProblem(**problem) for problem in summary["problems"]]


def _document_records(frame) -> list[dict]:
    return [json.loads(s) for s in frame.sort_values("key")["summary"]]


def _duplicate_records(frame) -> list[dict]:
    frame = frame.sort_values(["a", "b"])
    return [{"documents": [a, b], "similarity": s, "containment": [ca, cb]} for a, b, s, ca, cb in
            zip(frame.id_a, frame.id_b, frame.similarity, frame.containment_a, frame.containment_b)]


def _cluster_records(frame) -> list[dict]:
    frame = frame.sort_values(["label", "node"])
    return [{"doc": doc, "cluster": int(label)} for doc, label in zip(frame["id"], frame["label"])]


def _write_part(fs, path: str, records: list[dict], output_format: str) -> None:
    if output_format == "jsonl":
        with fs.open(path, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return
    import pandas as pd

    frame = pd.DataFrame({key: [json.dumps(r[key], ensure_ascii=False) if isinstance(r[key], (list, dict))
                                else r[key] for r in records] for key in (records[0] if records else {})})
    with fs.open(path, "wb") as handle:
        frame.to_parquet(handle, index=False)


def _merged(docs, duplicates, labels, parameters: dict, problems: list[InputProblem]) -> Report:
    import dask

    summaries, named, groups = dask.compute(docs[["key", "id", "summary"]], _named(duplicates, docs),
                                            labels.merge(docs[["key", "id"]].rename(columns={"key": "node"}),
                                                         on="node"))
    summaries = summaries.sort_values("key")
    named = named.sort_values(["a", "b"])
    found = [Duplicate(documents=(a, b), similarity=float(s), containment=(float(ca), float(cb)))
             for a, b, s, ca, cb in zip(named.id_a, named.id_b, named.similarity, named.containment_a,
                                        named.containment_b)]
    clusters = [list(group.sort_values("node")["id"]) for _, group in groups.groupby("label")]
    # The local engine's order: clusters sorted by their sorted ids, each in input order.
    order = {doc_id: k for k, doc_id in enumerate(summaries["id"])}
    clusters = [sorted(group, key=order.get) for group in sorted(sorted(group) for group in clusters)]
    return Report(
        parameters=parameters,
        documents=[DocumentSummary(**json.loads(s)) for s in summaries["summary"]],
        duplicates=found,
        clusters=clusters,
        passages=[],
        attribution=[],
        problems=problems,
    )

