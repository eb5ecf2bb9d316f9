from dedup.attribution.attribute import AttributionInput, attribute
from dedup.attribution.citations import Citation
from dedup.attribution.dates import PublicationDate
from dedup.records import Passage, Side


def doc(doc_id, chars=1000, *, published=None, inferred=False, citations=(), url=None, outlet=None):
    date = PublicationDate(published, inferred) if published else None
    return AttributionInput(doc_id, chars, url=url, outlet=outlet, published=date, citations=list(citations))


def shared(a, b, a_span=(0, 500), b_span=(0, 500), kind="copy"):
    return Passage(kind, 1.0, Side(a, *a_span), Side(b, *b_span))


def verdicts(result):
    return {r["doc"]: (r["verdict"], [(s["doc"], s["outlet"]) for s in r["sources"]]) for r in result}


def test_earlier_publication_is_the_original_and_evidence_is_given():
    result = attribute([doc("a", published="2024-02-03"), doc("b", published="2024-02-02")], [shared("a", "b")])
    assert verdicts(result) == {"a": ("derived", [("b", None)]), "b": ("original", [])}
    evidence = result[0]["sources"][0]["evidence"]
    assert evidence[0] == "shares 1 copy passage with b"
    assert "a was published 2024-02-03, after b (2024-02-02; dates from metadata)" in evidence
    assert 0 < result[0]["sources"][0]["confidence"] <= 1


def test_containment_decides_when_nothing_else_does():
    # b carries the passage among much other text; a is little else than the passage.
    result = attribute([doc("a", chars=550), doc("b", chars=5000)], [shared("a", "b")])
    assert verdicts(result) == {"a": ("derived", [("b", None)]), "b": ("original", [])}


def test_a_citation_outweighs_a_later_date():
    cite = Citation("Daily Planet", "https://dailyplanet.example/story", 900, 940, "url")
    docs = [doc("copy", published="2024-01-01", citations=[cite]),
            doc("orig", published="2024-01-05", url="https://dailyplanet.example/story")]
    result = attribute(docs, [shared("copy", "orig")])
    assert verdicts(result) == {"copy": ("derived", [("orig", None)]), "orig": ("original", [])}
    evidence = result[0]["sources"][0]["evidence"]
    assert any(e.startswith("copy cites orig") for e in evidence)
    assert any("copy was published 2024-01-05" in e or "orig was published 2024-01-05" in e for e in evidence)


def test_named_source_makes_a_document_derived_from_the_outlet():
    credit = Citation("Reuters", None, 0, 12, "credit")
    result = attribute([doc("a", citations=[credit]), doc("b")], [])
    assert verdicts(result) == {"a": ("derived", [(None, "Reuters")]), "b": ("independent", [])}
    assert result[0]["sources"][0]["evidence"][0].startswith("names Reuters as its source")


def test_an_outlet_does_not_derive_from_itself():
    credit = Citation("CNN", None, 0, 10, "credit")
    result = attribute([doc("a", citations=[credit], outlet="CNN")], [])
    assert verdicts(result) == {"a": ("independent", [])}


def test_an_agency_article_on_its_own_site_crediting_itself_is_not_derived():
    credit = Citation("Agence France-Presse", None, 0, 12, "credit")
    result = attribute([doc("afp", citations=[credit], url="https://www.afp.com/world/story")], [])
    assert verdicts(result) == {"afp": ("independent", [])}


def test_a_copy_crediting_an_agency_derives_from_the_agency_article_in_the_corpus():
    # Nothing decides between the two by text or date; the copy names AFP, the other is AFP's own page.
    credit = Citation("Agence France-Presse", None, 0, 12, "credit")
    docs = [doc("afp", citations=[credit], url="https://www.afp.com/world/story"),
            doc("carrier", citations=[credit], url="https://ledger.example/news/1")]
    result = attribute(docs, [shared("afp", "carrier")])
    assert verdicts(result) == {"afp": ("original", []), "carrier": ("derived", [("afp", None)])}
    assert "an article of Agence France-Presse" in result[1]["sources"][0]["evidence"][0]


def test_common_source_when_direction_is_undecided():
    # a names CNN as its source; b shares text with a and nothing decides between them.
    source = Citation("CNN", "https://cnn.com/x", 900, 920, "source")
    result = attribute([doc("a", citations=[source]), doc("b")], [shared("a", "b", kind="paraphrase")])
    assert verdicts(result) == {"a": ("derived", [(None, "CNN")]), "b": ("derived", [(None, "CNN")])}
    assert result[1]["sources"][0]["evidence"][0].startswith("shares 1 paraphrase passage with a, which names CNN")


def test_transitive_chain_reaches_the_outside_outlet():
    source = Citation("CNN", "https://cnn.com/x", 900, 920, "source")
    docs = [doc("copy", published="2024-02-02", citations=[source]),
            doc("rewrite", published="2024-02-03"),
            doc("rewrite2", published="2024-02-04")]
    passages = [shared("copy", "rewrite"), shared("rewrite", "rewrite2", (600, 900), (0, 300))]
    result = verdicts(attribute(docs, passages))
    assert result["copy"] == ("derived", [(None, "CNN")])
    assert result["rewrite"] == ("derived", [("copy", None), (None, "CNN")])
    assert result["rewrite2"] == ("derived", [("rewrite", None), (None, "CNN")])


def test_quotes_are_not_evidence_of_reuse():
    result = attribute([doc("a", published="2024-02-03"), doc("b", published="2024-02-02")],
                       [shared("a", "b", kind="quote")])
    assert verdicts(result) == {"a": ("independent", []), "b": ("independent", [])}


def test_every_derived_verdict_carries_evidence(seed_report):
    for entry in seed_report.attribution:
        if entry["verdict"] == "derived":
            assert entry["sources"] and all(s["evidence"] for s in entry["sources"])


def test_seed_verdicts(seed_report):
    result = {r["doc"][:3]: r for r in seed_report.attribution}
    for independent in ("000", "001", "002"):
        assert result[independent]["verdict"] == "independent"
    for derived in ("003", "004"):
        assert result[derived]["verdict"] == "derived"
        [source] = result[derived]["sources"]
        assert (source["doc"], source["outlet"]) == (None, "CNN")
        assert "amp.cnn.com/cnn/2024/02/02/politics/us-strikes-iraq-syria" in source["url"]
    assert "https://www.google.com/amp/s/amp.cnn.com" in result["004"]["sources"][0]["evidence"][0]
    assert "004_b86f621bbed01eb0.txt" in result["003"]["sources"][0]["evidence"][0]


def test_an_undecided_member_of_a_cited_group_took_the_text_from_its_representative():
    from dedup.attribution.attribute import CarriedText

    # The same length, no dates, no credit: nothing decides the pair by itself.
    docs, passages = [doc("wire"), doc("copy")], [shared("wire", "copy")]
    assert verdicts(attribute(docs, passages)) == {"wire": ("independent", []), "copy": ("independent", [])}
    cited = {"copy": CarriedText("wire", cited_by=12, documents=20)}
    result = attribute(docs, passages, cited)
    assert verdicts(result) == {"wire": ("original", []), "copy": ("derived", [("wire", None)])}
    assert "12 of which cite it" in result[1]["sources"][0]["evidence"][0]
    # A representative that no member cites was chosen by date or length: no such inference.
    uncited = {"copy": CarriedText("wire", cited_by=0, documents=20)}
    assert verdicts(attribute(docs, passages, uncited))["copy"] == ("independent", [])
