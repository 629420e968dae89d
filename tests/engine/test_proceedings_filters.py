"""Search by the proceedings: vote:recorded, vote:none, contested:yes, sponsor:Japan or
sponsor:日本; as facets, chips and in the API, kept by paging. Expectations read from
corpus/proceedings/80/c3-proposals.json: 80/192 and 80/191 adopted by recorded votes,
80/196 without a vote, OP 4 of 80/192 put to a separate vote, 80/191's main sponsor Bolivia."""

import io
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
        import_ods("A_RES_80_192.pdf", "A_RES_80_191.pdf", "A_RES_80_196.pdf")
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
    assert found("contested:yes") == {("A/RES/80/192", "op4")}
    assert found("neo-Nazism contested:yes") == {("A/RES/80/192", "op4")}
    assert ("A/RES/80/192", "op4") not in found("neo-Nazism -contested:yes")


def test_vote_filters_by_how_the_resolution_was_adopted(indexed):
    recorded = search_paragraphs("vote:recorded", per_page=10)
    assert recorded["total"] == paragraphs_of("A/RES/80/192") + paragraphs_of("A/RES/80/191")
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
    assert data["total"] == 1 and data["hits"][0]["anchor"] == "op4"
    assert data["facets"]["contested"] == {"yes": 1}
    assert "q=sponsor%3A" in client.get("/api/search", {"q": "sponsor:Bolivia"}).json()["links"]["first"]
