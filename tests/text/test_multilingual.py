"""Texts in scripts without spaces (Chinese, Japanese, Thai), right to left (Arabic) and
mixed: tokenised by character where words are not spaced, copies found with exact spans
(fixtures/multilingual, made by fixtures/make_multilingual.py)."""

import json

import pytest

from dedup import Document, scan
from dedup.engines.document import near_duplicates
from dedup.text.layout import tokenize
from tests.conftest import ROOT

FOLDER = ROOT / "fixtures" / "multilingual"


EXPECTED = json.loads((ROOT / "fixtures" / "multilingual_expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_copy_is_found_over_the_planted_passage(name):
    sides = EXPECTED[name]
    texts = {side: (FOLDER / sides[side]["file"]).read_text(encoding="utf-8") for side in ("original", "copy")}
    report = scan([Document(sides[side]["file"], texts[side]) for side in ("original", "copy")])
    [passage] = [p for p in report.passages if p.a.doc != p.b.doc]
    assert passage.kind == "copy" and passage.score == 1.0
    for side, found in (("original", passage.a), ("copy", passage.b)):
        planted = texts[side][sides[side]["start"] : sides[side]["end"]]
        words_end = sides[side]["start"] + len(planted.rstrip("。．.！!？?"))  # the final stop is not a word
        assert (found.start, found.end) == (sides[side]["start"], words_end)


def test_spaceless_scripts_are_tokenised_by_character_and_others_by_word():
    words, starts, ends = tokenize("城东的老桥 สะพานเก่า the old bridge الجسر القديم 東の橋")
    assert words[:5] == ["城", "东", "的", "老", "桥"]
    assert words[5:14] == list("สะพานเก่า")  # every Thai code point, tone mark included
    assert "the" in words and "bridge" in words and "الجسر" in words and "القديم" in words
    assert words[-3:] == ["東", "の", "橋"]
    assert all(end - start >= 1 for start, end in zip(starts.tolist(), ends.tolist()))


def test_a_chinese_near_copy_is_a_near_duplicate():
    original = (FOLDER / "zh_original.txt").read_text(encoding="utf-8")
    edited = original.replace("十八个月", "十九个月")  # one character changed
    report = near_duplicates([original, edited])
    assert [d.documents for d in report.duplicates] == [("0", "1")]
    assert report.duplicates[0].similarity >= 0.8
