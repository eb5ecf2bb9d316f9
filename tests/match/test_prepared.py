from dedup import Document, ScanConfig
from dedup.match.paraphrase.statistics import TermStatistics
from dedup.match.prepared import prepare, prepare_document
from dedup.sketch.hashing import TokenHasher

SOURCE = ("The council approved the new budget on Tuesday after a long debate about roads. "
          "Spending on schools will rise by ten percent next year, the mayor said.")
REWRITE = ("After a lengthy discussion, the council passed the new budget on Tuesday. "
           "School spending is set to rise ten percent next year, according to the mayor.")


def test_both_tiers_give_the_pairs_passages_with_spans_into_the_texts():
    docs = [Document("a", SOURCE), Document("b", "Intro line here. " + SOURCE)]
    [copied] = prepare(docs, ScanConfig()).passages_between(0, 1)
    assert copied.kind == "copy" and docs[1].text[copied.b.start:copied.b.end].startswith("The council")
    corpus = prepare([Document("a", SOURCE), Document("c", REWRITE)], ScanConfig())
    [rewritten] = corpus.passages_between(0, 1)
    assert rewritten.kind == "paraphrase" and REWRITE[rewritten.b.start:rewritten.b.end].endswith("the mayor")
    assert corpus.passages_between(0, 1, rewrites=False) == []


def test_prepare_without_the_paraphrase_tier_keeps_no_sentence_vectors():
    corpus = prepare([Document("a", SOURCE)], ScanConfig(paraphrase=False))
    assert corpus.space is None and corpus.unit_bounds == []
    fingerprint, units = prepare_document(Document("a", SOURCE), ScanConfig(paraphrase=False), frozenset(),
                                          TokenHasher())
    assert units is None and len(fingerprint.shingle_set()) > 0


def test_given_statistics_vectorise_as_the_whole_corpus_does():
    docs = [Document("a", SOURCE), Document("c", REWRITE)]
    whole = prepare(docs, ScanConfig())
    units = [prepare_document(doc, ScanConfig(), frozenset(), TokenHasher())[1] for doc in docs]
    alone = prepare(docs[1:], ScanConfig(), statistics=TermStatistics.of(units))
    assert (alone.space.vectors_[0] != whole.space.vectors_[1]).nnz == 0
