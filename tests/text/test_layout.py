from dedup.text.layout import (
    analyze,
    boilerplate_lines,
    guess_title,
    normalize,
    quoted_spans,
    sentence_spans,
    tokenize,
    wrapped_lines,
)


def test_normalize_folds_case_width_and_punctuation():
    assert normalize("The  U.S. said: “No!”") == "the u s said no"
    assert normalize("ＦＵＬＬＷＩＤＴＨ") == "fullwidth"


def test_tokens_keep_offsets_into_the_original():
    text = "Ünïcode  Straße, café!"
    words, starts, ends = tokenize(text)
    assert words == ["ünïcode", "strasse", "café"]
    assert [text[s:e] for s, e in zip(starts, ends)] == ["Ünïcode", "Straße", "café"]


def test_sentences_respect_abbreviations_and_lines():
    text = "He met Dr. Smith at the U.S. base. Then J. Doe left!\n“Why?” she asked. Next"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "He met Dr. Smith at the U.S. base.",
        "Then J. Doe left!",
        "“Why?” she asked.",
        "Next",
    ]


def test_boilerplate_lines_of_the_seeds(seed_documents):
    by_id = {d.id[:3]: d.text for d in seed_documents}
    chrome = {key: [text[s:e] for s, e in boilerplate_lines(text)] for key, text in by_id.items()}
    assert chrome["000"] == [] and chrome["001"] == []
    assert chrome["002"] == ["Leave a comment"]
    assert chrome["003"][0].startswith("Home » today » World »")
    assert 'video-container">' in chrome["003"]
    assert "Leave a Comment" in chrome["003"]
    assert any(line.startswith("This site uses Akismet") for line in chrome["003"])
    assert chrome["004"] == ["Comments", "Post a Comment"]


def test_repeated_lines_are_chrome():
    text = "Great story here.\nFollow our weekly picks\nMore text."
    assert boilerplate_lines(text) == []
    assert boilerplate_lines(text, repeated={"follow our weekly picks"}) == [(18, 41)]


def test_wrapped_running_text_is_not_chrome_however_often_it_repeats():
    column = ("Le rachat des chemins de fer, vot\u00e9 par\nle peuple en 1898, a \u00e9t\u00e9 l'ann\u00e9e\n"
              "derni\u00e8re pr\u00e9par\u00e9 par des mesures d'or-\ndre divers.\nAbonnez-vous\nMenu\nAccueil")
    assert wrapped_lines(column) == [True, True, True, True, False, False, False]
    repeated = {normalize(line) for line in column.splitlines()}
    chrome = [column[s:e] for s, e in boilerplate_lines(column, repeated=repeated)]
    assert chrome == ["Abonnez-vous", "Menu", "Accueil"]
    # A short run of lines is not running text, even when one runs on into the next.
    assert wrapped_lines("Sign up for our newsletter\nand get the news first\nPrivacy") == [False, False, False]


def test_quoted_spans_cover_quotes_and_social_embeds():
    text = 'He said “we will respond” and left.\nPost text here pic.twitter.com/abc\n— U.S. Central Command (@CENTCOM) February 3, 2024'
    spans = [text[s:e] for s, e in quoted_spans(text)]
    assert "we will respond" in spans
    assert "Post text here pic.twitter.com/abc" in spans
    assert "— U.S. Central Command (@CENTCOM) February 3, 2024" in spans


def test_analyze_marks_tokens():
    layout = analyze("Leave a comment\nThe strikes began on Friday. They “lasted an hour”.")
    assert layout.boilerplate[:3].all() and not layout.boilerplate[3:].any()
    assert layout.quoted.tolist()[-3:] == [True, True, True]
    assert layout.sentences.tolist() == [[3, 8], [8, 12]]
    assert layout.lines.tolist() == [[0, 3], [3, 12]]
    assert layout.sentence_starts.nonzero()[0].tolist() == [0, 3, 8]


def test_guess_title():
    assert guess_title("Short Headline\nBody text.") == "Short Headline"
    assert guess_title("A first line that is a sentence.\nMore.") is None
    assert guess_title("") is None
    # Breadcrumbs give their last crumb; a headline with a site's name after a dash is kept.
    assert guess_title("Home » today » World » “US Conducts Major Airstrikes”\nBody.") == "US Conducts Major Airstrikes"
    assert guess_title("News > Politics > Vote passes\nBody.") == "Vote passes"
    assert guess_title("Strikes In Iraq - Foreign Affairs - Nairaland\nBody.") == "Strikes In Iraq - Foreign Affairs - Nairaland"
    assert guess_title("Rates rise » markets fall\nBody.") == "Rates rise » markets fall"  # one separator: a headline
