"""The report as a table for a terminal: what was taken and from whom first.

In order: a line of counts; the reuse groups (each source with the documents carrying its
text); the document pairs that share passages, the most reused text first, each passage
with an excerpt of both sides (``detail``: sentence pair by sentence pair); repeats inside
a document; near-duplicate clusters; the scan's groups. Every line fits ``width``
columns; ``limit`` keeps the pairs that share the most text; ``color`` marks the kinds of
passage with ANSI colours (for a terminal, unless ``NO_COLOR`` is set). What the documents
hold is made printable (:func:`~dedup.report.output.printable`): their escapes never reach
the terminal.
"""

from __future__ import annotations

import textwrap

from dedup.records import Passage
from dedup.report.model import Report
from dedup.report.output import printable
from dedup.report.reading import Reading, kind_counts, reused_chars, share_of

__all__ = ["DEFAULT_WIDTH", "render_table"]

DEFAULT_WIDTH = 80
_MIN_WIDTH = 40
# ANSI colours of the kinds (the HTML's Okabe-Ito hues, as near as 8 colours go).
_COLOURS = {"copy": "\x1b[33m", "paraphrase": "\x1b[34m", "quote": "\x1b[35m"}
_RESET = "\x1b[0m"


def render_table(report: Report, *, width: int = DEFAULT_WIDTH, limit: int | None = None, detail: bool = False,
                 color: bool = False) -> str:
    """Return ``report`` as the terminal table, ending with a newline.

    Parameters
    ----------
    report : Report
    width : int
        Columns to fit (at least 40).
    limit : int, optional
        List only the ``limit`` pairs that share the most text.
    detail : bool
        List each passage's sentence pairs, each with its two sides.
    color : bool
        Colour the kind of each passage (ANSI escapes).

    Examples
    --------
    >>> from dedup import scan
    >>> text = "A sentence long enough to be copied word for word, here and there."
    >>> print(render_table(scan([text, "Intro. " + text]), width=100).splitlines()[0])
    dedup: 2 documents; 1 document pair shares passages (1 copy); 1 near-duplicate pair in 1 cluster.
    """
    return _Table(report, max(width, _MIN_WIDTH), limit, detail, color).render()


class _Table:
    def __init__(self, report: Report, width: int, limit: int | None, detail: bool, color: bool) -> None:
        self.report, self.width, self.limit, self.detail, self.color = report, width, limit, detail, color
        self.reading = Reading(report)
        self.chars = {doc.id: doc.chars for doc in report.documents}
        self.lines: list[str] = []

    def render(self) -> str:
        self.summary()
        if self.report.parameters.get("level") != "document":
            self.groups()
            self.pairs()
            self.repeats()
        self.clusters()
        self.scan_groups()
        if not self.report.passages and not self.report.clusters:
            self.say("No near-duplicates found." if self.report.parameters.get("level") == "document"
                     else "No near-duplicates and no reused passages found.")
        return "\n".join(self.lines).rstrip("\n") + "\n"

    # -- sections -------------------------------------------------------------------------

    def summary(self) -> None:
        report, reading = self.report, self.reading
        between = [p for pair in reading.pairs for p in reading.by_pair[pair]]
        parts = [f"{len(report.documents)} documents"]
        if report.parameters.get("level") == "document":
            parts.append("document level: passages not looked for")
        else:
            pairs = len(reading.pairs)
            parts.append(f"{pairs} document pair{' shares' if pairs == 1 else 's share'} passages"
                         + (f" ({kind_counts(between)})" if between else ""))
            repeats = len(report.passages) - len(between)
            if repeats:
                parts.append(f"{repeats} passage{'s' * (repeats != 1)} repeated inside a document")
        if report.duplicates or report.parameters.get("level") == "document":
            pairs, clusters = len(report.duplicates), len(report.clusters)
            parts.append(f"{pairs} near-duplicate pair{'s' * (pairs != 1)} in {clusters} cluster{'s' * (clusters != 1)}")
        self.say("dedup: " + "; ".join(parts) + ".")
        self.lines.append("")

    def groups(self) -> None:
        if not self.reading.groups:
            return
        self.say("Reuse groups: each source and the documents that carry its text")
        for group in self.reading.groups:
            source = group.doc if group.doc is not None else f"{group.outlet or 'an outside source'} (outside the corpus)"
            count = len(group.members)
            self.say(f"{source} -> {count} document{'s' * (count != 1)}", indent=2)
            if group.doc is None and group.url:
                self.say(group.url, indent=4)
            for doc, share, confidence in group.members:
                self.say(f"{doc}: {share:.0%} reused text, confidence {confidence:.2f}", indent=4)
        if self.reading.independent:
            self.say("independent (no reuse found): " + ", ".join(self.reading.independent), indent=2)
        self.lines.append("")

    def pairs(self) -> None:
        reading = self.reading
        if not reading.pairs:
            return
        shown = reading.pairs if self.limit is None else reading.pairs[: self.limit]
        self.say("Pairs sharing passages, most reused text first")
        for rank, pair in enumerate(shown, start=1):
            a, b = pair
            found = reading.by_pair[pair]
            reused = reused_chars(found)
            self.say(f"{rank}. {a} <-> {b}", indent=2)
            share = f"{share_of(found, 'a', self.chars.get(a)):.0%} / {share_of(found, 'b', self.chars.get(b)):.0%}"
            self.say(f"{reused:,} characters reused ({share} of each); {kind_counts(found)}" if reused
                     else f"quotations only, no reused text; {kind_counts(found)}", indent=5)
            for p in found:
                self.passage(p)
        if len(shown) < len(reading.pairs):
            self.say(f"... and {len(reading.pairs) - len(shown)} more pairs (--limit {self.limit}; the JSON "
                     "report lists them all)", indent=2)
        self.lines.append("")

    def repeats(self) -> None:
        if not self.reading.repeats:
            return
        self.say("Repeats inside a document")
        for pair in self.reading.repeats:
            found = self.reading.by_pair[pair]
            self.say(f"{pair[0]}: {len(found)} passage{'s' * (len(found) != 1)}", indent=2)
            for p in found:
                self.passage(p, repeat=True)
        self.lines.append("")

    def clusters(self) -> None:
        report = self.report
        if not report.clusters:
            return
        self.say("Near-duplicate clusters")
        for number, cluster in enumerate(report.clusters, start=1):
            self.say(f"[{number}] " + ", ".join(cluster), indent=2)
        for duplicate in report.duplicates:
            a, b = duplicate.documents
            self.say(f"{a} ~ {b}: Jaccard {duplicate.similarity:.2f}, containment "
                     f"{duplicate.containment[0]:.2f} / {duplicate.containment[1]:.2f}", indent=6)
        self.lines.append("")

    def scan_groups(self) -> None:
        if not self.report.groups:
            return
        self.say("Groups carrying one text (each member aligned against the representative named first; "
                     "--all-pairs: every pair)")
        for group in self.report.groups:
            self.say(f"{group['representative']} ({group['basis']}): {len(group['members'])} members, "
                     + ", ".join(f"{m['doc']} {m['share']:.0%}" for m in group["members"]), indent=2)
        self.lines.append("")

    # -- pieces ---------------------------------------------------------------------------

    def passage(self, p: Passage, *, repeat: bool = False) -> None:
        texts = self.report.texts
        where = f"[{p.a.start}:{p.a.end}] again at [{p.b.start}:{p.b.end}]" if repeat else \
            f"a[{p.a.start}:{p.a.end}] b[{p.b.start}:{p.b.end}]"
        count = len(p.sentences)
        pairs = f", {count} sentence pair{'s' * (count != 1)}" if count else ""
        first = len(self.lines)
        self.say(f"{p.kind} score {p.score:.2f}  {where}{pairs}", indent=5)
        if self.color:
            self.lines[first] = self.lines[first].replace(p.kind, f"{_COLOURS[p.kind]}{p.kind}{_RESET}", 1)
        if self.detail and p.sentences:
            for k, s in enumerate(p.sentences, start=1):
                self.excerpt(f"{k:>2}a ", texts.get(p.a.doc, "")[s.a_start:s.a_end], indent=7)
                self.excerpt(f"{k:>2}b ", texts.get(p.b.doc, "")[s.b_start:s.b_end], indent=7)
            return
        a_text = texts.get(p.a.doc, "")[p.a.start:p.a.end]
        b_text = texts.get(p.b.doc, "")[p.b.start:p.b.end]
        self.excerpt("a: ", a_text, indent=7)
        if " ".join(a_text.split()) != " ".join(b_text.split()):
            self.excerpt("b: ", b_text, indent=7)

    def excerpt(self, label: str, text: str, *, indent: int) -> None:
        """Up to three lines of ``text``, flattened, after ``label``."""
        flat = printable(" ".join(text.split()))
        room = self.width - indent - len(label)
        lines = textwrap.wrap(flat, max(room, 10), max_lines=3, placeholder=" …", break_long_words=True)
        for k, line in enumerate(lines or [""]):
            self.lines.append(" " * indent + (label if k == 0 else " " * len(label)) + line)

    def say(self, text: str, *, indent: int = 0) -> None:
        """``text`` wrapped to the width, ``indent`` spaces in (later lines two more)."""
        lines = textwrap.wrap(printable(text), self.width, initial_indent=" " * indent,
                              subsequent_indent=" " * (indent + 2), break_long_words=True, break_on_hyphens=False)
        self.lines.extend(lines or [""])
