"""Every admin action and view asks for the permission it needs before it does anything:
staff without it are told which, in words, and nothing changes. Each test gives users
exactly the permissions on either side of the boundary."""

import datetime
import html
import io
import re
from pathlib import Path

import pytest
from conftest import staff_with, stored_snapshot
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from search.ingest import uploads
from search.models import IndexChange, Paragraph, Resolution, SourceFile, Text, Upload

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
EN_71_322 = (CORPUS / "en/A_RES_71_322.txt").read_bytes()
ZH_71_322 = (CORPUS / "zh/000_9c40344d96047766.txt").read_bytes()
PUBLISH = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}
DRAFT_MATCHES = "/admin/search/draftmatch/"
# What a person who may publish texts but not touch works holds.
TEXTS_ONLY = ("add_upload", "add_text", "change_text")


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def review_url(upload):
    return reverse("admin:search_upload_review", args=[upload.token])


def stage_en(user=None, data=EN_71_322):
    return uploads.stage(data, "A_RES_71_322.txt", "en", user)


def ingest(path):
    call_command("ingest_file", str(CORPUS / path), "--language", path[:2], stdout=io.StringIO())


# Draft matches: "Confirm the selected matches" and the change form


def _draft_matched_by_title():
    draft = Resolution.objects.create(key="A/C.3/80/L.2", symbol="A/C.3/80/L.2", doc_type="draft_resolution")
    adopted = Resolution.objects.create(key="A/RES/80/192", symbol="A/RES/80/192", doc_type="resolution")
    for work in (draft, adopted):
        Text.objects.create(resolution=work, language="en", title=f"Title of {work.symbol}")
    Resolution.objects.filter(pk=draft.pk).update(became=adopted, became_method="title")
    return draft, adopted


@pytest.mark.parametrize(
    "codenames, offered",
    [
        (("view_draftmatch",), False),
        (("view_draftmatch", "change_resolution"), False),  # the work's permission is not the match's
        (("change_draftmatch",), True),
        (("view_draftmatch", "change_draftmatch"), True),
    ],
)
def test_it_offers_confirm_only_to_staff_who_may_change_draft_matches(db, client, codenames, offered):
    draft, _ = _draft_matched_by_title()
    client.force_login(staff_with("curator", *codenames))

    listing = client.get(DRAFT_MATCHES).content.decode()
    client.post(DRAFT_MATCHES, {"action": "confirm", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert "A/C.3/80/L.2" in listing
    assert ('<option value="confirm">' in listing) is offered
    assert draft.became_method == ("staff" if offered else "title")
    assert LogEntry.objects.count() == (1 if offered else 0)


def test_it_refuses_a_draft_match_correction_to_staff_who_may_only_view(db, client):
    draft, _ = _draft_matched_by_title()
    other = Resolution.objects.create(key="A/RES/80/193", symbol="A/RES/80/193", doc_type="resolution")
    client.force_login(staff_with("viewer", "view_draftmatch"))
    before = stored_snapshot()

    page = client.get(f"{DRAFT_MATCHES}{draft.pk}/change/").content.decode()
    response = client.post(f"{DRAFT_MATCHES}{draft.pk}/change/", {"became": other.pk})

    assert 'name="became"' not in page  # shown, not editable
    assert response.status_code == 403
    assert stored_snapshot() == before and LogEntry.objects.count() == 0


# Uploading, the staged list, "Publish all without warnings"

UPLOAD_REFUSAL = (
    "You may not upload files: that needs the permission to add uploads (search.add_upload). "
    "Ask an administrator."
)
STAGED_REFUSAL = (
    "You may not see the staged uploads: that needs the permission to add uploads (search.add_upload) "
    "or to view them (search.view_upload). Ask an administrator."
)
TEXT_REFUSAL = (
    "You may not publish: that needs the permissions to add and to change texts "
    "(search.add_text, search.change_text). Ask an administrator."
)


@pytest.mark.parametrize("codenames", [(), ("view_upload", "change_upload", "add_text", "change_text")])
def test_it_refuses_uploading_to_staff_who_may_not_add_uploads(db, client, codenames):
    client.force_login(staff_with("reader", *codenames))

    page = client.get(reverse("admin:search_upload_add"))
    sent = client.post(
        reverse("admin:search_upload_add"), {"file": SimpleUploadedFile("a.txt", EN_71_322), "language": "en"}
    )

    assert page.status_code == sent.status_code == 403
    assert UPLOAD_REFUSAL in text_of(page) and UPLOAD_REFUSAL in text_of(sent)
    assert "Nothing was changed." in text_of(sent)
    assert Upload.objects.count() == 0


def test_it_lets_staff_who_may_add_uploads_upload(db, client):
    client.force_login(staff_with("editor", "add_upload"))

    sent = client.post(
        reverse("admin:search_upload_add"), {"file": SimpleUploadedFile("a.txt", EN_71_322), "language": "en"}
    )

    assert sent.status_code == 302
    assert Upload.objects.get().status == Upload.PENDING


def test_it_refuses_the_staged_list_to_staff_who_may_neither_add_nor_view_uploads(db, client):
    stage_en(staff_with("alice", "add_upload"))
    client.force_login(staff_with("bob", "add_text", "change_text", "change_resolution"))
    before = stored_snapshot()

    page = client.get(reverse("admin:search_upload_staged"))
    posted = client.post(reverse("admin:search_upload_staged"), {"publish_clean": "1"})

    assert page.status_code == posted.status_code == 403
    assert STAGED_REFUSAL in text_of(page) and "A_RES_71_322.txt" not in text_of(page)
    assert stored_snapshot() == before


@pytest.mark.parametrize("codenames, sees_alice_s", [(("add_upload",), False), (("view_upload",), True)])
def test_the_staged_list_shows_another_person_s_uploads_only_to_those_who_may_view_uploads(
    db, client, codenames, sees_alice_s
):
    stage_en(staff_with("alice", "add_upload"))
    bob = staff_with("bob", *codenames)
    uploads.stage(ZH_71_322, "bob.txt", "zh", bob)
    client.force_login(bob)

    page = client.get(reverse("admin:search_upload_staged")).content.decode()

    assert "bob.txt" in page
    assert ("A_RES_71_322.txt" in page) is sees_alice_s


def test_publish_all_is_not_offered_and_refused_to_staff_who_may_not_publish_texts(db, client):
    editor = staff_with("editor", "add_upload", "add_text", "add_resolution")  # not change_text
    stage_en(editor)
    client.force_login(editor)
    before = stored_snapshot()

    page = client.get(reverse("admin:search_upload_staged"))
    posted = client.post(reverse("admin:search_upload_staged"), {"publish_clean": "1"})

    assert 'name="publish_clean"' not in page.content.decode() and TEXT_REFUSAL in text_of(page)
    assert posted.status_code == 403 and TEXT_REFUSAL in text_of(posted)
    assert stored_snapshot() == before


def test_publish_all_leaves_a_new_work_to_those_who_may_add_resolutions(db, client):
    editor = staff_with("editor", *TEXTS_ONLY)
    stage_en(editor)
    client.force_login(editor)
    before = stored_snapshot()

    page = client.get(reverse("admin:search_upload_staged"))
    posted = client.post(reverse("admin:search_upload_staged"), {"publish_clean": "1"}, follow=True)

    refusal = (
        "Publishing this file adds A/RES/71/322, and adding a work needs the permission to add "
        "resolutions (search.add_resolution). Nothing is published: ask someone who has the "
        "permission to publish it."
    )
    assert refusal in text_of(page) and "Publish all without warnings (0)" in text_of(page)
    assert "Published 0 files; searchable now." in text_of(posted)
    assert stored_snapshot() == before


# The review page and the source file


REVIEW_REFUSAL = (
    "You may not review uploads: that needs the permission to add uploads (search.add_upload) "
    "or to view them (search.view_upload). Ask an administrator."
)


def test_it_refuses_the_review_of_one_s_own_upload_once_the_permission_is_withdrawn(db, client):
    editor = staff_with("editor", "add_upload", "add_text", "change_text", "add_resolution")
    upload = stage_en(editor)
    editor.user_permissions.clear()
    client.force_login(editor)
    before = stored_snapshot()

    page = client.get(review_url(upload))
    published = client.post(review_url(upload), {**PUBLISH, "publish": "Publish"})
    cancelled = client.post(review_url(upload), {"cancel": "Cancel"})

    assert page.status_code == published.status_code == cancelled.status_code == 403
    assert REVIEW_REFUSAL in text_of(page) and REVIEW_REFUSAL in text_of(published)
    assert stored_snapshot() == before


def test_it_says_why_another_person_s_review_is_hidden(db, client):
    upload = stage_en(staff_with("alice", "add_upload"))
    client.force_login(staff_with("bob", *TEXTS_ONLY, "add_resolution", "delete_upload"))

    page = client.get(review_url(upload))

    assert page.status_code == 403
    assert (
        "You may not see A_RES_71_322.txt: someone else uploaded it, and seeing another person's "
        "upload needs the permission to view uploads (search.view_upload). Ask an administrator."
    ) in text_of(page)


@pytest.mark.parametrize(
    "codenames, allowed", [((), False), (("view_text", "view_upload"), False), (("view_sourcefile",), True)]
)
def test_it_gives_the_original_file_only_to_staff_who_may_view_source_files(db, client, codenames, allowed):
    ingest("en/A_RES_71_322.txt")
    client.force_login(staff_with("reader", *codenames))

    response = client.get(reverse("admin:search_sourcefile_download", args=[SourceFile.objects.get().pk]))

    if allowed:
        assert response.status_code == 200 and response.content == EN_71_322
    else:
        assert response.status_code == 403 and EN_71_322[:200] not in response.content
        assert (
            "You may not download original files: that needs the permission to view source files "
            "(search.view_sourcefile). Ask an administrator."
        ) in text_of(response)


# A work's details need search.change_resolution; a new work search.add_resolution


def test_it_says_before_the_click_that_a_new_work_needs_add_resolution_and_refuses_it(db, client):
    editor = staff_with("editor", *TEXTS_ONLY)
    upload = stage_en(editor)
    client.force_login(editor)
    before = stored_snapshot()

    page = client.get(review_url(upload))
    posted = client.post(review_url(upload), {**PUBLISH, "publish": "Publish"})

    refusal = (
        "Publishing this file adds A/RES/71/322, and adding a work needs the permission to add "
        "resolutions (search.add_resolution). Nothing is published: ask someone who has the "
        "permission to publish it."
    )
    assert refusal in text_of(page) and 'name="publish"' not in page.content.decode()
    assert posted.status_code == 200 and refusal in text_of(posted)
    assert stored_snapshot() == before and LogEntry.objects.count() == 0


def test_a_version_that_would_fill_in_a_work_s_details_is_refused_without_change_resolution(db, client):
    ingest("zh/000_9c40344d96047766.txt")  # the Chinese text gives no session, agenda item, committee
    editor = staff_with("editor", *TEXTS_ONLY)
    upload = stage_en(editor)
    client.force_login(editor)
    before = stored_snapshot()
    changes = IndexChange.objects.count()

    page = client.get(review_url(upload))
    posted = client.post(review_url(upload), {**PUBLISH, "publish": "Publish"})

    refusal = (
        "Publishing this file changes A/RES/71/322 (Session, Agenda item, Committee), and changing a "
        "work's details needs the permission to change resolutions (search.change_resolution). "
        "Nothing is published: ask someone who has the permission to publish it."
    )
    kept = (
        "The work's details (symbol, type, body, session, agenda item, date, relations) are those "
        "stored, and are kept: changing them needs the permission to change resolutions "
        "(search.change_resolution)."
    )
    assert refusal in text_of(page) and kept in text_of(page)
    assert "Publishing this file changes the stored work" not in text_of(page)  # said once, as a refusal
    assert 'name="publish"' not in page.content.decode()
    assert re.search(r'<input [^>]*name="session"[^>]* disabled', page.content.decode())
    assert posted.status_code == 200 and refusal in text_of(posted)
    assert stored_snapshot() == before and IndexChange.objects.count() == changes


def test_a_version_is_published_with_the_work_s_stored_details_by_staff_who_may_not_change_them(db, client):
    ingest("en/A_RES_71_322.txt")
    other = Resolution.objects.create(key="A/RES/72/1", symbol="A/RES/72/1", doc_type="resolution")
    work = Resolution.objects.values().get(key="A/RES/71/322")
    editor = staff_with("editor", *TEXTS_ONLY)
    upload = uploads.stage(ZH_71_322, "zh.txt", "zh", editor)
    client.force_login(editor)

    # Details sent for fields the form shows disabled are not taken.
    response = client.post(
        review_url(upload),
        {
            **PUBLISH,
            "doc_type": "draft_resolution",
            "body": "SC",
            "session": "99",
            "adopted_on": "2020-01-01",
            "became": other.pk,
            "publish": "Publish",
        },
    )

    assert response.status_code == 302
    assert Resolution.objects.values().get(key="A/RES/71/322") == work
    assert Text.objects.get(resolution__key="A/RES/71/322", language="zh").paragraphs.count() == 44


def test_publish_refuses_a_change_of_type_date_session_and_became_and_rolls_everything_back(db):
    ingest("en/A_RES_71_322.txt")
    adopted = Resolution.objects.create(key="A/RES/72/1", symbol="A/RES/72/1", doc_type="resolution")
    editor = staff_with("editor", *TEXTS_ONLY, "add_resolution")
    corrected = EN_71_322.replace(b"seventy-third session.", b"seventy-fourth session.")
    upload = stage_en(editor, corrected)
    values = {
        **uploads.review(upload).initial,
        "doc_type": "draft_resolution",
        "adopted_on": datetime.date(2018, 1, 1),
        "session": "72",
        "became": adopted,
    }
    before = stored_snapshot()
    changes = IndexChange.objects.count()

    with pytest.raises(uploads.NotPermitted) as refused:
        uploads.publish(upload, values, editor, replace=True)

    assert str(refused.value) == (
        "Publishing this file changes A/RES/71/322 (Doc type, Session, Adopted on, Became), and "
        "changing a work's details needs the permission to change resolutions "
        "(search.change_resolution). Nothing is published: ask someone who has the permission to "
        "publish it."
    )
    assert stored_snapshot() == before and IndexChange.objects.count() == changes
    assert Paragraph.objects.get(anchor="op13").text.endswith("seventy-third session.")

    editor.user_permissions.add(Permission.objects.get(codename="change_resolution"))
    uploads.publish(upload, values, User.objects.get(pk=editor.pk), replace=True)

    work = Resolution.objects.get(key="A/RES/71/322")
    assert (work.doc_type, work.adopted_on, work.session, work.became) == (
        "draft_resolution",
        datetime.date(2018, 1, 1),
        "72",
        adopted,
    )
    assert Paragraph.objects.get(anchor="op13").text.endswith("seventy-fourth session.")


def test_the_command_line_is_trusted_and_changes_a_work_s_details_as_before(db):
    ingest("zh/000_9c40344d96047766.txt")

    ingest("en/A_RES_71_322.txt")

    work = Resolution.objects.get(key="A/RES/71/322")
    assert (work.session, work.agenda_item, work.committee) == ("Seventy-first session", "106", "plenary")
    assert list(Upload.objects.values_list("user", "published_by")) == [(None, None), (None, None)]
    assert LogEntry.objects.count() == 0


def test_it_says_which_works_a_publish_adds_changes_and_removes():
    before = {
        "report": Resolution(pk=1, key="report", doc_type="report", session="79"),
        "report/draft-1": Resolution(pk=2, key="report/draft-1", doc_type="draft_resolution"),
        "report/draft-2": Resolution(pk=3, key="report/draft-2", doc_type="draft_resolution"),
    }
    after = {
        "report": Resolution(pk=1, key="report", doc_type="report", session="80", agenda_item="107"),
        "report/draft-1": Resolution(pk=2, key="report/draft-1", doc_type="draft_resolution"),
        "report/draft-3": Resolution(pk=4, key="report/draft-3", doc_type="draft_resolution"),
    }

    assert uploads.work_changes(before, after) == [
        {"action": "changed", "key": "report", "pk": 1, "fields": ["session", "agenda_item"]},
        {"action": "added", "key": "report/draft-3", "pk": 4, "fields": []},
        {"action": "removed", "key": "report/draft-2", "pk": 3, "name": "Draft resolution", "fields": []},
    ]


def test_it_names_the_permission_each_change_to_a_work_needs(db):
    changes = [
        {"action": "changed", "key": "report", "pk": 1, "fields": ["session"]},
        {"action": "added", "key": "report/draft-3", "pk": 4, "fields": []},
        {"action": "removed", "key": "report/draft-2", "pk": 3, "name": "Draft resolution", "fields": []},
    ]

    everything = staff_with("all", "add_resolution", "change_resolution", "delete_resolution")
    assert uploads.work_refusal(everything, changes) == ""
    assert uploads.work_refusal(staff_with("some", "add_resolution", "change_resolution"), changes) == (
        "Publishing this file removes report/draft-2 (drafts it no longer holds), and removing a work "
        "needs the permission to delete resolutions (search.delete_resolution). Nothing is published: "
        "ask someone who has the permission to publish it."
    )
    assert uploads.work_refusal(staff_with("none"), changes).startswith(
        "Publishing this file adds report/draft-3, and adding a work needs the permission to add "
        "resolutions (search.add_resolution). Publishing this file changes report (Session), and "
    )
