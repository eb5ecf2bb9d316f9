"""Compare given pairs of documents (the text alignment task): passages, no candidate search."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .config import ScanConfig
from .errors import ParameterError
from .passages import prepare
from .records import Document, Passage

__all__ = ["compare", "compare_pairs"]


def _config(settings: dict) -> ScanConfig:
    unknown = sorted(set(settings) - set(ScanConfig.names()))
    if unknown:
        raise ParameterError(f"Unknown parameter {unknown[0]!r} of compare; known: {', '.join(ScanConfig.names())}.")
    return ScanConfig(**settings)


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
    config = _config(settings)
    first, second = _as_document(a, "a"), _as_document(b, "b")
    if first.id == second.id:
        second = Document(id=second.id + "#2", text=second.text, meta=second.meta)
    corpus = prepare([first, second], config)
    return corpus.passages_between(0, 1)


def compare_pairs(
    pairs: Iterable[tuple[str, str]], documents: Sequence[Document], *, progress: bool = False, **settings
) -> Iterator[tuple[str, str, list[Passage]]]:
    """Align each given pair of document ids; sentence statistics come from all ``documents``.

    Raises
    ------
    ParameterError
        When a pair names an id that is not among ``documents``.
    """
    config = _config(settings)
    index = {doc.id: k for k, doc in enumerate(documents)}
    pairs = list(pairs)
    for a, b in pairs:
        for name in (a, b):
            if name not in index:
                raise ParameterError(f"Unknown document id {name!r}.")
    corpus = prepare(list(documents), config, progress=progress)
    for a, b in pairs:
        yield a, b, corpus.passages_between(index[a], index[b])
