"""A document's page without a query is built once for each state of the stored data:
viewed again it is not built again, and every write it shows (a publish, a trace of
shared wording, a staff edit) makes the next view show it."""

from pathlib import Path

import pytest
from conftest import import_ods
from django.conf import settings

from search.models import Text
from search.web import views

ODS = Path(settings.BASE_DIR) / "corpus" / "ods"


def main(response) -> str:
    """The page's own part: the header's form carries a CSRF token masked anew each time."""
    return response.content.decode().split('<main id="main" tabindex="-1">')[1].split("</main>")[0]


def import_pdf(name):
    import_ods(name)


def refuse(*args, **kwargs):
    raise AssertionError("the page was built again")


@pytest.fixture
def no_building(monkeypatch):
    """Make building a document's page fail: a view that still answers was not built."""

    def forbid():
        monkeypatch.setattr(views, "build_reading", refuse)

    return forbid


@pytest.mark.django_db(transaction=True)
def test_it_builds_a_page_once_and_again_after_each_write_it_shows(client, settings, tmp_path, no_building):
    settings.INDEX_DIR = tmp_path / "index"
    settings.INDEX_FOLLOW = False
    import_pdf("A_RES_80_221.pdf")
    url = "/r/A/RES/80/221/?lang=en"
    first = main(client.get(url))
    assert 'id="op30"' in first and "Same wording in 1 other paragraph" not in first

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "build_reading", refuse)
        assert main(client.get(url)) == first  # kept: nothing was written

    # The 2023 resolution, whose OP 21 is this one's OP 30 word for word: the page now
    # names the partner (a publish, then the trace it runs once committed).
    import_pdf("A_RES_78_219.pdf")
    second = main(client.get(url))
    assert second != first
    assert "Same wording in 1 other paragraph" in second.split('id="op30"')[1].split('id="op31"')[0]

    # A staff edit of the title (the admin's TextAdmin logs the change).
    from django.contrib.admin.sites import site
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    text = Text.objects.get(resolution__key="A/RES/80/221", language="en")
    text.title = "Situation of human rights in Myanmar <edited>"
    request = RequestFactory().post("/admin/")
    request.user = User.objects.create_superuser("editor", "e@example.org", "x")
    site._registry[Text].save_model(request, text, form=None, change=True)
    third = main(client.get(url))
    assert "Situation of human rights in Myanmar &lt;edited&gt;" in third

    no_building()
    assert main(client.get(url)) == third


@pytest.mark.django_db
def test_each_view_of_a_document_keeps_its_own_page(client, corpus, no_building):
    pages = {
        (url, language): main(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
        for url in ("/r/A/RES/71/322/?lang=en", "/r/A/RES/71/322/?lang=zh", "/r/A/RES/71/322/?view=both")
        for language in ("en", "zh-hans")
    }
    assert len(set(pages.values())) == len(pages)  # six different pages
    no_building()
    for (url, language), page in pages.items():
        assert main(client.get(url, HTTP_ACCEPT_LANGUAGE=language)) == page


@pytest.mark.django_db
def test_a_page_with_a_query_is_built_each_time(client, corpus, monkeypatch):
    url = "/r/A/RES/71/322/?lang=en&q=organ"
    first = main(client.get(url))
    assert "<mark>" in first
    built = []
    real = views.build_reading
    monkeypatch.setattr(views, "build_reading", lambda *a, **k: built.append(1) or real(*a, **k))
    assert main(client.get(url)) == first
    assert built == [1]
