import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import Document, scan
from dedup.match.cluster import UnionFind
from dedup.text.layout import normalize

WORDS = st.sampled_from("the strikes began friday officials said militia base drone attack troops iraq syria “quote” U.S. café".split())
TEXTS = st.lists(WORDS, min_size=0, max_size=60).map(" ".join)


@given(st.text())
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(st.sets(st.integers(0, 50)), st.sets(st.integers(0, 50)))
def test_jaccard_is_symmetric_and_bounded(a, b):
    def jaccard(x, y):
        x, y = np.array(sorted(x), dtype=np.uint64), np.array(sorted(y), dtype=np.uint64)
        union = len(np.union1d(x, y))
        return len(np.intersect1d(x, y)) / union if union else 0.0

    assert jaccard(a, b) == jaccard(b, a)
    assert 0.0 <= jaccard(a, b) <= 1.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXTS, st.booleans()), min_size=1, max_size=5), st.text(max_size=40))
def test_spans_lie_inside_the_texts_and_clusters_partition(pieces, noise):
    # Some documents copy the previous one, so that passages and duplicates occur.
    texts = []
    for text, copies in pieces:
        texts.append(texts[-1] + " " + noise if copies and texts else text + noise)
    report = scan([Document(str(i), t) for i, t in enumerate(texts)], min_words=3)
    for passage in report.passages:
        for side in (passage.a, passage.b):
            assert 0 <= side.start < side.end <= len(texts[int(side.doc)])
        assert 0.0 <= passage.score <= 1.0
    seen = [doc for cluster in report.clusters for doc in cluster]
    assert len(seen) == len(set(seen))
    assert set(seen) <= {str(i) for i in range(len(texts))}


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=20))
def test_union_find_partitions(pairs):
    sets = UnionFind(range(10))
    for a, b in pairs:
        sets.union(a, b)
    groups = sets.groups()
    assert sorted(x for g in groups for x in g) == list(range(10))
    for a, b in pairs:
        assert any(a in g and b in g for g in groups)


LINES = st.one_of(
    TEXTS,
    st.text(max_size=80),
    st.sampled_from(["Leave a comment", "Share this article", "<div class=\"x\">", "Home » News » World", ""]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(LINES, max_size=6).map("\n".join), min_size=1, max_size=4))
def test_word_runs_hash_the_words_and_chrome_of_analyze(texts):
    from dedup.sketch.hashing import TokenHasher, hash_byte_runs
    from dedup.text.layout import analyze
    from dedup.text.words import matching_word_runs

    runs = matching_word_runs(texts)
    hashes = hash_byte_runs(runs.data, runs.starts, runs.ends)
    at = 0
    for text, count in zip(texts, runs.counts.tolist()):
        layout = analyze(text)
        assert count == len(layout.words)
        assert hashes[at : at + count].tolist() == TokenHasher().hash(layout.words).tolist()
        assert TokenHasher().hash_layout(layout).tolist() == hashes[at : at + count].tolist()
        assert runs.chrome[at : at + count].tolist() == layout.boilerplate.tolist()
        at += count


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_tokens_are_the_regex_words_with_their_offsets(text):
    import re

    from dedup.text.layout import tokenize

    words, starts, ends = tokenize(text)
    found = list(re.finditer(r"\w+", text))
    assert words == [m.group().lower() for m in found]
    assert starts.tolist() == [m.start() for m in found] and ends.tolist() == [m.end() for m in found]


@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\u00a0\u2028\x0b.")), max_size=60))
def test_line_spans_are_the_stripped_runs_between_line_breaks(text):
    import re

    from dedup.text.layout import line_spans

    expected = []
    for match in re.finditer(r"[^\n\r]+", text):  # the definition: runs without \n or \r, stripped
        line = match.group()
        if line.strip():
            lead = len(line) - len(line.lstrip())
            expected.append((match.start() + lead, match.start() + lead + len(line.strip())))
    assert line_spans(text) == expected


MIXED = st.text(alphabet=st.sampled_from(list("ab Z_9.\n") + ["“", "”", "—", "\u00a0", "’", "é", "ß", "ﬁ", "²", "™", "İ", "…"]),
                max_size=80)


@settings(max_examples=400, deadline=None)
@given(MIXED)
def test_fast_tokens_are_the_regex_tokens_normalised_one_by_one(text):
    """Whatever path a text takes (ASCII words only or not), its tokens are the \\w+ runs,
    each in its matching form, at their offsets; and the batch path hashes the same words."""
    import re

    from dedup.sketch.hashing import TokenHasher, hash_byte_runs
    from dedup.text.layout import analyze, normalize_token, tokenize
    from dedup.text.words import matching_word_runs

    found = list(re.finditer(r"\w+", text))
    words, starts, ends = tokenize(text)
    assert words == [normalize_token(m.group()) for m in found]
    assert starts.tolist() == [m.start() for m in found] and ends.tolist() == [m.end() for m in found]
    layout = analyze(text)
    assert layout.words == words
    assert TokenHasher().hash_layout(layout).tolist() == TokenHasher().hash(words).tolist()
    runs = matching_word_runs([text, "plain words"])
    hashes = hash_byte_runs(runs.data, runs.starts, runs.ends)
    assert hashes[: runs.counts[0]].tolist() == TokenHasher().hash(words).tolist()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_words_normalised_together_are_the_words_normalised_one_by_one(text):
    """matching_words normalises a text's words joined by NUL in one call; that must give
    each word's own matching form, whatever the script, combining marks or compatibility
    forms."""
    import re

    from dedup.text.evasion import JOINERS, matching_view
    from dedup.text.layout import SPACELESS, normalize_token
    from dedup.text.words import matching_words

    words, chrome = matching_words(text)
    word = rf"[{SPACELESS}]|[^\W{SPACELESS}]+(?:[{JOINERS}]+[^\W{SPACELESS}]*)*"  # the definition of a word
    tokens = re.finditer(word, matching_view(text))
    assert words == [normalize_token(m.group()) for m in tokens]
    assert len(chrome) == len(words)


ACCENTED_LINES = st.lists(st.sampled_from(
    ["Leave a comment", "Share this article", "Home » Nouvelles » Monde", "Ça va très bien, merci.", "Straße ² ﬁn",
     "  Żółw_9 et l’été…  ", "", "İstanbul 2024", "naïve café\u0301", "東京 news"]), max_size=8).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(ACCENTED_LINES)
def test_the_words_of_texts_that_are_not_ascii_keep_analyzes_words_and_chrome(text):
    """Texts with accented words take the code-point path (or, with a combining mark or a
    spaceless script, the regular expression's): the words and chrome flags are analyze's."""
    from dedup.text.layout import analyze
    from dedup.text.words import matching_words

    words, chrome = matching_words(text)
    layout = analyze(text)
    assert words == layout.words
    assert chrome.tolist() == layout.boilerplate.tolist()
