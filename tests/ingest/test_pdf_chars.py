"""PDFium's characters and rules, measured as the layout reader needs them (search/parsing/pdf_chars.py).

The boxes expected of the official PDFs were read from the same pages with pdfminer.six
(pdfplumber 0.11.10), the reader PDFium replaced; the drawn pages are made here, with
reportlab and pypdf, at coordinates the tests choose.
"""

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation

from search.parsing import MARK, pdf_layout_text
from search.parsing.pdf_chars import Rule, read_pages

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"
WIDTH, HEIGHT = 595.0, 842.0


def text_of(page):
    return "".join(char.text for char in page.chars)


def drawn(draw):
    """A one-page A4 PDF, drawn by `draw(canvas)`."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(None, pagesize=(WIDTH, HEIGHT))
    draw(pdf)
    pdf.showPage()
    return pdf.getpdfdata()


def rounded(char):
    return (char.text, round(char.x0, 2), round(char.x1, 2), round(char.top, 2), round(char.bottom, 2))


def test_it_reads_a_footnote_mark_smaller_and_raised_as_pdfminer_did():
    page = next(read_pages((ODS / "A_RES_78_110.pdf").read_bytes()))
    at = text_of(page).index("aliens,1")
    comma, mark = page.chars[at + 6], page.chars[at + 7]

    # pdfminer: "," 233.976–236.466, top 402.161, bottom 412.121, size 9.96;
    # "1" 237.17–240.41, top 401.41, bottom 407.89, size 6.48.
    assert rounded(comma) + (round(comma.size, 2),) == (",", 233.98, 236.47, 402.16, 412.12, 9.96)
    assert rounded(mark) + (round(mark.size, 2),) == ("1", 237.17, 240.41, 401.41, 407.89, 6.48)
    assert (page.width, page.height) == (612, 792)


def test_it_keeps_the_marks_the_layout_reader_turns_into_certain_marks():
    text = pdf_layout_text((ODS / "A_RES_78_110.pdf").read_bytes())

    assert "which contains the draft articles on the expulsion of aliens," + MARK.format(1) in text


def test_it_puts_back_a_space_the_pdf_writes_alone_between_two_words():
    # "2030" and "Agenda" stand 1.2 points apart, the space between them drawn alone: a
    # text object that inks nothing, which PDFium's text page leaves out.
    text = pdf_layout_text((ODS / "A_RES_78_98.pdf").read_bytes())

    assert "14. Takes into account the 2030 Agenda for Sustainable Development," + MARK.format(8) in text
    assert "2030Agenda" not in text


def test_it_gives_back_the_hyphen_of_a_word_broken_at_the_end_of_a_line():
    # PDFium answers U+0002 for the hyphen after "self" at the end of a line.
    text = pdf_layout_text((ODS / "A_C.3_80_L.10.pdf").read_bytes())

    assert "a large portion of the workforce in self-employment and part-time" in text
    assert "\x02" not in text


def test_it_reads_drawn_lines_and_rectangles_as_rules_and_nothing_else():
    def draw(pdf):
        pdf.setLineWidth(0.5)
        pdf.line(72, 200, 144, 200)  # the footnote rule
        pdf.rect(72, 100, 100, 0.5, stroke=0, fill=1)  # a rule drawn as a thin box
        pdf.bezier(72, 300, 100, 320, 130, 280, 160, 300)  # a curve
        clip = pdf.beginPath()
        clip.rect(300, 300, 50, 1)
        pdf.clipPath(clip, stroke=0, fill=0)  # clips, draws nothing

    page = next(read_pages(drawn(draw)))

    assert page.rules == [
        Rule(72, 144, HEIGHT - 200, HEIGHT - 200),
        Rule(72, 172, HEIGHT - 100.5, HEIGHT - 100),
    ]


def test_it_finds_the_footnote_rule_a_pdf_draws():
    def draw(pdf):
        pdf.setFont("Helvetica", 11)
        for number, y in enumerate([600, 586, 572, 558, 544], start=1):
            line = f"Line {number} of the body of a page of text, long enough"
            pdf.drawString(72 + (20 if number == 1 else 0), y, line)
        pdf.line(72, 150, 144, 150)
        pdf.setFont("Helvetica", 6)
        pdf.drawString(72, 138, "1")
        pdf.setFont("Helvetica", 9)
        pdf.drawString(80, 135, "The note below the rule.")

    text = pdf_layout_text(drawn(draw))

    assert text.splitlines()[-1] == MARK.format(1) + " The note below the rule."


def turned(data, rotation):
    """The PDF with each page's box moved or turned by /Rotate, its drawing turned back, so
    that a viewer shows the very same page."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if rotation == 0:  # the box moved 100 points right and up
            page.add_transformation(Transformation().translate(100, 100))
            page.mediabox.lower_left, page.mediabox.upper_right = (100, 100), (100 + width, 100 + height)
        else:  # drawn a quarter turn anticlockwise, shown a quarter turn clockwise
            page.add_transformation(Transformation().rotate(90).translate(height, 0))
            page.mediabox.lower_left, page.mediabox.upper_right = (0, 0), (height, width)
            page.rotate(rotation)
        page.cropbox = page.mediabox
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_reads_a_page_whose_box_is_moved_or_turned_as_the_page_a_viewer_shows():
    data = (ODS / "A_RES_78_110.pdf").read_bytes()
    plain = next(read_pages(data))

    for rotation in (0, 90):
        page = next(read_pages(turned(data, rotation)))

        assert (page.width, page.height) == (plain.width, plain.height)
        assert len(page.chars) == len(plain.chars) > 1500
        for char, same in zip(sorted(page.chars), sorted(plain.chars), strict=True):
            assert char.text == same.text and char.upright == same.upright
            # PDFium computes in single precision: a hundredth of a point apart is one place.
            assert all(abs(a - b) < 0.01 for a, b in zip(char[1:6], same[1:6], strict=True))
    assert pdf_layout_text(turned(data, 90)) == pdf_layout_text(data)
