"""The heading of a document read as one line per paragraph (a Word file, a typeset PDF)."""

from search.parsing import parse_document

DRAFT = """A/C.3/80/L.37/Rev.1
Eightieth session
Third Committee
Agenda item 71 (b)
Albania, Andorra, Austria, Belgium, Bulgaria, Canada, Croatia, Estonia and Finland: revised draft resolution
Rights of the child
The General Assembly,
Recalling its resolution 79/188 of 17 December 2024,
1. Decides to continue its consideration of the question.
"""


def test_it_reads_the_symbol_of_a_draft_from_a_line_of_its_own():
    doc = parse_document(DRAFT, "en", "markdown")
    assert doc.symbol == "A/C.3/80/L.37/Rev.1"


def test_it_ends_the_sponsors_line_before_the_title():
    doc = parse_document(DRAFT, "en", "markdown")
    assert doc.doc_type == "draft_resolution"
    assert doc.title == "Rights of the child"
    assert doc.sponsors[:2] == ["Albania", "Andorra"]


def test_it_takes_a_resolution_on_a_committee_report_as_a_resolution():
    text = """Seventy-eighth session
Agenda item 161
Report of the Committee on Relations with the Host Country
78/116. Report of the Committee on Relations with the Host Country
The General Assembly,
Having considered the report of the Committee on Relations with the Host Country,
1. Endorses the recommendations of the Committee;
"""
    doc = parse_document(text, "en", "markdown")
    assert (doc.doc_type, doc.symbol) == ("resolution", "A/RES/78/116")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1"]


def test_it_reads_a_report_cited_in_a_preambular_paragraph_as_no_report():
    text = """A/C.3/80/L.23
Report of the United Nations High Commissioner for Refugees
The General Assembly,
Having considered the report of the Executive Committee of the Programme of the High Commissioner,
1. Welcomes the work of the Office;
"""
    doc = parse_document(text, "en", "markdown")
    assert (doc.doc_type, doc.symbol) == ("resolution", "A/C.3/80/L.23")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1"]


def test_it_takes_the_organ_that_adopted_a_resolution_not_the_one_its_agenda_item_names():
    text = """Seventy-eighth session
Agenda item 9
Report of the Economic and Social Council
Resolution adopted by the General Assembly on 18 December 2023
78/125. Graduation of Bhutan from the least developed country category
The General Assembly,
Recalling its resolution 59/209 of 20 December 2004,
1. Takes note of the graduation of Bhutan;
"""
    doc = parse_document(text, "en", "markdown")
    assert (doc.body, doc.symbol) == ("GA", "A/RES/78/125")
