"""Agenda items written one way (search.engine.agenda): the spellings the documents, the
proceedings and a user use for one item, the items a heading names, the terms the index
files a document under, and the order the facet lists them in. The spellings are those of
the 80th session's files: "Agenda item 69 (a)" (A/RES/80/192), "69(a)" (c3-proposals.json),
"26 (b)" and "99(aa)" (plenary-agenda.json), "Agenda items 13 and 75" (a heading of two)."""

import pytest

from search.engine.agenda import (
    document_items,
    filter_term,
    index_terms,
    is_facet_term,
    item_order,
    items_in,
    normal_item,
    parents,
    shown_item,
    split_term,
)


@pytest.mark.parametrize("spelling", ["69 (a)", "69(a)", "69(A)", "69 a", "69a", " 69 ( a ) "])
def test_it_writes_every_spelling_of_an_item_one_way(spelling):
    assert normal_item(spelling) == "69(a)"


def test_it_keeps_double_letters_and_a_second_level():
    assert normal_item("99(aa)") == "99(aa)"
    assert normal_item("18 (e) (i)") == "18(e)(i)"
    assert normal_item("107") == "107"


@pytest.mark.parametrize("text", ["", "abc", "0", "1000", "69 (a) (b) (c)", "see item 5"])
def test_it_reads_no_item_from_what_is_none(text):
    assert normal_item(text) is None


def test_it_reads_each_item_a_heading_names():
    assert items_in("13 and 75") == ["13", "75"]
    assert items_in("69 (a)") == ["69(a)"]
    assert items_in("134, 145 and 134") == ["134", "145"]
    assert items_in("") == []


def test_an_item_is_part_of_the_items_above_it():
    assert parents("18(e)(i)") == ["18", "18(e)", "18(e)(i)"]
    assert parents("70") == ["70"]


def test_the_index_files_an_item_with_its_session_and_without_and_its_parent():
    assert index_terms("80", ["69(a)"]) == ["80/69", "69", "80/69(a)", "69(a)"]
    assert index_terms("80", ["13", "75"]) == ["80/13", "13", "80/75", "75"]
    assert index_terms("", ["70"]) == ["70"]  # a document of no known session


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("107", "107"),
        ("69 (A)", "69(a)"),
        ("80/69 (a)", "80/69(a)"),
        ("80/69a", "80/69(a)"),
        ("080/70", "80/70"),
        ("Crime", "crime"),  # no item: kept, and it finds nothing
    ],
)
def test_a_typed_value_is_written_as_the_index_holds_it(typed, term):
    assert filter_term(typed) == term


def test_the_facet_counts_only_the_items_of_a_session():
    assert is_facet_term("80/70") and not is_facet_term("70")
    assert split_term("80/69(a)") == ("80", "69(a)")
    assert split_term("69(a)") == ("", "69(a)")


def test_items_are_listed_newest_session_first_then_in_the_agendas_order():
    terms = ["78/70", "80/107", "80/99(aa)", "80/99(z)", "80/99", "80/9", "80/69(a)"]
    assert sorted(terms, key=item_order) == [
        "80/9",
        "80/69(a)",
        "80/99",
        "80/99(z)",
        "80/99(aa)",
        "80/107",
        "78/70",
    ]


def test_an_item_is_shown_as_the_un_writes_it():
    assert shown_item("69(a)") == "69 (a)"
    assert shown_item("18(e)(i)") == "18 (e) (i)"


def test_the_proceedings_refine_an_item_the_heading_gives_only_in_part():
    # A/C.1/80/L.41's heading, "Agenda item 99 (kk)", as a database filled before sub-items
    # of two letters were read holds it ("99"); c1-proposals.json: "99(kk)".
    assert document_items(["99"], ["99(kk)"]) == ["99(kk)"]
    assert document_items(["69(a)"], ["69(a)"]) == ["69(a)"]
    assert document_items(["70"], ["71(b)"]) == ["70"]  # another item: the heading's stands
    assert document_items([], ["71(b)"]) == ["71(b)"]
