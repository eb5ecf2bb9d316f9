"""Settings of a scan, validated in one place."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from numbers import Integral, Real

from .errors import ParameterError

__all__ = ["ScanConfig"]


@dataclass(frozen=True)
class ScanConfig:
    """Every setting of a scan, with its default.

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
    """

    threshold: float = 0.8
    num_perm: int = 128
    shingle: int = 5
    seed: int = 1
    min_words: int = 8
    passage_threshold: float = 0.5
    max_gap: int = 12
    max_shared_documents: int = 50
    repeated_line_docs: int = 3
    repeated_line_words: int = 8
    paraphrase: bool = True
    bucket_cap: int = 1000

    def __post_init__(self) -> None:
        for name, kind, low, high, open_low in _RULES:
            check_setting(name, getattr(self, name), kind, low, high, open_low)

    def as_dict(self) -> dict:
        """The settings as a plain dict, in declaration order."""
        return asdict(self)

    @classmethod
    def from_settings(cls, settings: dict, caller: str = "scan") -> ScanConfig:
        """A config from keyword settings, refusing names that are not settings."""
        unknown = sorted(set(settings) - set(cls.names()))
        if unknown:
            raise ParameterError(f"Unknown parameter {unknown[0]!r} of {caller}; known: {', '.join(cls.names())}.")
        return cls(**settings)

    @classmethod
    def names(cls) -> list[str]:
        """The names of the settings."""
        return [f.name for f in fields(cls)]


# name, type, low, high (None: unbounded), low end open
_RULES = [
    ("threshold", "float", 0.0, 1.0, True),
    ("num_perm", "int", 16, 1024, False),
    ("shingle", "int", 1, 16, False),
    ("seed", "int", 0, None, False),
    ("min_words", "int", 1, None, False),
    ("passage_threshold", "float", 0.0, 1.0, True),
    ("max_gap", "int", 0, None, False),
    ("max_shared_documents", "int", 2, None, False),
    ("repeated_line_docs", "int", 2, None, False),
    ("repeated_line_words", "int", 1, None, False),
    ("paraphrase", "bool", None, None, False),
    ("bucket_cap", "int", 2, None, False),
]


def check_setting(name: str, value, kind: str, low, high, open_low: bool, caller: str = "scan") -> None:
    """Raise :class:`ParameterError` unless ``value`` is of ``kind`` and within its bounds."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise ParameterError(
                f"The {name!r} parameter of {caller} must be a bool. Got {value!r} instead.", parameter=name
            )
        return
    if kind == "int":
        ok_type = isinstance(value, Integral) and not isinstance(value, bool)
        what = "an int"
    else:
        ok_type = isinstance(value, Real) and not isinstance(value, bool)
        what = "a float"
    if high is None:
        where = f" >= {low}"
        in_range = ok_type and value >= low
    else:
        where = f" in {'(' if open_low else '['}{low}, {high}]"
        in_range = ok_type and (value > low if open_low else value >= low) and value <= high
    if not in_range:
        raise ParameterError(
            f"The {name!r} parameter of {caller} must be {what}{where}. Got {value!r} instead.", parameter=name
        )
