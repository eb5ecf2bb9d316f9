import pytest

from dedup.citations import Outlets, find_citations, resolve_host
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
