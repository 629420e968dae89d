"""What changed from a draft to the resolution it became: A/C.3/80/L.2 and A/RES/80/192.

The Third Committee adopted the draft with the amendment A/C.3/80/L.56, which inserts a
new operative paragraph after paragraph 3: the resolution has it as paragraph 4, and the
draft's paragraphs from 4 on are renumbered one up. The expectations come from those
documents, not from the comparison.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from search.ingest.extract import extract
from search.models import Paragraph, Resolution
from search.parsing import parse_document

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"


@pytest.fixture
def pair(db, django_capture_on_commit_callbacks):
    files = [str(ODS / f"{name}.pdf") for name in ("A_C.3_80_L.2", "A_RES_80_192")]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_documents", *files, "--jobs", "1", stdout=io.StringIO())
    draft = Resolution.objects.get(symbol="A/C.3/80/L.2")
    assert draft.became.symbol == "A/RES/80/192"  # linked by the import: same title, session, committee
    return draft


def rows(html):
    return re.findall(r'<tr class="(\w+)">(.*?)</tr>', html, re.S)


def test_it_pairs_renumbered_paragraphs_and_shows_the_inserted_one(client, pair):
    page = client.get("/r/A/C.3/80/L.2/").content.decode()
    url = re.search(r'<a href="(/compare/\?[^"]+)">What changed</a>', page).group(1).replace("&amp;", "&")
    html = client.get(url).content.decode()
    found = rows(html)
    draft_ops = Paragraph.objects.filter(version__resolution=pair, kind="operative", level=0).count()
    adopted_ops = Paragraph.objects.filter(version__resolution=pair.became, kind="operative", level=0).count()
    assert adopted_ops == draft_ops + 1
    added = [cells for status, cells in found if status == "added"]
    assert len(added) == 1
    # The paragraph the amendment inserts, word for word from A/C.3/80/L.56.
    extracted = extract((ODS / "A_C.3_80_L.56.pdf").read_bytes(), "A_C.3_80_L.56.pdf")
    amendment = parse_document(extracted.text, "en", extracted.layout)
    inserted = amendment.paragraphs[0].text.splitlines()[-1]
    assert inserted.startswith("Notes with alarm that the Russian Federation")
    assert "#op4" in added[0] and inserted[:60] in added[0]
    # Draft op4 is the resolution's op5, draft op20 its op21: paired, not added and deleted.
    paired = {
        (m.group(1), m.group(2))
        for _status, cells in found
        if (m := re.search(r"#(op\d+)\".*#(op\d+)\"", cells, re.S))
    }
    assert ("op4", "op5") in paired and ("op20", "op21") in paired
    assert not [cells for status, cells in found if status == "deleted"]
    counts = re.search(
        r"(\d+) paragraphs the same, (\d+) changed, (\d+) moved, (\d+) added, (\d+) deleted", html
    )
    assert int(counts.group(3)) == 0 and int(counts.group(4)) == 1 and int(counts.group(5)) == 0
    assert sum(map(int, counts.groups())) == len(found)


def test_changes_inside_a_paragraph_are_marked_and_escaped(client, pair):
    html = client.get("/compare/", {"from": "A/C.3/80/L.2", "to": "A/RES/80/192"}).content.decode()
    changed = [cells for status, cells in rows(html) if status == "changed"]
    assert changed
    for cells in changed:
        assert "<del>" in cells or "<ins>" in cells


def test_document_text_is_escaped_in_a_comparison(client, db):
    from search.models import Text

    texts = []
    for key, words in (
        ("a", "Notes <script>alert(1)</script> with concern;"),
        ("b", "Notes <b>x</b> with concern;"),
    ):
        resolution = Resolution.objects.create(key=key, doc_type="resolution")
        text = Text.objects.create(resolution=resolution, language="en", title=key)
        Paragraph.objects.create(
            version=text, order=1, anchor="op1", kind="operative", label="OP 1", text=words
        )
        texts.append(text)
    html = client.get("/compare/", {"from": "a", "to": "b"}).content.decode()
    assert "<script>" not in html and "<b>x</b>" not in html
    # Marked token by token, each piece escaped: "&lt;" stays text, "script" is deleted.
    assert re.search(r"<td[^>]*>.*&lt;<del>script</del>.*</td>", html)
    cells = "".join(cells for _status, cells in rows(html))
    assert set(re.findall(r"</?(\w+)", cells)) <= {"td", "a", "del", "ins", "span"}


def test_a_missing_document_or_no_common_language_is_said_plainly(client, db):
    Resolution.objects.create(key="A/C.3/80/L.2", symbol="A/C.3/80/L.2", doc_type="draft_resolution")
    response = client.get("/compare/", {"from": "A/C.3/80/L.2", "to": "A/RES/99/999"})
    assert response.status_code == 404 and "Nothing to compare" in response.content.decode()
    response = client.get("/compare/")
    assert response.status_code == 404
    from search.models import Text

    english = Resolution.objects.create(key="en-only", doc_type="resolution")
    Text.objects.create(resolution=english, language="en", title="x")
    chinese = Resolution.objects.create(key="zh-only", doc_type="resolution")
    Text.objects.create(resolution=chinese, language="zh", title="y")
    html = client.get("/compare/", {"from": "en-only", "to": "zh-only"}).content.decode()
    assert "The two documents have no language version in common here." in html
