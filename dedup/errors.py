"""The exception tree of dedup: every error the library raises on purpose."""

from __future__ import annotations

__all__ = ["DedupError", "DuplicateIdError", "IndexStoreError", "InputError", "ParameterError"]


class DedupError(Exception):
    """Base class of every error raised on purpose by dedup."""


class InputError(DedupError):
    """The input cannot be used at all (for example: no readable document)."""


class ParameterError(DedupError, ValueError):
    """A parameter is out of its range or of the wrong type.

    The message names the parameter, what it must be and what it got, in the
    shape "The 'threshold' parameter of scan must be a float in [0, 1]. Got 1.5 instead."
    ``parameter`` names the parameter when there is one.
    """

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class IndexStoreError(DedupError):
    """The index cannot be read or written (read-only file, full disk, server down, corrupt)."""


class DuplicateIdError(ParameterError):
    """Two documents given to one scan share an id (``doc_id`` names it)."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(f"Two documents share the id {doc_id!r}; ids must be unique.")
        self.doc_id = doc_id
