"""Undoing disguises before matching, without moving a character.

A copier can hide a copy from word matching while it still reads the same: Cyrillic and
Greek letters that look like Latin ones (``pаypal`` with a Cyrillic ``а``), zero-width and
other invisible characters or soft hyphens inside words, HTML entities left in the text
(``don&#39;t``), decomposed accents. :func:`matching_view` returns a text of the same
length in which these are undone as far as matching needs, so that every token found in
the view has the offsets of the original characters it came from:

- look-alikes become the Latin letter they imitate, one character for one, from the
  Unicode confusables data (UTS #39, through the ``confusable-homoglyphs`` package);
- an HTML entity becomes the character it stands for followed by zero-width spaces to
  its length;
- invisible characters stay, and :data:`JOINERS` (with combining marks) join the word
  characters on both sides into one token; :func:`drop_ignorable` removes them from a
  token's matching form.

Fullwidth forms, ligatures and composed accents are NFKC's work, done per token
(``normalize_token`` in ``dedup.text``); quotes, dashes and spaces never were part of a
token.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from string import ascii_letters

__all__ = ["IGNORABLE", "JOINERS", "drop_ignorable", "matching_view"]

# Invisible characters: soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul
# fillers, Khmer vowel inherents, Mongolian selectors, zero-width spaces and joiners,
# direction marks and embeddings, word joiner and invisible operators, variation selectors,
# the byte order mark.
IGNORABLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
             "\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff")
# What may sit inside a word: the invisible characters and combining marks.
JOINERS = IGNORABLE + "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_IGNORABLE_RE = re.compile(f"[{IGNORABLE}]")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_FILLER = "\u200b"
_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")
# The Unicode blocks of those scripts (Greek, Cyrillic and its supplements, Armenian,
# Cherokee, Phonetic Extensions, Greek Extended, Coptic, Cyrillic Extended-A and -B); a test
# checks that they hold every letter of the table.
_SCRIPTS_RE = re.compile("[\u0370-\u058f\u13a0-\u13ff\u1c80-\u1c8f\u1d00-\u1d7f\u1f00-\u1fff\u2c80-\u2cff"
                         "\u2de0-\u2dff"
                         "\ua640-\ua69f\uab70-\uabbf]")


def matching_view(text: str) -> str:
    """``text`` with look-alike letters and HTML entities undone, of the same length.

    >>> matching_view("Тhе pаypal&#39;s").replace("\u200b", "+")  # Cyrillic Т, е, а
    "The paypal'++++s"
    >>> len(matching_view("caf&eacute;")) == len("caf&eacute;")
    True
    """
    if not text.isascii() and _SCRIPTS_RE.search(text):  # the table loads only for texts that may need it
        table, sources = _homoglyphs()
        if sources.search(text):
            text = text.translate(table)
    if "&" in text:
        text = _ENTITY_RE.sub(_entity, text)
    return text


def drop_ignorable(token: str) -> str:
    """``token`` without its invisible characters."""
    return _IGNORABLE_RE.sub("", token) if not token.isascii() else token


def _entity(match: re.Match[str]) -> str:
    entity = match.group()
    decoded = html.unescape(entity)
    if len(decoded) != 1 or decoded == entity:
        return entity
    return decoded + _FILLER * (len(entity) - 1)


@lru_cache(maxsize=1)
def _homoglyphs() -> tuple[dict[int, str], re.Pattern[str]]:
    """The translation table of letters of other scripts that the Unicode confusables data
    gives as look-alikes of one ASCII letter, and a pattern finding any of them."""
    from confusable_homoglyphs import categories, confusables

    table: dict[int, str] = {}
    for character, homoglyphs in sorted(confusables.confusables_data.items()):
        if len(character) != 1 or not character.isalpha() or categories.alias(character) not in _SCRIPTS:
            continue
        latin = sorted(h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"] in ascii_letters)
        if latin:
            # The data gives "l" as the look-alike of every capital I; a capital imitates "I".
            table[ord(character)] = "I" if latin[0] == "l" and character.isupper() else latin[0]
    sources = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]")
    return table, sources
