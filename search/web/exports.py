"""Downloads: search results as CSV, a document's two languages as CSV and as TMX, what is
due at a session as CSV.

Text is written as stored, with three exceptions that keep every file readable:
- in CSV a cell that a spreadsheet would run as a formula (it starts with = + - @, a
  tab or a carriage return) is prefixed with an apostrophe;
- a lone surrogate, which UTF-8 cannot hold, becomes U+FFFD (in CSV and TMX);
- in TMX, a character XML 1.0 cannot hold (a C0 control other than tab, newline and
  carriage return, U+FFFE, U+FFFF) becomes U+FFFD, so the file stays well-formed and
  the place of what was lost stays visible; a carriage return is written as &#13;, so
  that a parser gives it back instead of turning it into a newline.
"""

from __future__ import annotations

import csv
import io
import re
from xml.etree import ElementTree

from django.utils import timezone

from search.engine.searching import ranked_paragraphs
from search.models import Resolution
from search.web.reading import Reading
from search.web.results import document_names, paragraph_url

MAX_ROWS = 2000  # results in one CSV: 20 pages of 100
TMX_LANG = {"zh": "zh-CN", "en": "en"}

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = _SURROGATE.sub(REPLACEMENT, "" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xml_text(text: str) -> str:
    """Return text as XML 1.0 can hold it: each character it cannot becomes U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # A byte-order mark tells spreadsheets the file is UTF-8 (Chinese stays readable).
    return "\ufeff" + out.getvalue()


def results_csv(request, q: str) -> str:
    """Every hit of a query (up to MAX_ROWS), best first: document, label, language, text, link."""
    hits = ranked_paragraphs(q, MAX_ROWS)
    names = document_names(hits)
    rows = (
        (
            names[h["resolution"]],
            h["label"],
            h["language"],
            h["text"],
            request.build_absolute_uri(paragraph_url(h["resolution"], h["anchor"], lang=h["language"])),
        )
        for h in hits
    )
    return _csv(["document", "label", "language", "text", "link"], rows)


def due_csv(request, due: dict) -> str:
    """What is due at a session (web.mandates.due_at), a row an entry, as the page groups it."""
    rows = (
        (
            group["name"],
            item["deliverable"],
            item["document"],
            item["label"],
            item["language"],
            item["title"],
            item["clause"],
            item["first_given"],
            item["given_before"],
            request.build_absolute_uri(item["url"]),
        )
        for group in due["groups"]
        for item in group["items"]
    )
    header = ["addressee", "deliverable", "document", "label", "language", "title", "clause"]
    return _csv([*header, "first given in", "asked before in", "link"], rows)


def _pairs(reading: Reading):
    """(anchor, label, {language: text}) for each row of a side-by-side reading."""
    for row in reading.rows:
        texts, label = {}, ""
        for column, cell in zip(reading.columns, row.cells, strict=True):
            if cell["paragraph"] is not None:
                texts[column.language] = cell["paragraph"].text
                label = label or cell["paragraph"].label
        yield row.anchor, label, texts


def document_csv(reading: Reading) -> str:
    """A document's paragraphs, Chinese and English side by side, one row per anchor."""
    rows = (
        (anchor, label, texts.get("zh", ""), texts.get("en", "")) for anchor, label, texts in _pairs(reading)
    )
    return _csv(["anchor", "label", "zh", "en"], rows)


def document_tmx(reading: Reading, resolution: Resolution) -> bytes:
    """A TMX 1.4 translation memory of the aligned paragraphs (both languages present)."""
    tmx = ElementTree.Element("tmx", version="1.4")
    ElementTree.SubElement(
        tmx,
        "header",
        {
            "creationtool": "un-resolutions-search",
            "creationtoolversion": "1",
            "segtype": "paragraph",
            "o-tmf": "none",
            "adminlang": "en",
            "srclang": TMX_LANG["zh"],
            "datatype": "plaintext",
            "creationdate": timezone.now().strftime("%Y%m%dT%H%M%SZ"),
        },
    )
    body = ElementTree.SubElement(tmx, "body")
    for anchor, _label, texts in _pairs(reading):
        if len(texts) < 2:
            continue  # a paragraph in one language only is no translation unit
        unit = ElementTree.SubElement(body, "tu", tuid=xml_text(f"{resolution.key}#{anchor}"))
        for language in ("zh", "en"):
            variant = ElementTree.SubElement(unit, "tuv", {"xml:lang": TMX_LANG[language]})
            ElementTree.SubElement(variant, "seg").text = xml_text(texts[language])
    ElementTree.indent(tmx)
    # ElementTree escapes & < > (and so "]]>") and quotes in attributes; only a carriage
    # return in text it leaves raw, and the only ones in its output come from the text.
    xml = ElementTree.tostring(tmx, encoding="utf-8").replace(b"\r", b"&#13;")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml
