"""Groups carrying one text on Dask: the local scan's kernels (:mod:`dedup.match.groups`)
over the candidate pairs.

The pairs with a document in enough candidate pairs meet both shingle sets in the
partitions (:func:`~dedup.engines.dask.graph.join_sets`) and are tested there
(:func:`~dedup.match.groups.carries`); the carrying pairs, and what attribution knows of
their documents, come to the client, which finds the groups as the local scan does
(:func:`~dedup.match.groups.find_groups`). The pairs of two members of one group meet the
representative's set too, and those sharing nothing beyond it are dropped before alignment
(:func:`~dedup.match.groups.shared_beyond`).
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd

from dedup.attribution.attribute import AttributionInput
from dedup.engines.dask.frames import PAIRS_META
from dedup.engines.dask.graph import broadcast, join_sets, with_set
from dedup.match.groups import Group, carries, find_groups, member_pairs, shared_beyond
from dedup.records import Passage

__all__ = ["carried_passages", "drop_member_pairs", "groups_of"]


def groups_of(job, pairs, docs, sets) -> tuple[list[Group], dict[int, AttributionInput]]:
    """The groups among the distinct candidate ``pairs`` (frame ``a``, ``b``), and what
    attribution knows of the documents of their carrying pairs, by key."""
    import dask.dataframe as dd

    config = job.config
    sides = dd.concat([pairs["a"].rename("key"), pairs["b"].rename("key")])
    counts = sides.value_counts(split_out=max(1, pairs.npartitions))
    busy = sorted(counts[counts >= config.min_group - 1].index.compute().tolist())
    if not busy:
        return [], {}
    near = pairs[pairs["a"].isin(busy) | pairs["b"].isin(busy)][["a", "b"]]
    carrying = join_sets(near, sets, job.client, job.hub_pairs).map_partitions(
        _carrying_rows, config.min_shared_shingles, meta=PAIRS_META).compute()
    edges = sorted(zip(carrying["a"].tolist(), carrying["b"].tolist()))
    if not edges:
        return [], {}
    keys = sorted({key for edge in edges for key in edge})
    found = docs[["known"]].loc[keys].compute()
    facts = {key: pickle.loads(item) for key, item in zip(found.index.tolist(), found["known"])}
    return find_groups(edges, facts, config.min_group), facts


def drop_member_pairs(job, pairs, sets, groups: list[Group]):
    """``pairs`` (``a``, ``b``, ``rewrites``) without those of two members of one group that
    share fewer than ``min_shared_shingles`` shingles beyond their representative's (the
    local :func:`~dedup.match.groups.pairs_to_align`)."""
    inside = pairs[["a", "b"]].map_partitions(_member_rows, broadcast(job.client, groups),
                                              meta=PAIRS_META.assign(rep=np.empty(0, np.int64)))
    joined = with_set(with_set(with_set(inside, sets, "a"), sets, "b"), sets, "rep")
    dropped = joined.map_partitions(_beyond_rows, job.config.min_shared_shingles, meta=PAIRS_META)
    marked = pairs.merge(dropped.assign(dropped=True), on=["a", "b"], how="left")
    return marked[marked["dropped"].isna()].drop(columns="dropped")


def carried_passages(passages, groups: list[Group]) -> list[Passage]:
    """The passages between each member of a group and its representative, collected."""
    from dedup.engines.dask.output import passage_of

    wanted = {(min(m, g.representative), max(m, g.representative)) for g in groups for m in g.members}
    frame = passages[passages["a"] != passages["b"]].map_partitions(_between, wanted,
                                                                    meta=passages._meta).compute()
    return [passage_of(row) for row in frame.itertuples()]


# -- per partition ------------------------------------------------------------------------

def _sets(frame, column: str) -> list[np.ndarray]:
    return [np.frombuffer(b, dtype=np.uint64) for b in frame[column]]


def _carrying_rows(frame, min_shared: int):
    if not len(frame):
        return PAIRS_META
    keep = [carries(a, b, min_shared) for a, b in zip(_sets(frame, "set_a"), _sets(frame, "set_b"))]
    return frame.loc[keep, ["a", "b"]].reset_index(drop=True)


def _member_rows(frame, groups: list[Group]):
    """The pairs of two members of one group, with its representative (``rep``)."""
    found = list(member_pairs(zip(frame["a"].tolist(), frame["b"].tolist()), groups))
    return pd.DataFrame(np.array(found, dtype=np.int64).reshape(-1, 3), columns=["a", "b", "rep"])


def _beyond_rows(frame, min_shared: int):
    if not len(frame):
        return PAIRS_META
    drop = [shared_beyond(a, b, r) < min_shared
            for a, b, r in zip(_sets(frame, "set_a"), _sets(frame, "set_b"), _sets(frame, "set_rep"))]
    return frame.loc[drop, ["a", "b"]].reset_index(drop=True)


def _between(frame, wanted: set):
    keep = [(min(a, b), max(a, b)) in wanted for a, b in zip(frame["a"].tolist(), frame["b"].tolist())]
    return frame[keep]
