"""Downloads: results as CSV, a document's two languages as CSV and TMX."""

import csv
import io
import re
from xml.etree import ElementTree

from conftest import paragraphs_containing

from search.engine.searching import search_paragraphs
from search.models import Paragraph, Resolution, Text


def rows_of(response):
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_it_downloads_the_results_as_csv(client, corpus):
    response = client.get("/export.csv", {"q": "器官移植"})
    assert response["Content-Disposition"] == 'attachment; filename="results.csv"'
    rows = rows_of(response)
    assert rows[0] == ["document", "label", "language", "text", "link"]
    assert len(rows) - 1 == paragraphs_containing("器官移植") == 18
    # In the order of the search, whole: the first row is the search's first hit.
    best = search_paragraphs("器官移植", per_page=1)["hits"][0]
    first = rows[1]
    assert first[:3] == [best["symbol"], best["label"], "zh"] and best["symbol"] == "A/RES/71/322"
    assert (
        first[3]
        == Paragraph.objects.get(
            version__resolution__key="A/RES/71/322", version__language="zh", anchor=best["anchor"]
        ).text
    )
    assert first[4] == f"http://testserver/r/A/RES/71/322/?lang=zh#{best['anchor']}"
    assert all("器官移植" in re.sub(r"\s", "", row[3]) for row in rows[1:])


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(client, db):
    resolution = Resolution.objects.create(key="A/RES/99/2", symbol="A/RES/99/2", doc_type="resolution")
    text = Text.objects.create(resolution=resolution, language="en", title="T")
    Paragraph.objects.create(
        version=text,
        order=1,
        anchor="op1",
        kind="operative",
        label="OP 1",
        text='=HYPERLINK("http://x") quokka',
    )
    from search.engine.index import index_versions

    index_versions([text.pk])
    rows = rows_of(client.get("/export.csv", {"q": "quokka"}))
    assert rows[1][3] == '\'=HYPERLINK("http://x") quokka'


def test_it_downloads_a_document_side_by_side_as_csv_and_tmx(client, corpus):
    rows = rows_of(client.get("/r/A/RES/71/322/export.csv"))
    assert rows[0] == ["anchor", "label", "zh", "en"]
    op3b = next(row for row in rows if row[0] == "op3b")
    texts = {
        t.version.language: t.text
        for t in Paragraph.objects.filter(
            version__resolution__key="A/RES/71/322", anchor="op3b"
        ).select_related("version")
    }
    assert op3b == ["op3b", "OP 3 (b)", texts["zh"], texts["en"]]
    both = Paragraph.objects.filter(version__resolution__key="A/RES/71/322", version__language="en").count()
    assert len(rows) - 1 == both == 44

    response = client.get("/r/A/RES/71/322/export.tmx")
    assert response["Content-Disposition"] == 'attachment; filename="A_RES_71_322.tmx"'
    tmx = ElementTree.fromstring(response.content)
    units = tmx.findall("body/tu")
    assert len(units) == 44
    unit = next(u for u in units if u.get("tuid") == "A/RES/71/322#op3b")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [(v.get(lang), v.findtext("seg")) for v in unit.findall("tuv")] == [
        ("zh-CN", texts["zh"]),
        ("en", texts["en"]),
    ]
    assert client.get("/r/A/RES/71/322/export.pdf").status_code == 404
    assert client.get("/r/no/such/key/export.csv").status_code == 404
