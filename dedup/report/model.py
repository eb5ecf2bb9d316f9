"""The in-memory report of a scan, and its schema-1 dictionary form."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dedup.records import Duplicate, InputProblem, Passage, SentencePair, Side

__all__ = ["DocumentSummary", "Report", "SCHEMA_VERSION", "input_summary", "passage_from_dict", "passage_to_dict",
           "report_from_dict", "skipped_note"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class DocumentSummary:
    """What the report says of one scanned document."""

    id: str
    title: str | None
    url: str | None
    published: str | None
    chars: int
    citations: list[dict[str, Any]] = field(default_factory=list)
    published_inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "chars": self.chars,
            "citations": list(self.citations),
            "published_inferred": self.published_inferred,
        }


@dataclass
class Report:
    """The result of a scan.

    Attributes
    ----------
    parameters : dict
        The effective settings.
    documents : list of DocumentSummary
        Every scanned document, in input order.
    duplicates : list of Duplicate
        Verified near-duplicate document pairs.
    clusters : list of list of str
        Groups of near-duplicate documents (connected pairs), two or more each.
    passages : list of Passage
        Verified reused passages, including repeats inside one document.
    attribution : list of dict
        Verdicts per document (schema-1 ``attribution`` entries).
    groups : list of dict
        Documents carrying one text (schema-1 ``groups`` entries): ``representative``, why
        it was chosen (``basis``), and each member with the ``share`` of it the
        representative covers.
    problems : list of InputProblem
        What could not be read as it was (reported on stderr by the CLI).
    texts : dict
        Document texts by id (for rendering; not part of the JSON report).
    chrome : dict
        Spans of the site-chrome lines of each document by id (for rendering; not part of
        the JSON report).
    """

    parameters: dict[str, Any]
    documents: list[DocumentSummary]
    duplicates: list[Duplicate]
    clusters: list[list[str]]
    passages: list[Passage]
    attribution: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict, repr=False)
    chrome: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    def to_dict(self, *, lists: bool = True) -> dict[str, Any]:
        """Return the schema-1 report as plain data (the JSON contract).

        ``lists=False`` gives the sections ``documents``, ``duplicates``, ``clusters``,
        ``passages``, ``attribution`` and ``groups`` as iterators of their items, made as they are read
        (what the streaming writers use).
        """
        data = {
            "dedup_report": SCHEMA_VERSION,
            "parameters": dict(self.parameters),
            "documents": (doc.to_dict() for doc in self.documents),
            "duplicates": (duplicate_to_dict(d) for d in self.duplicates),
            "clusters": (list(c) for c in self.clusters),
            "passages": (passage_to_dict(p) for p in self.passages),
            "attribution": iter(self.attribution),
            "groups": iter(self.groups),
            "input": input_summary(len(self.documents), self.problems),
        }
        if lists:
            data.update((key, list(value)) for key, value in data.items() if isinstance(value, Iterator))
        return data


def report_from_dict(data: dict[str, Any], texts: dict[str, str] | None = None) -> Report:
    """The :class:`Report` of a schema-1 report read back (:meth:`Report.to_dict`), with the
    documents' ``texts`` when known; what the report does not hold (the input problems
    themselves, the chrome spans) is left empty.

    >>> report = report_from_dict({"dedup_report": 1, "parameters": {}, "documents": [], "duplicates": [],
    ...                            "clusters": [], "passages": []})
    >>> report.passages, report.attribution
    ([], [])
    """
    version = data.get("dedup_report")
    if version != SCHEMA_VERSION:
        raise ValueError(f"a dedup_report {version!r} report; this dedup reads dedup_report {SCHEMA_VERSION}")
    return Report(
        parameters=dict(data.get("parameters", {})),
        documents=[DocumentSummary(**doc) for doc in data["documents"]],
        duplicates=[Duplicate(tuple(d["documents"]), d["similarity"], tuple(d["containment"])) for d in data["duplicates"]],
        clusters=[list(cluster) for cluster in data["clusters"]],
        passages=[passage_from_dict(p) for p in data["passages"]],
        attribution=list(data.get("attribution", [])),
        groups=list(data.get("groups", [])),
        texts=dict(texts or {}),
    )


def input_summary(documents: int, problems: list[InputProblem]) -> dict[str, Any]:
    """The report's ``input`` section: documents read and scanned, inputs skipped (files,
    lines or records) and kept with a change, each by reason (see ``records.REASONS``).

    >>> input_summary(3, [InputProblem("a.jsonl", "invalid JSON", "skipped", 4, "invalid-json")])
    {'documents_read': 3, 'documents_scanned': 3, 'skipped': 1, 'skipped_by_reason': {'invalid-json': 1}, 'kept_with_changes': 0, 'kept_by_reason': {}}
    """
    skipped: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for problem in problems:
        (skipped if problem.action == "skipped" else kept)[problem.reason] += problem.count
    return {
        "documents_read": documents,
        "documents_scanned": documents,  # every document read is scanned
        "skipped": sum(skipped.values()),
        "skipped_by_reason": dict(sorted(skipped.items())),
        "kept_with_changes": sum(kept.values()),
        "kept_by_reason": dict(sorted(kept.items())),
    }


def duplicate_to_dict(duplicate: Duplicate) -> dict[str, Any]:
    """One ``duplicates`` entry of the JSON report."""
    return {
        "documents": list(duplicate.documents),
        "similarity": duplicate.similarity,
        "containment": list(duplicate.containment),
    }


def passage_to_dict(passage: Passage) -> dict[str, Any]:
    """One ``passages`` entry of the JSON report: ``sentences`` lists its sentence pairs as
    ``{"a": [start, end], "b": [start, end], "score": s}``."""
    return {
        "kind": passage.kind,
        "score": passage.score,
        "a": {"doc": passage.a.doc, "start": passage.a.start, "end": passage.a.end},
        "b": {"doc": passage.b.doc, "start": passage.b.start, "end": passage.b.end},
        "sentences": [{"a": [s.a_start, s.a_end], "b": [s.b_start, s.b_end], "score": s.score}
                      for s in passage.sentences],
    }


def passage_from_dict(data: dict[str, Any]) -> Passage:
    """The passage of a ``passages`` entry (:func:`passage_to_dict`; one written before
    ``sentences`` were reported has none).

    >>> entry = {"kind": "copy", "score": 1.0, "a": {"doc": "x", "start": 0, "end": 9},
    ...          "b": {"doc": "y", "start": 4, "end": 13}, "sentences": [{"a": [0, 9], "b": [4, 13], "score": 1.0}]}
    >>> passage_to_dict(passage_from_dict(entry)) == entry
    True
    """
    return Passage(data["kind"], data["score"], Side(**data["a"]), Side(**data["b"]),
                   tuple(SentencePair(*s["a"], *s["b"], s["score"]) for s in data.get("sentences", ())))


def skipped_note(problems: list[InputProblem]) -> str:
    """How many inputs were skipped and why, in a few words: ``"3 skipped: 2 invalid-json,
    1 empty"``, or ``"0 skipped"``."""
    reasons = input_summary(0, problems)["skipped_by_reason"]
    total = sum(reasons.values())
    if not total:
        return "0 skipped"
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return f"{total} skipped: " + ", ".join(f"{count} {reason}" for reason, count in ranked)
