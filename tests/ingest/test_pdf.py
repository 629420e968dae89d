"""Official UN PDFs are read by their layout: furniture out, marks and footnotes kept.

The files in corpus/ods/ are the PDFs the UN's document system distributes, unchanged.
The expectations were read from the pages themselves.
"""

import re
from io import StringIO
from pathlib import Path

from conftest import parse_ods_pdf as parse_pdf
from django.core.management import call_command

from search.parsing import MARK, pdf_layout_text

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"
FURNITURE = re.compile(r"\b\d{2}-\d{5}\b|\*\d{7}\*|Distr\.:|United Nations A/|_{5,}")


def counts(doc):
    return (
        sum(1 for p in doc.paragraphs if p.kind == "preambular"),
        sum(1 for p in doc.paragraphs if p.kind == "operative" and p.level == 0),
        len(doc.footnotes),
    )


def test_it_reads_a_two_page_resolution_with_its_heading_marks_and_footnotes():
    doc = parse_pdf("A_RES_78_110.pdf")
    assert doc.symbol == "A/RES/78/110"
    assert doc.title == "Expulsion of aliens"
    assert (doc.session, doc.agenda_item, doc.adopted_on) == ("Seventy-eighth session", "81", "2023-12-07")
    assert counts(doc) == (6, 3, 4)
    assert doc.warnings == []
    assert [(p.anchor, p.footnotes) for p in doc.paragraphs if p.footnotes] == [
        ("pp1", [1]),
        ("pp2", [2]),
        ("pp5", [3]),
        ("op2", [4]),
    ]
    assert doc.footnotes[1].text == "Ibid., para. 42."
    # The last footnote of page one stops before the job number under it.
    assert doc.footnotes[2].text.endswith("A/C.6/72/SR.15 and A/C.6/75/SR.16.")


def test_it_joins_a_paragraph_across_a_page_break_and_keeps_its_marks():
    doc = parse_pdf("A_C.3_80_L.30.pdf")
    op1 = next(p for p in doc.paragraphs if p.anchor == "op1")
    assert op1.text == (
        "Welcomes the report of the Secretary-General submitted pursuant to resolution 79/183, "
        "the report of the Independent International Fact-Finding Mission on the Islamic Republic "
        "of Iran submitted pursuant to Human Rights Council resolution 55/19 and the report of the "
        "Special Rapporteur on the situation of human rights in the Islamic Republic of Iran, "
        "submitted pursuant to Human Rights Council resolution 58/21;"
    )
    assert op1.footnotes == [6, 7, 8]


def test_it_reads_the_symbol_sponsors_and_title_of_a_draft():
    doc = parse_pdf("A_C.3_80_L.30.pdf")
    assert doc.symbol == "A/C.3/80/L.30"
    assert doc.doc_type == "draft_resolution"
    assert doc.title == "Situation of human rights in the Islamic Republic of Iran"
    assert doc.sponsors[:3] == ["Albania", "Andorra", "Austria"]
    assert counts(doc) == (3, 37, 17)
    assert [p.anchor for p in doc.paragraphs if p.level == 1] == [f"op32{c}" for c in "abcdefgh"]
    assert doc.warnings == []


def test_it_takes_a_resolution_titled_report_of_a_committee_as_a_resolution():
    doc = parse_pdf("A_RES_78_116.pdf")
    assert (doc.doc_type, doc.symbol) == ("resolution", "A/RES/78/116")
    assert doc.title == "Report of the Committee on Relations with the Host Country"
    assert counts(doc) == (6, 17, 7)
    assert doc.warnings == []


def test_it_leaves_no_page_furniture_in_any_paragraph():
    # A/RES/78/140 sets its job number and bar code higher on page one than the others.
    doc = parse_pdf("A_RES_78_140.pdf")
    assert doc.symbol == "A/RES/78/140"
    assert doc.session == "Seventy-eighth session"
    assert counts(doc) == (39, 43, 13)
    assert doc.warnings == []
    for name in ["A_RES_78_110.pdf", "A_RES_78_116.pdf", "A_RES_78_140.pdf", "A_C.3_80_L.30.pdf"]:
        paragraphs = parse_pdf(name).paragraphs
        assert [p.text for p in paragraphs if FURNITURE.search(p.text) or "A/RES/78/1" in p.text] == []


def test_it_turns_raised_small_digits_into_certain_marks():
    text = pdf_layout_text((ODS / "A_RES_78_110.pdf").read_bytes())
    assert "which contains the draft articles on the expulsion of aliens," + MARK.format(1) in text
    assert text.splitlines()[0] == "A/RES/78/110"
    assert text.splitlines()[-1] == MARK.format(4) + " See A/C.6/78/SR.34."


def test_it_parses_a_pdf_from_the_command_line_as_an_upload_would():
    out = StringIO()
    call_command("parse_document", str(ODS / "A_C.3_80_L.30.pdf"), stdout=out)
    assert out.getvalue().splitlines()[:3] == [
        f"{ODS / 'A_C.3_80_L.30.pdf'}: draft_resolution [en] A/C.3/80/L.30",
        "  title: Situation of human rights in the Islamic Republic of Iran",
        "  48 paragraphs, 17 footnotes, 0 contained resolutions",
    ]
