"""Uploads in each accepted format become the text the parser reads; bad files are refused in plain words."""

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from bench.files import font_bomb_pdf
from search.ingest.extract import MAX_PDF_FONTS, MAX_UPLOAD_BYTES, extract
from search.parsing import ParseError, decode, parse_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = ROOT / "corpus"


def parse_upload(data, name, language):
    extracted = extract(data, name)
    return parse_document(extracted.text, language, extracted.layout)


def test_an_english_pdf_parses_like_its_text_extraction():
    # The fixture lays out the English 71/322 page by page as the official PDF does:
    # running header, body, footnote rule, footnotes, job number, page number.
    from_pdf = parse_upload((FIXTURES / "A_RES_71_322.pdf").read_bytes(), "A_RES_71_322.pdf", "en")
    from_txt = parse_document(decode((CORPUS / "en/A_RES_71_322.txt").read_bytes()), "en")
    assert from_pdf.symbol == "A/RES/71/322"
    assert [(p.anchor, p.text, p.footnotes) for p in from_pdf.paragraphs] == [
        (p.anchor, p.text, p.footnotes) for p in from_txt.paragraphs
    ]
    assert [(f.number, f.text) for f in from_pdf.footnotes] == [
        (f.number, f.text) for f in from_txt.footnotes
    ]


def test_a_chinese_pdf_keeps_its_numbered_paragraphs_and_says_what_it_had_to_guess():
    doc = parse_upload((FIXTURES / "A_RES_71_322_zh.pdf").read_bytes(), "71_322_zh.pdf", "zh")
    assert doc.symbol == "A/RES/71/322"
    operative = [p.anchor for p in doc.paragraphs if p.kind == "operative" and p.level == 0]
    assert operative == [f"op{n}" for n in range(1, 14)]
    assert [f.number for f in doc.footnotes] == list(range(1, 10))
    assert (
        "this Chinese text carries no layout marks, so paragraph ends were inferred from line lengths: "
        "check that no two paragraphs were run together"
    ) in doc.warnings


def _pdf_bytes(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def refusal(data, name):
    """Return the message a file is refused with."""
    with pytest.raises(ParseError) as excinfo:
        extract(data, name)
    return str(excinfo.value)


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "A_RES_71_322.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    assert (
        refusal(_pdf_bytes(writer), "locked.pdf")
        == "the PDF is protected by a password: upload a copy without protection"
    )


# Word locks with AES, which pypdf decrypts only with `cryptography` installed.
@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_locked_only_against_editing_is_read(algorithm):
    original = (FIXTURES / "A_RES_71_322.pdf").read_bytes()
    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "A_RES_71_322.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    assert extract(_pdf_bytes(writer), "locked.pdf") == extract(original, "open.pdf")


@pytest.mark.parametrize(
    "data, message",
    [
        (
            (FIXTURES / "A_RES_71_322.pdf").read_bytes()[:3000],
            "the PDF is damaged and could not be read (PdfStreamError)",
        ),
        (b"%PDF-1.4\n" + b"\x00garbage" * 50, "the PDF is damaged and could not be read (PdfStreamError)"),
        (b"this is plain text with a .pdf name", "the file is not a PDF (it does not start like one)"),
    ],
)
def test_a_broken_pdf_is_refused(data, message):
    assert refusal(data, "broken.pdf") == message


def test_a_pdf_whose_filter_name_is_damaged_is_refused_as_damaged():
    # A byte changed in "/FlateDecode" (seen by bench.files): pypdf knows no such filter.
    data = (FIXTURES / "A_RES_71_322.pdf").read_bytes().replace(b"/FlateDecode", b"/FlateDecoXe")

    assert refusal(data, "filter.pdf") == "the PDF is damaged and could not be read (NotImplementedError)"


def test_a_pdf_whose_page_box_is_not_numbers_is_read_as_a_letter_page():
    # PDFium, as a viewer does, takes a page box it cannot read for US Letter, the size
    # A/RES/80/202 is printed in: its layout reads as if the box were whole.
    data = (CORPUS / "ods/A_RES_80_202.pdf").read_bytes()
    damaged = data.replace(b"/MediaBox[ 0 0 612 792]", b"/MediaBox[ 0 0/\x8a 612 792]")

    extracted = extract(damaged, "box.pdf")

    assert damaged != data
    assert extracted.layout == "markdown"
    assert extracted == extract(data, "A_RES_80_202.pdf")


def test_a_pdf_whose_page_tree_counts_a_page_it_lacks_is_read_without_its_layout():
    # PDFium believes the count and cannot load the seventh page (PdfiumError); pypdf
    # counts the pages there are and reads their text.
    data = (FIXTURES / "A_RES_71_322.pdf").read_bytes()
    damaged = data.replace(b"/Count 6", b"/Count 7")

    extracted = extract(damaged, "count.pdf")

    assert damaged != data
    assert extracted.layout is None
    assert extracted.text.startswith("A/RES/71/322\nUnited Nations\nDistr.: General\n25 September 2017")


def test_a_pdf_whose_fonts_together_expand_too_far_is_refused_before_pdfium_reads_them():
    # Each ToUnicode map expands to 40 MB, within pypdf's bound on one stream; the two
    # together pass the limit on fonts.
    one, two = font_bomb_pdf(40), font_bomb_pdf(40, fonts=2)

    assert extract(one, "one.pdf").text == "trafficking"
    assert refusal(two, "two.pdf") == (
        "the PDF expands to far more than a document could hold: it was refused as unsafe"
    )
    assert 40 * 1024 * 1024 < MAX_PDF_FONTS < 80 * 1024 * 1024


def half_pair_pdf(indent):
    """A PDF whose ToUnicode map reads "A" as half a UTF-16 pair (U+D800), as a damaged one
    may; its first line set in by `indent` points, two more at the margin."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    cmap = DecodedStreamObject()
    cmap.set_data(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Half def "
        b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <D800> endbfchar "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/ToUnicode"): writer._add_object(cmap),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    content = DecodedStreamObject()
    lines = b"(1. Decides A;) Tj %d -14 Td (B and A) Tj 0 -14 Td (and B.) Tj" % -indent
    content.set_data(b"BT /F1 12 Tf %d 500 Td " % (72 + indent) + lines + b" ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    return _pdf_bytes(writer)


@pytest.mark.parametrize("indent, layout", [(20, "markdown"), (0, None)])
def test_a_pdf_that_maps_a_character_to_half_a_utf16_pair_reads_it_as_a_replacement(indent, layout):
    # Such text cannot be sent from the reading process nor stored: both PDFium's reading
    # (a typeset layout) and pypdf's (none) put U+FFFD in its place.
    extracted = extract(half_pair_pdf(indent), "half.pdf")

    assert extracted.layout == layout
    assert extracted.text.split() == ["1.", "Decides", "\ufffd;", "B", "and", "\ufffd", "and", "B."]


def test_a_pdf_without_a_text_layer_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    assert (
        refusal(_pdf_bytes(writer), "scan.pdf")
        == "the PDF has no text layer (is it a scan?); upload a PDF with text or a .txt"
    )


def _docx_from_lines(lines, numbered=()):
    document = docx.Document()
    for index, line in enumerate(lines):
        document.add_paragraph(line, style="List Number" if index in numbered else None)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_footnotes(data, notes):
    """Give a .docx real footnotes: references in the text and word/footnotes.xml."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = content.decode()
                for number, anchor_text in notes:
                    text = text.replace(
                        f"{anchor_text}</w:t></w:r>",
                        f'{anchor_text}</w:t></w:r><w:r><w:footnoteReference w:id="{number}"/></w:r>',
                        1,
                    )
                content = text.encode()
            elif item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            target.writestr(item, content)
        body = "".join(
            f'<w:footnote w:id="{n}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
            for n, text in [(n, t) for n, t in FOOTNOTE_TEXTS.items() if n in dict(notes)]
        )
        target.writestr(
            "word/footnotes.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
            f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t></w:t></w:r></w:p></w:footnote>'
            f"{body}</w:footnotes>",
        )
    return out.getvalue()


FOOTNOTE_TEXTS = {
    1: "见《经济及社会理事会正式记录，2011 年，补编第 10 号》(E/2011/30)，第一章，D 节。",
    2: "大会第 64/293 号决议。",
}


def test_a_word_document_keeps_its_numbering_and_footnotes():
    # The first paragraphs of E/RES/2013/41, typed in Word with automatic numbering.
    raw = (CORPUS / "zh/001_c832cc9bda1ab626.txt").read_text(encoding="utf-8")
    preamble = [
        "2013/41. 执行《联合国打击人口贩运全球行动计划》",
        "经济及社会理事会，",
        re.search(r"重申其强烈谴责.*", raw).group(0),
        re.search(r"重申其 2008 年.*?号决议，", raw).group(0),
    ]
    operative = [
        re.search(r"1\. \*\*敦促\*\*(.*)", raw).group(1).replace("⁷", ""),
        re.search(r"3\. \*\*请\*\*(.*)", raw).group(1),
    ]
    data = _docx_from_lines(preamble + operative, numbered={4, 5})
    data = _add_footnotes(data, [(1, "号决议，"), (2, "来实现这一目标；")])
    doc = parse_upload(data, "E_RES_2013_41.docx", "zh")
    assert doc.symbol == "E/RES/2013/41"
    anchors = {p.anchor: p for p in doc.paragraphs}
    assert list(anchors) == ["pp1", "pp2", "op1", "op2"]
    assert anchors["pp2"].footnotes == [1]
    assert anchors["op1"].text.startswith("会员国和《联合国打击人口贩运全球行动计划》中提及")
    assert anchors["op1"].footnotes == [2]
    assert [f.text for f in doc.footnotes] == [FOOTNOTE_TEXTS[1], FOOTNOTE_TEXTS[2]]


def test_a_docx_that_is_a_zip_bomb_is_refused_before_it_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    # The compressed size depends on the zlib that wrote the archive.
    assert re.fullmatch(
        r"the \.docx file expands to far more than a document could hold \(60 MB from \d+ KB\): "
        r"it was refused as unsafe",
        refusal(out.getvalue(), "bomb.docx"),
    )


def test_a_docx_whose_part_fails_its_checksum_is_refused_in_words():
    # The 500: zipfile raises BadZipFile only when the damaged part is read.
    data = bytearray(_docx_from_lines(["The General Assembly,", "1. Decides to act."]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01

    assert refusal(bytes(data), "crc.docx") == "the .docx file is damaged (a part of it fails its checksum)"


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"not a zip at all", "letter.docx", "the .docx file is damaged (it is not a valid Word file)"),
        (b"x" * (MAX_UPLOAD_BYTES + 1), "huge.txt", "the file is 10.0 MB; the limit is 10 MB"),
        (
            b"A/RES/1/1",
            "picture.png",
            "files of type “.png” are not accepted: upload .txt, .md, .docx or .pdf",
        ),
        (b"", "empty.txt", "the file is empty"),
        (bytes(range(256)) * 20, "binary.txt", "this is a binary file, not text"),
    ],
)
def test_files_that_cannot_be_documents_are_refused_in_plain_words(data, name, message):
    assert refusal(data, name) == message


def test_markup_in_a_text_file_is_kept_as_text():
    text = (
        "The General Assembly,\n"
        "Recalling <script>alert('x')</script> and <b>bold</b> claims,\n"
        "1. Decides to act.\n"
    )
    doc = parse_upload(text.encode(), "markup.md", "en")
    assert doc.paragraphs[0].text == "Recalling <script>alert('x')</script> and <b>bold</b> claims,"
