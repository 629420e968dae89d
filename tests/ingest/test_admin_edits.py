"""What staff change in the admin reaches the index through the change log."""

import pytest
from conftest import draft_matched
from django.contrib.admin.sites import site
from django.test import RequestFactory

from search.engine.index import apply_changes
from search.engine.searching import search_paragraphs
from search.models import IndexChange, Resolution, Text

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(admin_user):
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    return request


def test_an_edited_symbol_and_date_are_logged_and_reach_the_index(indexed_corpus_copy, request_):
    resolution = Resolution.objects.get(key="A/RES/71/319")
    resolution.adopted_on = resolution.adopted_on.replace(year=2016)
    logged = IndexChange.objects.count()

    site._registry[Resolution].save_model(request_, resolution, None, True)

    versions = set(Text.objects.filter(resolution=resolution).values_list("pk", flat=True))
    assert set(IndexChange.objects.order_by("seq")[logged:].values_list("version", flat=True)) == versions
    apply_changes()
    paragraphs = sum(t.paragraphs.count() for t in resolution.texts.all())
    assert paragraphs == 62  # 31 in each language
    assert search_paragraphs("symbol:71/319 year:2016")["total"] == paragraphs
    assert search_paragraphs("symbol:71/319 year:2017")["total"] == 0


def test_a_deleted_text_leaves_the_index(indexed_corpus_copy, request_):
    text = Text.objects.get(resolution__key="A/RES/71/319", language="zh")
    count = text.paragraphs.count()
    assert search_paragraphs("symbol:71/319 lang:zh")["total"] == count == 31

    site._registry[Text].delete_model(request_, text)
    apply_changes()

    assert search_paragraphs("symbol:71/319 lang:zh")["total"] == 0


def test_staff_correct_a_draft_match_and_the_matcher_keeps_their_word(admin_client):
    rows = draft_matched("title")
    draft = rows["A/C.3/80/L.2"]
    url = f"/admin/search/draftmatch/{draft.pk}/change/"
    listing = admin_client.get("/admin/search/draftmatch/").content.decode()
    assert "A/C.3/80/L.2" in listing and "A/RES/80/192" in listing
    assert "A/RES/80/193" not in listing.split("result_list")[1].split("A/C.3/80/L.2")[0]  # a draft a row

    # An amendment is no adopted resolution: refused, in words, and nothing changes.
    refused = admin_client.post(url, {"became": rows["A/C.3/80/L.56"].pk})
    assert refused.status_code == 200
    assert (
        "A/C.3/80/L.56 is not an adopted resolution (it is: amendment). Choose a resolution"
        in refused.content.decode()
    )
    draft.refresh_from_db()
    assert (draft.became.symbol, draft.became_method) == ("A/RES/80/192", "title")

    logged = IndexChange.objects.count()
    assert admin_client.post(url, {"became": rows["A/RES/80/193"].pk}).status_code == 302
    draft.refresh_from_db()
    assert (draft.became.symbol, draft.became_method, draft.became_confidence) == (
        "A/RES/80/193",
        "staff",
        None,
    )
    # The draft's year is its resolution's: its version and both resolutions' are indexed again.
    versions = set(
        Text.objects.filter(resolution__in=[draft, rows["A/RES/80/192"], rows["A/RES/80/193"]]).values_list(
            "pk", flat=True
        )
    )
    assert set(IndexChange.objects.order_by("seq")[logged:].values_list("version", flat=True)) == versions

    from search.ingest.matching import match_drafts

    assert match_drafts() == []
    # "Confirm" twice (a double submit): the second confirms nothing more and changes nothing.
    Resolution.objects.filter(pk=draft.pk).update(became_method="title")
    for expected in ("1 matches confirmed.", "0 matches confirmed."):
        page = admin_client.post(
            "/admin/search/draftmatch/", {"action": "confirm", "_selected_action": [draft.pk]}, follow=True
        )
        assert expected in page.content.decode()
        draft.refresh_from_db()
        assert (draft.became.symbol, draft.became_method) == ("A/RES/80/193", "staff")
    draft.refresh_from_db()
    assert draft.became.symbol == "A/RES/80/193"


def test_only_staff_see_the_draft_matches(client):
    response = client.get("/admin/search/draftmatch/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
