"""Downloads: search results as CSV, a document's two languages as CSV and as TMX.

Text is written as stored; in CSV a cell that a spreadsheet would run as a formula
(it starts with = + - @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

from django.utils import timezone

from search.engine.searching import ranked_paragraphs
from search.models import Resolution
from search.web.reading import Reading
from search.web.results import document_names, paragraph_url

MAX_ROWS = 2000  # results in one CSV: 20 pages of 100
TMX_LANG = {"zh": "zh-CN", "en": "en"}


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


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
        unit = ElementTree.SubElement(body, "tu", tuid=f"{resolution.key}#{anchor}")
        for language in ("zh", "en"):
            variant = ElementTree.SubElement(unit, "tuv", {"xml:lang": TMX_LANG[language]})
            ElementTree.SubElement(variant, "seg").text = texts[language]
    ElementTree.indent(tmx)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(tmx, encoding="utf-8")
