"""Search by the proceedings: vote:recorded, vote:none, contested:yes, sponsor:Japan or
sponsor:日本, agenda:70; as facets, chips and in the API, kept by paging. Expectations read
from corpus/proceedings/80/c3-proposals.json: 80/192 and 80/191 adopted by recorded votes,
80/196 without a vote, OP 4 of 80/192 put to a separate vote, 80/191's main sponsor Bolivia;
from c1-proposals.json: 80/57 adopted by a recorded vote, A/C.1/80/L.41's OPs 4, 3 and 1
put to separate votes in the First Committee, and OPs 4, 3, 1 and PPs 12, 10, 9, 8, 4, 3, 2
and 1 in plenary; from plenary-agenda.json and the PDFs' headings, the agenda items:
69 (a) (80/192, A/C.3/80/L.2), 68 (a) (80/191), 70 (80/196; 78/192 of the 78th session,
"Right of peoples to self-determination" both), 99 (kk) (A/C.1/80/L.41, 80/57)."""

import io
import json
import re

import pytest
from conftest import import_ods, read_index
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from search.engine.searching import search_paragraphs
from search.models import Paragraph

PROCEEDINGS = f"{settings.BASE_DIR}/corpus/proceedings"
PDFS = [
    "A_RES_80_192.pdf",
    "A_RES_80_191.pdf",
    "A_RES_80_196.pdf",
    "A_C.3_80_L.2.pdf",
    "A_RES_78_192.pdf",
    "A_C.1_80_L.41.pdf",
    "A_RES_80_57.pdf",
]
# The paragraphs put to a separate vote in plenary on 80/57, and so on A/C.1/80/L.41,
# which numbers its paragraphs alike (13 PPs, 4 OPs in both PDFs); the First Committee's
# on L.41's OPs 4, 3 and 1 are among them.
ON_80_57 = {"op4", "op3", "op1", "pp12", "pp10", "pp9", "pp8", "pp4", "pp3", "pp2", "pp1"}


def index():
    call_command("rebuild_index", "--if-needed", stdout=io.StringIO())


@pytest.fixture(scope="module")
def indexed_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """The documents, the proceedings and an index of them, made once for the module:
    the rows in a transaction rolled back at its end (each test runs in a savepoint
    inside it; conftest's WHOLE_MODULES sends the module to one worker), the index in a
    folder of the module's own."""
    path = tmp_path_factory.mktemp("proceedings-index")
    with (
        django_db_blocker.unblock(),
        override_settings(INDEX_DIR=path, INDEX_FOLLOW=False),
        transaction.atomic(),
    ):
        import_ods(*PDFS)
        call_command("import_proceedings", PROCEEDINGS, stdout=io.StringIO())
        index()
        yield path
        transaction.set_rollback(True)


@pytest.fixture
def indexed(indexed_rows, db, settings):
    read_index(settings, indexed_rows)


def found(q) -> set[tuple[str, str]]:
    result = search_paragraphs(q, per_page=100)
    assert result["total"] <= 100
    return {(hit["resolution"], hit["anchor"]) for hit in result["hits"]}


def paragraphs_of(key) -> int:
    return Paragraph.objects.filter(version__resolution__key=key).count()


def test_contested_keeps_the_paragraphs_put_to_a_separate_vote(indexed):
    assert found("contested:yes") == {
        ("A/RES/80/192", "op4"),
        *(("A/RES/80/57", anchor) for anchor in ON_80_57),
        *(("A/C.1/80/L.41", anchor) for anchor in ON_80_57),
    }
    assert found("neo-Nazism contested:yes") == {("A/RES/80/192", "op4")}
    assert ("A/RES/80/192", "op4") not in found("neo-Nazism -contested:yes")


def test_a_drafts_paragraph_is_contested_only_where_its_numbers_are_the_resolutions(indexed):
    # A/C.3/80/L.2 has 74 OPs, 80/192 75: its OP 4 ("Expresses its appreciation…") is not
    # the OP 4 put to a vote in plenary ("Notes with alarm…"), which an amendment inserted.
    assert not {key for key in found("contested:yes") if key[0] == "A/C.3/80/L.2"}
    assert {anchor for key, anchor in found("contested:yes") if key == "A/C.1/80/L.41"} >= {
        "op1",
        "op3",
        "op4",
    }


def test_vote_filters_by_how_the_resolution_was_adopted(indexed):
    recorded = search_paragraphs("vote:recorded", per_page=10)
    assert recorded["total"] == sum(map(paragraphs_of, ["A/RES/80/192", "A/RES/80/191", "A/RES/80/57"]))
    assert search_paragraphs("vote:none")["total"] == paragraphs_of("A/RES/80/196")
    assert recorded["facets"]["vote"] == {"recorded": recorded["total"]}
    assert search_paragraphs("Nazism")["facets"]["contested"].get("yes") == 1


def test_sponsor_is_found_by_its_english_and_chinese_names(indexed):
    bolivia = paragraphs_of("A/RES/80/191")
    for q in ("sponsor:Bolivia", "sponsor:多民族玻利维亚国", 'sponsor:"Bolivia (Plurinational State of)"'):
        assert search_paragraphs(q)["total"] == bolivia, q
    assert search_paragraphs("sponsor:Japan")["total"] == 0


def test_the_page_shows_facets_chips_and_keeps_the_filter_when_paging(client, indexed):
    html = client.get("/", {"q": "vote:recorded"}).content.decode()
    chips = re.findall(r'<ul class="chips".*?</ul>', html, re.S)[0]
    assert "Adopted: by a recorded vote" in chips
    assert 'href="/?q=vote%3Arecorded&amp;page=2" rel="next"' in html
    html = client.get("/", {"q": "Nazism"}).content.decode()
    assert "put to a separate vote" in html and "contested%3Ayes" in html
    zh = client.get("/", {"q": "vote:none"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "通过方式: 未经表决" in zh


def test_the_api_filters_the_same(client, indexed):
    data = client.get("/api/search", {"q": "contested:yes"}).json()
    assert data["total"] == 1 + 2 * len(ON_80_57)
    assert data["facets"]["contested"] == {"yes": data["total"]}
    data = client.get("/api/search", {"q": "Nazism contested:yes"}).json()
    assert data["total"] == 1 and data["hits"][0]["anchor"] == "op4"
    assert "q=sponsor%3A" in client.get("/api/search", {"q": "sponsor:Bolivia"}).json()["links"]["first"]


def all_paragraphs(*documents) -> int:
    return sum(map(paragraphs_of, documents))


def test_agenda_filters_by_an_item_of_any_session_or_of_one(indexed):
    both = all_paragraphs("A/RES/80/196", "A/RES/78/192")
    assert search_paragraphs("agenda:70")["total"] == both
    assert search_paragraphs("agenda:80/70")["total"] == paragraphs_of("A/RES/80/196")
    assert search_paragraphs("agenda:70 session:78")["total"] == paragraphs_of("A/RES/78/192")
    assert search_paragraphs("agenda:70 -session:80")["total"] == paragraphs_of("A/RES/78/192")
    assert search_paragraphs("-agenda:70 agenda:68")["total"] == paragraphs_of("A/RES/80/191")


@pytest.mark.parametrize(
    "q", ["agenda:69", 'agenda:"69 (a)"', "agenda:69(A)", "agenda:80/69a", "agenda:80/69"]
)
def test_an_item_finds_its_sub_items_however_it_is_spelt(indexed, q):
    assert search_paragraphs(q)["total"] == all_paragraphs("A/RES/80/192", "A/C.3/80/L.2"), q


def test_the_proceedings_give_the_sub_item_a_heading_gives_only_in_part(indexed):
    assert search_paragraphs("agenda:99(kk)")["total"] == all_paragraphs("A/C.1/80/L.41", "A/RES/80/57")
    assert search_paragraphs("agenda:99(b)")["total"] == 0


def test_the_agenda_facet_keeps_the_sessions_apart_and_gives_titles(indexed):
    result = search_paragraphs("agenda:70")
    assert result["facets"]["agenda"] == {
        "80/70": paragraphs_of("A/RES/80/196"),
        "78/70": paragraphs_of("A/RES/78/192"),
    }
    title = "Right of peoples to self-determination"  # plenary-agenda.json; 78/192's heading
    assert result["agenda_items"] == {"80/70": {"en": title, "zh": ""}, "78/70": {"en": title, "zh": ""}}
    racism = search_paragraphs("agenda:69")
    assert racism["facets"]["agenda"] == {"80/69": racism["total"], "80/69(a)": racism["total"]}
    # plenary-agenda.json's title, not the heading's longer "…: elimination of racism, …"
    assert racism["agenda_items"]["80/69(a)"]["en"] == (
        "Elimination of racism, racial discrimination, xenophobia and related intolerance"
    )


def test_the_page_names_agenda_items_in_facets_and_chips_and_keeps_them_when_paging(client, indexed):
    html = client.get("/", {"q": "agenda:70"}).content.decode()
    facets = re.findall(r'<nav class="facets".*?</nav>', html, re.S)[0]
    assert "70 Right of peoples to self-determination (80th session)" in facets
    assert "70 Right of peoples to self-determination (78th session)" in facets
    assert 'href="/?q=agenda%3A70+agenda%3A78%2F70"' in facets
    html = client.get("/", {"q": "agenda:80/69(a)"}).content.decode()
    chips = re.findall(r'<ul class="chips".*?</ul>', html, re.S)[0]
    assert (
        "Agenda item: 69 (a) Elimination of racism, racial discrimination, xenophobia and related"
        " intolerance (80th session)" in chips
    )
    assert 'href="/?q=agenda%3A80%2F69%28a%29&amp;page=2" rel="next"' in html
    html = client.get("/", {"q": "agenda:70 -agenda:80/70"}).content.decode()
    chips = re.findall(r'<ul class="chips".*?</ul>', html, re.S)[0]
    assert "Agenda item: − 70 Right of peoples to self-determination (80th session)" in chips
    zh = client.get("/", {"q": "agenda:70"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "70 Right of peoples to self-determination（第78届会议）" in zh  # no Chinese heading: the English
    assert ">第三委员会</a>" in zh  # the committee facet: 80/196 and 78/192 on the Third Committee's report


def test_the_api_filters_and_counts_agenda_items_the_same(client, indexed):
    data = client.get("/api/search", {"q": "agenda:70 session:78"}).json()
    assert data["total"] == paragraphs_of("A/RES/78/192")
    assert data["facets"]["agenda"] == {"78/70": data["total"]}
    assert data["agenda_items"]["78/70"]["en"] == "Right of peoples to self-determination"
    assert "q=agenda%3A70+session%3A78" in data["links"]["first"]


def test_an_agenda_imported_again_reaches_the_facet_and_is_escaped(client, indexed, tmp_path):
    (tmp_path / "80").mkdir()
    row = {"AG_Item": "70", "AG_SessionNo": "80", "AG_Title": "<b>Self-determination</b>", "AG_Body": "GA"}
    (tmp_path / "80" / "plenary-agenda.json").write_text(json.dumps([row]), encoding="utf-8")
    call_command("import_proceedings", str(tmp_path), stdout=io.StringIO())
    assert search_paragraphs("agenda:70")["agenda_items"]["80/70"]["en"] == "<b>Self-determination</b>"
    html = client.get("/", {"q": "agenda:70"}).content.decode()
    assert "70 &lt;b&gt;Self-determination&lt;/b&gt; (80th session)" in html and "<b>Self" not in html
