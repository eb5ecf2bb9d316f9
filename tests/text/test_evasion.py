"""Disguised copies (fixtures/evasion, made by fixtures/make_evasion.py) are found as copies
over the disguised passage, and the matching view keeps every offset."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Document, scan
from dedup.text.evasion import JOINERS, matching_view
from dedup.text.layout import tokenize
from tests.conftest import ROOT

EVASION = ROOT / "fixtures" / "evasion"


EXPECTED = json.loads((ROOT / "fixtures" / "evasion_expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED["copies"]))
def test_each_disguise_is_found_as_a_copy_of_the_whole_passage(name):
    original = EXPECTED["original"]
    copy = EXPECTED["copies"][name]
    texts = {original["file"]: (EVASION / original["file"]).read_text(encoding="utf-8"),
             copy["file"]: (EVASION / copy["file"]).read_text(encoding="utf-8")}
    report = scan([Document(doc_id, text) for doc_id, text in texts.items()])
    [passage] = [p for p in report.passages if p.a.doc != p.b.doc]
    assert passage.kind == "copy" and passage.score >= 0.95
    assert (passage.a.doc, passage.b.doc) == (original["file"], copy["file"])
    # The spans run from the passage's first word to its last (the final period is not a word).
    last_a = texts[original["file"]].rindex(".", 0, original["end"])
    last_b = texts[copy["file"]].rindex(".", 0, copy["end"])
    assert (passage.a.end, passage.b.end) == (last_a, last_b)
    assert (passage.a.start, passage.b.start) == (original["start"], copy["start"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("aeopcxy AIOT.'&#;0123456789\n") + ["а", "е", "о", "Ι", "\u200b", "\u00ad",
                                                                         "&amp;", "&#39;", "&eacute;", "\u0301"]),
                max_size=40).map("".join))
def test_the_matching_view_keeps_every_offset(text):
    view = matching_view(text)
    assert len(view) == len(text)
    words, starts, ends = tokenize(text)
    for word, start, end in zip(words, starts.tolist(), ends.tolist()):
        assert 0 <= start < end <= len(text)
        assert re.fullmatch(rf"\w+(?:[{JOINERS}]+\w*)*", view[start:end])  # a whole word of the view


def test_the_quick_check_finds_every_look_alike():
    """matching_view loads the confusables table only for texts holding a letter of the
    scripts it maps; those blocks must hold every letter of the table."""
    from dedup.text.evasion import _SCRIPTS_RE, _homoglyphs

    table, _ = _homoglyphs()
    assert len(table) > 100
    assert [hex(c) for c in table if not _SCRIPTS_RE.match(chr(c))] == []
