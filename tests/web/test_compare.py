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
from conftest import files_read_once, import_ods
from django.core.management import call_command

from search.ingest.extract import extract
from search.models import Paragraph, Resolution
from search.parsing import parse_document

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"


@pytest.fixture
def pair(db, django_capture_on_commit_callbacks):
    files = [str(ODS / f"{name}.pdf") for name in ("A_C.3_80_L.2", "A_RES_80_192")]
    with files_read_once(), django_capture_on_commit_callbacks(execute=True):
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


@pytest.fixture(autouse=True)
def empty_results_cache():
    """Each test starts with nothing computed: a test database numbers rows from 1 again."""
    from django.core.cache import caches

    caches["results"].clear()


def counts_of(html):
    found = re.search(
        r"(\d+) paragraphs the same, (\d+) changed, (\d+) moved, (\d+) added, (\d+) deleted", html
    )
    return dict(zip(("same", "changed", "moved", "added", "deleted"), map(int, found.groups()), strict=True))


@pytest.fixture
def unrelated(db):
    """A/RES/80/229 (a Second Committee resolution) and A/RES/78/128: unrelated resolutions."""
    import_ods("A_RES_80_229.pdf", "A_RES_78_128.pdf")


def test_two_unrelated_resolutions_compare_and_say_they_share_little(client, unrelated):
    html = client.get("/compare/", {"from": "A/RES/80/229", "to": "A/RES/78/128"}).content.decode()
    sizes = [
        Paragraph.objects.filter(version__resolution__key=key, version__language="en").count()
        for key in ("A/RES/80/229", "A/RES/78/128")
    ]
    counts = counts_of(html)
    alike = counts["same"] + counts["changed"] + counts["moved"]
    assert alike < 0.2 * min(sizes)
    assert (
        f"These two documents share little wording: {alike} of their {sizes[0]} and {sizes[1]} paragraphs"
        in html
    )
    assert sum(counts.values()) + counts["moved"] == len(rows(html))
    chinese = client.get(
        "/compare/", {"from": "A/RES/80/229", "to": "A/RES/78/128"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f"这两份文件措辞相同之处很少：两份文件分别有 {sizes[0]} 段和 {sizes[1]} 段" in chinese
    # Quickly: the exhaustive method measured each of 157 deleted paragraphs against 228 added ones.
    from search.models import Text
    from search.web import comparing

    first, second = (
        Text.objects.get(resolution__key=k, language="en") for k in ("A/RES/80/229", "A/RES/78/128")
    )
    work = comparing.compare(first, second).work
    assert work.ratios <= comparing.CANDIDATES * sizes[0] and not work.spent and not work.estimated
    # A document and itself: the same throughout, nothing said.
    itself = client.get("/compare/", {"from": "A/RES/80/229", "to": "A/RES/80/229"}).content.decode()
    assert counts_of(itself)["same"] == sizes[0] and "share little" not in itself


def formula(i: int, words: int = 60) -> str:
    """An operative paragraph of a made-up family: every two share most of their word pairs."""
    topics = ["peace", "development", "human rights", "climate", "oceans", "health", "trade"]
    body = " ".join(f"{topics[(i + k) % 7]} and cooperation {k % 5}" for k in range(words // 4))
    return f"Requests the Secretary-General to report on {body} at its session {i};"


def test_it_holds_to_its_budget_on_a_thousand_paragraphs_each():
    from search.web import comparing

    n = 1000
    left = [(f"op{i}", f"OP {i}", formula(i)) for i in range(n)]
    # The same family, in another order and each changed: no run is equal, every
    # paragraph has hundreds of paragraphs alike on the other side.
    right = [
        (f"op{i}", f"OP {i}", formula((i * 7919) % n).replace("cooperation 3", "partnership"))
        for i in range(n)
    ]
    found = comparing.compare_paragraphs(left, right, "en")
    work = found.work
    assert work.steps <= comparing.STEPS
    assert work.ratios <= 2 * comparing.CANDIDATES * n  # pairing in order, then the moves
    assert work.tokens <= 2 * comparing.CANDIDATES * n * comparing.PAIR_TOKENS
    # Every paragraph is shown once, on its side.
    assert sorted(p.left.anchor for p in found.pairs if p.left) == sorted(a for a, _, _ in left)
    assert sorted(p.right.anchor for p in found.pairs if p.right) == sorted(a for a, _, _ in right)


def test_it_holds_to_its_budget_on_a_paragraph_repeated_a_thousand_times():
    from search.web import comparing

    # difflib's search for equal runs visits every place a repeated paragraph is.
    same = (0, "Decides to remain seized of the matter.")
    left = [(f"p{i}", "", same[1] if i % 2 else formula(i)) for i in range(1000)]
    right = [(f"p{i}", "", same[1] if i % 3 else formula(i + 1)) for i in range(1000)]
    found = comparing.compare_paragraphs(left, right, "en")
    assert found.work.steps <= comparing.STEPS
    assert (
        len([p for p in found.pairs if p.left]) == 1000 and len([p for p in found.pairs if p.right]) == 1000
    )


def test_a_pair_of_huge_paragraphs_is_shown_changed_without_a_word_diff(client, db):
    from search.models import Text
    from search.web import comparing

    huge = " ".join(f"word{i % 997} clause{i % 13}" for i in range(10_000))  # 20,000 words
    texts = {"a": huge, "b": huge.replace("word5 clause5", "term5 clause5", 3)}
    for key, words in texts.items():
        resolution = Resolution.objects.create(key=key, doc_type="resolution")
        text = Text.objects.create(resolution=resolution, language="en", title=key)
        Paragraph.objects.create(
            version=text, order=1, anchor="op1", kind="operative", label="OP 1", text=words
        )
    first, second = (Text.objects.get(resolution__key=k) for k in texts)

    found = comparing.compare(first, second)

    assert [p.status for p in found.pairs] == ["changed"]
    assert not found.pairs[0].marked and found.work.tokens == 0 and found.work.ratios == 0
    html = client.get("/compare/", {"from": "a", "to": "b"}).content.decode()
    assert "(changed: too long to mark word by word)" in html and "<del>" not in html
    assert "term5 clause5" in html


def test_a_publish_makes_the_next_comparison_show_the_new_text(client, pair, monkeypatch):
    import dataclasses

    from conftest import parse_ods_pdf

    from search.ingest.store import ingest
    from search.web import comparing

    computed = []
    compare = comparing.compare
    monkeypatch.setattr(comparing, "compare", lambda *args: computed.append(args) or compare(*args))
    query = {"from": "A/C.3/80/L.2", "to": "A/RES/80/192", "lang": "en"}
    before = client.get("/compare/", query).content.decode()
    assert rows(client.get("/compare/", query).content.decode()) == rows(before)
    assert len(computed) == 1  # the second view was the first one's result

    # A corrected version of the resolution: its paragraph 21 reworded.
    parsed = parse_ods_pdf("A_RES_80_192.pdf")
    corrected = [
        dataclasses.replace(p, text=p.text + " Corrected after publication.") if p.anchor == "op21" else p
        for p in parsed.paragraphs
    ]
    assert len(corrected) == len(parsed.paragraphs) and "Corrected after publication." not in before
    data = (ODS / "A_RES_80_192.pdf").read_bytes() + b"%corrected"
    ingest(dataclasses.replace(parsed, paragraphs=corrected), data, "A_RES_80_192.pdf", key="A/RES/80/192")

    after = client.get("/compare/", query).content.decode()
    assert len(computed) == 2
    row = next(cells for _status, cells in rows(after) if 'href="/r/A/RES/80/192/?lang=en#op21"' in cells)
    assert "Corrected after publication.</ins>" in row
