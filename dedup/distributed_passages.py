"""The full scan on Dask: near-duplicates, reused passages, paraphrase and attribution.

``dedup scan --engine dask`` (``dedup.distributed.scan(..., level="passage")``) runs the
steps of :func:`dedup.scan` as a Dask graph, with the local engine's code for every step
that touches text::

    parts read by the workers (texts held by them) -> short lines counted -> lines repeated
    across the corpus (to the client, then to every worker) -> per part: shingle sets, band
    keys of documents and of sentence units, shingle postings and stem counts -> stem
    statistics (to the client, then to every worker) -> per part: sentence vectors and
    postings of rare stems -> candidates, each a shuffle:
        documents sharing a band key (then verified: near-duplicates and clusters),
        sentence units sharing a band key, documents sharing enough rare shingles,
        sentences sharing a rare stem and similar enough (rewritten pairs)
    -> distinct pairs -> each pair meets both texts in the partition of its first document
    and is aligned there (the local PreparedCorpus) -> repeats inside each document ->
    components of the reuse graph -> attribution, one component at a time -> report pieces
    per partition, and the merged report when asked for

Global statistics are the only things collected: the repeated lines and the stems' counts.
With the same parameters the report is the local engine's; a test checks it.
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd

from .config import ScanConfig
from .distributed import (_BINARY, _PAIRS_META, _Job, _runs, _verify, broadcast, bucket_pairs, connected_components,
                          hub_documents, join_sets, orient)
from .errors import DedupError
from .records import Document, Duplicate, Passage, Side
from .report import DocumentSummary, Report, passage_to_dict

__all__: list[str] = []

# Pairs aligned together on a worker (their documents prepared at once, then dropped).
_ALIGN_CHUNK = 256


def _empty(**columns) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


_DOCS_META = _empty(key="int64", id=object, text=object, summary=object, known=_BINARY).set_index(
    pd.Index(np.empty(0, np.int64), name="doc"))
_SETS_META = _empty(set=_BINARY).set_index(pd.Index(np.empty(0, np.int64), name="doc"))
_BANDS_META = _empty(band_key="int64", doc="int64")
_UNIT_BANDS_META = _empty(band_key="int64", unit="int64", doc="int64")
_POSTINGS_META = _empty(hash="int64", doc="int64")
_TERMS_META = _empty(term=object, units="int64", documents="int64", content="int64")
_STEMS_META = _empty(stem="int64", unit="int64", doc="int64", vector_columns=_BINARY, vector_values=_BINARY,
                     content_columns=_BINARY, rare_columns=_BINARY)
_SEEDS_META = _empty(unit_a="int64", unit_b="int64", doc_a="int64", doc_b="int64", cosine="float64")
_FAR_META = _empty(a="int64", b="int64", rewrites="bool", near="int64", far="int64", id_far=object, text_far=object)
_PASSAGES_META = _empty(a="int64", b="int64", id_a=object, id_b=object, kind=object, score="float64",
                        a_start="int64", a_end="int64", b_start="int64", b_end="int64")
_ITEMS_META = _empty(label="int64", key="int64", item=_BINARY)
_ENTRIES_META = _empty(key="int64", entry=object)


class PassageJob(_Job):
    """One full scan on a cluster (see the module's docstring)."""

    def run(self, paths, blocksize, id_field, text_field, output_dir, output_format, merge) -> Report | None:
        import dask
        import dask.dataframe as dd
        from dask import delayed

        from .dask_input import corpus_parts
        from .term_statistics import TermStatistics

        config = self.config
        self.say("cutting the input into parts")
        parts = corpus_parts(paths, blocksize=blocksize, id_field=id_field, text_field=text_field)
        self.say(f"reading {len(parts)} parts")
        read = self.client.persist([delayed(_read_part)(part, number) for number, part in enumerate(parts)])
        divisions = [number << 32 for number in range(len(parts))] + [max(0, (len(parts) << 32) - 1)]
        docs = dd.from_delayed([r[0] for r in read], meta=_DOCS_META, divisions=divisions,
                               verify_meta=False).persist()
        problems = [problem for found in dask.compute(*[r[1] for r in read]) for problem in found]
        del read
        self.check_unique_ids(docs)

        self.say("counting lines repeated across documents")
        lines = docs.map_partitions(_line_counts, config.repeated_line_words, meta=_empty(line=object, count="int64"))
        totals = lines.groupby("line")["count"].sum(split_out=max(1, lines.npartitions // 8))
        repeated = frozenset(totals[totals >= config.repeated_line_docs].compute().index)
        repeated_lines = self.broadcast(repeated)

        self.say("fingerprinting sentences and documents")
        prepared = self.client.persist([delayed(_prepare_part)(part, repeated_lines, config)
                                        for part in docs.to_delayed()])
        sets = dd.from_delayed([p[0] for p in prepared], meta=_SETS_META, divisions=divisions,
                               verify_meta=False).persist()
        frames = [dd.from_delayed([p[k] for p in prepared], meta=meta, verify_meta=False)
                  for k, meta in ((1, _BANDS_META), (2, _UNIT_BANDS_META), (3, _POSTINGS_META))]
        doc_bands, unit_bands, postings = frames
        statistics = None
        if config.paraphrase:
            terms = dd.from_delayed([p[4] for p in prepared], meta=_TERMS_META, verify_meta=False)
            counted = terms.groupby("term")[["units", "documents", "content"]].sum(
                split_out=max(1, terms.npartitions // 8)).compute()
            total_units, total_documents = (sum(t) for t in zip(*dask.compute(*[p[5] for p in prepared])))
            statistics = self.broadcast(TermStatistics(
                list(counted.index), counted["units"].to_numpy(), counted["documents"].to_numpy(),
                counted["content"].to_numpy(), total_units, total_documents))
        del prepared

        self.say("near-duplicate documents")
        buckets = doc_bands.shuffle(on="band_key").persist()
        capped = buckets.map_partitions(_capped, self.bucket_cap, meta=_empty(band_key="int64", documents="int64"))
        capped = capped.compute().sort_values(["documents", "band_key"], ascending=[False, True])
        document_pairs = buckets.map_partitions(bucket_pairs, self.bucket_cap, meta=_PAIRS_META)
        document_pairs = document_pairs.drop_duplicates(split_out=max(1, document_pairs.npartitions)).persist()
        duplicates = join_sets(document_pairs, sets, self.client, self.hub_pairs).map_partitions(
            _verify, config.threshold, meta=_verify_meta()).persist()
        labels = connected_components(duplicates[["a", "b"]])

        self.say("passage candidates")
        unit_pairs = unit_bands.shuffle(on="band_key").map_partitions(bucket_pairs, self.bucket_cap, "unit", "doc",
                                                                      meta=_PAIRS_META)
        min_shared = max(1, config.min_words - config.shingle + 1)
        shared = postings.shuffle(on="hash").map_partitions(_shingle_pairs, config.max_shared_documents,
                                                            meta=_empty(a="int64", b="int64", shared="int64"))
        shared = shared.groupby(["a", "b"]).shared.sum(split_out=max(1, shared.npartitions)).reset_index()
        shared = shared[shared.shared >= min_shared][["a", "b"]]
        candidates = [frame.assign(rewrites=False) for frame in (document_pairs, unit_pairs, shared)]
        if config.paraphrase:
            stems = docs.map_partitions(_stem_postings, repeated_lines, statistics, config, meta=_STEMS_META)
            seeds = stems.shuffle(on="stem").map_partitions(_sentence_seeds, statistics, meta=_SEEDS_META)
            rewritten = seeds.shuffle(on=["doc_a", "doc_b"]).map_partitions(_rewritten_pairs, meta=_PAIRS_META)
            candidates.append(rewritten.assign(rewrites=True))
        pairs = dd.concat(candidates).groupby(["a", "b"]).rewrites.max(
            split_out=max(1, docs.npartitions)).reset_index().persist()

        self.say("aligning candidate pairs")
        passages = self.align(pairs, docs, repeated_lines, statistics)

        self.say("attribution")
        attribution = self.attribute(docs, passages)

        parameters = {**config.as_dict(), "engine": "dask"}
        if len(capped):
            parameters["capped_buckets"] = [{"band_key": int(k), "documents": int(n)}
                                            for k, n in zip(capped.band_key, capped.documents)]
        if output_dir:
            self.say(f"writing the report's pieces to {output_dir}")
            self.write_pieces(output_dir, output_format, docs, duplicates, labels, passages, attribution,
                              problems, parameters)
        if not merge:
            return None
        self.say("merging the report")
        return _merged(docs, duplicates, labels, passages, attribution, parameters, problems, repeated)

    def broadcast(self, value):
        """``value`` held by every worker, as a future that tasks take as an argument."""
        return broadcast(self.client, value)

    def align(self, pairs, docs, repeated_lines, statistics):
        """The passages of every pair and the repeats inside every document, partitioned
        by first document in report order. A pair is aligned in the partition of its
        ``near`` document with the ``far`` one's text sent there; a hub's text (see
        :func:`dedup.distributed.hub_documents`) is sent to every worker instead."""
        import dask.dataframe as dd

        hubs = hub_documents(pairs, self.hub_pairs)
        if hubs:
            self.say(f"{len(hubs)} documents in more than {self.hub_pairs} pairs: their texts go to every worker")
        texts = docs[["id", "text"]]
        found = texts.loc[hubs].compute() if hubs else texts._meta
        hub_texts = self.broadcast(dict(zip(found.index.tolist(), zip(found["id"], found["text"]))))
        oriented = pairs.map_partitions(orient, hubs)
        far_hub = oriented["far"].isin(hubs)
        ordered = dd.concat([_far_texts(oriented[~far_hub], texts),
                             oriented[far_hub].map_partitions(_hub_texts, hub_texts, meta=_FAR_META)])
        ordered = ordered.set_index("near", divisions=list(docs.divisions), drop=False)
        passages = dd.map_partitions(_align_part, ordered, texts, repeated_lines, statistics, self.config,
                                     align_dataframes=False, meta=_PASSAGES_META)
        if hubs:  # star pairs were aligned in their other document's partition
            passages = passages.set_index("a", divisions=list(docs.divisions), drop=False).map_partitions(
                _in_report_order, meta=_PASSAGES_META)
        return passages.persist()

    def check_unique_ids(self, docs) -> None:
        counts = docs.id.value_counts()
        repeated = counts[counts > 1].head(1, npartitions=-1)
        if len(repeated):
            raise DedupError(f"two documents share the id {repeated.index[0]!r}; the Dask engine needs unique ids "
                             f"(see --id-field).")

    def attribute(self, docs, passages):
        """One schema-1 attribution entry per document (frame indexed by key, ``entry`` as
        JSON): documents linked by reuse are attributed together, one component at a time,
        the others alone."""
        import dask.dataframe as dd

        reuse = passages[(passages.kind != "quote") & (passages.a != passages.b)]
        labels = connected_components(reuse[["a", "b"]].drop_duplicates())
        known = docs[["key", "known"]].merge(labels.rename(columns={"node": "key"}), on="key")
        items = dd.concat([
            known.rename(columns={"known": "item"})[["label", "key", "item"]],
            reuse.merge(labels.rename(columns={"node": "a"}), on="a").map_partitions(_passage_items,
                                                                                     meta=_ITEMS_META),
        ])
        entries = items.shuffle(on="label").map_partitions(_attribute_components, meta=_ENTRIES_META)
        entries = entries.set_index("key", divisions=list(docs.divisions), drop=False)
        return dd.map_partitions(_attribution_part, docs[["known"]], entries, align_dataframes=False,
                                 meta=_empty(entry=object)).persist()

    def write_pieces(self, output_dir, output_format, docs, duplicates, labels, passages, attribution, problems,
                     parameters) -> None:
        from .distributed import _write_input, _write_pieces

        _write_pieces(docs, duplicates, labels, output_dir, output_format, more={
            "passages": (passages, _passage_records),
            "attribution": (attribution, _entry_records),
        })
        _write_input(output_dir, docs, problems, parameters)


def _verify_meta():
    from .distributed import _DUPLICATES_META

    return _DUPLICATES_META


# -- per partition ------------------------------------------------------------------------

def _read_part(part, number: int):
    """One part's documents frame (key, id, text, summary as JSON, attribution input
    pickled) and the problems met reading it."""
    from .scan import attribution_input, summarize

    documents, problems = part
    if not documents:
        return _DOCS_META, problems
    keys = (np.int64(number) << np.int64(32)) + np.arange(len(documents), dtype=np.int64)
    facts = [attribution_input(doc) for doc in documents]
    frame = pd.DataFrame({
        "key": keys,
        "id": np.array([d.id for d in documents], dtype=object),
        "text": np.array([d.text for d in documents], dtype=object),
        "summary": np.array([json.dumps(summarize(d, f).to_dict(), ensure_ascii=False)
                             for d, f in zip(documents, facts)], dtype=object),
        "known": pd.array([pickle.dumps(f) for f in facts], dtype=_BINARY),
    }, index=pd.Index(keys, name="doc"))
    return frame, problems


def _documents(frame) -> list[Document]:
    return [Document(doc_id, text) for doc_id, text in zip(frame["id"], frame["text"])]


def _line_counts(frame, max_words: int):
    from .scan import line_counts

    counts = line_counts(frame["text"], max_words)
    return pd.DataFrame({"line": np.array(list(counts), dtype=object),
                         "count": np.fromiter(counts.values(), dtype=np.int64, count=len(counts))})


def _prepare_part(frame, repeated: frozenset[str], config: ScanConfig):
    """A part's shingle sets (indexed by key), document band keys, sentence-unit band keys,
    shingle postings, stem counts and ``(units, documents)`` totals: the local scan's
    fingerprints, computed per part."""
    from .candidates import lsh_bands, passage_units
    from .fingerprint import MinHasher, TokenHasher
    from .passages import prepare_document
    from .shingling import band_keys
    from .term_statistics import TermCounts

    if not len(frame):
        return _SETS_META, _BANDS_META, _UNIT_BANDS_META, _POSTINGS_META, _TERMS_META, (0, 0)
    hasher, minhasher = TokenHasher(), MinHasher(num_perm=config.num_perm, seed=config.seed)
    keys = frame.index.to_numpy(dtype=np.int64)
    sets, units, unit_owners, sentences = [], [], [], []
    for key, doc in zip(keys.tolist(), _documents(frame)):
        fingerprint, found = prepare_document(doc, config, repeated, hasher)
        sets.append(fingerprint.shingle_set())
        shingled = passage_units(fingerprint)
        units += shingled
        unit_owners += [key] * len(shingled)
        if found is not None:
            sentences.append(found)
    filled = np.flatnonzero([len(s) > 0 for s in sets])
    doc_keys = band_keys(minhasher.signatures([sets[k] for k in filled]), *lsh_bands(config.threshold,
                                                                                     config.num_perm))
    bands = pd.DataFrame({"band_key": doc_keys.ravel(), "doc": np.repeat(keys[filled], doc_keys.shape[1])})
    unit_keys = band_keys(minhasher.signatures(units), *lsh_bands(config.passage_threshold, config.num_perm))
    unit_numbers = (keys[0] & ~np.int64(0xFFFFFFFF)) + np.arange(len(units), dtype=np.int64)
    unit_bands = pd.DataFrame({"band_key": unit_keys.ravel(), "unit": np.repeat(unit_numbers, unit_keys.shape[1]),
                               "doc": np.repeat(np.asarray(unit_owners, dtype=np.int64), unit_keys.shape[1])})
    lengths = [len(s) for s in sets]
    postings = pd.DataFrame({"hash": np.concatenate(sets).view(np.int64) if sum(lengths) else np.empty(0, np.int64),
                             "doc": np.repeat(keys, lengths)})
    terms, totals = _TERMS_META, (0, 0)
    if config.paraphrase:
        counts = TermCounts.of(sentences)
        words = list(counts.units)
        terms = pd.DataFrame({"term": np.array(words, dtype=object),
                              "units": np.array([counts.units[w] for w in words], dtype=np.int64),
                              "documents": np.array([counts.documents[w] for w in words], dtype=np.int64),
                              "content": np.array([counts.content_units.get(w, 0) for w in words], dtype=np.int64)})
        totals = (counts.total_units, counts.total_documents)
    sets_frame = pd.DataFrame({"set": pd.array([s.astype(np.uint64).tobytes() for s in sets], dtype=_BINARY)},
                              index=pd.Index(keys, name="doc"))
    return sets_frame, bands, unit_bands, postings, terms, totals


def _capped(frame, cap: int):
    from .distributed import _capped_buckets

    return _capped_buckets(frame, cap)


def _shingle_pairs(frame, max_documents: int):
    """Per document pair of this partition's shingles: how many shingles held by at most
    ``max_documents`` documents it shares (the local shared_shingle_pairs, per shingle)."""
    hashes = frame["hash"].to_numpy(dtype=np.int64)
    order = np.lexsort((frame["doc"].to_numpy(dtype=np.int64), hashes))
    owners = frame["doc"].to_numpy(dtype=np.int64)[order]
    starts, sizes = _runs(hashes[order])
    codes = []
    for size in np.unique(sizes).tolist():
        if size < 2 or size > max_documents:
            continue
        groups = owners[starts[sizes == size][:, None] + np.arange(size)]
        left, right = np.triu_indices(size, k=1)
        codes.append(np.column_stack((groups[:, left].ravel(), groups[:, right].ravel())))
    if not codes:
        return _empty(a="int64", b="int64", shared="int64")
    found, shared = np.unique(np.concatenate(codes), axis=0, return_counts=True)
    return pd.DataFrame({"a": found[:, 0], "b": found[:, 1], "shared": shared.astype(np.int64)})


def _stem_postings(frame, repeated: frozenset[str], statistics, config: ScanConfig):
    """One row per sentence unit and rare content stem (the local sentence_neighbours'
    index), with the unit's vector, content stems and rare stems."""
    if not len(frame):
        return _STEMS_META
    keys = frame.index.to_numpy(dtype=np.int64)
    documents = _documents(frame)
    first_unit = keys[0] & ~np.int64(0xFFFFFFFF)
    found = []
    for start in range(0, len(documents), _ALIGN_CHUNK):
        chunk = slice(start, start + _ALIGN_CHUNK)
        postings = _chunk_postings(documents[chunk], keys[chunk], first_unit, repeated, statistics, config)
        first_unit += postings.attrs.pop("units")
        found.append(postings)
    return pd.concat(found, ignore_index=True)


def _chunk_postings(documents, keys, first_unit, repeated, statistics, config):
    import scipy.sparse as sp

    from .paraphrase import NEIGHBOUR_MAX_FREQUENCY, rare_stems
    from .passages import prepare

    space = prepare(documents, config, repeated, statistics=statistics).space
    vectors, content = sp.vstack(space.vectors_).tocsr(), sp.vstack(space.content_).tocsr()
    rare = (content @ sp.diags(rare_stems(statistics, NEIGHBOUR_MAX_FREQUENCY).astype(np.float64))).tocsr()
    rare.eliminate_zeros()
    count = vectors.shape[0]
    owners = np.repeat(keys, [v.shape[0] for v in space.vectors_])

    def rows(matrix, values=False):
        source = matrix.data if values else matrix.indices.astype(np.int64)
        return np.array([source[matrix.indptr[r]:matrix.indptr[r + 1]].tobytes() for r in range(count)], dtype=object)

    row = np.repeat(np.arange(count), np.diff(rare.indptr))
    postings = pd.DataFrame({
        "stem": rare.indices.astype(np.int64), "unit": first_unit + row, "doc": owners[row],
        **{name: pd.array(values[row], dtype=_BINARY) for name, values in (
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


def _sentence_seeds(frame, statistics, block: int = 2048):
    """The unit pairs of different documents that share a rare stem of this partition and
    seed a passage, with their cosine similarity (the local sentence_neighbours' test).

    A pair sharing several rare stems meets in several partitions; it is taken only where
    its smallest shared rare stem is, so that each pair is compared once in the corpus.
    """
    import scipy.sparse as sp

    from .paraphrase import ParaphraseOptions, unit_seeds

    if not len(frame):
        return _SEEDS_META
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
        cosine, seed = unit_seeds((vectors[a], content[a], sizes[a]), (vectors[b], content[b], sizes[b]),
                                  ParaphraseOptions())
        a, b = a[seed], b[seed]
        found.append(pd.DataFrame({"unit_a": units[a], "unit_b": units[b], "doc_a": docs[a], "doc_b": docs[b],
                                   "cosine": cosine[seed]}))
    return pd.concat(found, ignore_index=True) if found else _SEEDS_META


def _rewritten_pairs(frame):
    """The document pairs whose seeding sentence pairs (all of them in this partition)
    add up to enough evidence of a rewrite."""
    from .paraphrase import ParaphraseOptions, neighbour_evidence

    frame = frame.drop_duplicates(["unit_a", "unit_b"])
    if not len(frame):
        return _PAIRS_META
    pairs, codes = np.unique(frame[["doc_a", "doc_b"]].to_numpy(dtype=np.int64), axis=0, return_inverse=True)
    found, _ = neighbour_evidence(codes.ravel().astype(np.int64), frame["unit_a"].to_numpy(dtype=np.int64),
                                  frame["unit_b"].to_numpy(dtype=np.int64), frame["cosine"].to_numpy(),
                                  ParaphraseOptions())
    return pd.DataFrame({"a": pairs[found, 0], "b": pairs[found, 1]})


def _far_texts(pairs, texts):
    """Pairs with the id and text of their ``far`` document, sent to its partition."""
    import dask.dataframe as dd

    ordered = pairs.set_index("far", divisions=list(texts.divisions), drop=False)
    return dd.map_partitions(_with_far_text, ordered, texts, align_dataframes=False, meta=_FAR_META)


def _with_far_text(pairs, texts):
    joined = pairs.join(texts.rename(columns={"id": "id_far", "text": "text_far"}), how="inner")
    return joined.reset_index(drop=True)[list(_FAR_META.columns)]


def _hub_texts(pairs, hub_texts: dict):
    """Pairs with the id and text of their ``far`` document, a hub, from ``hub_texts``."""
    far = [hub_texts[key] for key in pairs["far"].tolist()]
    return pairs.reset_index(drop=True).assign(id_far=np.array([i for i, _ in far], dtype=object),
                                               text_far=np.array([t for _, t in far], dtype=object))


def _in_report_order(frame):
    return frame.reset_index(drop=True).sort_values(["a", "b", "a_start", "b_start"], kind="stable")


def _passage_rows(found: list[tuple[int, int, Passage]]):
    if not found:
        return _PASSAGES_META
    return pd.DataFrame({
        "a": np.array([a for a, _, _ in found], dtype=np.int64), "b": np.array([b for _, b, _ in found], dtype=np.int64),
        "id_a": np.array([p.a.doc for _, _, p in found], dtype=object),
        "id_b": np.array([p.b.doc for _, _, p in found], dtype=object),
        "kind": np.array([p.kind for _, _, p in found], dtype=object),
        "score": np.array([p.score for _, _, p in found], dtype=np.float64),
        **{f"{side}_{end}": np.array([getattr(getattr(p, side), end) for _, _, p in found], dtype=np.int64)
           for side in ("a", "b") for end in ("start", "end")},
    })


def _align_part(pairs, texts, repeated: frozenset[str], statistics, config: ScanConfig):
    """The passages of this partition's documents: those of the pairs sent here (``near``
    documents here, ``far`` documents' texts joined) and the repeats inside each document,
    in report order. Documents are prepared by the local PreparedCorpus a chunk at a time:
    a few hundred pairs with both their documents."""
    from .passages import prepare

    own = dict(zip(texts.index.to_numpy(dtype=np.int64).tolist(), zip(texts["id"], texts["text"])))
    pairs = pairs.reset_index(drop=True).sort_values(["near", "far"])
    nears = pairs["near"].to_numpy(dtype=np.int64)
    bounds = dict(zip(*(values.tolist() for values in np.unique(nears, return_index=True))))
    fars = dict(zip(pairs["far"].tolist(), zip(pairs["id_far"], pairs["text_far"])))
    work = list(zip(nears.tolist(), pairs["far"].tolist(), pairs["a"].tolist(), pairs["b"].tolist(),
                    pairs["rewrites"].tolist()))
    found = []
    for chunk_docs, chunk_pairs in _chunks(sorted(own), bounds, work):
        needed = {k: own[k] for k in chunk_docs} | {near: own[near] for near, *_ in chunk_pairs}
        needed.update((far, fars[far]) for _, far, *_ in chunk_pairs)
        keys = sorted(needed)
        corpus = prepare([Document(*needed[k]) for k in keys], config, repeated, statistics=statistics)
        index = {k: n for n, k in enumerate(keys)}
        for _, _, a, b, rewrites in chunk_pairs:
            found += [(a, b, p) for p in corpus.passages_between(index[a], index[b], rewrites=bool(rewrites))]
        found += [(k, k, p) for k in chunk_docs for p in corpus.self_passages(index[k])]
    return _in_report_order(_passage_rows(found))


def _chunks(keys: list[int], bounds: dict, work: list[tuple]):
    """Documents (each once, for its repeats) and pairs (sorted by first document), cut
    into chunks of at most ``_ALIGN_CHUNK`` documents and ``_ALIGN_CHUNK`` pairs; the
    pairs of a document with more are cut across chunks."""
    docs: list[int] = []
    pairs: list[tuple] = []
    for key in keys:
        start = bounds.get(key)
        mine = []
        if start is not None:
            end = start
            while end < len(work) and work[end][0] == key:
                end += 1
            mine = work[start:end]
        if docs and (len(docs) >= _ALIGN_CHUNK or len(pairs) + len(mine) > _ALIGN_CHUNK):
            yield docs, pairs
            docs, pairs = [], []
        docs.append(key)
        while len(mine) > _ALIGN_CHUNK:
            yield docs, pairs + mine[:_ALIGN_CHUNK]
            docs, pairs, mine = [], [], mine[_ALIGN_CHUNK:]
        pairs += mine
    if docs or pairs:
        yield docs, pairs


def _passage(row) -> Passage:
    return Passage(kind=row.kind, score=float(row.score), a=Side(row.id_a, int(row.a_start), int(row.a_end)),
                   b=Side(row.id_b, int(row.b_start), int(row.b_end)))


def _passage_items(frame):
    return pd.DataFrame({"label": frame["label"].to_numpy(dtype=np.int64), "key": frame["a"].to_numpy(dtype=np.int64),
                         "item": pd.array([pickle.dumps(_passage(r)) for r in frame.itertuples()], dtype=_BINARY)})


def _attribute_components(frame):
    """The attribution of every document of the components in this partition, each
    component on its own (documents and passages of one component meet here)."""
    from .attribute import AttributionInput, attribute

    if not len(frame):
        return _ENTRIES_META
    keys, entries = [], []
    for _, group in frame.sort_values(["label", "key"]).groupby("label", sort=False):
        items = [pickle.loads(item) for item in group["item"]]
        known = [item for item in items if isinstance(item, AttributionInput)]
        passages = [item for item in items if isinstance(item, Passage)]
        member = group["key"].to_numpy(dtype=np.int64)[[isinstance(item, AttributionInput) for item in items]]
        for key, entry in zip(member.tolist(), attribute(known, passages)):
            keys.append(key)
            entries.append(json.dumps(entry, ensure_ascii=False))
    return pd.DataFrame({"key": np.array(keys, dtype=np.int64), "entry": np.array(entries, dtype=object)})


def _attribution_part(known, entries):
    """Each document's entry: its component's, or its own alone (no reuse either way)."""
    from .attribute import attribute

    found = dict(zip(entries["key"].to_numpy(dtype=np.int64).tolist(), entries["entry"]))
    values = [found.get(key) or json.dumps(attribute([pickle.loads(item)], [])[0], ensure_ascii=False)
              for key, item in zip(known.index.to_numpy(dtype=np.int64).tolist(), known["known"])]
    return pd.DataFrame({"entry": np.array(values, dtype=object)}, index=known.index)


# -- output -------------------------------------------------------------------------------

def _passage_records(frame) -> list[dict]:
    frame = frame.sort_values(["a", "b", "a_start", "b_start"], kind="stable")
    return [passage_to_dict(_passage(row)) for row in frame.itertuples()]


def _entry_records(frame) -> list[dict]:
    return [json.loads(entry) for entry in frame.sort_index()["entry"]]


def _merged(docs, duplicates, labels, passages, attribution, parameters: dict, problems, repeated) -> Report:
    import dask

    from .distributed import _named
    from .text import boilerplate_lines

    documents, named, groups, found, entries = dask.compute(
        docs[["key", "id", "text", "summary"]], _named(duplicates, docs),
        labels.merge(docs[["key", "id"]].rename(columns={"key": "node"}), on="node"), passages, attribution)
    documents = documents.sort_values("key")
    order = {doc_id: k for k, doc_id in enumerate(documents["id"])}
    named = named.sort_values(["a", "b"])
    clusters = [sorted(group["id"], key=order.get) for _, group in groups.groupby("label")]
    return Report(
        parameters=parameters,
        documents=[DocumentSummary(**json.loads(s)) for s in documents["summary"]],
        duplicates=[Duplicate(documents=(a, b), similarity=float(s), containment=(float(ca), float(cb)))
                    for a, b, s, ca, cb in zip(named.id_a, named.id_b, named.similarity, named.containment_a,
                                               named.containment_b)],
        clusters=sorted(clusters, key=lambda group: sorted(group)),
        passages=[_passage(row) for row in found.sort_values(["a", "b", "a_start", "b_start"], kind="stable").itertuples()],
        attribution=[json.loads(entry) for entry in entries.sort_index()["entry"]],
        problems=problems,
        texts=dict(zip(documents["id"], documents["text"])),
        chrome={doc_id: boilerplate_lines(text, repeated) for doc_id, text in zip(documents["id"], documents["text"])},
    )
