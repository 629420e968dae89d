"""What staff change in the admin reaches the index through the change log."""

import pytest
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
