"""A publish traces its own paragraphs once committed, and those of other documents whose
wording it makes older: A/RES/80/221 (2025) first, then A/RES/78/219 (2023), whose
operative paragraph 21 is the 2025 resolution's paragraph 30 word for word."""

import io
from pathlib import Path

import pytest
from conftest import import_ods
from django.conf import settings
from django.core.management import call_command

from search.models import IndexChange, Paragraph

ODS = Path(settings.BASE_DIR) / "corpus" / "ods"


def paragraph(key, anchor):
    return Paragraph.objects.get(version__resolution__key=key, version__language="en", anchor=anchor)


@pytest.mark.django_db(transaction=True)
def test_a_publish_traces_its_paragraphs_and_those_it_makes_older(settings, tmp_path, admin_user):
    settings.INDEX_DIR = tmp_path / "index"
    settings.INDEX_FOLLOW = False
    import_ods("A_RES_80_221.pdf")
    later = paragraph("A/RES/80/221", "op30")
    assert later.new_wording is True  # nothing earlier is here yet
    seq = IndexChange.objects.order_by("-seq").values_list("seq", flat=True).first()

    import_ods("A_RES_78_219.pdf")

    later.refresh_from_db()
    assert later.new_wording is False
    assert paragraph("A/RES/78/219", "op21").new_wording is True
    # The 2025 paragraph's new status reaches the index through the change log.
    assert IndexChange.objects.filter(seq__gt=seq, version=later.version_id).exists()

    # Staff delete the 2023 resolution: the 2025 paragraph is new wording again.
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from search.models import Resolution

    request = RequestFactory().post("/admin/")
    request.user = admin_user
    seq = IndexChange.objects.order_by("-seq").values_list("seq", flat=True).first()
    site._registry[Resolution].delete_model(request, Resolution.objects.get(key="A/RES/78/219"))
    later.refresh_from_db()
    assert later.new_wording is True
    assert IndexChange.objects.filter(seq__gt=seq, version=later.version_id).exists()


@pytest.mark.django_db(transaction=True)
def test_document_text_is_escaped_in_a_lineage_and_its_marks(client, settings, tmp_path):
    from search.ingest.store import ingest
    from search.parsing import ParsedDocument, ParsedParagraph

    settings.INDEX_DIR = tmp_path / "index"
    settings.INDEX_FOLLOW = False
    agreed = (
        "Calls upon all States to take <script>alert(1)</script> effective measures "
        + "against trafficking & abuse"
    )
    for key, text, adopted in (
        ("A/RES/70/1", agreed, "2015-12-17"),
        ("A/RES/72/1", agreed.replace("effective", "<b>concrete</b>"), "2017-12-19"),
    ):
        paragraph = ParsedParagraph("op1", "operative", "OP 1", "执行部分第1段", text, "1")
        parsed = ParsedDocument(language="en", title="Test", paragraphs=[paragraph])
        ingest(parsed, text.encode(), f"{key[-4:]}.txt", key=key, symbol=key, adopted_on=adopted)

    html = client.get("/lineage/", {"key": "A/RES/72/1", "lang": "en", "anchor": "op1"}).content.decode()

    assert "First agreed in A/RES/70/1, OP 1 (2015)" in html
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp; abuse" in html
    # The only markup in the entry is the marks of what changed, around escaped words.
    assert "<del>effective</del><ins>&lt;b&gt;concrete&lt;/b&gt;</ins>" in html


@pytest.mark.django_db(transaction=True)
def test_a_lineage_page_shows_what_each_publish_trace_and_delete_changed(
    client, settings, tmp_path, admin_user
):
    from django.contrib.admin.sites import site
    from django.core.cache import caches
    from django.test import RequestFactory

    from search.models import Resolution, SharedWording

    settings.INDEX_DIR = tmp_path / "index"
    settings.INDEX_FOLLOW = False
    caches["results"].clear()
    query = {"key": "A/RES/80/221", "lang": "en", "anchor": "op30"}

    def shown():
        return client.get("/lineage/", query).content.decode()

    import_ods("A_RES_80_221.pdf")
    assert "First agreed here (2025)." in shown()
    assert "First agreed here (2025)." in shown()  # kept: nothing was written in between

    import_ods("A_RES_78_219.pdf")
    earlier = "First agreed in A/RES/78/219, OP 21 (2023); used again in 1 resolution."
    assert earlier in shown()
    assert client.get("/api/lineage", query).json()["paragraph"]["new_wording"] is False

    # The pairs found again from nothing, as after a change of method.
    SharedWording.objects.all().delete()
    assert "First agreed here (2025)." in shown()
    call_command("trace_wording", stdout=io.StringIO())
    assert earlier in shown()

    request = RequestFactory().post("/admin/")
    request.user = admin_user
    site._registry[Resolution].delete_model(request, Resolution.objects.get(key="A/RES/78/219"))
    assert "First agreed here (2025)." in shown()
