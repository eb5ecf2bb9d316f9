"""Sentence units: the sentences of a document (short ones joined to the next, headings left
out) as token ranges with their Snowball stems.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import Stemmer

from dedup.text.layout import TextLayout

__all__ = ["SentenceUnits", "stem", "stem_words", "stop_words"]

_STEMMER = Stemmer.Stemmer("english", 0)  # no cache of its own: stem_words keeps one


# Longest line (in words) without closing punctuation that is a heading, not a sentence.
_HEADING_WORDS = 20


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The English stop words of the paraphrase tier's Dice overlap (318: scikit-learn's
    list, read from ``dedup/data/stop_words_en.txt``), loaded once per process."""
    text = resources.files("dedup").joinpath("data/stop_words_en.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a normalised word (PyStemmer, the C implementation).

    >>> stem("strikes"), stem("striking")
    ('strike', 'strike')
    """
    return stem_words([word])[0]


def stem_words(words: list[str]) -> list[str]:
    """:func:`stem` of each of ``words``. Stems are kept once found (a corpus uses the same
    few hundred thousand words over and over): a dictionary lookup costs a fraction of
    stemming again, or of the stemmer's own cache.

    >>> stem_words(["strikes", "lasted"])
    ['strike', 'last']
    """
    if len(_STEMS) > _MOST_STEMS:
        _STEMS.clear()
    found = list(map(_STEMS.get, words))  # the lookups in one C loop; the new words after
    if None in found:
        for at, stemmed in enumerate(found):
            if stemmed is None:  # a new word, or one stemmed earlier in this list
                word = words[at]
                stemmed = _STEMS.get(word)
                if stemmed is None:
                    stemmed = _STEMS[word] = _STEMMER.stemWord(word)
                found[at] = stemmed
    return found


# Stems found so far in this process, by word, and how many are kept at most.
_STEMS: dict[str, str] = {}
_MOST_STEMS = 500_000


@dataclass(frozen=True)
class SentenceUnits:
    """The sentences of one document as token ranges, with their stems.

    Attributes
    ----------
    bounds : numpy.ndarray of int, shape (n, 2)
        Token ranges ``[first, last)`` of the units.
    terms : list of list of str
        Stems of every non-boilerplate word of each unit (stop words included: the
        inverse frequencies weigh them down).
    content : list of frozenset of str
        Stems of each unit's content words (stop words removed), for the Dice overlap.
    """

    bounds: np.ndarray
    terms: list[list[str]]
    content: list[frozenset[str]]

    @classmethod
    def from_layout(cls, layout: TextLayout, text: str, min_content: int = 4) -> SentenceUnits:
        """Units from a text layout: its sentences, short ones joined to the next.

        Headings (a whole line of at most 20 words that does not end like a sentence) are
        left out: a headline names the story's topic, and topic similarity is not reuse.
        """
        bounds, terms, content = [], [], []
        pending_first, pending_terms, pending_content = None, [], set()
        stopped = stop_words()
        line_ranges = {tuple(r) for r in layout.lines.tolist()}
        words = layout.words
        stems = stem_words(words)
        content_stems = [None if w in stopped else s for w, s in zip(words, stems)]  # None: a stop word
        boilerplate = layout.boilerplate if layout.boilerplate.any() else None
        for first, last in layout.sentences.tolist():
            if (first, last) in line_ranges and _is_heading(text, layout, first, last):
                continue
            if pending_first is None:
                pending_first = first
            if boilerplate is None:
                pending_terms.extend(stems[first:last])
                pending_content.update(content_stems[first:last])
            else:
                kept = (np.flatnonzero(~boilerplate[first:last]) + first).tolist()
                pending_terms.extend(stems[k] for k in kept)
                pending_content.update(content_stems[k] for k in kept)
            pending_content.discard(None)
            if len(pending_content) >= min_content:
                bounds.append((pending_first, last))
                terms.append(pending_terms)
                content.append(frozenset(pending_content))
                pending_first, pending_terms, pending_content = None, [], set()
        if pending_first is not None and pending_terms:
            if bounds:  # a short tail joins the unit before it
                bounds[-1] = (bounds[-1][0], int(layout.sentences[-1, 1]))
                terms[-1] = terms[-1] + pending_terms
                content[-1] = content[-1] | pending_content
            else:
                bounds.append((pending_first, int(layout.sentences[-1, 1])))
                terms.append(pending_terms)
                content.append(frozenset(pending_content))
        return cls(np.asarray(bounds, dtype=np.int64).reshape(-1, 2), terms, content)

    def __len__(self) -> int:
        return len(self.terms)


def _is_heading(text: str, layout: TextLayout, first: int, last: int) -> bool:
    end = int(layout.ends[last - 1])
    tail = text[end : end + 3].split("\n", 1)[0]
    return last - first <= _HEADING_WORDS and not any(mark in tail for mark in ".!?")
