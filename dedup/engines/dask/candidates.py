"""The Dask engine's candidate and verification steps, one partition at a time, each calling
the local engine's kernel on the partition's columns: pairs of a band key's bucket
(:func:`dedup.sketch.lsh.bucket_pairs`), crowded buckets, exact Jaccard
(:func:`dedup.match.verify.verify_pairs`), documents sharing rare shingles
(:func:`dedup.match.candidates.shared_shingle_counts`), and documents whose sentences share
rare stems and are similar enough to be a rewrite (the rare stems, sentence vectors, seed
test and evidence of :mod:`dedup.match.paraphrase.neighbours`), so the pairs are the local
engine's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dedup.engines.dask.frames import BINARY, DUPLICATES_META, PAIRS_META, empty_frame
from dedup.match.candidates import shared_shingle_counts
from dedup.match.verify import verify_pairs
from dedup.records import Document
from dedup.settings import ScanConfig
from dedup.sketch.lsh import bucket_pairs as lsh_bucket_pairs
from dedup.sketch.lsh import crowded_buckets
from dedup.text.chrome import RepeatedLines

__all__ = ["POSTINGS_META", "SEEDS_META", "SHARED_META", "STEMS_META", "bucket_pairs", "capped_buckets",
           "rewritten_pairs", "sentence_seeds", "shingle_pairs", "stem_postings", "verify_frame"]

# Documents prepared together when their sentence postings are made.
_CHUNK = 256

POSTINGS_META = empty_frame(hash="int64", doc="int64")
SHARED_META = empty_frame(a="int64", b="int64", shared="int64")
STEMS_META = empty_frame(stem="int64", unit="int64", doc="int64", vector_columns=BINARY, vector_values=BINARY,
                         content_columns=BINARY, rare_columns=BINARY)
SEEDS_META = empty_frame(unit_a="int64", unit_b="int64", doc_a="int64", doc_b="int64", cosine="float64")


def shingle_pairs(frame, max_documents: int):
    """Per document pair of this partition's shingles: how many shingles held by at most
    ``max_documents`` documents it shares (the local kernel,
    :func:`dedup.match.candidates.shared_shingle_counts`)."""
    found, shared = shared_shingle_counts(frame["hash"].to_numpy(dtype=np.int64),
                                          frame["doc"].to_numpy(dtype=np.int64), max_documents)
    if not len(found):
        return SHARED_META
    return pd.DataFrame({"a": found[:, 0], "b": found[:, 1], "shared": shared.astype(np.int64)})


def stem_postings(frame, repeated: RepeatedLines, statistics, config: ScanConfig):
    """One row per sentence unit and rare content stem (the local sentence_neighbours'
    index), with the unit's vector, content stems and rare stems."""
    if not len(frame):
        return STEMS_META
    keys = frame.index.to_numpy(dtype=np.int64)
    documents = [Document(i, t) for i, t in zip(frame["id"], frame["text"])]
    first_unit = keys[0] & ~np.int64(0xFFFFFFFF)
    found = []
    for start in range(0, len(documents), _CHUNK):
        chunk = slice(start, start + _CHUNK)
        postings = _chunk_postings(documents[chunk], keys[chunk], first_unit, repeated, statistics, config)
        first_unit += postings.attrs.pop("units")
        found.append(postings)
    return pd.concat(found, ignore_index=True)


def _chunk_postings(documents, keys, first_unit, repeated, statistics, config):
    import scipy.sparse as sp

    from dedup.match.paraphrase.neighbours import NEIGHBOUR_MAX_FREQUENCY, rare_stems
    from dedup.match.prepared import prepare

    space = prepare(documents, config, repeated, statistics=statistics).space
    vectors, content = sp.vstack(space.vectors_).tocsr(), sp.vstack(space.content_).tocsr()
    rare = rare_stems(content, statistics, NEIGHBOUR_MAX_FREQUENCY)
    count = vectors.shape[0]
    owners = np.repeat(keys, [v.shape[0] for v in space.vectors_])

    def rows(matrix, values=False):
        source = matrix.data if values else matrix.indices.astype(np.int64)
        return np.array([source[matrix.indptr[r]:matrix.indptr[r + 1]].tobytes() for r in range(count)], dtype=object)

    row = np.repeat(np.arange(count), np.diff(rare.indptr))
    postings = pd.DataFrame({
        "stem": rare.indices.astype(np.int64), "unit": first_unit + row, "doc": owners[row],
        **{name: pd.array(values[row], dtype=BINARY) for name, values in (
            ("vector_columns", rows(vectors)), ("vector_values", rows(vectors, True)),
            ("content_columns", rows(content)), ("rare_columns", rows(rare)))},
    })
    postings.attrs["units"] = count
    return postings


def _rows(columns, values, width: int):
    """A CSR matrix of rows given as bytes of columns (int64) and values (float64; ones
    when None)."""
    import scipy.sparse as sp

    indices = [np.frombuffer(c, dtype=np.int64) for c in columns]
    lengths = np.fromiter((len(i) for i in indices), dtype=np.int64, count=len(indices))
    data = np.concatenate([np.frombuffer(v, dtype=np.float64) for v in values]) if values is not None else \
        np.ones(int(lengths.sum()))
    indptr = np.r_[0, np.cumsum(lengths)]
    flat = np.concatenate(indices) if indices else np.empty(0, np.int64)
    return sp.csr_matrix((data, flat, indptr), shape=(len(indices), width))


def sentence_seeds(frame, statistics, block: int = 2048):
    """The unit pairs of different documents that share a rare stem of this partition and
    seed a passage, with their cosine similarity (the local sentence_neighbours' test).

    A pair sharing several rare stems meets in several partitions; it is taken only where
    its smallest shared rare stem is, so that each pair is compared once in the corpus.
    """
    import scipy.sparse as sp

    from dedup.match.paraphrase.neighbours import unit_seeds
    from dedup.match.paraphrase.options import ParaphraseOptions

    if not len(frame):
        return SEEDS_META
    width = statistics.width
    units, first, where = np.unique(frame["unit"].to_numpy(dtype=np.int64), return_index=True, return_inverse=True)
    here = np.unique(frame["stem"].to_numpy(dtype=np.int64))
    local = sp.csr_matrix((np.ones(len(frame)), (where.ravel(), frame["stem"].to_numpy(dtype=np.int64))),
                          shape=(len(units), width))
    rare = _rows(frame["rare_columns"].to_numpy()[first], None, width)
    vectors = _rows(frame["vector_columns"].to_numpy()[first], frame["vector_values"].to_numpy()[first], width)
    content = _rows(frame["content_columns"].to_numpy()[first], None, width)
    sizes = np.diff(content.indptr).astype(np.float64)
    docs = frame["doc"].to_numpy(dtype=np.int64)[first]
    found = []
    for start in range(0, len(units), block):
        shared = (local[start:start + block] @ local.T).tocoo()
        a, b = shared.row + start, shared.col
        keep = (a < b) & (docs[a] != docs[b])
        a, b = a[keep], b[keep]
        common = rare[a].multiply(rare[b]).tocsr()
        common.sort_indices()
        smallest = common.indices[common.indptr[:-1]]
        keep = np.isin(smallest, here)
        a, b = a[keep], b[keep]
        a, b, cosine = unit_seeds(vectors, content, sizes, a, b, ParaphraseOptions())
        found.append(pd.DataFrame({"unit_a": units[a], "unit_b": units[b], "doc_a": docs[a], "doc_b": docs[b],
                                   "cosine": cosine}))
    return pd.concat(found, ignore_index=True) if found else SEEDS_META


def rewritten_pairs(frame):
    """The document pairs whose seeding sentence pairs (all of them in this partition)
    add up to enough evidence of a rewrite."""
    from dedup.match.paraphrase.neighbours import neighbour_evidence
    from dedup.match.paraphrase.options import ParaphraseOptions

    frame = frame.drop_duplicates(["unit_a", "unit_b"])
    if not len(frame):
        return PAIRS_META
    pairs, codes = np.unique(frame[["doc_a", "doc_b"]].to_numpy(dtype=np.int64), axis=0, return_inverse=True)
    found, _ = neighbour_evidence(codes.ravel().astype(np.int64), frame["unit_a"].to_numpy(dtype=np.int64),
                                  frame["unit_b"].to_numpy(dtype=np.int64), frame["cosine"].to_numpy(),
                                  ParaphraseOptions())
    return pd.DataFrame({"a": pairs[found, 0], "b": pairs[found, 1]})


def bucket_pairs(frame, cap: int, order: str = "doc", owner: str = "doc"):
    """The distinct pairs ``(a, b)`` of owners of this partition's rows sharing a band key,
    ranked in each bucket by ``order`` (the local kernel, :func:`dedup.sketch.lsh.bucket_pairs`)."""
    found = lsh_bucket_pairs(frame["band_key"].to_numpy(dtype=np.int64), frame[owner].to_numpy(dtype=np.int64),
                             frame[order].to_numpy(dtype=np.int64), cap)
    if not len(found):
        return PAIRS_META
    return pd.DataFrame({"a": found[:, 0], "b": found[:, 1]})


def capped_buckets(frame, cap: int):
    """The buckets of this partition holding more than ``cap`` rows, with their sizes."""
    keys, sizes = crowded_buckets(frame["band_key"].to_numpy(dtype=np.int64), cap)
    return pd.DataFrame({"band_key": keys, "documents": sizes.astype(np.int64)})


def verify_frame(frame, threshold: float):
    """The joined pairs (``a``, ``b``, ``set_a``, ``set_b``) whose exact Jaccard reaches
    ``threshold`` (the local kernel, :func:`dedup.match.verify.verify_pairs`)."""
    count = len(frame)
    if not count:
        return DUPLICATES_META
    sets = [np.frombuffer(b, dtype=np.uint64) for b in frame["set_a"]] + \
           [np.frombuffer(b, dtype=np.uint64) for b in frame["set_b"]]
    rows = list(verify_pairs(np.column_stack((np.arange(count), np.arange(count) + count)), sets, threshold))
    if not rows:
        return DUPLICATES_META
    index = np.array([row.a for row in rows])
    return pd.DataFrame({
        "a": frame["a"].to_numpy()[index], "b": frame["b"].to_numpy()[index],
        "similarity": [row.similarity for row in rows],
        "containment_a": [row.containment[0] for row in rows], "containment_b": [row.containment[1] for row in rows],
    })
