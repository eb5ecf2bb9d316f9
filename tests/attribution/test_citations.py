import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.attribution.citations import Outlets, find_citations, resolve_host
from tests.conftest import SEEDS


def cited(text):
    return [(c.outlet, c.form, text[c.start:c.end]) for c in find_citations(text)]


def test_seed_004_cites_cnn_by_amp_url_and_told_cnn():
    text = (SEEDS / "004_b86f621bbed01eb0.txt").read_text(encoding="utf-8")
    found = find_citations(text)
    assert [(c.outlet, c.form) for c in found] == [("CNN", "told"), ("CNN", "source")]
    assert found[1].url.startswith("https://www.google.com/amp/s/amp.cnn.com/cnn/2024/02/02/")
    assert text[found[1].start:found[1].end] == found[1].url


def test_social_embeds_are_not_sources():
    text = (SEEDS / "002_2c1bda8509d8e29c.txt").read_text(encoding="utf-8")
    assert "pic.twitter.com" in text and "(@CENTCOM)" in text
    assert find_citations(text) == []


@pytest.mark.parametrize("url, host", [
    ("https://www.google.com/amp/s/amp.cnn.com/cnn/2024/02/02/politics/us-strikes/index.html", "cnn.com"),
    ("https://www.google.com/amp/www.reuters.com/world/middle-east/", "reuters.com"),
    ("https://l.facebook.com/l.php?u=https%3A%2F%2Fapnews.com%2Farticle%2Fx", "apnews.com"),
    ("https://edition.cnn.com/2024/02/02/politics/index.html", "cnn.com"),
    ("https://m.bbc.co.uk/news/world", "bbc.co.uk"),
    ("www.aljazeera.com/news/2024/2/3/x", "aljazeera.com"),
])
def test_redirect_and_amp_forms_resolve_to_the_outlet_host(url, host):
    assert resolve_host(url) == host


@pytest.mark.parametrize("text, expected", [
    ("BAGHDAD (Reuters) - US forces struck targets on Friday.", [("Reuters", "credit", "(Reuters) -")]),
    ("WASHINGTON (CNN) — The US conducted major airstrikes.", [("CNN", "credit", "(CNN) —")]),
    ("WASHINGTON (AP) — Officials said.", [("Associated Press", "credit", "(AP) —")]),
    ("The strikes lasted 30 minutes, according to Reuters.", [("Reuters", "according", "according to Reuters")]),
    ("An official told CNN this week.", [("CNN", "told", "told CNN")]),
    ("Read it via AFP.", [("Agence France-Presse", "via", "via AFP")]),
    ("Source: Al Jazeera", [("Al Jazeera", "source", "Source: Al Jazeera")]),
    ("By Jane Doe, CNN\nThe US conducted strikes.", [("CNN", "byline", "By Jane Doe, CNN")]),
    ("The Associated Press contributed to this report.", [("Associated Press", "wire", "Associated Press")]),
    ("The Washington Post reported that talks stalled.", [("The Washington Post", "reported", "The Washington Post reported")]),
    ("See https://example.org/story for more.", [("example.org", "url", "https://example.org/story")]),
])
def test_citation_forms(text, expected):
    assert cited(text) == expected


def test_unlisted_names_and_lookalikes_are_not_outlets():
    assert cited("According to CENTCOM, the strikes hit 85 targets. He told journalists so.") == []
    assert cited("The CNNMoney index and the APR rate rose.") == []


def test_outlets_file_is_editable(tmp_path):
    data = tmp_path / "outlets.txt"
    data.write_text("# comment\nDaily Planet | dailyplanet.example | The Planet\n", encoding="utf-8")
    outlets = Outlets(data)
    text = "Lois Lane told the Daily Planet. More at https://www.dailyplanet.example/x"
    assert [(c.outlet, c.form) for c in find_citations(text, outlets)] == [
        ("Daily Planet", "told"), ("Daily Planet", "url")]


FRAGMENTS = ["via the CNN", "xvia CNN", "according to Reuters", "According to a AP", "told CNN", "toldCNN",
             "CNN reported", "XCNN reports", "the Associated Press said", "reported by the BBC",
             "Source: CNN", "Sources; Reuters", "Originally published in The Guardian", "(Reuters) -",
             "AFP", "AFPX", "ReutersReuters", "By Jane Doe, CNN", "\nBy John Smith | AP", " ", "\n", ".",
             "https://www.cnn.com/x.html", "WWW.reuters.com/a", "— Joe (@joe) May 1, 2024", "Credit CNN"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
def test_citation_patterns_match_as_their_plain_form(text):
    """The fast patterns (words first, boundary looked behind) find what the plain ones do."""
    import re

    from dedup.attribution.citations import _text_patterns, default_outlets

    names = default_outlets().names_by_length_
    outlet = "(?P<outlet>" + "|".join(re.escape(n) for n in names) + ")"
    plain = [
        rf"\({outlet}\)\s*[-–—:]",
        rf"\b(?:Source|Sources|Credit|Originally published (?:by|in|on))\s*[:;]?\s*{outlet}\b",
        rf"\bvia\s+(?:the\s+)?{outlet}\b",
        rf"\b[Aa]ccording to\s+(?:the\s+|a\s+)?{outlet}\b",
        rf"\btold\s+(?:the\s+)?{outlet}\b",
        rf"\b{outlet}\s+(?:reported|reports|said in a report)\b",
        rf"\breported by\s+(?:the\s+)?{outlet}\b",
    ]
    for (_, fast, needles), reference in zip(_text_patterns(names), plain):
        found = list(re.finditer(reference, text))
        assert [m.span("outlet") for m in fast.finditer(text)] == [m.span("outlet") for m in found]
        assert all(any(needle.decode() in m.group() for needle in needles) for m in found)  # the guard skips no match
    wire = r"\b(?P<outlet>Associated Press|Agence France-Presse|Reuters|AFP)\b"
    from dedup.attribution.citations import _WIRE_RE

    assert [m.span() for m in _WIRE_RE.finditer(text)] == [m.span() for m in re.finditer(wire, text)]


_NEEDLE_PIECES = ["Source", "Credit", "Originally published", "By", "Associated Press", "Agence France-Presse",
                  "Reuters", "AFP", "(", "via", "ccording to", "told", "report", "reported by", "Sour", "AF", "to",
                  "ld", "t", " ", "e", "s", "P", "F", "é"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NEEDLE_PIECES), max_size=12))
def test_the_needle_pass_finds_every_needle_a_text_holds(pieces):
    from dedup.attribution.citations import _CAPITAL_NEEDLES, _OTHER_NEEDLES, _needles_in

    data = "".join(pieces).encode("utf-8")
    assert _needles_in(data) == {needle for needle in _CAPITAL_NEEDLES + _OTHER_NEEDLES if needle in data}
