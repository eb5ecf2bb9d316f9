"""Typed records that the stages of dedup pass to each other."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Document", "Duplicate", "InputProblem", "Passage", "REASONS", "SentencePair", "Side", "without_surrogates"]

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with U+FFFD for each lone surrogate, which no UTF-8 output can write: how
    Python holds the bytes of a file name that is not valid UTF-8 (``os.fsdecode``), and
    what JSON's ``"\\ud800"`` escapes give.

    >>> import os
    >>> without_surrogates(os.fsdecode(b"bad\\xffcopy.txt")) == "bad\\ufffdcopy.txt", without_surrogates("fine.txt")
    (True, 'fine.txt')
    """
    return text if text.isascii() else _SURROGATE_RE.sub("\ufffd", text)


# What can be wrong with an input, in the words of InputProblem.reason and the report's
# ``input`` section.
REASONS = {
    "unreadable": "the file could not be opened or read",
    "not-a-regular-file": "a FIFO, socket or device met while walking a directory",
    "unsupported-extension": "a file in a directory with an extension dedup does not read",
    "binary": "a text or HTML file holding NUL bytes",
    "invalid-json": "a JSON line or file that does not parse",
    "malformed-csv": "a CSV row or file that does not parse",
    "not-an-object": "a JSON record that is not an object",
    "no-text": "a record without a string in the text field",
    "empty": "a document whose text is empty or only white space",
    "encoding": "not UTF-8: decoded with another encoding or with replacement characters (kept)",
    "duplicate-id": "an id read before: kept under a new id",
    "html-attributes": "an HTML tag with more attributes than dedup reads: cut to the first ones (kept)",
    "warc-not-html": "a crawl's record that holds no HTML page (an image, a redirect, a revisit)",
    "truncated": "a crawl's page whose record is cut short: what it holds is read (kept)",
}

PassageKind = Literal["copy", "paraphrase", "quote"]


@dataclass(frozen=True)
class Document:
    """One text to scan.

    Parameters
    ----------
    id : str
        Unique identifier, used in every report (file path or JSONL ``id``).
    text : str
        The text as read (decoded, before any normalisation). Spans index it.
    meta : dict
        Optional metadata carried to the report: ``url``, ``published``, ``title``,
        ``outlet``, ``source`` (where it was read from).
    """

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Side:
    """One side of a passage: a half-open span ``[start, end)`` of a document's text."""

    doc: str
    start: int
    end: int


@dataclass(frozen=True)
class SentencePair:
    """Two sentences (or parts of sentences) of a passage that read as each other: the
    half-open spans ``[a_start, a_end)`` and ``[b_start, b_end)`` of the passage's two
    documents, and ``score``, the Dice overlap of their words in [0, 1]. A sentence split in
    two on one side is one pair whose span there covers both halves."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float


@dataclass(frozen=True)
class Passage:
    """A reused passage between two documents (or twice inside one).

    ``score`` is the share of the two spans' words that match each other, in [0, 1].
    ``sentences`` are the sentence pairs a ``copy`` or ``paraphrase`` passage is made of, in
    order on both sides (:mod:`dedup.match.sentences`); empty for a ``quote``.
    """

    kind: PassageKind
    score: float
    a: Side
    b: Side
    sentences: tuple[SentencePair, ...] = ()


@dataclass(frozen=True)
class Duplicate:
    """Two near-duplicate documents.

    ``similarity`` is the exact Jaccard similarity of their shingle sets;
    ``containment`` is (|A∩B|/|A|, |A∩B|/|B|).
    """

    documents: tuple[str, str]
    similarity: float
    containment: tuple[float, float]


@dataclass(frozen=True)
class InputProblem:
    """Something in the input that could not be read as it was, and what was done about it.

    ``action`` is ``"skipped"`` (nothing kept), ``"kept"`` (kept with a change, such as a
    renamed id or a fallback encoding). ``reason`` names the kind of problem in a word or
    two (``invalid-json``, ``empty``, ``unreadable``, ...: see ``REASONS``); ``count`` is
    how many documents or files it stands for (several files of an unsupported type are
    one problem).
    """

    source: str
    message: str
    action: Literal["skipped", "kept"]
    line: int | None = None
    reason: str = "unreadable"
    count: int = 1

    def __post_init__(self) -> None:
        # A file name that is not valid UTF-8 (its bytes held as lone surrogates) is written
        # the same in every format: with U+FFFD for what cannot be decoded.
        object.__setattr__(self, "source", without_surrogates(self.source))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"
