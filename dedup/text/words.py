"""The matching words of many texts at once, as byte runs of one buffer: what the sketches
(shingles, MinHash) read, with chrome flags and no character offsets.

The words are those of :func:`dedup.text.layout.analyze` (matching view, NFKC, case
folding), cut by numpy where the text allows: over one buffer for texts whose words are all
ASCII, over the code points for other texts without joiners or spaceless scripts, and by
the token regular expression for the rest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from dedup.text.evasion import drop_ignorable, matching_view
from dedup.text.layout import (
    TOKEN_PART_RE,
    TOKEN_RE,
    WORD_BYTES,
    ascii_view,
    ascii_word_bounds,
    inside_spans,
    is_chrome_line,
    line_spans,
    load_boilerplate_patterns,
)

__all__ = ["WordRuns", "matching_word_runs", "matching_words"]


def matching_words(text: str, patterns: re.Pattern[str] | None = None) -> tuple[list[str], np.ndarray]:
    """The normalised words of ``text`` and which of them are site chrome, without offsets.

    The same words and chrome flags as ``analyze(text)`` (with no repeated lines), computed
    line by line and several times faster; :func:`matching_word_runs` uses it for texts
    that are not ASCII.

    Examples
    --------
    >>> words, chrome = matching_words("Leave a comment\\nThe U.S. said NO.")
    >>> words, chrome.tolist()
    (['leave', 'a', 'comment', 'the', 'u', 's', 'said', 'no'], [True, True, True, False, False, False, False, False])
    """
    joined, chrome = _joined_matching_words(text, patterns)
    return (joined.split("\x00") if len(chrome) else []), chrome


def _joined_matching_words(text: str, patterns: re.Pattern[str] | None = None) -> tuple[str, np.ndarray]:
    """The matching words of ``text`` joined by NUL characters, and their chrome flags.

    The words are normalised all at once: NUL is a character that no normalisation changes
    or composes with, and case folding looks at one character at a time, so normalising
    the joined words gives the normalised words, joined.
    """
    patterns = patterns or load_boilerplate_patterns()
    lines = line_spans(text)
    chrome_lines = [is_chrome_line(text[start:end], patterns) for start, end in lines]
    view = matching_view(text)
    if TOKEN_PART_RE.search(view) is None:
        # No joiner and no spaceless script: the words are the runs of word characters.
        joined, starts = _word_character_runs(view)
        line_of = np.searchsorted(np.array([start for start, _ in lines], dtype=np.int64), starts, side="right") - 1
        flags = np.asarray(chrome_lines, dtype=bool)[line_of] if len(starts) else np.zeros(0, dtype=bool)
    else:
        # Runs of lines with the same chrome flag are tokenised at once (tokens never cross lines).
        runs: list[list] = []
        for (start, end), chrome in zip(lines, chrome_lines):
            if runs and runs[-1][2] == chrome:
                runs[-1][1] = end
            else:
                runs.append([start, end, chrome])
        words: list[str] = []
        listed: list[bool] = []
        for start, end, chrome in runs:
            run_words = TOKEN_RE.findall(view, start, end)
            words.extend(run_words)
            listed.extend([chrome] * len(run_words))
        joined, flags = "\x00".join(words), np.asarray(listed, dtype=bool)
    joined = drop_ignorable(joined)
    # NFKC is the identity and casefold is lower() on ASCII.
    joined = joined.lower() if joined.isascii() else unicodedata.normalize("NFKC", joined).casefold()
    return joined, flags


def _word_character_runs(view: str) -> tuple[str, np.ndarray]:
    """The runs of word characters (what ``\\w`` matches: ``isalnum()`` or ``_``) of
    ``view`` joined by NUL characters, and the offset where each starts: what
    ``"\\x00".join(re.findall(r"\\w+", view))`` gives, cut by numpy over the code points
    (a regular expression makes a string per word, several times slower on text that is
    not ASCII)."""
    word = WORD_BYTES[np.frombuffer(view.encode("ascii", "replace"), dtype=np.uint8)].view(bool)
    points = np.frombuffer(view.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    wide = np.flatnonzero(points >= 128)  # few: the ASCII table gave them "?", not a word character
    if len(wide):
        word[wide] = [view[at].isalnum() for at in wide.tolist()]
    after_word = np.concatenate(([False], word[:-1]))
    starts = np.flatnonzero(word & ~after_word)
    # Each word's characters and the character after it, as a NUL; the last word's dropped.
    joined = np.where(word, points, 0)[word | after_word]
    if len(joined) and not word[-1]:
        joined = joined[:-1]
    return joined.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass"), starts


@dataclass(frozen=True)
class WordRuns:
    """The matching words of many texts as byte runs of one buffer (no character offsets).

    Attributes
    ----------
    data : numpy.ndarray of uint8
        The buffer: lower-cased ASCII texts and the UTF-8 bytes of other texts' words.
    starts, ends : numpy.ndarray of int64
        Half-open bounds of each word in ``data``, text after text, in text order.
    counts : numpy.ndarray of int64
        Words per text.
    chrome : numpy.ndarray of bool
        True for each word inside site chrome.
    """

    data: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    counts: np.ndarray
    chrome: np.ndarray




def matching_word_runs(texts: list[str], patterns: re.Pattern[str] | None = None) -> WordRuns:
    """The words and chrome flags of ``analyze`` (with no repeated lines), for many texts at once.

    Texts whose words are all ASCII (most news in English, curly quotes and dashes
    included: see :func:`ascii_view`) are cut into words by numpy over one buffer, with no
    Python string per word; other texts go through :func:`matching_words`. The words
    are the same either way: the bytes of ``analyze(text).words``.

    Examples
    --------
    >>> runs = matching_word_runs(["Leave a comment\\nThe U.S. said NO.", "Ça va"])
    >>> [bytes(runs.data[s:e]).decode() for s, e in zip(runs.starts, runs.ends)]
    ['leave', 'a', 'comment', 'the', 'u', 's', 'said', 'no', 'ça', 'va']
    >>> runs.counts.tolist(), runs.chrome.tolist()[:4]
    ([8, 2], [True, True, True, False])
    """
    patterns = patterns or load_boilerplate_patterns()
    views = [ascii_view(text) for text in texts]
    plain = [k for k, view in enumerate(views) if view is not None]
    # Texts with ASCII words only, one line apart (words never cross a line), then the
    # other texts' words.
    joined = b"\n".join(views[k] for k in plain).lower()
    plain_starts, plain_ends = ascii_word_bounds(joined)
    offsets = np.cumsum([0] + [len(texts[k]) + 1 for k in plain])
    chrome_spans = [(offsets[n] + s, offsets[n] + e) for n, k in enumerate(plain)
                    for s, e in line_spans(texts[k]) if is_chrome_line(texts[k][s:e], patterns)]
    plain_chrome = inside_spans(plain_starts, plain_ends, chrome_spans)
    cuts = np.searchsorted(plain_starts, offsets)
    pieces, per_text, position = [joined], {}, len(joined)
    for n, k in enumerate(plain):
        per_text[k] = (plain_starts[cuts[n] : cuts[n + 1]], plain_ends[cuts[n] : cuts[n + 1]],
                       plain_chrome[cuts[n] : cuts[n + 1]])
    for k, text in enumerate(texts):
        if k in per_text:
            continue
        joined, chrome = _joined_matching_words(text, patterns)
        encoded = joined.encode("utf-8")
        breaks = np.flatnonzero(np.frombuffer(encoded, dtype=np.uint8) == 0)  # one NUL between words
        if len(chrome):
            per_text[k] = (position + np.concatenate(([0], breaks + 1)),
                           position + np.concatenate((breaks, [len(encoded)])), chrome)
        else:
            per_text[k] = (np.empty(0, np.int64), np.empty(0, np.int64), chrome)
        pieces.append(encoded)
        position += len(encoded)
    ordered = [per_text[k] for k in range(len(texts))]
    return WordRuns(
        data=np.frombuffer(b"".join(pieces), dtype=np.uint8),
        starts=np.concatenate([np.empty(0, np.int64)] + [s for s, _, _ in ordered]).astype(np.int64),
        ends=np.concatenate([np.empty(0, np.int64)] + [e for _, e, _ in ordered]).astype(np.int64),
        counts=np.array([len(s) for s, _, _ in ordered], dtype=np.int64),
        chrome=np.concatenate([np.empty(0, bool)] + [c for _, _, c in ordered]).astype(bool),
    )
