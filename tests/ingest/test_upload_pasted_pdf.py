"""Text copied out of a PDF viewer and uploaded as .txt reads as the PDF it came from.

Chromium's PDF viewer is PDFium: its "select all, copy" gives what pypdfium2's
`get_text_range()` gives page by page (lines broken as printed, no blank lines, the page
furniture in, footnote marks as plain digits, footnotes at the foot of each page). The
copies are made here from the official PDFs of corpus/ods/ (unchanged), and uploaded as
a .txt is (`read_document`). The expectations were read from the PDFs: the symbol of the
masthead, the operative paragraphs (OP 1 … N) or an amendment's numbered instructions, how
many footnotes the pages hold, and where one of their marks stands.
"""

import time

import pypdfium2
import pytest
from conftest import CORPUS, parse_ods_pdf

from search.ingest.extract import read_document
from search.parsing import ParseError
from search.parsing.documents import NO_RESOLUTION_STRUCTURE


def viewer_copy(name: str, line_end: str = "\r\n") -> str:
    """Return what a PDF viewer's "select all, copy" gives of a PDF of corpus/ods/."""
    pdf = pypdfium2.PdfDocument(str(CORPUS / "ods" / name))
    try:
        pages = []
        for page in pdf:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
    finally:
        pdf.close()
    return line_end.join(page.replace("\r\n", line_end) for page in pages)


def upload(text: str):
    """Read the text as an uploaded .txt file is read."""
    doc, _language = read_document(text.encode("utf-8"), "copied from the viewer.txt", None)
    return doc


def numbered(doc) -> int:
    """The operative paragraphs (OP 1 … N), or a working paper's numbered paragraphs."""
    top = [p for p in doc.paragraphs if p.level == 0 and p.kind in ("operative", "report")]
    return len(top)


# name: symbol, type, numbered paragraphs, footnotes, (a paragraph, the marks it carries)
EXPECTED = {
    # First Committee: a draft with sponsors; a preamble with marks after the lines' ends.
    "A_C.1_80_L.18.pdf": ("A/C.1/80/L.18", "draft_resolution", 15, 4, ("op1", [1])),
    "A_C.1_80_L.36.pdf": ("A/C.1/80/L.36", "draft_resolution", 11, 14, ("pp8", [2, 3])),
    # Second Committee: the Rapporteur's draft "on the basis of informal consultations on
    # draft resolution A/C.2/80/L.33".
    "A_C.2_80_L.45.pdf": ("A/C.2/80/L.45", "draft_resolution", 24, 8, ("op1", [5, 6])),
    # Third Committee: marks 1 to 11 after a list of resolutions, one glued to a year.
    "A_C.3_80_L.39.pdf": ("A/C.3/80/L.39", "draft_resolution", 23, 18, ("pp5", [12])),
    # An amendment whose draft's symbol stands on the next line of its heading.
    "A_C.3_80_L.57.pdf": ("A/C.3/80/L.57", "amendment", 2, 0, None),
    # Fourth Committee: 21 footnotes over 12 pages, one mark glued to "1993".
    "A_C.4_80_L.16.pdf": ("A/C.4/80/L.16", "draft_resolution", 49, 21, ("pp4", [1])),
    # Fifth Committee: "The General Assembly" with no comma, operative paragraphs only.
    "A_C.5_80_L.10.pdf": ("A/C.5/80/L.10", "draft_resolution", 12, 2, ("op8", [1])),
    # Sixth Committee: sections I to X, sub-paragraphs (a) … (f) and (i) … (v), 38 footnotes.
    "A_C.6_80_L.10.pdf": ("A/C.6/80/L.10", "draft_resolution", 28, 38, ("op4", [8])),
    # Sixth Committee drafts without a sponsor line ("Draft resolution" over the title).
    "A_C.6_80_L.11.pdf": ("A/C.6/80/L.11", "draft_resolution", 21, 2, ("op18", [2])),
    "A_C.6_80_L.21.pdf": ("A/C.6/80/L.21", "draft_resolution", 49, 8, ("op8c", [3])),
    # Plenary: a draft decision (its sub-paragraphs (a) and (b)), a draft of the President,
    # an amendment with numbered instructions and one with a single unnumbered one.
    "A_80_L.1.pdf": ("A/80/L.1", "draft_decision", 1, 1, ("para1a", [1])),
    "A_80_L.15.pdf": ("A/80/L.15", "draft_resolution", 30, 4, ("pp15", [2, 3, 4])),
    "A_80_L.28.pdf": ("A/80/L.28", "amendment", 8, 0, None),
    "A_80_L.29.pdf": ("A/80/L.29", "amendment", 1, 0, None),
    # Resolutions of the 80th session: a mark on a line of its own; sub-paragraphs.
    "A_RES_80_1.pdf": ("A/RES/80/1", "resolution", 3, 1, ("pp1", [1])),
    "A_RES_80_116.pdf": ("A/RES/80/116", "resolution", 8, 6, ("pp13", [3])),
    # Resolutions of the 78th: running titles of three and four lines above the page numbers.
    "A_RES_78_131.pdf": ("A/RES/78/131", "resolution", 9, 9, ("pp5", [5, 6, 7])),
    "A_RES_78_170.pdf": ("A/RES/78/170", "resolution", 13, 10, ("pp8", [2, 3])),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_reads_a_pdf_copied_from_a_viewer_as_the_pdf(name):
    symbol, doc_type, count, notes, mark = EXPECTED[name]
    doc = upload(viewer_copy(name))
    assert (doc.symbol, doc.doc_type, numbered(doc), len(doc.footnotes)) == (symbol, doc_type, count, notes)
    if mark:
        anchor, marks = mark
        assert next(p.footnotes for p in doc.paragraphs if p.anchor == anchor) == marks
    # And paragraph for paragraph as the PDF itself reads.
    pdf = parse_ods_pdf(name)
    assert [p.anchor for p in doc.paragraphs] == [p.anchor for p in pdf.paragraphs]
    assert [p.footnotes for p in doc.paragraphs] == [p.footnotes for p in pdf.paragraphs]
    assert (doc.sponsors, doc.amends) == (pdf.sponsors, pdf.amends)


def test_it_reads_a_copy_with_unix_line_ends_and_no_page_furniture_left():
    doc = upload(viewer_copy("A_C.6_80_L.10.pdf", line_end="\n"))
    assert (doc.symbol, numbered(doc), len(doc.footnotes)) == ("A/C.6/80/L.10", 28, 38)
    text = " ".join(p.text for p in doc.paragraphs)
    for furniture in ("25-17986", "*2517986*", "2/8", "Distr.", "Original: English", "__"):
        assert furniture not in text
    # A word the viewer joined across a line end ("Secretary￾General") reads whole.
    assert "Secretary-General to keep the General Assembly informed" in text
    assert doc.footnotes[21].text.startswith("See the summary of conclusions as reproduced in annex III")


def test_it_reads_the_sponsors_and_the_title_of_a_pasted_draft():
    doc = upload(viewer_copy("A_C.6_80_L.10.pdf"))
    assert doc.sponsors[0] == "Armenia" and doc.sponsors[-1] == "Zambia" and len(doc.sponsors) == 25
    assert "United Kingdom of Great Britain and Northern Ireland" in doc.sponsors
    assert doc.title == (
        "Report of the United Nations Commission on International Trade Law "
        "on the work of its fifty-eighth session"
    )
    assert (doc.distribution, doc.issued_on, doc.committee) == ("Limited", "2025-11-07", "C6")


def test_it_refuses_pasted_text_that_is_no_un_document():
    with pytest.raises(ParseError) as refused:
        upload("Shopping list\r\nMilk\r\nBread\r\n2/8 25-17986\r\n")
    assert str(refused.value) == NO_RESOLUTION_STRUCTURE


def test_it_reads_a_hostile_copy_in_bounded_time():
    """A masthead, then a page of thousands of footnotes none of whose marks is there, and a
    long line of digits: a generous bound that only an unbounded search would break."""
    masthead = "United Nations A/80/L.1\nGeneral Assembly Distr.: Limited\n25-14304 (E) 100925\n*2514304*\n"
    body = "The General Assembly,\n1. Decides " + "1 " * 200_000 + "\n"
    notes = "__________\n" + "".join(f"{n} Note.\n" for n in range(1, 999))
    started = time.process_time()
    upload(masthead + body + notes)
    assert time.process_time() - started < 20


def test_it_reads_a_text_of_many_numbers_in_bounded_time():
    """No masthead: the plain reading, whose marks are looked for number by number, each
    after the word before it (read from a window, not from the whole paragraph before)."""
    body = "The General Assembly,\n1. Decides " + "1 " * 200_000 + "\n"
    notes = "__________\n" + "".join(f"{n} Note.\n" for n in range(1, 999))
    started = time.process_time()
    upload(body + notes)
    assert time.process_time() - started < 20
