import pytest

from dedup import Document, DuplicateIdError, ParameterError, scan
from dedup.read.intake import as_documents, check_unique, content_named, numbered


def test_plain_strings_are_numbered_and_documents_kept():
    docs = list(numbered(["first text", Document("x", "second"), "third"]))
    assert [d.id for d in docs] == ["0", "x", "2"]


def test_a_text_that_is_not_a_string_is_refused_by_name():
    with pytest.raises(ParameterError, match="'bad' has no text string"):
        as_documents([Document("bad", b"bytes")])


def test_one_duplicate_id_error_for_every_driver():
    with pytest.raises(DuplicateIdError, match="share the id 'a'") as raised:
        check_unique(["a", "b", "a"])
    assert raised.value.doc_id == "a" and isinstance(raised.value, ParameterError)
    for run in (scan, lambda docs: __import__("dedup").near_duplicates(docs)):
        with pytest.raises(DuplicateIdError):
            run([Document("a", "one text here"), Document("a", "another text")])


def test_the_index_names_a_plain_text_by_its_content():
    first, second, other = content_named(["same words", "same words", "other words"])
    assert first.id == second.id != other.id
