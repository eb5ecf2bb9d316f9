import numpy as np
import pytest

from dedup.match.align import Alignment
from dedup.match.combine import combine
from dedup.match.paraphrase.align import _best_chain, align_sentences
from dedup.match.paraphrase.neighbours import sentence_neighbours
from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.space import SentenceSpace
from dedup.match.paraphrase.units import SentenceUnits
from dedup.text.layout import analyze

SOURCE = [
    "The council approved the new city budget on Tuesday after a debate that lasted six hours.",
    "Spending on road repairs will rise by ten percent next year, the mayor said.",
    "Library opening hours will be extended on weekends from the spring.",
    "Critics argued that the plan raises property taxes for small landlords.",
]


REWRITE = [
    "After six hours of debate, the new city budget was passed by the council on Tuesday.",
    "The mayor said road repair spending is set to rise ten percent next year.",
    "From the spring, libraries will open for longer hours at weekends.",
    "Small landlords face higher property taxes under the plan, critics argued.",
]


UNRELATED = [
    "Heavy rain flooded three villages in the valley overnight.",
    "Rescue teams used boats to evacuate hundreds of residents from their homes.",
    "Forecasters expect the river to stay high until the end of the week.",
]


def space_of(*texts):
    units = [SentenceUnits.from_layout(analyze(t), t) for t in texts]
    return SentenceSpace(units), units


def test_units_skip_headings_and_join_short_sentences():
    text = "Budget Passed After Long Debate\nThe council met. It voted on Tuesday to approve the new budget plan."
    units = SentenceUnits.from_layout(analyze(text), text)
    assert len(units) == 1  # heading left out; "The council met." joined to the next sentence
    assert units.terms[0][:2] == ["the", "council"]


def test_a_rewrite_sentence_by_sentence_is_one_passage():
    space, _ = space_of(" ".join(SOURCE), " ".join(REWRITE))
    [found] = align_sentences(space, 0, 1)
    assert (found.a_first, found.a_last, found.b_first, found.b_last) == (0, 3, 0, 3)
    assert found.seeds >= 3 and found.score > 0.5


def test_matches_out_of_order_are_not_chained_into_one_passage():
    # Two sentences of the source, far apart and in reverse order, amid unrelated sentences:
    # each is a reworded sentence on its own, but no passage spans them.
    shuffled = [REWRITE[3]] + UNRELATED + [REWRITE[0]]
    space, _ = space_of(" ".join(SOURCE), " ".join(shuffled))
    found = align_sentences(space, 0, 1)
    assert [(f.a_first, f.a_last, f.b_first, f.b_last) for f in found] == [(0, 0, 4, 4), (3, 3, 0, 0)]


def test_weakly_similar_sentences_in_no_order_are_not_reuse():
    facts = ["Three villages were flooded on Tuesday and the council approved emergency funds.",
             "The mayor spoke about the weather for ten minutes.",
             "Small boats were used by teams on the river."]
    space, _ = space_of(" ".join(SOURCE), " ".join(facts))
    assert align_sentences(space, 0, 1) == []


def test_unrelated_texts_share_nothing():
    space, _ = space_of(" ".join(SOURCE), " ".join(UNRELATED))
    assert align_sentences(space, 0, 1) == []


def test_best_chain_keeps_order_on_both_sides():
    seeds = np.array([[0, 0], [1, 5], [2, 1], [3, 2]])
    weights = np.array([0.5, 0.9, 0.5, 0.5])
    assert _best_chain(seeds, weights, max_gap=4) == [0, 2, 3]


def test_best_chain_respects_the_gap():
    seeds = np.array([[0, 0], [9, 9]])
    assert len(_best_chain(seeds, np.array([0.6, 0.7]), max_gap=4)) == 1


def test_neighbours_find_the_rewritten_document_pair_only():
    space, units = space_of(" ".join(SOURCE), " ".join(REWRITE), " ".join(UNRELATED))
    owners = np.repeat(np.arange(3), [len(u) for u in units])
    counts = sentence_neighbours(space, owners, ParaphraseOptions())
    assert set(counts) == {(0, 1)} and counts[(0, 1)] >= 1.0


def test_neighbours_of_documents_sharing_words_but_no_similar_sentence():
    space, units = space_of("The harbour froze over in January for the first time in decades.",
                            "A January sale drew shoppers to the new mall downtown on Saturday.")
    owners = np.repeat(np.arange(2), [len(u) for u in units])
    assert sentence_neighbours(space, owners, ParaphraseOptions()) == {}


def test_topic_words_shared_by_every_document_weigh_less():
    space, _ = space_of("Storm hits the coast.", "Storm hits the town.", "Storm closes schools.")
    assert space.topic_weight_.min() < 1.0 and space.topic_weight_.max() == 1.0


def alignment(kind, a0, a1, b0, b1, score=1.0):
    return Alignment(kind, score, a0, a1, b0, b1)


def test_combine_merges_copies_inside_a_rewrite_and_keeps_quotes_apart():
    text = " ".join(["word"] * 200)
    layout = analyze(text)
    copies = [alignment("copy", 100, 200, 100, 200), alignment("quote", 300, 350, 300, 350),
              alignment("quote", 700, 750, 700, 750)]
    rewrites = [alignment("paraphrase", 0, 600, 0, 600, 0.6)]
    merged = combine(copies, rewrites, layout, layout, max_gap=12)
    # The quote inside the rewrite was taken along with it; the one outside stays.
    assert [(m.kind, m.a_start, m.a_end) for m in merged] == [("paraphrase", 0, 600), ("quote", 700, 750)]


def test_combine_calls_a_group_mostly_verbatim_a_copy_with_the_copy_bounds():
    layout = analyze(" ".join(["word"] * 200))
    copies = [alignment("copy", 0, 500, 0, 500)]
    rewrites = [alignment("paraphrase", 400, 560, 400, 560, 0.7)]
    [merged] = combine(copies, rewrites, layout, layout, max_gap=12)
    assert (merged.kind, merged.a_start, merged.a_end, merged.b_end) == ("copy", 0, 500, 500)


def test_combine_keeps_the_stronger_of_two_matches_of_one_text():
    layout = analyze(" ".join(["word"] * 400))
    strong = alignment("copy", 0, 300, 0, 300)
    weak = alignment("copy", 0, 100, 1500, 1600, 0.8)
    assert combine([strong, weak], [], layout, layout, max_gap=12) == [strong]


@pytest.mark.parametrize("kind", ["copy", "paraphrase"])
def test_quoted_rewrites_are_quotes(kind):
    quote = "“We will respond to any attack on our forces at a time and place of our choosing,” the minister said."
    a = "Officials spoke on Friday. " + quote + " Talks continue next week in Geneva with all parties."
    b = "In a statement, " + quote + " Markets were calm."
    from dedup import compare
    kinds = {p.kind for p in compare(a, b)}
    assert kinds == {"quote"}


def test_stop_words_are_scikit_learns_without_importing_it():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from dedup.match.paraphrase.units import stop_words

    assert stop_words() == ENGLISH_STOP_WORDS


def test_a_summary_condensing_its_source_is_one_passage():
    """Two sentences that sum up seven pair with sentences spread over all of them: enough of
    the shorter side is paired, though not of the longer."""
    source = ("The council approved a new budget for the harbour district on Tuesday evening. "
              "Fishermen had asked for years that the old pier be repaired before winter storms. "
              "The mayor said the city could not wait any longer for help from the province. "
              "Residents of the eastern quarter complained about the noise of the building works. "
              "A local bakery offered free bread to the workers during the first week. "
              "Engineers expect the repaired pier to reopen to fishing boats in early spring. "
              "The total cost of the repairs is estimated at four million euros over two years.")
    summary = ("On Tuesday the council approved a harbour district budget, after fishermen asked for years to "
               "repair the old pier. The repairs will cost four million euros over two years, and engineers "
               "expect the pier to reopen to boats in spring.")
    texts = [summary, source, "Prices of wheat rose again at the market this week, traders in the capital said."]
    space = SentenceSpace([SentenceUnits.from_layout(analyze(t), t) for t in texts])
    found = align_sentences(space, 0, 1)
    assert [(f.a_first, f.a_last, f.b_first, f.b_last, f.seeds) for f in found] == [(0, 1, 0, 6, 2)]
