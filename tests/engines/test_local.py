import pytest

import dedup
from dedup import Document, ParameterError, scan
from tests.conftest import PLANTED, SEEDS

CNN_REPEATS = {"002", "003", "004"}


def short(doc_id):
    return doc_id[:3]


def test_every_span_slices_the_text(seed_report):
    texts = seed_report.texts
    for passage in seed_report.passages:
        for side in (passage.a, passage.b):
            assert 0 <= side.start < side.end <= len(texts[side.doc])
            assert texts[side.doc][side.start : side.end].strip() == texts[side.doc][side.start : side.end]


def test_seed_repeats_inside_documents(seed_report):
    repeats = {short(p.a.doc): p for p in seed_report.passages if p.a.doc == p.b.doc}
    assert set(repeats) == CNN_REPEATS
    texts = seed_report.texts
    kirby = repeats["002"]
    assert texts[kirby.a.doc][kirby.a.start : kirby.a.end].startswith("U.S. National Security Council spokesperson")
    assert texts[kirby.a.doc][kirby.a.start : kirby.a.end] == texts[kirby.b.doc][kirby.b.start : kirby.b.end]
    title_003 = repeats["003"]
    assert texts[title_003.a.doc][title_003.a.start : title_003.a.end] == (
        "US Conducts Major Airstrikes on Iranian-Backed Militias in Iraq and Syria")
    title_004 = repeats["004"]
    assert (title_004.a.start, title_004.b.start) == (0, 107)


def test_seed_chrome_is_not_reuse(seed_report):
    texts = seed_report.texts
    for passage in seed_report.passages:
        for side in (passage.a, passage.b):
            span = texts[side.doc][side.start : side.end]
            for chrome in ("Leave a", "Akismet", "Post a Comment", "video-container", "Home »"):
                assert chrome not in span


def test_independent_reports_are_linked_only_by_quotes(seed_report):
    for passage in seed_report.passages:
        if passage.a.doc != passage.b.doc and {short(passage.a.doc), short(passage.b.doc)} & {"000", "001", "002"}:
            assert passage.kind == "quote", passage


def test_statements_shared_by_002_and_004_are_quotes(seed_report):
    texts = seed_report.texts
    quoted = [
        texts[p.b.doc][p.b.start : p.b.end]
        for p in seed_report.passages
        if (short(p.a.doc), short(p.b.doc)) == ("002", "004") and p.kind == "quote"
    ]
    assert any("Iran’s Islamic Revolutionary Guards Corps" in q for q in quoted)  # CENTCOM
    assert any("will continue at times and places of our choosing" in q for q in quoted)  # Biden


# Paragraphs (or the one sentence) of 003 that rewrite text of 004, read by hand.
REWRITES = [((271, 719), (214, 750)), ((721, 1101), (1079, 1498)), ((1103, 1375), (1499, 1694)),
            ((3064, 3152), (2473, 2732)), ((3154, 3392), (2733, 3119)), ((3394, 3643), (3361, 4148))]


@pytest.mark.parametrize("rewrite, source", REWRITES)
def test_rewrite_of_the_cnn_text_is_linked_paragraph_by_paragraph(seed_report, rewrite, source):
    linked = [
        p for p in seed_report.passages
        if (short(p.a.doc), short(p.b.doc)) == ("003", "004") and p.kind in ("copy", "paraphrase")
        and p.a.start < rewrite[1] and rewrite[0] < p.a.end and p.b.start < source[1] and source[0] < p.b.end
    ]
    assert linked


def test_without_the_paraphrase_tier_the_rewrite_shares_only_copied_sentences():
    docs, _ = dedup.read_documents([SEEDS])
    report = scan(docs, paraphrase=False)
    kinds = {p.kind for p in report.passages if (short(p.a.doc), short(p.b.doc)) == ("003", "004")}
    assert kinds == {"copy", "quote"}
    assert {p.kind for p in report.passages} <= {"copy", "quote"}


def test_planted_copies_are_found_with_exact_spans_and_nothing_else(planted_expected):
    docs, problems = dedup.read_documents([PLANTED])
    assert problems == [] and sorted(d.id for d in docs) == planted_expected["documents"]
    report = scan(docs)
    assert [list(d.documents) for d in report.duplicates] == planted_expected["duplicates"]
    assert report.clusters == planted_expected["duplicates"]
    found = {}
    for p in report.passages:
        sides = {p.a.doc: (p.a.start, p.a.end), p.b.doc: (p.b.start, p.b.end)}
        found[frozenset(sides)] = (p, sides)
    assert len(report.passages) == len(planted_expected["passages"])
    for expected in planted_expected["passages"]:
        passage, sides = found[frozenset((expected["a"], expected["b"]))]
        assert passage.kind == expected["kind"]
        assert list(sides[expected["a"]]) == expected["a_span"]
        assert list(sides[expected["b"]]) == expected["b_span"]
        assert (passage.score == 1.0) == expected["exact"]


def test_results_are_deterministic(seed_documents):
    first = scan(seed_documents, seed=7).to_dict()
    second = scan(list(seed_documents), seed=7).to_dict()
    assert first == second


def test_plain_strings_and_parameters():
    report = scan(["Only one short text."])
    assert report.documents[0].id == "0" and report.passages == []
    assert report.to_dict()["parameters"]["num_perm"] == 128
    with pytest.raises(ParameterError, match="Unknown parameter 'thresh'"):
        scan(["x"], thresh=0.5)
    with pytest.raises(ParameterError, match="share the id 'a'"):
        scan([Document("a", "x"), Document("a", "y")])


def test_near_duplicates_cluster():
    base = " ".join(f"word{i}" for i in range(200))
    edited = base.replace("word100", "changed")
    report = scan([base, edited, "something else entirely different here"], threshold=0.8)
    assert [d.documents for d in report.duplicates] == [("0", "1")]
    assert report.clusters == [["0", "1"]]
    assert 0.8 <= report.duplicates[0].similarity < 1


def test_the_report_is_the_same_for_any_number_of_jobs(seed_documents):
    from tests.conftest import news_stream

    docs = [Document(d.id, d.text) for d in news_stream(420)] + list(seed_documents)
    one = scan(docs, jobs=1).to_dict()
    assert one["passages"] and {"copy", "paraphrase"} <= {p["kind"] for p in one["passages"]}
    assert scan(docs, jobs=2).to_dict() == one
    assert scan(docs, jobs=3, paraphrase=False).to_dict() == scan(docs, paraphrase=False).to_dict()


def test_jobs_must_be_positive():
    with pytest.raises(ParameterError, match="'jobs'"):
        scan(["a b c"], jobs=0)


def test_a_column_wrapped_story_in_many_documents_is_reuse_not_chrome(seed_documents):
    """Short lines repeated across documents are site chrome, unless they are pieces of a
    text wrapped into a column (OCR pages, hard-wrapped mail): every line of a story copied
    into four such documents repeats, and the story is still reuse."""
    import textwrap

    texts = sorted(d.text for d in seed_documents)
    story = "\n".join(textwrap.wrap(texts[1][:1200], 38))
    docs = [Document(f"page{k}", "\n".join(textwrap.wrap(texts[k][-700:], 38)) + "\n" + story + "\nAbonnez-vous")
            for k in (0, 2, 3, 4)]
    report = scan(docs, paraphrase=False)
    start = docs[0].text.index(story)
    linked = {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages
              if p.kind == "copy" and p.a.doc != p.b.doc and p.a.start <= start + 100 and p.a.end >= start + 900}
    assert len(linked) == 6
    for passage in report.passages:
        assert "Abonnez" not in report.texts[passage.a.doc][passage.a.start:passage.a.end]


def test_a_notice_printed_again_line_for_line_is_reuse_and_a_sites_menu_is_chrome(seed_documents):
    """Short lines found in several documents are chrome where they frame a text of its own
    (a menu above different articles), and reuse where they make up most of the text (a
    notice printed again, line for line, in several newspapers)."""
    notice = ("NOTICE OF GENERAL MEETING\nThe shareholders are invited to the annual meeting\n"
              "At the Casino Theatre in Lausanne on Thursday\nAgenda of the meeting\n"
              "Report of the board of directors\nReport of the auditors of the accounts\n"
              "Approval of the accounts of the year\nElection of two members of the board")
    printed = [Document(f"paper{k}", f"Page {k + 2}\n{notice}") for k in range(3)]
    menu = "Home\nWorld news today\nSport and weather\nOpinion and letters"
    pages = [Document(f"site{k}", f"{menu}\n{doc.text[:1500]}") for k, doc in enumerate(sorted(seed_documents, key=lambda d: d.id)[:3])]
    report = scan(printed + pages, paraphrase=False)
    linked = {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages if p.kind == "copy" and p.a.doc != p.b.doc}
    assert {("paper0", "paper1"), ("paper0", "paper2"), ("paper1", "paper2")} <= linked
    assert not any(a.startswith("site") and b.startswith("site") for a, b in linked)
    assert report.chrome["site0"][:4] == [(0, 4), (5, 21), (22, 39), (40, 59)]
    assert report.chrome["paper0"] == []
