import pytest

from dedup.attribution.dates import PublicationDate, publication_date
from tests.conftest import SEEDS


@pytest.mark.parametrize("text, value", [
    ("Headline\nBy Jane Doe | February 4, 2024\nText.", "2024-02-04"),
    ("Headline\nUpdated 3 Feb. 2024, 10:00 GMT\nText.", "2024-02-03"),
    ("WASHINGTON, Sept. 12, 2023 (Reuters) - Text.", "2023-09-12"),
    ("Posted 2024-02-02 by admin\nText.", "2024-02-02"),
])
def test_dates_beside_the_headline_are_inferred(text, value):
    assert publication_date(text) == PublicationDate(value, inferred=True)


@pytest.mark.parametrize("text", [
    "Headline\nOn February 1, 2024, the United States military initiated airstrikes.",
    "Headline\nThe strikes ran from February 1 to 2, 2024.",
    "Headline\nFebruary 31, 2024 is not a date.",
    "Headline\n" + "Long text without dates. " * 40 + "February 4, 2024",
])
def test_event_dates_impossible_dates_and_distant_dates_are_not_publication_dates(text):
    assert publication_date(text) is None


def test_metadata_wins_and_is_not_inferred():
    assert publication_date("News February 4, 2024", published="Fri, 02 Feb 2024 10:00:00 GMT") == \
        PublicationDate("2024-02-02", inferred=False)


def test_seed_dates():
    dates = {p.name[:3]: publication_date(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))}
    assert dates["002"] == PublicationDate("2024-02-04", inferred=True)
    assert dates["000"] is None  # "On February 1, 2024, ..." is the event, not the publication
