"""The PAN text-alignment measures: character-level macro precision and recall, granularity
and plagdet (Potthast, Stein, Barron-Cedeno and Rosso, COLING 2010).

A case (true reuse) or detection is a pair of character ranges in one document pair: the
suspicious side ``this`` and the ``source`` side. A detection *detects* a case when it
overlaps the case on both sides. Characters are counted on both sides together.

- precision: mean over detections of the share of its characters inside the cases it detects;
- recall: mean over cases of the share of its characters inside the detections detecting it;
- granularity: mean number of detections per detected case (1 is ideal);
- plagdet: F1 of precision and recall divided by log2(1 + granularity).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Annotation", "Scores", "evaluate"]


@dataclass(frozen=True)
class Annotation:
    """One case or detection: ``pair`` names the document pair; ranges are half-open."""

    pair: str
    this_start: int
    this_end: int
    source_start: int
    source_end: int

    @property
    def chars(self) -> int:
        return (self.this_end - self.this_start) + (self.source_end - self.source_start)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _detects(d: Annotation, c: Annotation) -> bool:
    return (
        d.pair == c.pair
        and d.this_start < c.this_end
        and c.this_start < d.this_end
        and d.source_start < c.source_end
        and c.source_start < d.source_end
    )


def _union_inside(lo: int, hi: int, ranges: list[tuple[int, int]]) -> int:
    """Characters of ``[lo, hi)`` covered by the union of ``ranges``."""
    covered, reach = 0, lo
    for start, end in sorted(ranges):
        start, end = max(start, reach), min(end, hi)
        if end > start:
            covered += end - start
            reach = end
    return covered


def _covered(target: Annotation, others: list[Annotation]) -> int:
    return _union_inside(target.this_start, target.this_end, [(o.this_start, o.this_end) for o in others]) + (
        _union_inside(target.source_start, target.source_end, [(o.source_start, o.source_end) for o in others])
    )


def evaluate(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> Scores:
    """Score ``detections`` against the true ``cases``.

    Examples
    --------
    >>> case = Annotation("p", 0, 100, 0, 100)
    >>> evaluate([case], [Annotation("p", 0, 50, 0, 50), Annotation("p", 50, 100, 50, 100)]).plagdet
    0.6309
    """
    cases, detections = list(cases), list(detections)
    if not cases and not detections:
        return Scores(1.0, 1.0, 1.0, 1.0, 0, 0)
    if not cases or not detections:
        return Scores(0.0, 0.0, 1.0, 0.0, len(cases), len(detections))
    by_pair: dict[str, list[Annotation]] = defaultdict(list)
    for d in detections:
        by_pair[d.pair].append(d)
    cases_by_pair: dict[str, list[Annotation]] = defaultdict(list)
    for c in cases:
        cases_by_pair[c.pair].append(c)

    recall_sum, detected, detections_per_case = 0.0, 0, 0
    for c in cases:
        hits = [d for d in by_pair[c.pair] if _detects(d, c)]
        if hits:
            detected += 1
            detections_per_case += len(hits)
            recall_sum += _covered(c, hits) / c.chars
    precision_sum = 0.0
    for d in detections:
        hits = [c for c in cases_by_pair[d.pair] if _detects(d, c)]
        if hits:
            precision_sum += _covered(d, hits) / d.chars
    precision = precision_sum / len(detections)
    recall = recall_sum / len(cases)
    granularity = detections_per_case / detected if detected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    plagdet = f1 / math.log2(1 + granularity)
    return Scores(round(precision, 4), round(recall, 4), round(granularity, 4), round(plagdet, 4), len(cases), len(detections))
