"""Reused passages between two prepared documents: both tiers, combined.

The copy tier (shingles, :mod:`dedup.match.align`) finds verbatim and lightly edited text; the
paraphrase tier (sentences, :mod:`dedup.match.paraphrase`) finds rewritten text; :mod:`dedup.match.combine`
merges the two into passages.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.helpers import Helpers, chunked
from dedup.match.align import Alignment, AlignOptions, align_pair, self_repeats
from dedup.match.combine import combine
from dedup.match.paraphrase.align import SentenceAlignment, align_sentences
from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.scorer import lone_judge
from dedup.match.paraphrase.space import SentenceSpace
from dedup.match.paraphrase.statistics import CodedUnits, TermStatistics
from dedup.match.paraphrase.units import SentenceUnits
from dedup.match.sentences import passages_of
from dedup.match.store import PrintStore, StoredPrints
from dedup.progress import progress_bar
from dedup.records import Document, Passage
from dedup.settings import ScanConfig
from dedup.sketch.hashing import TokenHasher
from dedup.sketch.shingles import ShingledDocument
from dedup.text.chrome import RepeatedLines
from dedup.text.layout import TextLayout, analyze

__all__ = ["PreparedCorpus", "prepare", "prepare_document"]


@dataclass
class PreparedCorpus:
    """Documents with everything the aligners need, computed once.

    Attributes
    ----------
    docs : list of Document
    prints : sequence of ShingledDocument
        Token layouts and shingles (copy tier), kept compact (:class:`~dedup.match.store.StoredPrints`).
    unit_bounds : list of numpy.ndarray
        Each document's sentence units as token ranges ``[first, last)`` (paraphrase tier;
        their stems are needed only to make ``space``, and are not kept).
    space : SentenceSpace or None
        Sentence vectors with corpus statistics; None when the paraphrase tier is off.
    align_options : AlignOptions
    paraphrase_options : ParaphraseOptions
    """

    docs: list[Document]
    prints: Sequence[ShingledDocument]
    unit_bounds: list[np.ndarray]
    space: SentenceSpace | None
    align_options: AlignOptions
    paraphrase_options: ParaphraseOptions

    def passages_between(self, i: int, j: int, *, rewrites: bool = True) -> list[Passage]:
        """The passages documents ``i`` and ``j`` share, in order of ``i``.

        ``rewrites=False`` skips the paraphrase tier for this pair (the scan does so for
        pairs whose sentences showed no sign of a rewrite).
        """
        return self.passages_among([(i, j, rewrites)])[0]

    def passages_among(self, pairs: Sequence[tuple[int, int, bool]]) -> list[list[Passage]]:
        """:meth:`passages_between` of each ``(i, j, rewrites)``, their sentence pairs found
        together (:func:`~dedup.match.sentences.passages_of`): what the drivers call for a
        chunk of pairs."""
        found = []
        for i, j, rewrites in pairs:
            print_a, print_b = self.prints[i], self.prints[j]
            found.append((i, j, print_a, print_b, self._alignments(i, j, print_a, print_b, rewrites)))
        return self._passages(found)

    def self_passages(self, i: int) -> list[Passage]:
        """Passages repeated inside document ``i``."""
        return self.repeats_among([i])[0]

    def repeats_among(self, indices: Sequence[int]) -> list[list[Passage]]:
        """:meth:`self_passages` of each document of ``indices``, their sentence pairs found together."""
        found = []
        for i in indices:
            prints = self.prints[i]
            found.append((i, i, prints, prints, self_repeats(prints, self.align_options)))
        return self._passages(found)

    def _passages(self, found: list[tuple[int, int, ShingledDocument, ShingledDocument, list[Alignment]]]
                  ) -> list[list[Passage]]:
        """The passages of each ``(i, j, print_i, print_j, alignments)``, made together."""
        made = passages_of([(self.docs[i], self.docs[j], print_a, print_b, al)
                            for i, j, print_a, print_b, alignments in found for al in alignments])
        ends = np.cumsum([len(alignments) for *_, alignments in found]).tolist()
        return [made[end - len(item[4]):end] for item, end in zip(found, ends)]

    def _alignments(self, i: int, j: int, print_a: ShingledDocument, print_b: ShingledDocument,
                    rewrites: bool) -> list[Alignment]:
        """The two tiers' alignments of documents ``i`` and ``j``, combined."""
        copies = align_pair(print_a, print_b, self.align_options)
        found_rewrites = []
        if self.space is not None and rewrites:
            judge = lone_judge(print_a.layout, self.unit_bounds[i], print_b.layout, self.unit_bounds[j],
                               self.space.statistics.rarity, self.paraphrase_options.lone_probability)
            found = align_sentences(self.space, i, j, self.paraphrase_options, judge)
            found_rewrites = [self._to_alignment(i, j, print_a.layout, print_b.layout, f) for f in found]
            found_rewrites = [r for r in found_rewrites if r is not None]
        return combine(copies, found_rewrites, print_a.layout, print_b.layout, self.align_options.max_gap)

    def _to_alignment(self, i: int, j: int, la: TextLayout, lb: TextLayout,
                      found: SentenceAlignment) -> Alignment | None:
        ta0, ta1 = int(self.unit_bounds[i][found.a_first, 0]), int(self.unit_bounds[i][found.a_last, 1])
        tb0, tb1 = int(self.unit_bounds[j][found.b_first, 0]), int(self.unit_bounds[j][found.b_last, 1])
        if min(ta1 - ta0, tb1 - tb0) < self.paraphrase_options.min_words:
            return None
        share = self.align_options.quote_share
        quoted = la.quoted[ta0:ta1].mean() >= share and lb.quoted[tb0:tb1].mean() >= share
        return Alignment(
            kind="quote" if quoted else "paraphrase",
            score=found.score,
            a_start=int(la.starts[ta0]),
            a_end=int(la.ends[ta1 - 1]),
            b_start=int(lb.starts[tb0]),
            b_end=int(lb.ends[tb1 - 1]),
        )


def prepare(
    docs: list[Document],
    config: ScanConfig,
    repeated_lines: RepeatedLines = RepeatedLines(),
    *,
    statistics: TermStatistics | None = None,
    progress: bool = False,
    helpers: Helpers | None = None,
) -> PreparedCorpus:
    """Analyse, fingerprint and (with the paraphrase tier on) vectorise every document.

    ``statistics`` are the corpus's stem statistics; learned from ``docs`` when not given
    (the Dask engine prepares a few documents at a time with the whole corpus's).
    ``helpers`` analyse the documents in chunks on other cores; the result is the same.
    """
    helpers = helpers or Helpers(1)
    stores: list[PrintStore] = []
    coded: list[CodedUnits] = []
    chunks = chunked(range(len(docs)), helpers.jobs, most=64, least=16)
    with progress_bar(label="prepare", unit="doc", total=len(docs), enabled=progress) as bar:
        for store, units in helpers.map(_prepare_chunk, (docs, config, repeated_lines), chunks):
            stores.append(store)
            if units is not None:
                coded.append(units)
            bar.update(len(store))
    space = SentenceSpace.from_coded(coded, statistics, helpers=helpers) if config.paraphrase else None
    return PreparedCorpus(
        docs=docs,
        prints=StoredPrints([doc.text for doc in docs], stores),
        unit_bounds=[bounds for part in coded for bounds in part.bounds],
        space=space,
        align_options=AlignOptions(min_words=config.min_words, max_gap=config.max_gap),
        paraphrase_options=ParaphraseOptions(min_words=config.min_words),
    )


def _prepare_chunk(shared: tuple[list[Document], ScanConfig, RepeatedLines],
                   indices: range) -> tuple[PrintStore, CodedUnits | None]:
    """A chunk of documents prepared, compact: its prints in a store, its sentence units
    coded (None with the paraphrase tier off)."""
    docs, config, repeated_lines = shared
    hasher = TokenHasher()
    prepared = [prepare_document(docs[k], config, repeated_lines.of(docs[k].id), hasher) for k in indices]
    units = CodedUnits.of([u for _, u in prepared]) if config.paraphrase else None
    return PrintStore([fingerprint for fingerprint, _ in prepared]), units


def prepare_document(
    doc: Document, config: ScanConfig, repeated_lines: Container[str], hasher: TokenHasher
) -> tuple[ShingledDocument, SentenceUnits | None]:
    """One document's token layout and shingles, and its sentence units (None with the
    paraphrase tier off); ``repeated_lines``: the lines learned to be chrome in it
    (:meth:`RepeatedLines.of`)."""
    layout = analyze(doc.text, repeated_lines)
    fingerprint = ShingledDocument(layout, hasher.hash_layout(layout), config.shingle)
    units = SentenceUnits.from_layout(layout, doc.text, ParaphraseOptions().min_content) if config.paraphrase else None
    layout.__dict__.pop("words", None)  # made again if asked for; the aligners need only the hashes
    return fingerprint, units
