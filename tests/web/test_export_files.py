"""Downloads that always parse, whatever the text holds: read back with XML parsers and `csv`."""

import csv
import io
from xml.etree import ElementTree

from lxml import etree

from search.engine.index import index_versions
from search.models import Paragraph, Resolution, Text
from search.web import exports
from search.web.reading import Column, Reading, Row

LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# What a PDF's or a DOCX's text can hold (both databases can store it): C0 controls
# (a form feed between pages, a vertical tab for a line break in Word, an escape), line
# ends of three kinds, markup, an end of CDATA, quotes, and wide characters.
HOSTILE = (
    "quokka ]]> & <b>bold</b> \"double\" 'single' tab\there\n"
    "line\r\nends\rand \x01\x08\x0b\x0c\x1b\x1f controls 贩运人口 ＝"
)
# XML 1.0 holds no C0 control but tab, newline and carriage return: each became U+FFFD.
HOSTILE_IN_XML = (
    "quokka ]]> & <b>bold</b> \"double\" 'single' tab\there\n"
    "line\r\nends\rand \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd controls 贩运人口 ＝"
)
FORMULAS = ["=SUM(A1:A9)", "+1", "-1", "@cmd", "\t=1", "\r=1"]


def make_document(key: str, en: list[str], zh: list[str]) -> Resolution:
    resolution = Resolution.objects.create(key=key, symbol=key, doc_type="resolution")
    for language, texts in (("en", en), ("zh", zh)):
        version = Text.objects.create(resolution=resolution, language=language, title="T")
        for n, text in enumerate(texts, start=1):
            Paragraph.objects.create(
                version=version, order=n, anchor=f"op{n}", kind="operative", label=f"OP {n}", text=text
            )
    return resolution


def segments(tmx: bytes) -> list[tuple[str, str, str]]:
    """(tuid, language, text) of every segment, as a strict XML parser reads them."""
    etree.fromstring(tmx)  # libxml2 too: raises on anything not well-formed
    root = ElementTree.fromstring(tmx)
    return [
        (unit.get("tuid"), variant.get(LANG), variant.findtext("seg"))
        for unit in root.iter("tu")
        for variant in unit.iter("tuv")
    ]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:], newline="")))


def test_the_translation_memory_parses_whatever_the_paragraphs_hold(client, db):
    make_document("A/RES/99/7", en=[HOSTILE, "plain"], zh=["中文 & <", HOSTILE])
    response = client.get("/r/A/RES/99/7/export.tmx")

    assert segments(response.content) == [
        ("A/RES/99/7#op1", "zh-CN", "中文 & <"),
        ("A/RES/99/7#op1", "en", HOSTILE_IN_XML),
        ("A/RES/99/7#op2", "zh-CN", HOSTILE_IN_XML),
        ("A/RES/99/7#op2", "en", "plain"),
    ]


def test_the_document_csv_gives_back_every_character_and_keeps_formulas_inert(client, db):
    make_document("A/RES/99/8", en=[HOSTILE, *FORMULAS], zh=["中文", *FORMULAS])
    rows = csv_rows(client.get("/r/A/RES/99/8/export.csv"))

    assert rows[0] == ["anchor", "label", "zh", "en"]
    assert rows[1] == ["op1", "OP 1", "中文", HOSTILE]
    assert [row[2:] for row in rows[2:]] == [
        ["'=SUM(A1:A9)"] * 2,
        ["'+1"] * 2,
        ["'-1"] * 2,
        ["'@cmd"] * 2,
        ["'\t=1"] * 2,
        ["'\r=1"] * 2,
    ]


def test_the_results_csv_gives_back_every_character(client, db):
    resolution = make_document("A/RES/99/9", en=[HOSTILE], zh=["中文"])
    index_versions(list(resolution.texts.values_list("pk", flat=True)))
    rows = csv_rows(client.get("/export.csv", {"q": "quokka"}))

    assert rows[0] == ["document", "label", "language", "text", "link"]
    assert [row[3] for row in rows[1:]] == [HOSTILE]


# NUL (which PostgreSQL does not store) and lone surrogates (which neither database
# stores, nor UTF-8 encodes) reach the writers only from elsewhere: written directly.
def reading_of(resolution: Resolution, pairs: list[tuple[str, str]]) -> Reading:
    columns = [Column("zh", resolution, None), Column("en", resolution, None)]
    rows = [
        Row(f"op{n}", [{"paragraph": Paragraph(text=zh, label=f"OP {n}")}, {"paragraph": Paragraph(text=en)}])
        for n, (zh, en) in enumerate(pairs, start=1)
    ]
    return Reading(columns=columns, rows=rows, side_by_side=True)


def test_nul_and_lone_surrogates_become_replacement_characters_in_tmx():
    resolution = Resolution(key="A/RES/99/10")
    reading = reading_of(resolution, [("a\x00b", "c\ud800d\udfffe"), ("\ufffe\uffff", "ok")])

    assert segments(exports.document_tmx(reading, resolution)) == [
        ("A/RES/99/10#op1", "zh-CN", "a\ufffdb"),
        ("A/RES/99/10#op1", "en", "c\ufffdd\ufffde"),
        ("A/RES/99/10#op2", "zh-CN", "\ufffd\ufffd"),
        ("A/RES/99/10#op2", "en", "ok"),
    ]


def test_csv_keeps_nul_and_replaces_only_lone_surrogates():
    reading = reading_of(Resolution(key="A/RES/99/11"), [("a\x00b", "c\ud800d")])
    body = exports.document_csv(reading)

    body.encode("utf-8")  # what the view sends: it would raise on a surrogate
    assert list(csv.reader(io.StringIO(body[1:], newline=""))) == [
        ["anchor", "label", "zh", "en"],
        ["op1", "OP 1", "a\x00b", "c\ufffdd"],
    ]
