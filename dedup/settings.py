"""Every setting of dedup, declared once with its type, default, range and help.

A :class:`Setting` checks a value (one message shape for every caller, after
scikit-learn's parameter constraints) and gives the command line its option and help. The
settings of a scan (:class:`ScanConfig`) and of a persistent index
(:class:`dedup.engines.index.settings.IndexSettings`) are built from these declarations, and
the values derived from them (LSH bands and rows, the shortest run of shingles a passage
holds) are computed in one place, :class:`SettingsModel`.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from numbers import Integral, Real
from typing import Any, ClassVar

from dedup.errors import ParameterError

__all__ = [
    "ALL_PAIRS", "ANCHOR_WINDOW", "BATCH_SIZE", "BLOCKSIZE", "BLOCKSIZES", "BUCKET_CAP", "DOCUMENT_LEVEL", "HUB_PAIRS", "JOBS",
    "MAX_GAP", "MAX_MATCHES", "MAX_SHARED_DOCUMENTS", "MIN_ANCHORS", "MIN_GROUP", "MIN_WORDS", "NUM_PERM", "PARAPHRASE",
    "PASSAGE_THRESHOLD", "REPEATED_LINE_DOCS", "REPEATED_LINE_WORDS", "SEED", "SHINGLE", "ScanConfig", "Setting",
    "SettingsModel", "THRESHOLD", "default_jobs",
]


@dataclass(frozen=True)
class Setting:
    """One setting: name, type, default, allowed range and help text.

    Parameters
    ----------
    name : str
        The keyword of the library (``num_perm``); the option is ``--num-perm``.
    kind : type
        ``int``, ``float`` or ``bool``.
    default : object
        The value when none is given.
    low, high : float, optional
        The range (``high`` None: unbounded above).
    open_low : bool
        Whether ``low`` itself is outside the range.
    help : str
        What it means, for ``--help``.

    Examples
    --------
    >>> NUM_PERM.check(2048, "scan")
    Traceback (most recent call last):
    ...
    dedup.errors.ParameterError: The 'num_perm' parameter of scan must be an int in [16, 1024]. Got 2048 instead.
    """

    name: str
    kind: type
    default: Any
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    help: str = ""

    @property
    def option(self) -> str:
        """The command-line option: ``--num-perm``."""
        return "--" + self.name.replace("_", "-")

    def describe(self) -> str:
        """What a value must be: ``"an int in [16, 1024]"``, ``"a float in (0.0, 1.0]"``."""
        if self.kind is bool:
            return "a bool"
        what = "an int" if self.kind is int else "a float"
        if self.low is None:
            return what
        if self.high is None:
            return f"{what} >= {self.low}"
        return f"{what} in {'(' if self.open_low else '['}{self.low}, {self.high}]"

    def allows(self, value: Any) -> bool:
        """Whether ``value`` is of the setting's type and inside its range."""
        if self.kind is bool:
            return isinstance(value, bool)
        kind = Integral if self.kind is int else Real
        if not isinstance(value, kind) or isinstance(value, bool):
            return False
        if self.low is not None and (value <= self.low if self.open_low else value < self.low):
            return False
        return self.high is None or value <= self.high

    def check(self, value: Any, caller: str) -> None:
        """Raise :class:`~dedup.errors.ParameterError` unless :meth:`allows` ``value``."""
        if not self.allows(value):
            raise ParameterError(f"The {self.name!r} parameter of {caller} must be {self.describe()}. "
                                 f"Got {value!r} instead.", parameter=self.name)


THRESHOLD = Setting("threshold", float, 0.8, 0.0, 1.0, open_low=True,
                    help="Jaccard similarity (0-1] of two documents' word shingles above which they are "
                         "near-duplicates.")
NUM_PERM = Setting("num_perm", int, 128, 16, 1024,
                   help="MinHash permutations (16-1024). More is more accurate and slower.")
SHINGLE = Setting("shingle", int, 5, 1, 16, help="Words per shingle (1-16) of the copy tier. Larger is stricter.")
SEED = Setting("seed", int, 1, 0, help="Seed of the MinHash permutations; the same seed gives the same results.")
MIN_WORDS = Setting("min_words", int, 8, 1, help="Shortest reused passage reported, in words.")
PASSAGE_THRESHOLD = Setting("passage_threshold", float, 0.5, 0.0, 1.0, open_low=True,
                            help="Jaccard similarity that sentence-level LSH is tuned for (candidates only).")
MAX_GAP = Setting("max_gap", int, 12, 0, help="Most unmatched shingles bridged inside one passage.")
MAX_SHARED_DOCUMENTS = Setting("max_shared_documents", int, 50, 2,
                               help="Shingles held by more documents than this make no candidates by exact join.")
REPEATED_LINE_DOCS = Setting("repeated_line_docs", int, 3, 2,
                             help="A short line found in at least this many documents is site chrome.")
REPEATED_LINE_WORDS = Setting("repeated_line_words", int, 8, 1,
                              help="Longest line, in words, that can count as repeated site chrome.")
PARAPHRASE = Setting("paraphrase", bool, True,
                     help="Also find rewritten passages (sentence-level TF-IDF); off: verbatim only, faster.")
MIN_GROUP = Setting("min_group", int, 10, 3,
                    help="Documents carrying one text (a wire story in many outlets) that make a group: each "
                         "member is aligned against the group's representative (the one the others cite, else "
                         "the earliest, else the longest) instead of every other member, and the report lists "
                         "the group. Smaller sets of copies are aligned pair by pair.")
ALL_PAIRS = Setting("all_pairs", bool, False,
                    help="Align every pair of a group's members too (their passages in the report; the cost "
                         "grows with the square of the copies).")
BUCKET_CAP = Setting("bucket_cap", int, 1000, 2,
                     help="An LSH bucket of more documents than this (a template shared by thousands) pairs "
                          "only its first N with each other and the rest with its first: clusters stay whole, "
                          "fewer pairs are listed (reported on stderr and in parameters.capped_buckets).")
ANCHOR_WINDOW = Setting("anchor_window", int, 32, 1, 256,
                        help="Winnowing window of the passage anchors, in grams of two shingles: a passage of at "
                             "least window + 2 x shingle - 1 words copied verbatim is always found. Smaller "
                             "stores more.")
MIN_ANCHORS = Setting("min_anchors", int, 1, 1,
                      help="Shared anchors that make an indexed document a candidate for passage alignment.")
MAX_MATCHES = Setting("max_matches", int, 10, 1, help="Most matches reported per document (the strongest first).")
JOBS = Setting("jobs", int, None, 1, help="Processes that fingerprint (default: one per core).")
BATCH_SIZE = Setting("batch_size", int, 512, 1, help="Documents fingerprinted (or checked) together.")
HUB_PAIRS = Setting("hub_pairs", int, 10_000, 1,
                    help="Dask engine: a document in more candidate pairs than this (the first of a capped "
                         "bucket) has its data sent to every worker once instead of copied into each pair.")
BLOCKSIZE = Setting("blocksize", int, None, 1024, help="Dask engine: bytes of JSONL per part.")
# Dask engine: bytes of JSONL per part by level (parts of the full scan hold their texts and sentence data).
BLOCKSIZES = {"document": 64 * 2**20, "passage": 8 * 2**20}
# The settings of a document-level scan (``dedup scan --level document``).
DOCUMENT_LEVEL = (THRESHOLD, NUM_PERM, SHINGLE, SEED, BUCKET_CAP)


def default_jobs() -> int:
    """The processes a run uses by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class SettingsModel:
    """Validation, conversion and derived values shared by every settings dataclass.

    A subclass is a frozen dataclass whose fields are named after the :class:`Setting`
    objects in its ``SETTINGS``, in that order, with their defaults; ``CALLER`` names it in
    error messages.
    """

    SETTINGS: ClassVar[tuple[Setting, ...]] = ()
    CALLER: ClassVar[str] = "scan"

    def __post_init__(self) -> None:
        for setting in self.SETTINGS:
            setting.check(getattr(self, setting.name), self.CALLER)

    def as_dict(self) -> dict:
        """The settings as a plain dict, in declaration order."""
        return asdict(self)

    @classmethod
    def names(cls) -> list[str]:
        """The names of the settings."""
        return [f.name for f in fields(cls)]

    @classmethod
    def check_names(cls, settings: dict, caller: str, allowed: tuple[Setting, ...] | None = None) -> None:
        """Refuse keywords that are not settings (of ``allowed`` when given); ``caller`` names
        the function in the error."""
        known = [s.name for s in allowed] if allowed is not None else cls.names()
        unknown = sorted(set(settings) - set(known))
        if unknown:
            raise ParameterError(f"Unknown parameter {unknown[0]!r} of {caller}; known: {', '.join(known)}.",
                                 parameter=unknown[0])

    @classmethod
    def from_settings(cls, settings: dict, caller: str, allowed: tuple[Setting, ...] | None = None):
        """Settings from keywords, checked (:meth:`check_names`, then each value's range)."""
        cls.check_names(settings, caller, allowed)
        return cls(**settings)

    @property
    def bands(self) -> tuple[int, int]:
        """``(bands, rows)`` of the document LSH for ``threshold`` and ``num_perm``."""
        from dedup.sketch.lsh import lsh_bands  # numpy: not needed to read settings

        return lsh_bands(self.threshold, self.num_perm)

    @property
    def min_shared_shingles(self) -> int:
        """The fewest consecutive shingles that a passage of ``min_words`` words holds."""
        return max(1, self.min_words - self.shingle + 1)


@dataclass(frozen=True)
class ScanConfig(SettingsModel):
    """Every setting of a scan, with its default (the :class:`Setting` of each name says its
    range and meaning).

    Attributes
    ----------
    threshold : float
        Jaccard similarity of two documents' shingle sets above which they are
        near-duplicates, in (0, 1].
    num_perm : int
        MinHash permutations (signature length), in [16, 1024].
    shingle : int
        Words per shingle, in [1, 16].
    seed : int
        Seed of the MinHash permutations, at least 0.
    min_words : int
        Shortest reused passage reported, in words, at least 1.
    passage_threshold : float
        Jaccard similarity that sentence-level LSH is tuned for when looking for reused
        passages, in (0, 1]; lower finds more candidates (all are verified).
    max_gap : int
        Most unmatched shingles bridged inside one passage, at least 0.
    max_shared_documents : int
        Shingles held by more documents than this do not make passage candidates by exact
        join (LSH still finds text shared that widely), at least 2.
    repeated_line_docs : int
        A short line found in at least this many documents is site chrome, at least 2.
    repeated_line_words : int
        Longest line (in words) that can count as repeated site chrome, at least 1.
    paraphrase : bool
        Run the paraphrase tier (rewritten passages, found by sentence similarity).
    bucket_cap : int
        An LSH bucket of more documents than this (a template shared by thousands) pairs
        only its first ``bucket_cap`` with each other and the rest with its first, at least
        2; the report lists such buckets in ``parameters["capped_buckets"]``.
    min_group : int
        Fewest documents carrying one text that make a group (aligned against its
        representative, listed in the report's ``groups``), at least 3.
    all_pairs : bool
        Also align every pair of a group's members.
    """

    SETTINGS: ClassVar[tuple[Setting, ...]] = (
        THRESHOLD, NUM_PERM, SHINGLE, SEED, MIN_WORDS, PASSAGE_THRESHOLD, MAX_GAP, MAX_SHARED_DOCUMENTS,
        REPEATED_LINE_DOCS, REPEATED_LINE_WORDS, PARAPHRASE, BUCKET_CAP, MIN_GROUP, ALL_PAIRS)

    threshold: float = THRESHOLD.default
    num_perm: int = NUM_PERM.default
    shingle: int = SHINGLE.default
    seed: int = SEED.default
    min_words: int = MIN_WORDS.default
    passage_threshold: float = PASSAGE_THRESHOLD.default
    max_gap: int = MAX_GAP.default
    max_shared_documents: int = MAX_SHARED_DOCUMENTS.default
    repeated_line_docs: int = REPEATED_LINE_DOCS.default
    repeated_line_words: int = REPEATED_LINE_WORDS.default
    paraphrase: bool = PARAPHRASE.default
    bucket_cap: int = BUCKET_CAP.default
    min_group: int = MIN_GROUP.default
    all_pairs: bool = ALL_PAIRS.default

    @property
    def passage_bands(self) -> tuple[int, int]:
        """``(bands, rows)`` of the sentence-unit LSH for ``passage_threshold``."""
        from dedup.sketch.lsh import lsh_bands

        return lsh_bands(self.passage_threshold, self.num_perm)

    def document_parameters(self) -> dict:
        """The report's ``parameters`` of a document-level scan (before any capped buckets)."""
        return {**{s.name: getattr(self, s.name) for s in DOCUMENT_LEVEL}, "level": "document"}
