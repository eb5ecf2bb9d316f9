"""Steps that any Dask job arranges: the job's base (its client, settings, progress and the
unique-id check), persisting and broadcasting, joins of pairs with the documents' data
(hubs sent to every worker), and connected components by label propagation."""

from __future__ import annotations

import sys

import numpy as np

from dedup.engines.dask.frames import BINARY
from dedup.errors import DedupError, DuplicateIdError
from dedup.settings import HUB_PAIRS, ScanConfig

__all__ = ["Job", "broadcast", "connected_components", "hub_documents", "join_sets", "orient", "persisted", "with_set"]

_MAX_ROUNDS = 64


class Job:
    """One scan on a cluster: the client, the settings, progress on stderr, and the steps
    both levels take first.

    Parameters
    ----------
    client : distributed.Client
    config : ScanConfig
    progress : bool
        Say on stderr what step runs.
    hub_pairs : int
        A document in more candidate pairs than this has its data sent to every worker.
    """

    def __init__(self, client, config: ScanConfig, progress: bool, hub_pairs: int = HUB_PAIRS.default) -> None:
        self.client = client
        self.config = config
        self.bucket_cap = config.bucket_cap
        self.progress = progress
        self.hub_pairs = hub_pairs

    def say(self, message: str) -> None:
        """Tell what runs now (with ``progress``)."""
        if self.progress:
            print(f"dedup: dask: {message}", file=sys.stderr, flush=True)

    def check_unique_ids(self, docs) -> None:
        """Raise :class:`~dedup.errors.DuplicateIdError` naming an id that two documents share."""
        counts = docs.id.value_counts()
        repeated = counts[counts > 1].head(1, npartitions=-1)
        if len(repeated):
            raise DuplicateIdError(repeated.index[0])


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


def with_set(pairs, docs, side: str):
    """``pairs`` with the shingle set of the document in column ``side`` (``a``, ``b``, ...)
    as ``set_<side>``: the pairs are range-partitioned like the documents, then joined
    partition by partition."""
    import dask.dataframe as dd

    ordered = pairs.set_index(side, divisions=list(docs.divisions), drop=False)
    sets = docs[["set"]]
    return dd.map_partitions(_join_set, ordered, sets, f"set_{side}", align_dataframes=False,
                             meta=_join_set(ordered._meta, sets._meta, f"set_{side}"))


def hub_documents(pairs, limit: int = HUB_PAIRS.default) -> list[int]:
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


def join_sets(pairs, docs, client, limit: int = HUB_PAIRS.default):
    """The pairs with both shingle sets (``set_a``, ``set_b``). Each pair is sent to the
    partitions of its documents to meet their sets there, except that the set of a hub
    (see :func:`hub_documents`) is sent to every worker once instead of being copied into
    each of its pairs, which would gather them all in its partition."""
    import dask.dataframe as dd

    hubs = hub_documents(pairs, limit)
    if not hubs:
        return with_set(with_set(pairs, docs, "a"), docs, "b")
    found = docs[["set"]].loc[hubs].compute()
    hub_sets = broadcast(client, dict(zip(found.index.tolist(), found["set"])))
    starred = pairs["a"].isin(hubs) | pairs["b"].isin(hubs)
    plain = with_set(with_set(pairs[~starred], docs, "a"), docs, "b")
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
    far = pd.array([hub_sets.get(key) for key in joined["far"].tolist()], dtype=BINARY)
    near = joined["set"].array
    return pd.DataFrame({"a": joined["a"].to_numpy(dtype=np.int64), "b": joined["b"].to_numpy(dtype=np.int64),
                         "set_a": pd.array(np.where(near_is_a, near, far), dtype=BINARY),
                         "set_b": pd.array(np.where(near_is_a, far, near), dtype=BINARY)})


def _join_set(pairs, sets, column: str):
    return pairs.join(sets.rename(columns={"set": column}), how="inner").reset_index(drop=True)
