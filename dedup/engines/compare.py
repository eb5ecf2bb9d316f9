"""Compare given pairs of documents (the text alignment task): passages, no candidate search."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from dedup.engines.blas import one_blas_thread
from dedup.errors import ParameterError
from dedup.match.prepared import prepare
from dedup.records import Document, InputProblem, Passage
from dedup.settings import ScanConfig

__all__ = ["PairLine", "compare", "compare_pairs", "read_pairs"]


@dataclass(frozen=True)
class PairLine:
    """One pair of document ids from a pairs file, with its line number."""

    a: str
    b: str
    line: int


def _as_document(doc: Document | str, default_id: str) -> Document:
    return doc if isinstance(doc, Document) else Document(id=default_id, text=doc)


def compare(a: Document | str, b: Document | str, **settings) -> list[Passage]:
    """Return the passages that two documents share, in order of ``a``.

    The sentence statistics of the paraphrase tier come from the two documents alone.

    Parameters
    ----------
    a, b : Document or str
        The documents; plain strings get the ids ``"a"`` and ``"b"``.
    **settings
        Any field of :class:`dedup.ScanConfig`.

    Examples
    --------
    >>> source = ("The council approved the new budget on Tuesday after a long debate. "
    ...           "Spending on roads will rise by ten percent next year.")
    >>> rewrite = ("After lengthy discussion, the council passed the new budget on Tuesday. "
    ...            "Next year road spending is set to rise ten percent.")
    >>> [(p.kind, p.a.doc, p.b.doc) for p in compare(source, rewrite)]
    [('paraphrase', 'a', 'b')]
    """
    config = ScanConfig.from_settings(settings, "compare")
    first, second = _as_document(a, "a"), _as_document(b, "b")
    if first.id == second.id:
        second = Document(id=second.id + "#2", text=second.text, meta=second.meta)
    with one_blas_thread():
        return prepare([first, second], config).passages_between(0, 1)


def compare_pairs(
    pairs: Iterable[tuple[str, str]], documents: Sequence[Document], *, progress: bool = False, **settings
) -> Iterator[tuple[str, str, list[Passage]]]:
    """Align each given pair of document ids; sentence statistics come from all ``documents``
    (and from the pair's own sentences: :class:`~dedup.match.paraphrase.space.PairMatrices`).

    Raises
    ------
    ParameterError
        When a pair names an id that is not among ``documents``.
    """
    config = ScanConfig.from_settings(settings, "compare")
    index = {doc.id: k for k, doc in enumerate(documents)}
    pairs = list(pairs)
    for a, b in pairs:
        for name in (a, b):
            if name not in index:
                raise ParameterError(f"Unknown document id {name!r}.")
    with one_blas_thread():
        corpus = prepare(list(documents), config, progress=progress)
        for a, b in pairs:
            yield a, b, corpus.passages_between(index[a], index[b])


def read_pairs(
    lines: Iterable[str], source: str, known_ids: set[str] | frozenset[str]
) -> tuple[list[PairLine], list[InputProblem]]:
    """Parse a pairs file: two whitespace-separated document ids per line.

    Blank lines and lines starting with ``#`` are ignored. A line without exactly two ids,
    or naming an id not in ``known_ids``, is skipped and reported as a problem with its
    line number; the other lines are kept.

    Examples
    --------
    >>> pairs, problems = read_pairs(["a.txt b.txt", "a.txt", "a.txt c.txt"], "pairs.txt", {"a.txt", "b.txt"})
    >>> [(p.a, p.b, p.line) for p in pairs]
    [('a.txt', 'b.txt', 1)]
    >>> [str(p) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    ['pairs.txt:2: expected two document ids separated by whitespace, found 1; line skipped',
     "pairs.txt:3: unknown document id 'c.txt' (ids are as dedup scan assigns them); line skipped"]
    """
    pairs, problems = [], []
    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if len(fields) != 2:
            message = f"expected two document ids separated by whitespace, found {len(fields)}; line skipped"
            problems.append(InputProblem(source, message, "skipped", number))
            continue
        unknown = [f for f in fields if f not in known_ids]
        if unknown:
            message = f"unknown document id {unknown[0]!r} (ids are as dedup scan assigns them); line skipped"
            problems.append(InputProblem(source, message, "skipped", number))
            continue
        pairs.append(PairLine(fields[0], fields[1], number))
    return pairs, problems
