"""HTML pages as text: the main text and metadata trafilatura extracts, with the guards a
page from the open web needs first (tags with huge numbers of attributes cut) and a plain
tokenizer for pages too deeply nested for lxml.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["MAX_ATTRIBUTES", "cap_attributes", "extract_html", "html_text"]

# The most attributes a tag keeps before HTML is parsed: the parsers take time that grows
# with the square of a tag's attributes (200,000 of them: minutes).
MAX_ATTRIBUTES = 256
_LONG_TAG_RE = re.compile(r"<([A-Za-z][^\s/<>]*)([^<>]{4096,})>")
_ATTRIBUTE_RE = re.compile(r"""\s*[^\s=<>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>]*))?""")


def cap_attributes(html: str) -> tuple[str, int]:
    """``html`` with each tag's attributes cut to its first :data:`MAX_ATTRIBUTES`, and how
    many tags were cut. Only tags over 4,096 characters are looked at (one pass of a regex).

    >>> page, cut = cap_attributes("<p " + " ".join(f"a{i}=1" for i in range(2000)) + ">Hi</p>")
    >>> cut, page.count("="), page.endswith(">Hi</p>")
    (1, 256, True)
    """
    cut = 0

    def shorten(match: re.Match) -> str:
        nonlocal cut
        attributes = _ATTRIBUTE_RE.findall(match.group(2))
        if len(attributes) <= MAX_ATTRIBUTES:
            return match.group(0)
        cut += 1
        return f"<{match.group(1)}{''.join(attributes[:MAX_ATTRIBUTES])}>"

    if len(html) < 4096:
        return html, 0
    return _LONG_TAG_RE.sub(shorten, html), cut


def extract_html(html: str) -> tuple[str, dict[str, str]]:
    """Main text and metadata of an HTML page, with trafilatura."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if extracted is not None and extracted.text:
        meta = {
            key: value
            for key, value in (("title", extracted.title), ("published", extracted.date), ("url", extracted.url))
            if value
        }
        return extracted.text, meta
    # html2txt parses with lxml, which gives up on very deep nesting (thousands of levels);
    # the standard library's tokenizer has no depth to exceed.
    return trafilatura.html2txt(html) or html_text(html), {}


class _TextCollector(HTMLParser):
    """The text of an HTML page outside scripts and styles, a line per block element."""

    _SKIPPED = {"script", "style", "noscript", "template"}
    _BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
               "blockquote", "pre", "header", "footer", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIPPED and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text of an HTML page, read with the standard library's tokenizer (a line per
    block element; scripts and styles left out), for pages the other parsers give up on.

    >>> html_text("<p>One <b>two</b></p><script>x()</script><p>three</p>")
    'One two\\nthree'
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)
