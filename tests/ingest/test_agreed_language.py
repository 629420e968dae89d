"""Agreed language on real documents: where a paragraph's wording comes from, which
resolution a draft became, and what cites a document.

The documents: the Myanmar resolution of the 78th session (A/RES/78/219, adopted on
19 December 2023), the Third Committee's draft of the 80th (A/C.3/80/L.32, issued on
5 November 2025) and the resolution it became (A/RES/80/221, 18 December 2025); and two
more pairs of a 78th-session resolution and an 80th-session text on the same subject,
among which bench/lineage_pairs.toml has pairs labelled by reading. The expectations
are the documents' own words, compared here as plain text, not the detector's output.
"""

import re
from pathlib import Path

import pytest
from conftest import corpus_and_pdfs, read_index
from django.conf import settings

from bench.agreed import detector_answers, load_pairs, score_pairs
from search.engine.wording import plain
from search.ingest.matching import match_by_content, match_drafts
from search.models import BECAME_CONTENT, BECAME_STAFF, Paragraph, Resolution
from search.web.agreed_language import agreed_language_of

ODS = Path(settings.BASE_DIR) / "corpus" / "ods"
PDFS = [
    "A_RES_78_219.pdf",
    "A_C.3_80_L.32.pdf",
    "A_RES_80_221.pdf",
    "A_RES_78_195.pdf",
    "A_C.3_80_L.44.pdf",
    "A_RES_78_189.pdf",
    "A_RES_80_191.pdf",
]


@pytest.fixture(scope="module")
def traced_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the manifest corpus and these PDFs, trace and index them once; roll back after."""
    with corpus_and_pdfs(
        django_db_blocker, tmp_path_factory.mktemp("lineage-index"), PDFS, trace=True
    ) as path:
        yield path


@pytest.fixture
def traced(db, traced_index, settings):
    read_index(settings, traced_index)


def paragraph(key, anchor, language="en"):
    return Paragraph.objects.select_related("version__resolution").get(
        version__resolution__key=key, version__language=language, anchor=anchor
    )


def test_it_finds_where_a_paragraph_was_first_agreed(traced):
    adopted = paragraph("A/RES/80/221", "op30")
    earlier = paragraph("A/RES/78/219", "op21")
    # The documents: the 2023 resolution's operative paragraph 21 is, word for word, the
    # 2025 resolution's paragraph 30 ("Recognizes with appreciation the assistance …").
    assert plain(earlier.text) == plain(adopted.text)
    assert adopted.text.startswith(
        "Recognizes with appreciation the assistance and support of the international"
    )

    lineage = agreed_language_of(adopted)

    assert [(u.resolution.key, u.paragraph.anchor, str(u.date)) for u in lineage.uses] == [
        ("A/RES/78/219", "op21", "2023-12-19"),
        ("A/C.3/80/L.32", "op30", "2025-11-05"),
        ("A/RES/80/221", "op30", "2025-12-18"),
    ]
    assert lineage.sentence() == "First agreed in A/RES/78/219, OP 21 (2023); used again in 1 resolution."
    assert not any(u.changed for u in lineage.uses)
    assert adopted.new_wording is False


def test_it_marks_what_changed_word_by_word(traced, client):
    adopted = paragraph("A/RES/80/221", "op27")
    earlier = paragraph("A/RES/78/219", "op18")
    assert plain(earlier.text) != plain(adopted.text)
    assert earlier.text.split()[:4] == adopted.text.split()[:4] == ["Reiterates", "its", "deep", "concern"]

    html = client.get("/lineage/", {"key": "A/RES/80/221", "lang": "en", "anchor": "op27"}).content.decode()

    assert "First agreed in A/RES/78/219, OP 18 (2023); used again in 1 resolution; changed in 2025." in html
    earliest = re.search(r'<li class="use">.*?</li>', html, re.S).group(0)
    assert "A/RES/78/219" in earliest and "wording changed" in earliest
    assert "<del>" in earliest or "<ins>" in earliest
    # Every word outside the marks is the 2023 text's or the 2025 text's, escaped.
    shown = re.sub(r"<[^>]+>", "", re.search(r'<p class="use-text"[^>]*>(.*?)</p>', earliest, re.S).group(1))
    unmarked = re.sub(r"<(del|ins)>.*?</\1>", "", earliest)
    assert "Reiterates its deep concern" in unmarked
    assert set(shown.split()) <= set(earlier.text.replace("’", "&#x27;").split()) | set(
        adopted.text.replace("’", "&#x27;").split()
    ) | set(earlier.text.split()) | set(adopted.text.split())


def test_new_wording_is_a_filter_of_search(traced, client):
    # "… the earthquakes of March 2025": no resolution of 2023 could have it.
    earthquake = paragraph("A/RES/80/221", "pp55")
    assert "earthquakes of March 2025" in earthquake.text
    found = client.get("/api/search", {"q": "symbol:A/RES/80/221 wording:new", "per_page": 100}).json()
    anchors = {h["anchor"] for h in found["hits"]}
    assert "pp55" in anchors and "op30" not in anchors
    agreed = client.get("/api/search", {"q": "symbol:A/RES/80/221 wording:agreed", "per_page": 100}).json()
    assert "op30" in {h["anchor"] for h in agreed["hits"]} and "pp55" not in {
        h["anchor"] for h in agreed["hits"]
    }
    assert (
        found["total"] + agreed["total"]
        == Paragraph.objects.filter(version__resolution__key="A/RES/80/221").count()
    )
    html = client.get("/", {"q": "Myanmar symbol:A/RES/80/221"}).content.decode()
    assert re.search(r'<h2>Wording</h2><ul>\s*<li><a href="[^"]*wording%3Anew">New wording</a>', html)


def test_precision_and_recall_on_the_pairs_labelled_by_reading(traced):
    pairs = load_pairs()
    answers = detector_answers(pairs)  # the labelled pairs whose two paragraphs are loaded here
    assert len(answers) >= 35
    counts = score_pairs(pairs, answers)["all"]
    assert counts.precision >= 0.9, counts
    assert counts.recall >= 0.8, counts


def test_the_resolution_page_counts_each_paragraphs_other_uses_and_opens_the_list(traced, client):
    html = client.get("/r/A/RES/80/221/").content.decode()
    row = html[html.index('id="op30"') :]
    row = row[: row.index('<div class="row')]
    assert "Same wording in 2 other paragraphs" in row
    url = re.search(r'<details class="wording" hx-get="([^"]+)"', row).group(1).replace("&amp;", "&")
    assert (
        f'<a href="{url.replace("&", "&amp;")}">Where this wording comes from</a>' in row
    )  # without JavaScript
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "First agreed in A/RES/78/219, OP 21 (2023)" in partial
    # New in 2025: the draft has it, no earlier resolution does.
    new = html[html.index('id="pp55"') :]
    new = new[: new.index('<div class="row')]
    assert "Same wording in 1 other paragraph" in new
    url = re.search(r'hx-get="([^"]+)"', new).group(1).replace("&amp;", "&")
    assert "First agreed here (2025)." in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    # A formula too short to say where wording comes from shows no count.
    short = html[html.index('id="pp21"') :]
    short = short[: short.index('<div class="row')]
    assert "Welcoming the report of the Secretary-General," in short and "Same wording" not in short


def test_the_api_gives_the_lineage_and_says_what_is_missing(traced, client):
    data = client.get("/api/lineage", {"key": "A/RES/80/221", "lang": "en", "anchor": "op30"}).json()
    assert data["summary"] == "First agreed in A/RES/78/219, OP 21 (2023); used again in 1 resolution."
    assert data["first_agreed"] == {"document": "A/RES/78/219", "label": "OP 21", "date": "2023-12-19"}
    assert [u["key"] for u in data["uses"]] == ["A/RES/78/219", "A/C.3/80/L.32", "A/RES/80/221"]
    assert data["paragraph"]["new_wording"] is False
    missing = client.get("/api/lineage", {"key": "A/RES/80/221", "lang": "en", "anchor": "op999"})
    assert missing.status_code == 404 and "no such paragraph" in missing.json()["error"]
    page = client.get("/lineage/", {"key": "<script>", "lang": "en", "anchor": "x"})
    assert page.status_code == 404 and "No such paragraph" in page.content.decode()


def test_a_draft_is_matched_to_its_resolution_by_content(traced):
    draft = Resolution.objects.get(symbol="A/C.3/80/L.32")
    match = match_by_content(draft)
    # By reading (bench/draft_matches.toml): L.32 became A/RES/80/221, the Myanmar resolution.
    assert match.best.resolution.symbol == "A/RES/80/221"
    assert match.confident and match.confidence >= 0.8
    # A/RES/78/219 holds most of it too, but is of another session: no candidate.
    assert [c.resolution.symbol for c in match.candidates] == ["A/RES/80/221"]
    # L.44's resolution (A/RES/80/197) is not loaded: nothing here is it.
    assert not match_by_content(Resolution.objects.get(symbol="A/C.3/80/L.44")).confident

    # Where the titles said nothing, the content links it; staff's word is never changed.
    Resolution.objects.filter(symbol__startswith="A/C.3/80/").update(became=None, became_method="")
    links = match_drafts()
    assert [(d.symbol, r.symbol) for d, r in links] == [("A/C.3/80/L.32", "A/RES/80/221")]
    draft.refresh_from_db()
    assert (draft.became.symbol, draft.became_method) == ("A/RES/80/221", BECAME_CONTENT)
    Resolution.objects.filter(pk=draft.pk).update(became=None, became_method=BECAME_STAFF)
    assert match_drafts() == []
    assert Resolution.objects.get(pk=draft.pk).became is None


def test_a_resolution_and_its_successor_compare_with_moved_paragraphs(traced, client):
    # The 2025 resolution has the 2023 one's "Welcoming the report of the Secretary-General,"
    # word for word, but earlier: its PP 21, where the 2023 text had it as PP 28.
    before, after = paragraph("A/RES/78/219", "pp28"), paragraph("A/RES/80/221", "pp21")
    assert plain(before.text) == plain(after.text) == "Welcoming the report of the Secretary-General,"
    lineage = client.get(
        "/lineage/", {"key": "A/RES/80/221", "lang": "en", "anchor": "op30"}
    ).content.decode()
    url = re.search(r'<a class="compare" href="([^"]+)">Compare the documents</a>', lineage).group(1)
    assert url == "/compare/?from=A%2FRES%2F78%2F219&amp;to=A%2FRES%2F80%2F221&amp;lang=en"

    html = client.get(url.replace("&amp;", "&")).content.decode()

    rows = re.findall(r'<tr class="(\w+)"(?: id="([^"]+)")?>(.*?)</tr>', html, re.S)
    left = next(cells for _, _, cells in rows if 'href="/r/A/RES/78/219/?lang=en#pp28"' in cells)
    assert "(moved to PP 21)" in left and '<a href="#moved-pp21">' in left
    arrived = next((status, cells) for status, row_id, cells in rows if row_id == "moved-pp21")
    assert arrived[0] == "moved" and "(moved here from PP 28)" in arrived[1]
    counts = re.search(
        r"(\d+) paragraphs the same, (\d+) changed, (\d+) moved, (\d+) added, (\d+) deleted", html
    )
    assert int(counts.group(3)) >= 1
    assert sum(map(int, counts.groups())) + int(counts.group(3)) == len(rows)


@pytest.fixture
def two_a_page(monkeypatch):
    """Pages of two uses: the lineages of these documents have three at most."""
    from django.core.cache import caches

    import search.web.agreed_language as presenting

    monkeypatch.setattr(presenting, "PER_PAGE", 2)
    caches["results"].clear()


def listed(html):
    return re.findall(r'<li class="use[^"]*">.*?<strong>([^<]+)</strong>', html, re.S)


def test_a_long_lineage_is_paged_and_every_page_counts_them_all(traced, client, two_a_page):
    query = {"key": "A/RES/80/221", "lang": "en", "anchor": "op30"}
    first = client.get("/lineage/", query).content.decode()
    second = client.get("/lineage/", query | {"page": "2"}).content.decode()

    sentence = "First agreed in A/RES/78/219, OP 21 (2023); used again in 1 resolution."
    assert sentence in first and sentence in second
    assert listed(first) == ["A/RES/78/219", "A/C.3/80/L.32"]  # the earliest
    assert listed(second) == ["A/RES/80/221"]  # the next: this paragraph
    assert "Uses 1–2 of 3, earliest first." in first and "Uses 3–3 of 3, earliest first." in second
    assert '<ol class="uses" start="3">' in second
    # Plain links without JavaScript: no hx-get outside the list the resolution page loads.
    next_url = "/lineage/?key=A%2FRES%2F80%2F221&amp;lang=en&amp;anchor=op30&amp;page=2"
    assert f'<a href="{next_url}" rel="next">Next page</a>' in first
    assert "hx-get" not in first[first.index('<div class="agreed-language-list">') :]
    previous_url = "/lineage/?key=A%2FRES%2F80%2F221&amp;lang=en&amp;anchor=op30"
    assert f'<a href="{previous_url}" rel="prev">Previous page</a>' in second
    # A page past the last shows the last; a page that is no number, the first.
    assert listed(client.get("/lineage/", query | {"page": "9"}).content.decode()) == listed(second)
    assert listed(client.get("/lineage/", query | {"page": "x"}).content.decode()) == listed(first)


def test_the_list_the_resolution_page_opens_pages_in_place(traced, client, two_a_page):
    query = {"key": "A/RES/80/221", "lang": "en", "anchor": "op30"}
    partial = client.get("/lineage/", query, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    link = re.search(
        r'<a href="([^"]+)" rel="next" hx-get="([^"]+)" hx-target="closest .agreed-language-list"', partial
    )
    assert link and link.group(1) == link.group(2)  # every hx-get has its href twin
    url = link.group(2).replace("&amp;", "&")
    second = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert second.startswith('<div class="agreed-language-list">') and listed(second) == ["A/RES/80/221"]
    assert 'rel="prev" hx-get=' in second


def test_a_page_marks_the_changes_of_its_own_uses_only(traced, client, two_a_page, monkeypatch):
    import search.web.agreed_language as presenting

    compared = []
    changes = presenting._changes
    monkeypatch.setattr(presenting, "_changes", lambda *args: compared.append(args) or changes(*args))
    # op27's wording changed in 2025: the earlier uses differ from it.
    html = client.get(
        "/lineage/", {"key": "A/RES/80/221", "lang": "en", "anchor": "op27", "page": "2"}
    ).content.decode()
    assert listed(html) == ["A/RES/80/221"] and not compared  # this paragraph: nothing to mark
    html = client.get("/lineage/", {"key": "A/RES/80/221", "lang": "en", "anchor": "op27"}).content.decode()
    assert len(listed(html)) == 2 and len(compared) == html.count("wording changed") >= 1


def test_the_api_pages_too_and_says_what_page_is_wrong(traced, client, two_a_page):
    query = {"key": "A/RES/80/221", "lang": "en", "anchor": "op30"}
    first = client.get("/api/lineage", query).json()
    assert (first["total"], first["page"], first["pages"], first["per_page"]) == (3, 1, 2, 2)
    assert [u["key"] for u in first["uses"]] == ["A/RES/78/219", "A/C.3/80/L.32"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/lineage?key=A%2FRES%2F80%2F221&lang=en&anchor=op30&page=2"
    second = client.get(first["next"]).json()
    assert [u["key"] for u in second["uses"]] == ["A/RES/80/221"] and second["next"] is None
    assert second["summary"] == first["summary"] and second["total"] == 3
    for page in ("0", "3", "two", "-1", "1.5"):
        response = client.get("/api/lineage", query | {"page": page})
        assert response.status_code == 400
        assert response.json()["error"].startswith("page must be a whole number from 1 to 2")


def test_paragraphs_of_the_same_wording_form_families_from_their_pairs(traced):
    from search.models import SharedWording

    family = {p.pk: p.family for p in Paragraph.objects.only("pk", "wording_key")}
    pairs = list(SharedWording.objects.values_list("first_id", "second_id"))
    assert len(pairs) > 100
    # A paragraph joins the family of a partner stored before it: never a later one's.
    assert all(family[b] <= family[a] <= a for a, b in pairs)
    assert sum(family[pk] != pk for pk in family) > 100
    # The 80th session's paragraph and the draft it was adopted from are one family.
    draft = paragraph("A/C.3/80/L.32", "op5")
    adopted = paragraph("A/RES/80/221", "op5")
    assert plain(draft.text) == plain(adopted.text)
    assert draft.family == adopted.family


def test_family_keys_join_the_oldest_family_before_and_never_change_an_older_one():
    from search.ingest.agreed_language import family_keys

    # 1-2 a pair; 3 pairs with 2; 5 pairs with 4 (stored, its own family) and with 3.
    partners = {1: {2}, 2: {1, 3}, 3: {2, 5}, 5: {4, 3}, 6: set()}
    keys = family_keys([1, 2, 3, 5, 6], partners, stored={4: None})
    assert keys == {1: None, 2: 1, 3: 1, 5: 1, 6: None}
    assert family_keys([7], {7: {2, 9}}, stored={2: 1}) == {7: 1}


def test_a_search_shows_each_wording_once_under_the_newest_adopted_resolution(traced, client):
    q = "Myanmar Rohingya"
    found = client.get("/api/search", {"q": q, "per_page": 100}).json()
    hits = found["hits"]
    assert found["total"] > found["wordings"] == len(hits)
    # Nothing is lost: each paragraph found is a hit or listed under one, once.
    listed = [(o["resolution"], o["anchor"]) for h in hits for o in h["same_wording"]]
    shown = [(h["resolution"], h["anchor"]) for h in hits]
    assert len(set(shown + listed)) == len(shown) + len(listed) == found["total"]
    assert all(len(h["same_wording"]) == h["same_wording_count"] for h in hits)
    # No two hits are one family; each hit is the newest adopted resolution of its own.
    rows = {
        (p.version.resolution.key, p.anchor): p
        for p in Paragraph.objects.filter(version__language="en").select_related("version__resolution")
    }
    families = [rows[s].family for s in shown]
    assert len(families) == len(set(families))
    for hit in hits:
        mine = rows[(hit["resolution"], hit["anchor"])]
        others = [rows[(o["resolution"], o["anchor"])] for o in hit["same_wording"]]
        assert all(other.family == mine.family for other in others)
        adopted = [o.version.resolution for o in others if o.version.resolution.doc_type == "resolution"]
        if adopted:
            assert mine.version.resolution.doc_type == "resolution"
            assert all(mine.version.resolution.year() >= a.year() for a in adopted)
    # Pages are cut by wordings, in the API as on the page.
    paged = client.get("/api/search", {"q": q, "per_page": 10}).json()
    assert paged["links"]["last"].endswith(f"page={-(-found['wordings'] // 10)}&per_page=10")
    html = client.get("/", {"q": q}).content.decode()
    assert f"{found['total']} paragraphs found" in html and f"{found['wordings']} distinct wordings" in html
    assert re.search(
        r'Same wording in <a href="/r/A/C\.3/80/L\.32/\?lang=en&amp;q=[^"]+#op\d+">A/C\.3/80/L\.32 OP \d+',
        html,
    )
