"""Publication dates: from metadata, or inferred from a date next to the headline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["PublicationDate", "publication_date"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DATE_RE = re.compile(
    rf"\b(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>(?:19|20)\d{{2}})\b"
    r"|\b(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})(?!\d)"
)
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
# A date after one of these words is the date of an event in a sentence, not a dateline.
_EVENT_WORDS = {"on", "since", "from", "until", "till", "by", "to", "before", "after", "of", "in", "between", "and"}
# How far into the text a date may stand and still be the publication date.
_HEAD_CHARS = 600


@dataclass(frozen=True)
class PublicationDate:
    """A document's publication date (ISO ``YYYY-MM-DD``), and whether it was inferred
    from the text rather than given in metadata."""

    value: str
    inferred: bool


def _parse(match: re.Match[str]) -> str | None:
    if match.group("y3"):
        year, month, day = int(match.group("y3")), int(match.group("m3")), int(match.group("d3"))
    else:
        month_name = match.group("m1") or match.group("m2")
        day = int(match.group("d1") or match.group("d2"))
        year = int(match.group("y1") or match.group("y2"))
        month = _MONTHS[month_name[:3].lower()]
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def publication_date(text: str, published: str | None = None) -> PublicationDate | None:
    """The publication date: ``published`` (metadata) when it holds a date, else a date
    near the top of ``text`` that stands on its own (a dateline, or a date beside the
    headline), not inside a sentence about an event ("On February 1, 2024, ...").

    Examples
    --------
    >>> publication_date("Headline\\nNews February 4, 2024 No Comments\\nText.")
    PublicationDate(value='2024-02-04', inferred=True)
    >>> publication_date("Headline\\nOn February 1, 2024, the military struck.") is None
    True
    >>> publication_date("Any text", published="2024-02-02T10:00:00Z")
    PublicationDate(value='2024-02-02', inferred=False)
    """
    if published:
        match = _DATE_RE.search(published)
        if match and (value := _parse(match)):
            return PublicationDate(value, inferred=False)
    head = text[:_HEAD_CHARS]
    if not _YEAR_RE.search(head):  # every date form holds a year; this search is much faster
        return None
    for match in _DATE_RE.finditer(head):
        before = head[: match.start()].split()
        if before and before[-1].lower().strip(",.") in _EVENT_WORDS:
            continue
        value = _parse(match)
        if value:
            return PublicationDate(value, inferred=True)
    return None
