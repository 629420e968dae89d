"""A Chinese PDF in the UN layout, generated from a corpus text, reads as the text does.

No official Chinese PDF is in the repository, so the test typesets one with reportlab
from the parse of corpus/zh/000_… (A/RES/71/322): symbol at the top right, title,
"大会，", first lines indented, wrapped lines at the margin with no spaces, raised
footnote marks, footnote texts below a short rule, job number and page number at the
foot, a running header from page two on.
"""

from pathlib import Path

import pytest

from search.ingest.extract import extract
from search.parsing import parse_document
from search.parsing.text import CJK_RE

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "zh"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WIDTH, HEIGHT = 595.0, 842.0
LEFT, RIGHT = 72.0, 523.0
SIZE, LEADING, NOTE_SIZE, MARK_SIZE = 11.0, 15.0, 9.0, 6.5
BODY_TOP, BODY_BOTTOM = 100.0, 760.0
FULL_WIDTH = "，。、；：？！“”‘’《》（）【】「」"


def cjkish(char):
    return bool(CJK_RE.match(char)) or char in FULL_WIDTH


def tokens(text):
    """Split text into the pieces a line may break between: CJK characters one by one,
    other runs whole (a line never breaks inside "2004" or next to a space)."""
    out = []
    for char in text:
        glued = out and (char == " " or out[-1].endswith(" ") or not (cjkish(char) or cjkish(out[-1][-1])))
        if glued:
            out[-1] += char
        else:
            out.append(char)
    return out


class Typesetter:
    def __init__(self, symbol, title):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
        self.width = pdfmetrics.stringWidth
        self.pdf = canvas.Canvas(None, pagesize=(WIDTH, HEIGHT))
        self.symbol, self.title = symbol, title
        self.page = 1
        self.lines = []  # (x, text, marks) of the current page's body
        self.notes = []  # footnote texts of the current page
        self.y = 190.0

    def text_width(self, text, size=SIZE):
        return self.width(text, "WQY", size)

    def notes_height(self, notes):
        return sum(len(self.wrap(text, LEFT + 18, NOTE_SIZE)) * 11 for text in notes) + (14 if notes else 0)

    def wrap(self, text, indent, size=SIZE, marks=()):
        lines, line, x = [], "", indent
        pieces = tokens(text)
        marks_width = sum(self.text_width(str(m), MARK_SIZE) + 4 for m in marks)
        for index, piece in enumerate(pieces):
            width = self.text_width(piece, size)
            last = index == len(pieces) - 1
            if x + width + (marks_width if last else 0) > RIGHT + 0.1 and line:
                lines.append(line)
                line, x = "", LEFT
            line += piece
            x += width
        lines.append(line)
        return lines

    def paragraph(self, text, indent, marks=(), notes=(), size=SIZE, align="left", gap=6.0):
        wrapped = self.wrap(text, indent, size, marks)
        for index, line in enumerate(wrapped):
            last = index == len(wrapped) - 1
            line_notes = list(notes) if last else []
            if self.y + LEADING > BODY_BOTTOM - self.notes_height(self.notes + line_notes):
                self.new_page()
            x = indent if index == 0 else LEFT
            if align == "right":
                x = RIGHT - self.text_width(line, size)
            self.draw(x, self.y, line, size)
            if last:
                x += self.text_width(line, size)
                for mark in marks:
                    self.pdf.setFont("WQY", MARK_SIZE)
                    self.pdf.drawString(x + 0.5, HEIGHT - self.y + 4, str(mark))
                    x += self.text_width(str(mark), MARK_SIZE) + 4
                self.notes += line_notes
            self.y += LEADING if not last else LEADING + gap

    def draw(self, x, y, text, size):
        self.pdf.setFont("WQY", size)
        self.pdf.drawString(x, HEIGHT - y, text)

    def finish_page(self):
        if self.notes:
            y = BODY_BOTTOM - self.notes_height(self.notes) + 10
            self.pdf.setLineWidth(0.5)
            self.pdf.line(LEFT, HEIGHT - y, LEFT + 72, HEIGHT - y)
            y += 14
            for text in self.notes:
                number, _, body = text.partition(" ")
                self.pdf.setFont("WQY", MARK_SIZE)
                self.pdf.drawString(LEFT + 10, HEIGHT - y + 3.5, number)
                for index, line in enumerate(self.wrap(body, LEFT + 18, NOTE_SIZE)):
                    self.draw(LEFT + 18 if index == 0 else LEFT, y, line, NOTE_SIZE)
                    y += 11
        self.draw(LEFT, 805, "17-15960 (C)", 8)
        self.draw(RIGHT - 20, 805, f"{self.page}/4", 8)
        self.pdf.showPage()

    def new_page(self):
        self.finish_page()
        self.page += 1
        self.notes = []
        self.draw(LEFT, 50, self.symbol, 8)
        self.draw(RIGHT - self.text_width(self.title[:20], 8), 50, self.title[:20], 8)
        self.y = BODY_TOP

    def masthead(self, title_line):
        self.draw(LEFT, 60, "联合国", 16)
        self.draw(RIGHT - self.text_width(self.symbol, 14), 60, self.symbol, 14)
        self.draw(LEFT, 95, "大会", 16)
        self.draw(400, 95, "Distr.: General", 9)
        self.draw(400, 107, "2017年9月13日", 9)
        self.paragraph(title_line, LEFT, size=13, gap=10)

    def output(self):
        self.finish_page()
        return self.pdf.getpdfdata()


def make_pdf(doc):
    notes = {note.number: f"{note.number} {note.text}" for note in doc.footnotes}
    printed = set()
    press = Typesetter(doc.symbol, doc.title)
    press.masthead(doc.symbol.removeprefix("A/RES/") + ". " + doc.title)
    press.paragraph("大会，", LEFT + 22)
    for paragraph in doc.paragraphs:
        own = [notes[n] for n in paragraph.footnotes if n not in printed]
        printed |= set(paragraph.footnotes)
        indent = LEFT + 22 * (1 + paragraph.level)
        text = f"{paragraph.number} {paragraph.text}" if paragraph.number else paragraph.text
        press.paragraph(text, indent, marks=paragraph.footnotes, notes=own)
    press.paragraph("2017 年 9 月 8 日", LEFT, align="right", gap=0)
    press.paragraph("第 96 次全体会议", LEFT, align="right")
    return press.output()


@pytest.fixture(scope="module")
def corpus_doc():
    path = sorted(CORPUS.glob("000_*.txt"))[0]
    return parse_document(path.read_text(), "zh")


@pytest.fixture(scope="module")
def pdf_bytes(corpus_doc):
    assert FONT.exists(), f"the CJK font is missing: install fonts-wqy-microhei ({FONT})"
    return make_pdf(corpus_doc)


def test_it_reads_a_chinese_pdf_as_the_corpus_text_reads(corpus_doc, pdf_bytes):
    extracted = extract(pdf_bytes, "A_RES_71_322.pdf")
    assert extracted.layout == "markdown"
    doc = parse_document(extracted.text, "zh", extracted.layout)
    assert (doc.symbol, doc.title) == (corpus_doc.symbol, corpus_doc.title)
    assert [(p.anchor, p.label, p.footnotes) for p in doc.paragraphs] == [
        (p.anchor, p.label, p.footnotes) for p in corpus_doc.paragraphs
    ]
    assert [p.text for p in doc.paragraphs] == [p.text for p in corpus_doc.paragraphs]
    assert [(n.number, n.text) for n in doc.footnotes] == [(n.number, n.text) for n in corpus_doc.footnotes]
    assert doc.adopted_on == corpus_doc.adopted_on
    assert doc.warnings == []


def test_it_joins_chinese_lines_wrapped_at_full_width_punctuation_without_a_space():
    assert FONT.exists(), f"the CJK font is missing: install fonts-wqy-microhei ({FONT})"
    from search.parsing import pdf_layout_text

    press = Typesetter("A/RES/71/322", "标题")
    press.draw(LEFT + 22, 200, "回" * 38 + "“", SIZE)
    press.draw(LEFT, 215, "2030 年可持续发展议程”，", SIZE)
    press.draw(LEFT + 22, 236, "回" * 38 + "（", SIZE)
    press.draw(LEFT, 251, "E/2014/30）。", SIZE)
    press.draw(LEFT, 280, "第 96 次全体会议", SIZE)
    text = pdf_layout_text(press.output())
    assert text.splitlines() == [
        "回" * 38 + "“2030 年可持续发展议程”，",
        "回" * 38 + "（E/2014/30）。",
        "第 96 次全体会议",
    ]
