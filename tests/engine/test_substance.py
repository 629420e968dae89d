"""Substance first: procedural paragraphs rank below substantive ones on the same words,
unless the query asks for the formula (issue 20), on the real corpus."""

from conftest import all_hits

from search.engine import docsets
from search.engine.index import get_searcher
from search.models import Paragraph
from search.parsing.formulas import formula_of


def test_it_indexes_each_paragraphs_formula_once(corpus):
    reader = get_searcher().reader()
    cooperation = docsets.term_docs(reader, "formula", "cooperation")
    anchors = {(f["symbol"], f["anchor"]) for f in map(get_searcher().stored_fields, cooperation.tolist())}
    # "Further encourages Member States to cooperate with the Special Rapporteur …"
    assert ("A/RES/74/176", "op20") in anchors


def test_procedural_paragraphs_rank_below_substance_on_the_same_words(corpus):
    hits = all_hits("trafficking in persons especially women and children")
    formulas = [i for i, hit in enumerate(hits) if formula_of(hit_text(hit))]
    # A report noted, cooperation with the Special Rapporteur: found, after the substance.
    assert len(formulas) >= 2
    assert min(formulas) > 3, [(hits[i]["resolution"], hits[i]["anchor"]) for i in formulas]


def test_a_query_for_the_formula_still_finds_it_first(corpus):
    hits = all_hits("requests the Secretary-General to submit a report")
    assert (hits[0]["resolution"], hits[0]["anchor"]) == ("A/RES/74/176", "op26")


def hit_text(hit):
    return Paragraph.objects.get(
        version__resolution__key=hit["resolution"], version__language=hit["language"], anchor=hit["anchor"]
    ).text
