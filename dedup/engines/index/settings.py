"""The parameters of a persistent index: chosen at creation, stored inside it, checked on open."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import ClassVar

from dedup.errors import ParameterError
from dedup.settings import (
    ANCHOR_WINDOW,
    MAX_GAP,
    MAX_MATCHES,
    MIN_ANCHORS,
    MIN_WORDS,
    NUM_PERM,
    PARAPHRASE,
    SEED,
    SHINGLE,
    THRESHOLD,
    ScanConfig,
    Setting,
    SettingsModel,
)

__all__ = ["IndexSettings", "SCHEMA_VERSION"]

SCHEMA_VERSION = 3


@dataclass(frozen=True)
class IndexSettings(SettingsModel):
    """Every parameter of an index, with its default.

    The fingerprint settings (``num_perm``, ``seed``, ``shingle``, ``threshold``,
    ``anchor_window``) decide what is stored, so an index can only be opened with the
    values it was created with.

    Attributes
    ----------
    threshold : float
        Jaccard similarity of two documents' shingle sets above which the incoming one is
        a ``duplicate``, in (0, 1]; also what the document LSH is tuned for.
    num_perm : int
        MinHash permutations, in [16, 1024].
    shingle : int
        Words per shingle, in [1, 16].
    seed : int
        Seed of the MinHash permutations, at least 0.
    min_words : int
        Shortest reused passage reported, in words, at least 1.
    max_gap : int
        Most unmatched shingles bridged inside one passage, at least 0.
    anchor_window : int
        Winnowing window of the passage anchors, in grams of ``2 * shingle`` words, in
        [1, 256]: any passage of at least ``anchor_window + 2 * shingle - 1`` words shared
        verbatim shares an anchor.
        Smaller finds shorter passages and stores more.
    min_anchors : int
        Shared anchors that make a document a candidate for passage alignment, at least 1.
    max_matches : int
        Most matches reported per document (the strongest first), at least 1.
    paraphrase : bool
        Keep the rewrite tier (sentence stems and their counts,
        :mod:`dedup.engines.index.rewrites`), so that a rewritten article is found among
        the indexed ones. Chosen at creation; an index made before there was a rewrite
        tier has it off.
    """

    SETTINGS: ClassVar[tuple[Setting, ...]] = (THRESHOLD, NUM_PERM, SHINGLE, SEED, MIN_WORDS, MAX_GAP, ANCHOR_WINDOW,
                                               MIN_ANCHORS, MAX_MATCHES, PARAPHRASE)
    CALLER: ClassVar[str] = "index"

    threshold: float = THRESHOLD.default
    num_perm: int = NUM_PERM.default
    shingle: int = SHINGLE.default
    seed: int = SEED.default
    min_words: int = MIN_WORDS.default
    max_gap: int = MAX_GAP.default
    anchor_window: int = ANCHOR_WINDOW.default
    min_anchors: int = MIN_ANCHORS.default
    max_matches: int = MAX_MATCHES.default
    paraphrase: bool = PARAPHRASE.default

    def stored(self) -> dict:
        """What is written into the index: the parameters and the schema version."""
        return {"schema": SCHEMA_VERSION, **asdict(self)}

    @classmethod
    def from_stored(cls, text: str, where: str) -> IndexSettings:
        """Settings read back from an index; ``where`` names it in errors."""
        try:
            stored = json.loads(text)
            schema = stored.pop("schema")
        except (ValueError, KeyError, AttributeError) as error:
            raise ParameterError(f"{where}: the stored index parameters cannot be read ({error}).") from error
        if schema != SCHEMA_VERSION:
            raise ParameterError(
                f"{where}: index schema version {schema}, this dedup reads version {SCHEMA_VERSION}; "
                "rebuild the index with this version."
            )
        stored.setdefault("paraphrase", False)  # made before the rewrite tier: it holds no stems
        return cls(**{k: v for k, v in stored.items() if k in cls.names()})

    def scan_config(self) -> ScanConfig:
        """The scan settings that align a pair as the index does (the rewrite tier's)."""
        return ScanConfig(threshold=self.threshold, num_perm=self.num_perm, shingle=self.shingle, seed=self.seed,
                          min_words=self.min_words, max_gap=self.max_gap, paraphrase=True)

    def merged(self, given: dict, where: str) -> IndexSettings:
        """These (stored) settings with ``given`` applied where allowed.

        ``max_matches`` and ``min_anchors`` only change answers and may differ per run;
        any other given value that differs from the stored one is an error.
        """
        self.check_names(given, "index")
        for name, value in given.items():
            if name not in _PER_RUN and value != getattr(self, name):
                raise ParameterError(
                    f"{where} was created with {name}={getattr(self, name)!r}, not {value!r}: open it "
                    f"without that parameter, or create a new index to use {name}={value!r}.",
                    parameter=name,
                )
        return IndexSettings(**{**asdict(self), **{k: v for k, v in given.items() if k in _PER_RUN}})


_PER_RUN = frozenset({"max_matches", "min_anchors"})
