"""The output formats and what makes output safe to read: pure Python, no numpy, so the
command line can declare its options and print warnings without loading the engines."""

from __future__ import annotations

from typing import Any

__all__ = ["COMPARE_FORMATS", "FORMATS", "printable", "spreadsheet_safe"]

FORMATS = ("table", "json", "jsonl", "csv", "html")
COMPARE_FORMATS = ("table", "json", "jsonl", "html")

# Characters a terminal would act on rather than show: C0 and C1 controls but tab and line
# feed (ESC starts escape sequences; BEL rings; 0x9b is CSI), DEL, and the bidirectional
# overrides and isolates, which reorder what is shown.
_UNPRINTABLE = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)] if code not in (0x09, 0x0A)}
_UNPRINTABLE.update({code: f"\\u{code:04x}" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
# What starts a formula in a spreadsheet (OWASP's list for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    r"""``text`` with the characters a terminal acts on (escape sequences, BEL, bidirectional
    overrides) written as escapes, for the table and for warnings.

    >>> printable("id\x1b[2J\x07 ok")
    'id\\x1b[2J\\x07 ok'
    """
    return text.translate(_UNPRINTABLE)


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: a string starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading apostrophe (the OWASP rule).

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("plain"), spreadsheet_safe(0.5)
    ("'=HYPERLINK(1)", 'plain', 0.5)
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value
