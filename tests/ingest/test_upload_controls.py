"""What an upload may ask: who may publish or cancel, a language that does not match,
details the form refuses, the limits of one file, and one key published twice at once."""

import html
import io
import re
import threading
import time
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import staff_with, stored_snapshot
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from search.ingest import uploads
from search.ingest.extract import extract, read_document
from search.models import Paragraph, Text, Upload
from search.parsing import ParsedDocument, decode, parse_document

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
EN_71_322 = (CORPUS / "en/A_RES_71_322.txt").read_bytes()
ZH_71_322 = (CORPUS / "zh/000_9c40344d96047766.txt").read_bytes()
DRAFT = b"The General Assembly,\nRecalling its resolutions,\n1. Decides to act.\n"
PUBLISH = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}


def review_url(upload):
    return reverse("admin:search_upload_review", args=[upload.token])


def shown_messages(response):
    """The messages a page shows (a response followed to its end)."""
    found = re.search(r'<ul class="messagelist">(.*?)</ul>', response.content.decode(), re.S)
    return (
        [html.unescape(m) for m in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)] if found else []
    )


def send(client, data, name, language="en"):
    response = client.post(
        reverse("admin:search_upload_add"), {"file": SimpleUploadedFile(name, data), "language": language}
    )
    return response


def form_errors(response):
    lists = "".join(re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S))
    return re.findall(r"<li>(.*?)</li>", lists)


# Permissions


def test_it_refuses_publishing_to_staff_who_may_not_add_and_change_texts(db, client):
    editor = staff_with("editor", "add_upload")
    client.force_login(editor)
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", editor)
    before = stored_snapshot()

    page = client.get(review_url(upload)).content.decode()
    response = client.post(review_url(upload), {**PUBLISH, "publish": "Publish"}, follow=True)

    refusal = (
        "You may not publish: that needs the permissions to add and to change texts "
        "(search.add_text, search.change_text). Ask an administrator."
    )
    assert 'name="publish"' not in page and refusal in page
    assert response.redirect_chain == [(review_url(upload), 302)]
    assert shown_messages(response) == [refusal]
    assert stored_snapshot() == before


def test_it_publishes_a_new_work_for_staff_who_may_add_and_change_texts_and_add_resolutions(db, client):
    editor = staff_with("editor", "add_upload", "add_text", "change_text", "add_resolution")
    client.force_login(editor)
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", editor)

    response = client.post(review_url(upload), {**PUBLISH, "publish": "Publish"})

    assert response.status_code == 302
    assert Text.objects.get().resolution.key == "A/RES/71/322"
    assert Upload.objects.get().status == Upload.PUBLISHED


def test_it_leaves_another_person_s_upload_to_those_allowed_to_change_or_delete_uploads(db, client):
    alice = staff_with("alice", "add_upload", "add_text", "change_text")
    bob = staff_with("bob", "add_upload", "view_upload", "add_text", "change_text", "add_resolution")
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", alice)
    client.force_login(bob)
    before = stored_snapshot()

    published = client.post(review_url(upload), {**PUBLISH, "publish": "Publish"}, follow=True)
    cancelled = client.post(review_url(upload), {"cancel": "Cancel"}, follow=True)

    assert shown_messages(published) == [
        "You may not publish A_RES_71_322.txt: someone else uploaded it, and publishing another "
        "person's upload needs the permission to change uploads (search.change_upload)."
    ]
    assert shown_messages(cancelled) == [
        "You may not cancel A_RES_71_322.txt: someone else uploaded it, and cancelling another "
        "person's upload needs the permission to delete uploads (search.delete_upload)."
    ]
    assert stored_snapshot() == before

    bob.user_permissions.add(Permission.objects.get(codename="delete_upload"))
    assert client.post(review_url(upload), {"cancel": "Cancel"}).status_code == 302
    assert Upload.objects.count() == 0

    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", alice)
    bob.user_permissions.add(Permission.objects.get(codename="change_upload"))
    assert client.post(review_url(upload), {**PUBLISH, "publish": "Publish"}).status_code == 302
    assert Upload.objects.get().status == Upload.PUBLISHED


def test_it_hides_another_person_s_upload_from_staff_who_may_not_view_uploads(db, client):
    alice = staff_with("alice", "add_upload")
    client.force_login(staff_with("bob", "add_upload", "add_text", "change_text"))
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", alice)

    assert client.get(review_url(upload)).status_code == 403
    assert client.post(review_url(upload), {**PUBLISH, "publish": "Publish"}).status_code == 403
    assert Upload.objects.get().status == Upload.PENDING


def test_it_lets_the_superuser_publish_anyone_s_upload(db, client):
    alice = staff_with("alice", "add_upload")
    client.force_login(User.objects.create_superuser("root", password="pw"))
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", alice)

    assert client.post(review_url(upload), {**PUBLISH, "publish": "Publish"}).status_code == 302
    assert Upload.objects.get().status == Upload.PUBLISHED


# The language stated and the language the text reads as

MISMATCH = (
    "This text reads as Chinese but was uploaded as English: check that the file and the language are right."
)


@pytest.fixture
def admin_client(db, client):
    client.force_login(User.objects.create_superuser("root", password="pw"))
    return client


def test_it_says_when_a_text_reads_as_another_language_and_publishes_only_when_confirmed(admin_client):
    response = send(admin_client, ZH_71_322, "71_322.txt", "en")
    url = response["Location"]
    before = stored_snapshot()

    page = admin_client.get(url).content.decode()
    refused = admin_client.post(url, {**PUBLISH, "publish": "Publish"})

    assert MISMATCH in page and 'name="language_ok"' in page
    assert refused.status_code == 200
    assert form_errors(refused) == [f"{MISMATCH} Publishing it as English needs a confirmation."]
    assert stored_snapshot() == before

    confirmed = admin_client.post(url, {**PUBLISH, "language_ok": "on", "publish": "Publish"})
    assert confirmed.status_code == 302
    assert Text.objects.get().language == "en"


def test_it_asks_no_confirmation_when_the_languages_agree(admin_client):
    page = admin_client.get(send(admin_client, ZH_71_322, "71_322.txt", "zh")["Location"]).content.decode()

    assert "reads as" not in page and 'name="language_ok"' not in page


def test_ingest_file_needs_a_flag_to_publish_a_text_that_reads_as_another_language(db, tmp_path):
    path = tmp_path / "71_322.txt"
    path.write_bytes(ZH_71_322)
    before = stored_snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("ingest_file", str(path), "--language", "en", stdout=io.StringIO())

    assert str(refused.value) == (
        f"71_322.txt: {MISMATCH} Publishing it as English needs a confirmation. "
        "Pass --language-mismatch-ok to confirm it."
    )
    assert stored_snapshot() == before
    out = io.StringIO()
    call_command("ingest_file", str(path), "--language", "en", "--language-mismatch-ok", stdout=out)
    assert out.getvalue().endswith("71_322.txt: published as A/RES/71/322 [en]: new version, 44 paragraphs\n")


# ingest_file checks what the review form checks


@pytest.mark.parametrize(
    "options, message",
    [
        (
            ["--key", '../../admin/x"><script>alert(1)</script>'],
            "key: Use letters, digits and / . _ - only (for example A/RES/71/322 or draft-trafficking-2019).",
        ),
        (
            ["--key", "draft-on-acting", "--symbol", "javascript:alert(1)"],
            "symbol: A symbol looks like A/RES/71/322 or E/RES/2013/41.",
        ),
        (
            ["--symbol", "javascript:alert(1)"],
            "key: Use letters, digits and / . _ - only (for example A/RES/71/322 or draft-trafficking-2019). "
            "symbol: A symbol looks like A/RES/71/322 or E/RES/2013/41.",
        ),
    ],
)
def test_ingest_file_refuses_a_key_or_symbol_with_the_review_form_s_words(db, tmp_path, options, message):
    path = tmp_path / "draft.md"
    path.write_bytes(DRAFT)
    before = stored_snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("ingest_file", str(path), "--language", "en", *options, stdout=io.StringIO())

    assert str(refused.value) == f"draft.md: {message}"
    assert stored_snapshot() == before


def test_ingest_file_refuses_a_symbol_another_resolution_holds(db, tmp_path):
    call_command("ingest_file", str(CORPUS / "en/A_RES_72_1.txt"), "--language", "en", stdout=io.StringIO())
    path = tmp_path / "draft.md"
    path.write_bytes(DRAFT)
    before = stored_snapshot()

    with pytest.raises(CommandError) as refused:
        call_command(
            "ingest_file", str(path), "--language", "en", "--key", "draft-x", "--symbol", "A/RES/72/1"
        )

    assert str(refused.value) == "draft.md: symbol: A/RES/72/1 already belongs to A/RES/72/1."
    assert stored_snapshot() == before


# Read once, within limits


@pytest.mark.parametrize("name", sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*.txt")))
def test_it_keeps_a_parse_as_json_and_rebuilds_it_unchanged(name):
    import json

    parsed = parse_document(decode((CORPUS / name).read_bytes()), name[:2])

    assert ParsedDocument.from_dict(json.loads(json.dumps(parsed.to_dict()))) == parsed


def test_it_reads_a_staged_file_once_and_reviews_and_publishes_that_reading(admin_client, monkeypatch):
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en")
    expected = parse_document(decode(EN_71_322), "en")

    def read_again(*args, **kwargs):
        raise AssertionError("the staged file was read again")

    monkeypatch.setattr("search.ingest.sandbox.read", read_again)
    assert uploads.review(Upload.objects.get()).parsed == expected
    assert admin_client.get(review_url(upload)).status_code == 200
    assert admin_client.get(review_url(upload)).status_code == 200
    assert admin_client.post(review_url(upload), {**PUBLISH, "publish": "Publish"}).status_code == 302

    stored = Paragraph.objects.filter(version__language="en").order_by("order")
    assert list(stored.values_list("anchor", "label", "text")) == [
        (p.anchor, p.label, p.text) for p in expected.paragraphs
    ]
    assert Upload.objects.get().parsed is None  # kept only until publish, as the bytes are


def _docx(paragraphs):
    """A Word file with these paragraphs, as python-docx writes one (built fast)."""
    out = io.BytesIO()
    docx.Document().save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = re.sub(rb"<w:body>", b"<w:body>" + body.encode(), content, count=1)
            target.writestr(item, content)
    return result.getvalue()


def test_it_refuses_a_word_file_of_twenty_thousand_paragraphs_before_reading_it(admin_client):
    paragraphs = ["The General Assembly,", "Recalling its resolutions,"]
    paragraphs += [f"{n}. Decides to consider point {n};" for n in range(1, 19_999)]
    data = _docx(paragraphs)
    assert len(paragraphs) == 20_000 and len(data) < 200_000

    started = time.monotonic()
    response = send(admin_client, data, "long.docx")
    print(f"refused in {time.monotonic() - started:.2f} s")

    assert form_errors(response) == ["long.docx: the document has 20,000 paragraphs; the limit is 5,000."]
    assert Upload.objects.count() == 0


def test_it_refuses_a_text_of_more_paragraphs_than_the_limit(admin_client):
    lines = ["The General Assembly,", "Recalling its resolutions,"]
    lines += [f"{n}. Decides to consider point {n};" for n in range(1, 6_000)]

    response = send(admin_client, "\n".join(lines).encode(), "long.txt")

    assert form_errors(response) == ["long.txt: the document has 6,000 paragraphs; the limit is 5,000."]
    assert Upload.objects.count() == 0


@pytest.mark.parametrize(
    "limit, value, message",
    [
        ("MAX_CHARACTERS", 10_000, "the document has 17,832 characters; the limit is 10,000"),
        ("MAX_LINES", 100, "the document has 288 lines; the limit is 100"),
    ],
)
def test_it_states_the_limit_a_file_goes_beyond(monkeypatch, limit, value, message):
    # In this process: a child reading an upload has the limits of a fresh import.
    monkeypatch.setattr(f"search.ingest.extract.{limit}", value)

    with pytest.raises(uploads.ParseError) as refused:
        read_document(EN_71_322, "A_RES_71_322.txt", "en")

    assert str(refused.value) == message


def test_it_refuses_a_pdf_of_more_pages_than_the_limit(monkeypatch):
    monkeypatch.setattr("search.ingest.extract.MAX_PDF_PAGES", 2)
    data = (ROOT / "tests/fixtures/A_RES_71_322.pdf").read_bytes()

    with pytest.raises(uploads.ParseError) as refused:
        extract(data, "A_RES_71_322.pdf")

    assert str(refused.value) == "the document has 6 pages; the limit is 2"


# One key and language published twice at once


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_publishers_of_the_same_key_and_language_succeed():
    corrected = EN_71_322.replace(b"seventy-third session.", b"seventy-fourth session.")
    staged = [uploads.stage(EN_71_322, "first.txt", "en"), uploads.stage(corrected, "second.txt", "en")]
    start = threading.Barrier(2)
    outcomes = []

    def publish(upload):
        try:
            values = uploads.review(upload).initial | {"key": "A/RES/71/322"}
            start.wait(10)
            uploads.publish(upload, values)
            outcomes.append(("published", upload.filename))
        except uploads.NeedsReplace:
            outcomes.append(("needs replace", upload.filename))
        except Exception as error:  # any other error fails the test below
            outcomes.append((repr(error), upload.filename))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(upload,)) for upload in staged]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcome for outcome, _ in outcomes) == ["needs replace", "published"]
    winner = next(name for outcome, name in outcomes if outcome == "published")
    stored = Text.objects.get(resolution__key="A/RES/71/322", language="en")
    assert stored.source.filename == winner
    assert Upload.objects.get(filename=winner).status == Upload.PUBLISHED
    assert Upload.objects.exclude(filename=winner).get().status == Upload.PENDING
