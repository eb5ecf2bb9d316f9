"""Document intake: how every driver turns what it is given into documents with unique ids.

Plain strings get ids by one of three rules, each where it belongs:

- a scan (local, document level) numbers its inputs: ``"0"``, ``"1"``, ... in order
  (:func:`numbered`);
- a comparison names its two sides ``"a"`` and ``"b"`` (:func:`as_document`);
- a persistent index, which keeps documents across calls, names a text by the hash of its
  content, so that the same text is the same document (:func:`content_named`).

Two documents with one id are refused with :class:`~dedup.errors.DuplicateIdError` by every
driver (:func:`check_unique`); the readers rename repeated ids before that (``id#2``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import xxhash

from dedup.errors import DuplicateIdError, ParameterError
from dedup.records import Document

__all__ = ["as_document", "as_documents", "check_unique", "content_id", "content_named", "numbered"]


def as_document(item: Document | str, default_id: str) -> Document:
    """``item`` as a Document (a plain string gets ``default_id``), refusing a text that is
    not a string.

    >>> as_document("Some text.", "a").id
    'a'
    """
    doc = item if isinstance(item, Document) else Document(id=default_id, text=item)
    if not isinstance(doc.text, str):
        raise ParameterError(f"Document {doc.id!r} has no text string; got {type(doc.text).__name__}.")
    return doc


def numbered(items: Iterable[Document | str]) -> Iterator[Document]:
    """The items as documents, lazily; plain strings get their position as id."""
    for position, item in enumerate(items):
        yield as_document(item, str(position))


def content_id(text: str) -> str:
    """The id of a plain text in a persistent index: the hex xxh3 hash of its UTF-8 bytes."""
    return xxhash.xxh3_64_hexdigest(text.encode("utf-8"))


def content_named(items: Iterable[Document | str]) -> list[Document]:
    """The items as documents; plain strings get :func:`content_id` as id (the same text, the
    same id), for a persistent index.

    >>> content_named(["x"])[0].id == content_named(["x"])[0].id
    True
    """
    return [as_document(item, content_id(item) if isinstance(item, str) else "") for item in items]


def check_unique(ids: Iterable[str]) -> None:
    """Raise :class:`~dedup.errors.DuplicateIdError` naming the first id met twice.

    >>> check_unique(["a", "b", "a"])
    Traceback (most recent call last):
    ...
    dedup.errors.DuplicateIdError: Two documents share the id 'a'; ids must be unique.
    """
    seen: set[str] = set()
    for doc_id in ids:
        if doc_id in seen:
            raise DuplicateIdError(doc_id)
        seen.add(doc_id)


def as_documents(items: Iterable[Document | str]) -> list[Document]:
    """All items as numbered documents (:func:`numbered`), their ids checked unique."""
    docs = list(numbered(items))
    check_unique(doc.id for doc in docs)
    return docs
