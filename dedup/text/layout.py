"""Text handling for matching: normalisation, tokens and segments with offsets, boilerplate.

Every function here keeps character offsets into the text as read: matching works on
normalised token strings, but each token, sentence and region still knows where it sits in
the original text, so reported spans slice the original text exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from dedup.text.evasion import JOINERS, drop_ignorable, matching_view
from dedup.userdata import DataFiles, boilerplate_text, current_data_files

__all__ = [
    "REPEATED_TEXT_SHARE", "SPACELESS", "TOKEN_PART_RE", "TOKEN_RE", "WORD_BYTES", "TextLayout", "analyze",
    "ascii_view", "ascii_word_bounds", "boilerplate_lines", "guess_title", "inside_spans", "is_chrome_line",
    "line_spans", "load_boilerplate_patterns", "normalize", "normalize_token", "quoted_spans", "sentence_spans",
    "token_bounds", "tokenize", "wrapped_lines",
]

# Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer,
# Myanmar): each character is a token of its own, so their texts shingle by characters.
SPACELESS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
             "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f")
# A word: a character of those scripts, or word characters joined across invisible
# characters and combining marks.
TOKEN_RE = re.compile(rf"[{SPACELESS}]|[^\W{SPACELESS}]+(?:[{JOINERS}]+[^\W{SPACELESS}]*)*")
# Characters that are not word characters and still belong to a token: joiners, and the
# marks of the scripts above. A text holding one among ASCII words takes the general path.
TOKEN_PART_RE = re.compile(f"[{JOINERS}{SPACELESS}]")
_NON_WORD_RE = re.compile(r"[\W_]+")
# A sentence ends at . ! ? or … (with closing quotes or brackets after it), before
# whitespace and a character that can open a sentence.
_SPACES_RE = re.compile(r"\s*")  # \s is what str.isspace() calls space
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?(\w))|[。！？]+[」』）〕”’]*")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr adm gov sen rep pres sec "
    "jan feb mar apr jun jul aug sep sept oct nov dec no vs etc inc ltd co corp "
    "dept est fig vol approx e.g i.e a.m p.m".split()
)
_QUOTE_PAIRS = {"“": "”", "„": "“", "«": "»", '"': '"'}
_QUOTE_OPEN_RE = re.compile("|".join(map(re.escape, _QUOTE_PAIRS)))
_EMBED_CREDIT_RE = re.compile(r"^\s*[—–-]{1,2}\s*\S.{0,80}\(@\w{1,30}\)\s+\w+\s+\d{1,2},\s+\d{4}\s*$")
_EMBED_LINK_RE = re.compile(r"pic\.twitter\.com/\w+|twitter\.com/\w+/status/\d+|x\.com/\w+/status/\d+")
_MARKUP_RE = re.compile(r"</?[a-zA-Z][\w-]*[\s>/]|\b[\w-]+=\"|\"\s*/?>")
_BREADCRUMB_SEPARATORS = ("»", "›", " > ", " / ", " | ")
WORD_BYTES = np.zeros(256, dtype=np.int8)  # what \w matches among ASCII characters
WORD_BYTES[[ord(c) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"]] = 1


def normalize_token(token: str) -> str:
    """Return the matching form of one word token (of a text's ``matching_view``): without
    invisible characters, NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", drop_ignorable(token)).casefold()


def normalize(text: str) -> str:
    """Return ``text`` in its matching form.

    NFKC, case folding, punctuation and symbols replaced by spaces, runs of whitespace
    collapsed. Idempotent: ``normalize(normalize(s)) == normalize(s)``.

    Examples
    --------
    >>> normalize("The U.S.  said: “No!”")
    'the u s said no'
    """
    folded = unicodedata.normalize("NFKC", drop_ignorable(matching_view(text))).casefold()
    # Folding can produce new composable sequences; normalising again makes it stable.
    folded = unicodedata.normalize("NFKC", folded)
    return " ".join(_NON_WORD_RE.sub(" ", folded).split())


@dataclass(frozen=True)
class TextLayout:
    """Tokens of one text with their offsets and flags.

    Attributes
    ----------
    text : str
        The text as read.
    words : list of str
        Normalised tokens, in text order (made from ``text`` when first asked for: the
        aligner needs only their hashes).
    starts, ends : numpy.ndarray
        Character offsets of each token in the original text (half-open).
    boilerplate : numpy.ndarray of bool
        True for tokens inside site chrome; such tokens are never reuse evidence.
    quoted : numpy.ndarray of bool
        True for tokens inside quotation marks or an embedded social-media statement.
    sentences : numpy.ndarray of int, shape (n, 2)
        Token index ranges ``[first, last)`` of the sentences, boilerplate excluded.
    lines : numpy.ndarray of int, shape (n, 2)
        Token index ranges ``[first, last)`` of the non-blank lines (paragraphs).
    sentence_starts : numpy.ndarray of bool
        True for each token that begins a sentence or a line.
    chrome : numpy.ndarray of int, shape (n, 2)
        Character spans ``[start, end)`` of the lines that are site chrome
        (:func:`boilerplate_lines`), which the report lists.
    """

    text: str
    starts: np.ndarray
    ends: np.ndarray
    boilerplate: np.ndarray
    quoted: np.ndarray
    sentences: np.ndarray
    lines: np.ndarray
    sentence_starts: np.ndarray
    chrome: np.ndarray

    @cached_property
    def words(self) -> list[str]:
        return _token_words(self.text, self.starts, self.ends)

    def __len__(self) -> int:
        return len(self.starts)


def tokenize(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Split ``text`` into normalised word tokens with their character offsets.

    Returns
    -------
    words : list of str
    starts, ends : numpy.ndarray of int64
    """
    starts, ends = token_bounds(text)
    return _token_words(text, starts, ends), starts, ends


def ascii_view(text: str) -> bytes | None:
    """``text``'s :func:`~dedup.evasion.matching_view` as one ASCII byte per character when
    all its word characters are ASCII (other characters become ``?``, which is not a word
    character), else None (also when a character that joins words, invisible or combining,
    sits among them).

    Most news text qualifies even when it is not ASCII: curly quotes, dashes and no-break
    spaces are not word characters. Its tokens are then the ASCII word runs of these bytes,
    at the same offsets, and their matching form is their lower case (NFKC and case
    folding change no ASCII word), so the fast paths below apply.

    >>> ascii_view("“Où?” — he said"), ascii_view("“No,” he said"), ascii_view("Nо")  # Cyrillic о
    (None, b'?No,? he said', b'No')
    """
    return _ascii_bytes(matching_view(text))


def _ascii_bytes(view: str) -> bytes | None:
    if view.isascii():
        return view.encode("ascii")
    data = view.encode("ascii", "replace")
    marks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 63)  # "?": replaced, or a "?" of the text
    # \w is isalnum() or "_"; a joiner would make one word of the runs on both sides.
    if any(view[at].isalnum() or TOKEN_PART_RE.match(view[at]) for at in marks.tolist()):
        return None
    return data


def token_bounds(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Half-open character offsets (int64) of the word tokens of ``text`` (found in its
    matching view: look-alike letters, entities and invisible characters undone)."""
    view = matching_view(text)
    data = _ascii_bytes(view)
    if data is not None:
        return ascii_word_bounds(data)
    bounds = [match.span() for match in TOKEN_RE.finditer(view)]
    array = np.array(bounds, dtype=np.int64).reshape(-1, 2)
    return array[:, 0].copy(), array[:, 1].copy()


def _token_words(text: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    view = matching_view(text)
    data = _ascii_bytes(view)
    if data is not None:  # NFKC is the identity and casefold is lower() on ASCII words
        lowered = data.decode("ascii").lower()
        return [lowered[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    return [normalize_token(view[s:e]) for s, e in zip(starts.tolist(), ends.tolist())]


def ascii_word_bounds(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Half-open bounds of the runs of word characters (what \\w matches) in ASCII bytes."""
    edges = np.diff(WORD_BYTES[np.frombuffer(data, dtype=np.uint8)], prepend=np.int8(0), append=np.int8(0))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def line_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` spans of the non-blank lines of ``text``, stripped."""
    return list(_iter_line_spans(text))


def _iter_line_spans(text: str) -> Iterator[tuple[int, int]]:
    at = 0  # str.split finds the breaks many times faster than a regular expression
    for line in (text.replace("\r", "\n") if "\r" in text else text).split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield at + lead, at + lead + len(stripped)
        at += len(line) + 1


# A line runs on into the next when it ends in a comma or semicolon, or in a hyphen after a
# letter (a word broken across lines), or when the next starts in lower case and this one does
# not end a sentence.
_RUNS_ON = (",", ";")
_ENDS_SENTENCE = (".", "!", "?", ":", "…", "»", "”", '"', ")")
# Lines that run on into each other are running text when they hold this many words together.
_WRAPPED_WORDS = 16


def wrapped_lines(text: str, lines: list[tuple[int, int]] | None = None) -> list[bool]:
    """Per line of ``text``: whether it is a piece of running text wrapped over several lines.

    A newspaper column, an OCR page or a hard-wrapped e-mail breaks its sentences into short
    lines; a run of lines that run on into each other (see ``_RUNS_ON``) and hold at least
    ``_WRAPPED_WORDS`` words together is prose, not site chrome, however often its lines
    repeat across a corpus (a text copied into many documents repeats every line of it).
    ``lines``: the text's ``line_spans``, if already known.

    Examples
    --------
    >>> column = "The council voted on Monday to close the\\nold bridge, which has carried traffic over\\nthe river since 1902.\\nSubscribe now"
    >>> wrapped_lines(column)
    [True, True, True, False]
    """
    lines = line_spans(text) if lines is None else lines
    wrapped = [False] * len(lines)
    first = 0
    for k, (start, end) in enumerate(lines):
        if k + 1 < len(lines):
            last, following = text[end - 1], text[lines[k + 1][0]]
            hyphen = last == "-" and end - start > 1 and text[end - 2].isalpha()
            if hyphen or last in _RUNS_ON or (following.islower() and last not in _ENDS_SENTENCE):
                continue
        if k > first and sum(text.count(" ", s, e) + 1 for s, e in lines[first:k + 1]) >= _WRAPPED_WORDS:
            wrapped[first:k + 1] = [True] * (k + 1 - first)
        first = k + 1
    return wrapped


def sentence_spans(text: str, *, lines: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character spans of the sentences of ``text``.

    A line break always ends a sentence; inside a line, terminal punctuation followed by
    a capital, digit or opening quote does, unless the word before it is an abbreviation
    or an initial (``U.S.``, ``Dr.``, ``J.``). ``lines``: the text's ``line_spans``, if
    already known.
    """
    spans = []
    for line_start, line_end in line_spans(text) if lines is None else lines:
        line = text[line_start:line_end]
        begin = 0
        for match in _SENTENCE_END_RE.finditer(line):
            follower = match.group(1)  # None after a full-width stop, which needs no space
            if follower is not None and (follower.islower() or _ends_with_abbreviation(line[begin : match.start()])):
                continue
            spans.append((line_start + begin, line_start + match.end()))
            begin = _SPACES_RE.match(line, match.end()).end()  # the next sentence starts after the spaces
        if begin < len(line):
            spans.append((line_start + begin, line_end))
    return spans


def _ends_with_abbreviation(fragment: str) -> bool:
    words = fragment.rsplit(None, 1)
    if not words:
        return False
    last = words[-1].lstrip("\"'“‘(").lower()
    if last in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J", "U.S", "e.g".
    return (len(last) == 1 and last.isalpha()) or bool(re.fullmatch(r"(?:\w\.)+\w", last))


def load_boilerplate_patterns(path: str | None = None) -> re.Pattern[str]:
    """Load the boilerplate line patterns: those in use (the bundled list and the user's
    ``--boilerplate`` files, :mod:`dedup.userdata`), or the file at ``path``.

    Returns one compiled regular expression that fully matches a boilerplate line.
    """
    if path is None:
        return _patterns_in_use(current_data_files())
    with open(path, encoding="utf-8") as handle:
        return _compile_patterns(handle.read())


@lru_cache(maxsize=8)
def _patterns_in_use(files: DataFiles) -> re.Pattern[str]:
    return _compile_patterns(boilerplate_text(files))


def _compile_patterns(content: str) -> re.Pattern[str]:
    patterns = [
        line.strip() for line in content.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    # No pattern at all (--no-default-boilerplate alone) matches no line, not the empty one.
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", re.IGNORECASE)


def is_chrome_line(line: str, patterns: re.Pattern[str]) -> bool:
    """Whether one line (stripped) is site chrome by its own text: it matches ``patterns``
    (:func:`load_boilerplate_patterns`), carries markup remnants or is a navigation
    breadcrumb (lines repeated across a corpus are :func:`boilerplate_lines`' business)."""
    core = line.strip(" \t.:;!?-–—|•*·>»›\"'“”")
    if patterns.fullmatch(core):
        return True
    # Every markup remnant holds "<", ">" or "="; most lines hold none, so look before searching.
    maybe_markup = "<" in line or ">" in line or "=" in line
    if maybe_markup and _MARKUP_RE.search(line) and not line.rstrip().endswith((".", "!", "?", "”", '"')):
        return True
    return len(line) < 300 and sum(line.count(sep) for sep in _BREADCRUMB_SEPARATORS) >= 2


def boilerplate_lines(
    text: str,
    repeated: Container[str] = frozenset(),
    patterns: re.Pattern[str] | None = None,
    *,
    lines: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Return the spans of the lines of ``text`` that are site chrome.

    A line is chrome when it matches a pattern of the boilerplate list, carries markup
    remnants, is a navigation breadcrumb (two or more ``»``, ``›``, ``|``, ``>`` or ``/``
    separators), or its normalised form is in ``repeated`` (lines learned to be chrome: short
    lines found in many documents of the corpus, a site's own repeated lines), it is not a
    piece of wrapped running text (:func:`wrapped_lines`), and such lines are a small part
    of the text (under :data:`REPEATED_TEXT_SHARE` of its characters): a site's menus and
    footers frame a text of its own, while a text made mostly of lines that other documents
    hold (a notice or an advertisement printed again, line for line) is that text, reused;
    the patterns still apply to it. ``lines``: the text's ``line_spans``, if already known.

    Examples
    --------
    >>> page = "Home | World | Sport\\nThe council voted on Monday to close the old bridge for good.\\nSubscribe now"
    >>> [page[s:e] for s, e in boilerplate_lines(page, {"subscribe now"})]
    ['Home | World | Sport', 'Subscribe now']
    >>> notice = "ORDRE DU JOUR\\nRapport du conseil\\nSubscribe now"
    >>> [notice[s:e] for s, e in boilerplate_lines(notice, {"ordre du jour", "rapport du conseil", "subscribe now"})]
    ['Subscribe now']
    """
    patterns = patterns or load_boilerplate_patterns()
    lines = line_spans(text) if lines is None else lines
    marked = [is_chrome_line(text[start:end], patterns) for start, end in lines]
    if repeated:
        wrapped = wrapped_lines(text, lines)
        again = [not chrome and not running_text and normalize(text[start:end]) in repeated
                 for (start, end), chrome, running_text in zip(lines, marked, wrapped)]
        repeated_chars = sum(end - start for (start, end), found in zip(lines, again) if found)
        if repeated_chars < REPEATED_TEXT_SHARE * sum(end - start for start, end in lines):
            marked = [chrome or found for chrome, found in zip(marked, again)]
    return [span for span, chrome in zip(lines, marked) if chrome]


# Lines repeated across the corpus are chrome in a text only while they make up less than
# this share of its characters (else the text is one that others carry, line for line).
REPEATED_TEXT_SHARE = 0.5


def quoted_spans(text: str, *, lines: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Return the spans of ``text`` that quote a third party.

    These are the insides of quotation marks (“…”, "…", «…», „…“; a quotation still open
    at the end of its paragraph runs to that end, as multi-paragraph quotations do) and
    embedded social-media statements (the post text before a ``pic.twitter.com`` link or
    an ``— Name (@handle) Month D, YYYY`` credit line, with that line). ``lines``: the
    text's ``line_spans``, if already known.
    """
    spans: list[tuple[int, int]] = []
    lines = line_spans(text) if lines is None else lines
    for start, end in lines:
        line = text[start:end]
        position = 0
        while opener := _QUOTE_OPEN_RE.search(line, position):
            open_at, quote = opener.start(), opener.group()
            close_at = line.find(_QUOTE_PAIRS[quote], open_at + 1)
            stop = len(line) if close_at < 0 else close_at
            spans.append((start + open_at + 1, start + stop))
            position = stop + 1
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        if _EMBED_CREDIT_RE.match(line):
            spans.append((start, end))
            if index > 0:
                spans.append(lines[index - 1])
        elif ("twitter.com/" in line or "x.com/" in line) and _EMBED_LINK_RE.search(line):
            spans.append((start, end))
    return sorted(spans)


def inside_spans(starts: np.ndarray, ends: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """True for each token (half-open ``starts``, ``ends``, both sorted) that lies inside
    one of ``spans``."""
    mask = np.zeros(len(starts), dtype=bool)
    for start, end in spans:
        first = np.searchsorted(starts, start, side="left")
        last = np.searchsorted(ends, end, side="right")
        mask[first:last] = True
    return mask


def analyze(
    text: str, repeated_lines: Container[str] = frozenset(), patterns: re.Pattern[str] | None = None
) -> TextLayout:
    """Tokenise ``text`` and mark its boilerplate, quotations and sentences.

    Parameters
    ----------
    text : str
        The text as read.
    repeated_lines : container of str
        Normalised lines learned to be chrome (repeated across many documents, or by one
        site's: :class:`dedup.text.chrome.RepeatedLines`).
    patterns : re.Pattern, optional
        Boilerplate line patterns; the bundled list when omitted.

    Examples
    --------
    >>> layout = analyze("Leave a comment\\nThe strikes began on Friday. They lasted an hour.")
    >>> layout.words[:3], bool(layout.boilerplate[0]), layout.sentences.tolist()
    (['leave', 'a', 'comment'], True, [[3, 8], [8, 12]])
    """
    starts, ends = token_bounds(text)
    lines = line_spans(text)
    chrome = boilerplate_lines(text, repeated_lines, patterns, lines=lines)
    boiler = inside_spans(starts, ends, chrome)
    quoted = inside_spans(starts, ends, quoted_spans(text, lines=lines))
    all_sentences = _token_ranges(starts, ends, sentence_spans(text, lines=lines))
    # Sentences that are not all boilerplate (counted with a running sum, not per slice).
    boiler_before = np.concatenate(([0], np.cumsum(boiler, dtype=np.int64)))
    first, last = all_sentences[:, 0], all_sentences[:, 1]
    sentence_starts = np.zeros(len(starts), dtype=bool)
    sentence_starts[first] = True
    return TextLayout(
        text=text,
        starts=starts,
        ends=ends,
        boilerplate=boiler,
        quoted=quoted,
        sentences=all_sentences[boiler_before[last] - boiler_before[first] < last - first],
        lines=_token_ranges(starts, ends, lines),
        sentence_starts=sentence_starts,
        chrome=np.array(chrome, dtype=np.int64).reshape(-1, 2),
    )


def _token_ranges(starts: np.ndarray, ends: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """Token index ranges ``[first, last)`` of character spans, empty ones dropped: ``(n, 2)``."""
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    ranges = np.column_stack((np.searchsorted(starts, bounds[:, 0], side="left"),
                              np.searchsorted(ends, bounds[:, 1], side="right"))).astype(np.int64)
    return ranges[ranges[:, 1] > ranges[:, 0]]


def guess_title(text: str, max_chars: int = 200) -> str | None:
    """Return the first line of ``text`` when it reads like a headline, else None.

    A headline is short (at most ``max_chars``) and does not end like a sentence. A line
    of breadcrumbs (``Home » World » Headline``: two or more ``»``, ``›`` or `` > ``) gives
    its last crumb, without the quotation marks a site may put around it.

    >>> guess_title("Home » today » World » “US Conducts Airstrikes”\\nThe United States has...")
    'US Conducts Airstrikes'
    """
    for start, end in _iter_line_spans(text):  # the first line only
        line = text[start:end]
        if len(line) > max_chars or line.endswith((".", ",", ";", ":")):
            return None
        crumbs = _BREADCRUMBS_RE.split(line)
        if len(crumbs) >= 3 and crumbs[-1].strip():
            line = crumbs[-1].strip().strip("\"'“”‘’«»").strip() or line
        return line
    return None


# What separates breadcrumbs ("Home » World » ..."): a guillemet or chevron, or " > ".
_BREADCRUMBS_RE = re.compile(r"\s*[»›]\s*|\s+>\s+")
