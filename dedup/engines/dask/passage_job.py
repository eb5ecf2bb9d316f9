"""The full scan on Dask: near-duplicates, reused passages, paraphrase and attribution.

``dedup scan --engine dask`` (``dedup.distributed.scan(..., level="passage")``) runs the
steps of :func:`dedup.scan` as a Dask graph, with the local engine's code for every step
that touches text::

    parts read by the workers (texts held by them) -> lines counted -> chrome lines (short
    ones repeated across the corpus, and each site's own: to the client, then to every
    worker) -> per part: shingle sets, band
    keys of documents and of sentence units, shingle postings and stem counts -> stem
    statistics (to the client, then to every worker) -> per part: sentence vectors and
    postings of rare stems -> candidates, each a shuffle:
        documents sharing a band key (then verified: near-duplicates and clusters),
        sentence units sharing a band key, documents sharing enough rare shingles,
        sentences sharing a rare stem and similar enough (rewritten pairs)
    -> distinct pairs -> groups carrying one text (the carrying pairs to the client; pairs of
    two members sharing nothing beyond the representative dropped) -> each pair is sent with one document's text to the other's
    partition (its first document's, or the one that is not a hub: a hub's text goes to every
    worker) and aligned there (the local PreparedCorpus) -> repeats inside each document ->
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

from dedup.engines.dask.candidates import (
    POSTINGS_META,
    SEEDS_META,
    SHARED_META,
    STEMS_META,
    bucket_pairs,
    capped_buckets,
    rewritten_pairs,
    sentence_seeds,
    shingle_pairs,
    stem_postings,
    verify_frame,
)
from dedup.engines.dask.frames import (
    BANDS_META,
    BINARY,
    CAPPED_META,
    DUPLICATES_META,
    PAIRS_META,
    empty_frame,
)
from dedup.engines.dask.graph import (
    Job,
    broadcast,
    connected_components,
    hub_documents,
    join_sets,
    orient,
    persisted,
)
from dedup.engines.dask.groups import carried_passages, drop_member_pairs, groups_of
from dedup.engines.dask.output import (
    entry_records,
    in_report_order,
    merged_report,
    passage_of,
    passage_records,
    sentences_text,
    write_input,
    write_pieces,
)
from dedup.match.groups import carried_texts
from dedup.records import Document, Passage
from dedup.report.assemble import group_records, with_capped
from dedup.report.model import Report
from dedup.settings import ScanConfig
from dedup.sketch.lsh import capped_bucket_records
from dedup.text.chrome import RepeatedLines, candidate_site_lines, site_chrome, site_of

__all__ = ["PassageJob", "part_line_counts", "part_lines_elsewhere", "part_site_line_counts", "prepare_part",
           "read_part"]

# Pairs aligned together on a worker (their documents prepared at once, then dropped).
_ALIGN_CHUNK = 256


_DOCS_META = empty_frame(key="int64", id=object, text=object, site=object, summary=object, known=BINARY).set_index(
    pd.Index(np.empty(0, np.int64), name="doc"))
_SETS_META = empty_frame(set=BINARY).set_index(pd.Index(np.empty(0, np.int64), name="doc"))
_UNITBANDS_META = empty_frame(band_key="int64", unit="int64", doc="int64")
_TERMS_META = empty_frame(term=object, units="int64", documents="int64", content="int64")
_FAR_META = empty_frame(a="int64", b="int64", rewrites="bool", near="int64", far="int64", id_far=object,
                        text_far=object)
_PASSAGES_META = empty_frame(a="int64", b="int64", id_a=object, id_b=object, kind=object, score="float64",
                        a_start="int64", a_end="int64", b_start="int64", b_end="int64", sentences=object)
_ITEMS_META = empty_frame(label="int64", key="int64", item=BINARY)
_ENTRIES_META = empty_frame(key="int64", entry=object)


class PassageJob(Job):
    """One full scan on a cluster (see the module's docstring)."""

    def run(self, paths, blocksize, id_field, text_field, output_dir, output_format, merge) -> Report | None:
        docs, divisions, problems = self.read(paths, blocksize, id_field, text_field)
        self.say("counting lines repeated across documents")
        repeated = self.repeated_lines(docs)
        repeated_lines = broadcast(self.client, repeated)
        self.say("fingerprinting sentences and documents")
        sets, doc_bands, unit_bands, postings, statistics = self.fingerprint(docs, divisions, repeated_lines)
        self.say("near-duplicate documents")
        capped, document_pairs, duplicates, labels = self.near_duplicates(doc_bands, sets)
        self.say("passage candidates")
        pairs = self.candidates(docs, document_pairs, unit_bands, postings, repeated_lines, statistics)
        self.say("groups of documents carrying one text")
        groups, facts = groups_of(self, pairs, docs, sets)
        if groups and not self.config.all_pairs:
            pairs = persisted(drop_member_pairs(self, pairs, sets, groups))
        if self.progress:
            self.say(f"aligning {len(pairs)} candidate pairs")
        passages = self.align(pairs, docs, repeated_lines, statistics)
        self.say("attribution")
        attribution = self.attribute(docs, passages, carried_texts(groups, {k: f.id for k, f in facts.items()}))
        group_section = group_records(groups, facts, carried_passages(passages, groups)) if groups else []

        parameters = with_capped({**self.config.as_dict(), "engine": "dask"}, capped)
        if output_dir:
            self.say(f"writing the report's pieces to {output_dir}")
            self.write_pieces(output_dir, output_format, docs, duplicates, labels, passages, attribution,
                              problems, parameters, group_section)
        if not merge:
            return None
        self.say("merging the report")
        return merged_report(docs, duplicates, labels, parameters, problems, passages=passages,
                             attribution=attribution, groups=group_section, repeated=repeated)

    def read(self, paths, blocksize, id_field, text_field):
        """The documents frame (indexed by key, part by part: its divisions are known), its
        divisions, and the problems met reading."""
        import dask
        import dask.dataframe as dd
        from dask import delayed

        from dedup.read.parts import corpus_parts

        self.say("cutting the input into parts")
        parts = corpus_parts(paths, blocksize=blocksize, id_field=id_field, text_field=text_field)
        self.say(f"reading {len(parts)} part{'s' if len(parts) != 1 else ''}")
        read = persisted([delayed(read_part)(part, number) for number, part in enumerate(parts)])
        divisions = [number << 32 for number in range(len(parts))] + [max(0, (len(parts) << 32) - 1)]
        docs = persisted(dd.from_delayed([r[0] for r in read], meta=_DOCS_META, divisions=divisions,
                                         verify_meta=False))
        problems = [problem for found in dask.compute(*[r[1] for r in read]) for problem in found]
        self.check_unique_ids(docs)
        return docs, divisions, problems

    def repeated_lines(self, docs) -> RepeatedLines:
        """The lines learned to be chrome (:mod:`dedup.text.chrome`): short lines found in
        ``repeated_line_docs`` documents or more, and each site's own repeated lines."""
        config = self.config
        lines = docs.map_partitions(part_line_counts, config.repeated_line_words,
                                    meta=empty_frame(line=object, count="int64"))
        totals = lines.groupby("line")["count"].sum(split_out=max(1, lines.npartitions // 8))
        corpus = frozenset(totals[totals >= config.repeated_line_docs].compute().index)
        sites = docs[["id", "site"]].compute()
        sizes = sites["site"][sites["site"] != ""].value_counts()
        if not (sizes >= config.repeated_line_docs).any():
            return RepeatedLines(corpus)
        counted = docs.map_partitions(part_site_line_counts, meta=empty_frame(site=object, line=object, count="int64"))
        summed = counted.groupby(["site", "line"])["count"].sum(split_out=max(1, counted.npartitions // 8))
        found = summed[summed >= config.repeated_line_docs].compute()
        candidates = candidate_site_lines(dict(zip(found.index.tolist(), found.tolist())), sizes.to_dict(),
                                          config.repeated_line_docs)
        if not candidates:
            return RepeatedLines(corpus)
        elsewhere = docs.map_partitions(part_lines_elsewhere, candidates, meta=empty_frame(line=object))
        ids, owners = sites["id"].tolist(), [site or None for site in sites["site"].tolist()]
        return RepeatedLines(corpus, site_chrome(ids, owners, candidates, set(elsewhere["line"].compute())))

    def fingerprint(self, docs, divisions, repeated_lines):
        """Per part, as the local scan: shingle sets (persisted, indexed by key), band keys of
        documents and of sentence units, shingle postings; and the corpus's stem statistics
        (None with the paraphrase tier off), sent to every worker."""
        import dask
        import dask.dataframe as dd
        from dask import delayed

        from dedup.match.paraphrase.statistics import TermStatistics

        prepared = persisted([delayed(prepare_part)(part, repeated_lines, self.config)
                              for part in docs.to_delayed()])
        sets = persisted(dd.from_delayed([p[0] for p in prepared], meta=_SETS_META, divisions=divisions,
                                         verify_meta=False))
        doc_bands, unit_bands, postings = (dd.from_delayed([p[k] for p in prepared], meta=meta, verify_meta=False)
                                           for k, meta in ((1, BANDS_META), (2, _UNITBANDS_META),
                                                           (3, POSTINGS_META)))
        statistics = None
        if self.config.paraphrase:
            terms = dd.from_delayed([p[4] for p in prepared], meta=_TERMS_META, verify_meta=False)
            counted = terms.groupby("term")[["units", "documents", "content"]].sum(
                split_out=max(1, terms.npartitions // 8)).compute()
            total_units, total_documents = (sum(t) for t in zip(*dask.compute(*[p[5] for p in prepared])))
            statistics = broadcast(self.client, TermStatistics(
                list(counted.index), counted["units"].to_numpy(), counted["documents"].to_numpy(),
                counted["content"].to_numpy(), total_units, total_documents))
        return sets, doc_bands, unit_bands, postings, statistics

    def near_duplicates(self, doc_bands, sets):
        """The capped buckets (as the report lists them), the documents' candidate pairs, the
        verified duplicates and their clusters' labels."""
        buckets = persisted(doc_bands.shuffle(on="band_key"))
        capped = buckets.map_partitions(capped_buckets, self.bucket_cap, meta=CAPPED_META).compute()
        pairs = buckets.map_partitions(bucket_pairs, self.bucket_cap, meta=PAIRS_META)
        pairs = persisted(pairs.drop_duplicates(split_out=max(1, pairs.npartitions)))
        duplicates = persisted(join_sets(pairs, sets, self.client, self.hub_pairs).map_partitions(
            verify_frame, self.config.threshold, meta=DUPLICATES_META))
        return (capped_bucket_records(capped.band_key.to_numpy(), capped.documents.to_numpy()),
                pairs, duplicates, connected_components(duplicates[["a", "b"]]))

    def candidates(self, docs, document_pairs, unit_bands, postings, repeated_lines, statistics):
        """The distinct pairs to align, as the local scan makes them: the documents' LSH
        pairs, sentence units' LSH pairs, pairs sharing enough rare shingles, and (flagged
        ``rewrites``) pairs whose sentences show a rewrite."""
        import dask.dataframe as dd

        config = self.config
        unit_pairs = unit_bands.shuffle(on="band_key").map_partitions(bucket_pairs, self.bucket_cap, "unit", "doc",
                                                                      meta=PAIRS_META)
        shared = postings.shuffle(on="hash").map_partitions(shingle_pairs, config.max_shared_documents,
                                                            meta=SHARED_META)
        shared = shared.groupby(["a", "b"]).shared.sum(split_out=max(1, shared.npartitions)).reset_index()
        shared = shared[shared.shared >= config.min_shared_shingles][["a", "b"]]
        found = [frame.assign(rewrites=False) for frame in (document_pairs, unit_pairs, shared)]
        if config.paraphrase:
            stems = docs.map_partitions(stem_postings, repeated_lines, statistics, config, meta=STEMS_META)
            seeds = stems.shuffle(on="stem").map_partitions(sentence_seeds, statistics, meta=SEEDS_META)
            rewritten = seeds.shuffle(on=["doc_a", "doc_b"]).map_partitions(rewritten_pairs, meta=PAIRS_META)
            found.append(rewritten.assign(rewrites=True))
        return persisted(dd.concat(found).groupby(["a", "b"]).rewrites.max(
            split_out=max(1, docs.npartitions)).reset_index())

    def align(self, pairs, docs, repeated_lines, statistics):
        """The passages of every pair and the repeats inside every document, partitioned
        by first document in report order. A pair is aligned in the partition of its
        ``near`` document with the ``far`` one's text sent there; a hub's text (see
        :func:`dedup.engines.dask.graph.hub_documents`) is sent to every worker instead."""
        import dask.dataframe as dd

        hubs = hub_documents(pairs, self.hub_pairs)
        if hubs:
            self.say(f"{len(hubs)} documents in more than {self.hub_pairs} pairs: their texts go to every worker")
        texts = docs[["id", "text"]]
        found = texts.loc[hubs].compute() if hubs else texts._meta
        hub_texts = broadcast(self.client, dict(zip(found.index.tolist(), zip(found["id"], found["text"]))))
        oriented = pairs.map_partitions(orient, hubs)
        far_hub = oriented["far"].isin(hubs)
        ordered = dd.concat([_far_texts(oriented[~far_hub], texts),
                             oriented[far_hub].map_partitions(_hub_texts, hub_texts, meta=_FAR_META)])
        ordered = ordered.set_index("near", divisions=list(docs.divisions), drop=False)
        passages = dd.map_partitions(_align_part, ordered, texts, repeated_lines, statistics, self.config,
                                     align_dataframes=False, meta=_PASSAGES_META)
        if hubs:  # star pairs were aligned in their other document's partition
            passages = passages.set_index("a", divisions=list(docs.divisions), drop=False).map_partitions(
                in_report_order, meta=_PASSAGES_META)
        return persisted(passages)

    def attribute(self, docs, passages, carried: dict):
        """One schema-1 attribution entry per document (frame indexed by key, ``entry`` as
        JSON): documents linked by reuse are attributed together, one component at a time,
        the others alone; ``carried``: the group of each member of one, by id."""
        import dask.dataframe as dd

        reuse = passages[(passages.kind != "quote") & (passages.a != passages.b)]
        labels = connected_components(reuse[["a", "b"]].drop_duplicates())
        known = docs[["key", "known"]].merge(labels.rename(columns={"node": "key"}), on="key")
        items = dd.concat([
            known.rename(columns={"known": "item"})[["label", "key", "item"]],
            reuse.merge(labels.rename(columns={"node": "a"}), on="a").map_partitions(_passage_items,
                                                                                     meta=_ITEMS_META),
        ])
        entries = items.shuffle(on="label").map_partitions(_attribute_components, broadcast(self.client, carried),
                                                           meta=_ENTRIES_META)
        entries = entries.set_index("key", divisions=list(docs.divisions), drop=False)
        return persisted(dd.map_partitions(_attribution_part, docs[["known"]], entries, align_dataframes=False,
                                           meta=empty_frame(entry=object)))

    def write_pieces(self, output_dir, output_format, docs, duplicates, labels, passages, attribution, problems,
                     parameters, groups: list[dict]) -> None:

        write_pieces(docs, duplicates, labels, output_dir, output_format, more={
            "passages": (passages, passage_records),
            "attribution": (attribution, entry_records),
        })
        write_input(output_dir, docs, problems, parameters, groups)


# -- per partition ------------------------------------------------------------------------

def read_part(part, number: int):
    """One part's documents frame (key, id, text, summary as JSON, attribution input
    pickled) and the problems met reading it."""
    from dedup.attribution.attribute import attribution_input
    from dedup.report.assemble import summarize

    documents, problems = part
    if not documents:
        return _DOCS_META, problems
    keys = (np.int64(number) << np.int64(32)) + np.arange(len(documents), dtype=np.int64)
    facts = [attribution_input(doc) for doc in documents]
    frame = pd.DataFrame({
        "key": keys,
        "id": np.array([d.id for d in documents], dtype=object),
        "text": np.array([d.text for d in documents], dtype=object),
        "site": np.array([site_of(d) or "" for d in documents], dtype=object),
        "summary": np.array([json.dumps(summarize(d, f).to_dict(), ensure_ascii=False)
                             for d, f in zip(documents, facts)], dtype=object),
        "known": pd.array([pickle.dumps(f) for f in facts], dtype=BINARY),
    }, index=pd.Index(keys, name="doc"))
    return frame, problems


def _documents(frame) -> list[Document]:
    return [Document(doc_id, text) for doc_id, text in zip(frame["id"], frame["text"])]


def part_site_line_counts(frame):
    """A part's ``(site, line)`` document counts (:func:`dedup.text.chrome.site_line_counts`)."""
    from dedup.text.chrome import site_line_counts

    counts = site_line_counts(frame["text"], (site or None for site in frame["site"]))
    return pd.DataFrame({"site": np.array([site for site, _ in counts], dtype=object),
                         "line": np.array([line for _, line in counts], dtype=object),
                         "count": np.fromiter(counts.values(), dtype=np.int64, count=len(counts))})


def part_lines_elsewhere(frame, candidates: dict[str, str]):
    """The candidate site lines a document of this part from another site holds."""
    from dedup.text.chrome import lines_elsewhere

    found = lines_elsewhere(frame["text"], (site or None for site in frame["site"]), candidates)
    return pd.DataFrame({"line": np.array(sorted(found), dtype=object)})


def part_line_counts(frame, max_words: int):
    from dedup.text.chrome import line_counts

    counts = line_counts(frame["text"], max_words)
    return pd.DataFrame({"line": np.array(list(counts), dtype=object),
                         "count": np.fromiter(counts.values(), dtype=np.int64, count=len(counts))})


def prepare_part(frame, repeated: RepeatedLines, config: ScanConfig):
    """A part's shingle sets (indexed by key), document band keys, sentence-unit band keys,
    shingle postings, stem counts and ``(units, documents)`` totals: the local scan's
    fingerprints and candidate keys (:func:`dedup.match.candidates.corpus_keys`), per part."""
    from dedup.match.candidates import corpus_keys
    from dedup.match.paraphrase.statistics import CodedUnits
    from dedup.match.prepared import prepare_document
    from dedup.sketch.fingerprinter import Fingerprinter
    from dedup.sketch.hashing import TokenHasher

    if not len(frame):
        return _SETS_META, BANDS_META, _UNITBANDS_META, POSTINGS_META, _TERMS_META, (0, 0)
    hasher = TokenHasher()
    keys = frame.index.to_numpy(dtype=np.int64)
    prints, sentences = [], []
    for doc in _documents(frame):
        fingerprint, found = prepare_document(doc, config, repeated.of(doc.id), hasher)
        prints.append(fingerprint)
        if found is not None:
            sentences.append(found)
    sets, filled, doc_keys, unit_keys, unit_owners = corpus_keys(prints, Fingerprinter.of(config),
                                                                 config.passage_bands)
    bands = pd.DataFrame({"band_key": doc_keys.ravel(), "doc": np.repeat(keys[filled], doc_keys.shape[1])})
    unit_numbers = (keys[0] & ~np.int64(0xFFFFFFFF)) + np.arange(len(unit_keys), dtype=np.int64)
    unit_bands = pd.DataFrame({"band_key": unit_keys.ravel(), "unit": np.repeat(unit_numbers, unit_keys.shape[1]),
                               "doc": np.repeat(keys[unit_owners], unit_keys.shape[1])})
    lengths = [len(s) for s in sets]
    postings = pd.DataFrame({"hash": np.concatenate(sets).view(np.int64) if sum(lengths) else np.empty(0, np.int64),
                             "doc": np.repeat(keys, lengths)})
    terms, totals = _TERMS_META, (0, 0)
    if config.paraphrase:
        coded = CodedUnits.of(sentences)
        terms = pd.DataFrame({"term": np.array(coded.vocabulary, dtype=object), "units": coded.unit_frequency,
                              "documents": coded.document_frequency, "content": coded.content_frequency})
        totals = (coded.total_units, len(sentences))
    sets_frame = pd.DataFrame({"set": pd.array([s.astype(np.uint64).tobytes() for s in sets], dtype=BINARY)},
                              index=pd.Index(keys, name="doc"))
    return sets_frame, bands, unit_bands, postings, terms, totals


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


def _passage_rows(found: list[tuple[int, int, Passage]]):
    if not found:
        return _PASSAGES_META
    return pd.DataFrame({
        "a": np.array([a for a, _, _ in found], dtype=np.int64),
        "b": np.array([b for _, b, _ in found], dtype=np.int64),
        "id_a": np.array([p.a.doc for _, _, p in found], dtype=object),
        "id_b": np.array([p.b.doc for _, _, p in found], dtype=object),
        "kind": np.array([p.kind for _, _, p in found], dtype=object),
        "score": np.array([p.score for _, _, p in found], dtype=np.float64),
        **{f"{side}_{end}": np.array([getattr(getattr(p, side), end) for _, _, p in found], dtype=np.int64)
           for side in ("a", "b") for end in ("start", "end")},
        "sentences": np.array([sentences_text(p) for _, _, p in found], dtype=object),
    })


def _align_part(pairs, texts, repeated: RepeatedLines, statistics, config: ScanConfig):
    """The passages of this partition's documents: those of the pairs sent here (``near``
    documents here, ``far`` documents' texts joined) and the repeats inside each document,
    in report order. Documents are prepared by the local PreparedCorpus a chunk at a time:
    a few hundred pairs with both their documents."""
    from dedup.engines.blas import one_blas_thread
    from dedup.match.prepared import prepare

    own = dict(zip(texts.index.to_numpy(dtype=np.int64).tolist(), zip(texts["id"], texts["text"])))
    pairs = pairs.reset_index(drop=True).sort_values(["near", "far"])
    nears = pairs["near"].to_numpy(dtype=np.int64)
    bounds = dict(zip(*(values.tolist() for values in np.unique(nears, return_index=True))))
    fars = dict(zip(pairs["far"].tolist(), zip(pairs["id_far"], pairs["text_far"])))
    work = list(zip(nears.tolist(), pairs["far"].tolist(), pairs["a"].tolist(), pairs["b"].tolist(),
                    pairs["rewrites"].tolist()))
    with one_blas_thread():
        found = []
        for chunk_docs, chunk_pairs in _chunks(sorted(own), bounds, work):
            needed = {k: own[k] for k in chunk_docs} | {near: own[near] for near, *_ in chunk_pairs}
            needed.update((far, fars[far]) for _, far, *_ in chunk_pairs)
            keys = sorted(needed)
            corpus = prepare([Document(*needed[k]) for k in keys], config, repeated, statistics=statistics)
            index = {k: n for n, k in enumerate(keys)}
            between = corpus.passages_among([(index[a], index[b], bool(rewrites)) for _, _, a, b, rewrites in chunk_pairs])
            found += [(a, b, p) for (_, _, a, b, _), passages in zip(chunk_pairs, between) for p in passages]
            repeats = corpus.repeats_among([index[k] for k in chunk_docs])
            found += [(k, k, p) for k, passages in zip(chunk_docs, repeats) for p in passages]
    return in_report_order(_passage_rows(found))


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


def _passage_items(frame):
    return pd.DataFrame({"label": frame["label"].to_numpy(dtype=np.int64), "key": frame["a"].to_numpy(dtype=np.int64),
                         "item": pd.array([pickle.dumps(passage_of(r)) for r in frame.itertuples()], dtype=BINARY)})


def _attribute_components(frame, carried: dict):
    """The attribution of every document of the components in this partition, each
    component on its own (documents and passages of one component meet here)."""
    from dedup.attribution.attribute import AttributionInput, attribute

    if not len(frame):
        return _ENTRIES_META
    keys, entries = [], []
    for _, group in frame.sort_values(["label", "key"]).groupby("label", sort=False):
        items = [pickle.loads(item) for item in group["item"]]
        known = [item for item in items if isinstance(item, AttributionInput)]
        passages = [item for item in items if isinstance(item, Passage)]
        member = group["key"].to_numpy(dtype=np.int64)[[isinstance(item, AttributionInput) for item in items]]
        for key, entry in zip(member.tolist(), attribute(known, passages, carried)):
            keys.append(key)
            entries.append(json.dumps(entry, ensure_ascii=False))
    return pd.DataFrame({"key": np.array(keys, dtype=np.int64), "entry": np.array(entries, dtype=object)})


def _attribution_part(known, entries):
    """Each document's entry: its component's, or its own alone (no reuse either way)."""
    from dedup.attribution.attribute import attribute

    found = dict(zip(entries["key"].to_numpy(dtype=np.int64).tolist(), entries["entry"]))
    values = [found.get(key) or json.dumps(attribute([pickle.loads(item)], [])[0], ensure_ascii=False)
              for key, item in zip(known.index.to_numpy(dtype=np.int64).tolist(), known["known"])]
    return pd.DataFrame({"entry": np.array(values, dtype=object)}, index=known.index)
