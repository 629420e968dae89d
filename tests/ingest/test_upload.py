"""Staff add resolutions through the admin: upload, review, publish or cancel; bad files change nothing."""

import hashlib
import html
import io
import re
import threading
from pathlib import Path

import pytest
from conftest import stored_snapshot
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from search.engine.searching import search_paragraphs
from search.ingest import uploads
from search.models import Paragraph, Resolution, SourceFile, Text, Upload

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EN_71_322 = (CORPUS / "en/A_RES_71_322.txt").read_bytes()
ZH_71_322 = (CORPUS / "zh/000_9c40344d96047766.txt").read_bytes()
REPORT = "report-79-third-committee-item-107"
# A draft resolution as a delegation might type it, with one word found nowhere else.
DRAFT = "大会，\n回顾其以往各项决议，\n1. 决定继续审议魑魅魍魉问题。\n".encode()


@pytest.fixture
def staff(db, client):
    user = User.objects.create_user("editor", password="pw", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def send(client, data, name, language="en"):
    return client.post(
        reverse("admin:search_upload_add"),
        {"file": SimpleUploadedFile(name, data), "language": language},
    )


def review_url(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def errors(response):
    """The form errors a page shows, as text."""
    return [html.unescape(e) for e in re.findall(r"<li>(.*?)</li>", _errorlists(response))]


def _errorlists(response):
    return "".join(re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S))


def publish_values(**extra):
    values = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}
    values.update(extra)
    return values


def test_uploads_are_for_authenticated_staff_only(db, client):
    add = reverse("admin:search_upload_add")
    response = client.get(add)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    reader = User.objects.create_user("reader", password="pw", is_staff=False)
    client.force_login(reader)  # (client.login passes no request, which sign-in throttling needs)
    response = send(client, EN_71_322, "A_RES_71_322.txt")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Upload.objects.count() == 0


def test_it_previews_a_new_language_version_then_publishes_it_searchable_at_once(
    staff, client, django_capture_on_commit_callbacks
):
    call_command(
        "ingest_file", str(CORPUS / "zh/000_9c40344d96047766.txt"), "--language", "zh", stdout=io.StringIO()
    )
    before = stored_snapshot()
    url = review_url(send(client, EN_71_322, "A_RES_71_322.txt"))

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    # The parser's findings, pre-filled for correction, and the paragraphs to check.
    assert 'value="A/RES/71/322"' in html
    assert "Strengthening and promoting effective measures" in html
    assert "OP 3 (b)" in html and "<code>op3b</code>" in html
    assert "Resolution 217 A (III)." in html
    # Nothing is stored before Publish (only the staged upload).
    assert stored_snapshot()[:5] == before[:5]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**publish_values(), "publish": "Publish"})
    assert response.status_code == 302
    english = Text.objects.get(resolution__key="A/RES/71/322", language="en")
    assert english.paragraphs.count() == 44
    upload = Upload.objects.get(filename="A_RES_71_322.txt")
    assert (upload.status, upload.user, upload.resolution.key) == (Upload.PUBLISHED, staff, "A/RES/71/322")
    assert upload.staged is None and upload.source.sha256 == hashlib.sha256(EN_71_322).hexdigest()
    hits = search_paragraphs("self-sufficiency transplantation")["hits"]
    assert any(h["symbol"] == "A/RES/71/322" and h["language"] == "en" and h["anchor"] == "op5" for h in hits)


def test_the_review_compares_the_two_languages(staff, client):
    call_command(
        "ingest_file", str(CORPUS / "zh/000_9c40344d96047766.txt"), "--language", "zh", stdout=io.StringIO()
    )
    # An English text that lost its last operative paragraph.
    shortened = EN_71_322.split(b"13. Invites Member States")[0] + b"96th plenary meeting\n8 September 2017\n"
    html = client.get(review_url(send(client, shortened, "short.txt"))).content.decode()
    assert "Chinese version has 13 OP, English has 12" in html
    assert "with no counterpart here: op13" in html


def test_cancel_leaves_nothing_behind(staff, client):
    before = stored_snapshot()
    url = review_url(send(client, EN_71_322, "A_RES_71_322.txt"))
    response = client.post(url, {"cancel": "Cancel"})
    assert response.status_code == 302
    assert stored_snapshot() == before
    # Publishing a cancelled upload afterwards finds nothing to publish.
    response = client.post(url, {**publish_values(), "publish": "Publish"}, follow=True)
    assert "cancelled or never existed" in response.content.decode()
    assert stored_snapshot() == before


def test_a_double_clicked_publish_stores_the_document_once(staff, client):
    url = review_url(send(client, EN_71_322, "A_RES_71_322.txt"))
    first = client.post(url, {**publish_values(), "publish": "Publish"})
    second = client.post(url, {**publish_values(), "publish": "Publish"}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "already published" in second.content.decode()
    assert Text.objects.filter(resolution__key="A/RES/71/322", language="en").count() == 1
    assert Upload.objects.count() == 1


def test_a_double_clicked_upload_stages_the_file_once(staff, client):
    assert review_url(send(client, EN_71_322, "a.txt")) == review_url(send(client, EN_71_322, "a.txt"))
    assert Upload.objects.count() == 1


def test_a_duplicate_is_named_and_replacing_needs_a_tick_and_keeps_anchors(staff, client):
    call_command("ingest_file", str(CORPUS / "en/A_RES_71_322.txt"), "--language", "en", stdout=io.StringIO())
    before = stored_snapshot()
    # The same bytes again: said plainly.
    again = review_url(send(client, EN_71_322, "again.txt"))
    assert "This exact file is already stored as A/RES/71/322 (en)" in client.get(again).content.decode()
    client.post(again, {"cancel": "Cancel"})

    # A corrected text of OP 13: replacing needs a tick.
    corrected = EN_71_322.replace(
        b"consideration at its seventy-third session.", b"consideration at its seventy-fourth session."
    )
    assert corrected != EN_71_322
    url = review_url(send(client, corrected, "corrected.txt"))
    assert (
        "An English version of A/RES/71/322 is already stored (from A_RES_71_322.txt)"
        in client.get(url).content.decode()
    )
    response = client.post(url, {**publish_values(), "publish": "Publish"})
    assert response.status_code == 200
    assert "tick “replace”" in response.content.decode()
    assert stored_snapshot()[:5] == before[:5]

    anchors_before = list(Paragraph.objects.filter(version__language="en").values_list("anchor", flat=True))
    response = client.post(url, {**publish_values(), "replace": "on", "publish": "Publish"})
    assert response.status_code == 302
    english = Text.objects.get(resolution__key="A/RES/71/322", language="en")
    assert list(english.paragraphs.values_list("anchor", flat=True)) == anchors_before
    assert english.paragraphs.get(anchor="op13").text.endswith("seventy-fourth session.")
    upload = Upload.objects.get(status=Upload.PUBLISHED, filename="corrected.txt")
    assert upload.changes["changed"] == ["op13"] and upload.changes["unchanged"] == 43
    # Both originals are kept and staff can download them.
    assert SourceFile.objects.count() == 2
    download = client.get(reverse("admin:search_sourcefile_download", args=[upload.source.pk]))
    assert (
        download.status_code == 200
        and b"".join(download.streaming_content if download.streaming else [download.content]) == corrected
    )


def _locked_pdf():
    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "A_RES_71_322.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.txt", "The submitted file is empty."),
        (bytes(range(256)) * 40, "photo.txt", "photo.txt: this is a binary file, not text."),
        (
            "今天天气很好。\n我们去公园散步。\n".encode("gb18030"),
            "note.txt",
            "note.txt: no resolution structure was found: no enacting formula "
            "(such as “The General Assembly,” or “大会，”) and no numbered paragraphs.",
        ),
        (
            _locked_pdf(),
            "locked.pdf",
            "locked.pdf: the PDF is protected by a password: upload a copy without protection.",
        ),
        (
            (FIXTURES / "A_RES_71_322.pdf").read_bytes()[:2000],
            "cut.pdf",
            "cut.pdf: the PDF is damaged and could not be read (PdfStreamError).",
        ),
        (
            _zip_bomb(),
            "bomb.docx",
            # The compressed size depends on the zlib that wrote the archive.
            "bomb.docx: the .docx file expands to far more than a document could hold "
            "(60 MB from N KB): it was refused as unsafe.",
        ),
        (b"GIF89a", "picture.gif", "picture.gif: upload a .txt, .md, .docx or .pdf file."),
    ],
)
def test_a_bad_file_gets_a_plain_message_and_changes_nothing(staff, client, data, name, message):
    call_command("ingest_file", str(CORPUS / "en/A_RES_71_322.txt"), "--language", "en", stdout=io.StringIO())
    before = stored_snapshot()
    response = send(client, data, name)
    assert response.status_code == 200
    assert [re.sub(r"from \d+ KB", "from N KB", e) for e in errors(response)] == [message]
    assert stored_snapshot() == before


def test_a_file_over_the_size_limit_states_the_limit(staff, client, monkeypatch):
    monkeypatch.setattr("search.ingest.forms.MAX_UPLOAD_BYTES", 1000)
    before = stored_snapshot()
    response = send(client, EN_71_322, "big.txt")
    assert errors(response) == ["big.txt is 0.0 MB; the limit is 10 MB."]
    assert stored_snapshot() == before


def test_a_gb18030_file_is_decoded_and_published(staff, client):
    url = review_url(send(client, ZH_71_322.decode("utf-8").encode("gb18030"), "71_322_gbk.txt", "zh"))
    assert "敦促会员国按照国际法和国内法规定的义务" in client.get(url).content.decode()
    client.post(url, {**publish_values(), "publish": "Publish"})
    assert Text.objects.get(language="zh").paragraphs.count() == 44


def test_markup_in_a_document_is_stored_as_text_and_shown_escaped(staff, client):
    text = (
        b"The General Assembly,\n"
        b"Recalling <script>alert('owned')</script> and <b>claims</b>,\n"
        b"1. Decides to act on <img src=x onerror=alert(1)>.\n"
    )
    url = review_url(send(client, text, "markup.md"))
    html = client.get(url).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    client.post(url, {**publish_values(key="markup-test", symbol=""), "publish": "Publish"})
    stored = Paragraph.objects.get(version__resolution__key="markup-test", anchor="pp1")
    assert stored.text == "Recalling <script>alert('owned')</script> and <b>claims</b>,"
    change = client.get(reverse("admin:search_text_change", args=[stored.version.pk])).content.decode()
    assert "<script>alert('owned')" not in change


def test_a_symbol_that_belongs_to_another_resolution_is_refused(staff, client):
    call_command("ingest_file", str(CORPUS / "en/A_RES_72_1.txt"), "--language", "en", stdout=io.StringIO())
    before = stored_snapshot()
    url = review_url(send(client, EN_71_322, "A_RES_71_322.txt"))
    response = client.post(url, {**publish_values(symbol="A/RES/72/1"), "publish": "Publish"})
    assert errors(response) == ["A/RES/72/1 already belongs to A/RES/72/1."]
    assert stored_snapshot()[:5] == before[:5]


def test_relations_are_stated_when_publishing(staff, client):
    call_command("ingest_file", str(CORPUS / "en/A_RES_74_176.txt"), "--language", "en", stdout=io.StringIO())
    adopted = Resolution.objects.get(key="A/RES/74/176")
    draft = (CORPUS / "zh/002_334a0e47d0d674b7.txt").read_bytes()
    url = review_url(send(client, draft, "draft.txt", "zh"))
    response = client.post(
        url,
        {
            "key": "draft-trafficking-2019",
            "symbol": "",
            "doc_type": "draft_resolution",
            "body": "GA",
            "became": adopted.pk,
            "publish": "Publish",
        },
    )
    assert response.status_code == 302
    assert Resolution.objects.get(key="draft-trafficking-2019").became == adopted


def test_ingest_file_does_the_same_from_the_command_line(db, tmp_path):
    out = io.StringIO()
    call_command("ingest_file", str(CORPUS / "en/A_RES_71_319.txt"), "--language", "en", stdout=out)
    # Operative paragraph 1 and an annex of 26 paragraphs, 11 (a) and (b) among them.
    assert out.getvalue() == "A_RES_71_319.txt: published as A/RES/71/319 [en]: new version, 31 paragraphs\n"
    assert Upload.objects.get().status == Upload.PUBLISHED

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError) as excinfo:
        call_command("ingest_file", str(empty), "--language", "en")
    assert str(excinfo.value) == "empty.txt: the file is empty"
    assert Upload.objects.count() == 1


def test_ingest_file_prints_the_review_warnings_and_publishes(db, tmp_path):
    call_command(
        "ingest_file", str(CORPUS / "zh/000_9c40344d96047766.txt"), "--language", "zh", stdout=io.StringIO()
    )
    short = tmp_path / "short.md"
    short.write_bytes(b"The General Assembly,\nRecalling its resolutions,\n1. Decides to act.\n")
    out = io.StringIO()

    call_command("ingest_file", str(short), "--language", "en", "--key", "A/RES/71/322", stdout=out)

    assert out.getvalue().splitlines() == [
        "warning: Chinese version has 17 PP, English has 1",
        "warning: Chinese version has 13 OP, English has 1",
        "short.md: published as A/RES/71/322 [en]: new version, 2 paragraphs",
    ]


def test_ingest_file_names_a_relation_it_cannot_find_and_keeps_nothing(db, tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_bytes(DRAFT)
    before = stored_snapshot()

    with pytest.raises(CommandError) as excinfo:
        call_command("ingest_file", str(draft), "--language", "zh", "--contained-in", "nowhere")

    assert str(excinfo.value) == "no resolution with key nowhere"
    assert stored_snapshot() == before


def test_publishing_a_draft_into_a_report_places_it_after_the_report_s_drafts(
    loaded_corpus, staff, client, django_capture_on_commit_callbacks
):
    report = Resolution.objects.get(key=REPORT)
    url = review_url(send(client, DRAFT, "draft.md", "zh"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "key": "draft-on-demons",
                "symbol": "",
                "title": "魑魅魍魉问题",
                "doc_type": "draft_resolution",
                "body": "GA",
                "contained_in": report.pk,
                "publish": "Publish",
            },
        )

    assert response.status_code == 302
    draft = Resolution.objects.get(key="draft-on-demons")
    # The report holds six drafts of its own (决议草案一 to 六): this one is the seventh.
    assert (draft.contained_in, draft.position) == (report, 7)
    assert draft.texts.get().title == "魑魅魍魉问题"
    assert Upload.objects.get().resolution == draft
    hits = search_paragraphs("魑魅魍魉")["hits"]
    assert [(h["resolution"], h["language"], h["anchor"]) for h in hits] == [("draft-on-demons", "zh", "op1")]


def test_ingest_file_places_a_draft_in_a_report(loaded_corpus, tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_bytes(DRAFT)

    call_command(
        "ingest_file",
        str(draft),
        "--language",
        "zh",
        "--key",
        "draft-on-demons",
        "--contained-in",
        REPORT,
        stdout=io.StringIO(),
    )

    draft = Resolution.objects.get(key="draft-on-demons")
    assert (draft.contained_in.key, draft.position) == (REPORT, 7)


@pytest.mark.django_db(transaction=True)
def test_two_staff_publishing_at_once_while_others_search():
    call_command(
        "ingest_file", str(CORPUS / "zh/000_9c40344d96047766.txt"), "--language", "zh", stdout=io.StringIO()
    )
    first = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en")
    second = uploads.stage((CORPUS / "en/A_RES_72_1.txt").read_bytes(), "A_RES_72_1.txt", "en")
    errors = []
    searched = []

    def publish(upload, key):
        try:
            uploads.publish(upload, uploads.review(upload).initial | {"key": key})
        except Exception as error:  # any error fails the test below
            errors.append(error)
        finally:
            connection.close()

    def search():
        try:
            for _ in range(20):
                searched.append(search_paragraphs("贩运人口")["total"])
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=publish, args=(first, "A/RES/71/322")),
        threading.Thread(target=publish, args=(second, "A/RES/72/1")),
        threading.Thread(target=search),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    # 24 paragraphs of the Chinese 71/322 say 贩运人口; the English texts cannot match.
    assert searched == [24] * 20
    assert set(Text.objects.values_list("resolution__key", "language")) == {
        ("A/RES/71/322", "zh"),
        ("A/RES/71/322", "en"),
        ("A/RES/72/1", "en"),
    }
    found = search_paragraphs("political declaration lang:en symbol:72/1")
    assert sorted(h["anchor"] for h in found["hits"][: found["complete"]]) == ["annex-24", "op1"]
    found = search_paragraphs("self-sufficiency symbol:71/322 lang:en")["hits"]
    assert [h["anchor"] for h in found] == ["op5"]


def test_an_amendment_pdf_is_published_with_its_draft_named_and_linked_once_the_draft_is_here(
    staff, client, django_capture_on_commit_callbacks, results_cache
):
    with django_capture_on_commit_callbacks(execute=True):
        data = (CORPUS / "ods/A_C.3_80_L.57.pdf").read_bytes()
        amendment = uploads.ingest_file(data, "A_C.3_80_L.57.pdf", "en").resolution
    assert (amendment.symbol, amendment.doc_type, amendment.amends) == (
        "A/C.3/80/L.57",
        "amendment",
        "A/C.3/80/L.3/Rev.1",
    )
    page = client.get(amendment.get_absolute_url()).content.decode()
    assert 'Amendment to the draft A/C.3/80/L.3/Rev.1 <span class="note">(not loaded here)</span>' in page
    assert "<dd>Amendment · General Assembly</dd>" in page
    assert "United States of America" in page  # the sponsor
    # Once the amended draft is here, both pages link to each other.
    draft = Resolution.objects.create(
        key="A/C.3/80/L.3/Rev.1", symbol="A/C.3/80/L.3/Rev.1", doc_type="draft_resolution"
    )
    # A row written here, not by a writer (each logs its change, which pages are kept by).
    results_cache.clear()
    page = client.get(amendment.get_absolute_url()).content.decode()
    assert f'Amendment to the draft <a href="{draft.get_absolute_url()}">A/C.3/80/L.3/Rev.1</a>' in page
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'Amendment proposed: <a href="{amendment.get_absolute_url()}">A/C.3/80/L.57</a>' in page
    hits = search_paragraphs("child pornography")["hits"]
    assert sorted(h["anchor"] for h in hits if h["symbol"] == "A/C.3/80/L.57") == ["para1", "para2"]


def test_staff_upload_several_files_at_once_and_publish_those_without_warnings(
    staff, client, django_capture_on_commit_callbacks
):
    clean = (CORPUS / "ods/A_RES_78_110.pdf").read_bytes()
    warned = (CORPUS / "ods/A_RES_78_225.pdf").read_bytes()  # no enacting formula: a warning
    before = stored_snapshot()
    response = client.post(
        reverse("admin:search_upload_add"),
        {
            "file": [
                SimpleUploadedFile("A_RES_78_110.pdf", clean),
                SimpleUploadedFile("A_RES_78_225.pdf", warned),
                SimpleUploadedFile("broken.pdf", b"%PDF-1.4 not really"),
                SimpleUploadedFile("zh.txt", ZH_71_322),
            ],
            "language": "",  # each as its text reads
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:search_upload_staged")
    assert "3 of 4 files staged for review." in page
    assert "Not staged: broken.pdf:" in page
    assert Upload.objects.filter(status=Upload.PENDING).count() == 3
    assert Upload.objects.get(filename="zh.txt").language == "zh"  # read from the text
    assert "no enacting formula" in page
    assert stored_snapshot()[:5] == before[:5]  # nothing published yet

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:search_upload_staged"), {"publish_clean": "1"}, follow=True)
    page = html.unescape(response.content.decode())
    assert "Published 2 files; searchable now." in page
    assert Upload.objects.get(filename="A_RES_78_225.pdf").status == Upload.PENDING  # left for review
    assert {u.filename for u in Upload.objects.filter(status=Upload.PUBLISHED)} == {
        "A_RES_78_110.pdf",
        "zh.txt",
    }
    assert Resolution.objects.filter(symbol="A/RES/78/110").exists()
    assert search_paragraphs("魑魅魍魉 OR 器官移植")["total"] > 0
    # A second click on the same button publishes nothing more and damages nothing.
    stored = stored_snapshot()
    response = client.post(reverse("admin:search_upload_staged"), {"publish_clean": "1"}, follow=True)
    assert "Published 0 files; searchable now." in html.unescape(response.content.decode())
    assert stored_snapshot() == stored


def test_another_persons_staged_files_are_not_theirs_to_list_or_publish(staff, client, db):
    other = User.objects.create_user("other", password="pw", is_staff=True)
    uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", other)
    page = client.get(reverse("admin:search_upload_staged")).content.decode()
    assert "A_RES_71_322.txt" in page  # a superuser sees every staged upload
    client.force_login(other)
    other.user_permissions.add(*Permission.objects.filter(codename__in=["add_upload", "view_upload"]))
    page = client.get(reverse("admin:search_upload_staged")).content.decode()
    assert "A_RES_71_322.txt" in page  # their own
    client.post(reverse("admin:search_upload_staged"), {"publish_clean": "1"})
    assert Upload.objects.get().status == Upload.PENDING  # no permission to publish texts
