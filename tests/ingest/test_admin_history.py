"""Publish, replace, delete, confirm and correct each leave their entry in the admin's
history: who, which object, what was done and which fields changed, shown in the
viewer's language. An upload keeps who uploaded it and who published it."""

import html
import io
import json
import re
from pathlib import Path

import pytest
from conftest import draft_matched, staff_with
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from search.ingest import uploads
from search.models import DraftMatch, Resolution, Text, Upload

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
EN_71_322 = (CORPUS / "en/A_RES_71_322.txt").read_bytes()
PUBLISH = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}


def logged():
    """Every history entry, oldest first: who, which model and object, the action, the message."""
    return [
        (
            e.user.username,
            e.content_type.model,
            e.object_repr,
            e.action_flag,
            json.loads(e.change_message or "[]"),
        )
        for e in LogEntry.objects.order_by("pk").select_related("user", "content_type")
    ]


def ingest(path):
    call_command("ingest_file", str(CORPUS / path), "--language", path[:2], stdout=io.StringIO())


def send(client, data, name, language="en"):
    response = client.post(
        reverse("admin:search_upload_add"), {"file": SimpleUploadedFile(name, data), "language": language}
    )
    assert response.status_code == 302
    return response["Location"]


def history(client, obj, language):
    url = reverse(f"admin:search_{obj._meta.model_name}_history", args=[obj.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return [html.unescape(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", page, re.S)]


# Publish and replace


def test_publishing_a_new_work_logs_the_work_and_its_version_as_added(admin_client, admin_user):
    url = send(admin_client, EN_71_322, "A_RES_71_322.txt")

    admin_client.post(url, {**PUBLISH, "publish": "Publish"})

    work = Resolution.objects.get()
    text = Text.objects.get()
    assert logged() == [
        ("admin", "resolution", "A/RES/71/322", ADDITION, [{"added": {}}]),
        ("admin", "text", "A/RES/71/322 [en]", ADDITION, [{"added": {}}]),
    ]
    assert [e.object_id for e in LogEntry.objects.order_by("pk")] == [str(work.pk), str(text.pk)]


def test_a_second_language_version_logs_the_work_s_details_it_fills_in(admin_client):
    ingest("zh/000_9c40344d96047766.txt")  # the Chinese text gives no session, agenda item, committee
    url = send(admin_client, EN_71_322, "A_RES_71_322.txt")

    page = html.unescape(admin_client.get(url).content.decode())
    admin_client.post(url, {**PUBLISH, "publish": "Publish"})

    said = "Publishing this file changes the stored work A/RES/71/322: Session, Agenda item, Committee."
    assert said in page
    assert logged() == [
        (
            "admin",
            "resolution",
            "A/RES/71/322",
            CHANGE,
            [{"changed": {"fields": ["Session", "Agenda item", "Committee"]}}],
        ),
        ("admin", "text", "A/RES/71/322 [en]", ADDITION, [{"added": {}}]),
    ]
    work = Resolution.objects.get()
    assert "Changed Session, Agenda item and Committee." in history(admin_client, work, "en")
    assert "已修改届会，议程项目 和 委员会。" in history(admin_client, work, "zh-hans")


def test_a_replace_logs_the_version_s_changed_fields_and_paragraphs_by_anchor(admin_client):
    ingest("en/A_RES_71_322.txt")
    corrected = EN_71_322.replace(b"seventy-third session.", b"seventy-fourth session.")
    url = send(admin_client, corrected, "corrected.txt")

    admin_client.post(url, {**PUBLISH, "replace": "on", "publish": "Publish"})

    assert logged() == [
        (
            "admin",
            "text",
            "A/RES/71/322 [en]",
            CHANGE,
            [
                {"changed": {"fields": ["Source"]}},
                {"changed": {"name": "paragraphs", "object": "op13", "fields": ["Text"]}},
            ],
        )
    ]
    assert Upload.objects.get(filename="corrected.txt").changes["changed"] == ["op13"]
    text = Text.objects.get()
    assert "Changed Source. Changed Text for paragraphs “op13”." in history(admin_client, text, "en")
    assert "已修改原始文件。 修改了 段落“op13”的 文本。" in history(admin_client, text, "zh-hans")


def test_a_replace_names_paragraphs_added_and_removed(admin_client):
    ingest("en/A_RES_71_322.txt")
    shortened = EN_71_322.split(b"13. Invites Member States")[0] + b"96th plenary meeting\n8 September 2017\n"
    url = send(admin_client, shortened, "short.txt")

    admin_client.post(url, {**PUBLISH, "replace": "on", "publish": "Publish"})

    (entry,) = logged()
    assert entry[3] == CHANGE
    assert entry[4][1:] == [{"deleted": {"name": "paragraphs", "object": "op13"}}]


def test_publish_all_without_warnings_logs_each_publish(db, client):
    editor = staff_with("editor", "add_upload", "add_text", "change_text", "add_resolution")
    uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", editor)
    client.force_login(editor)

    client.post(reverse("admin:search_upload_staged"), {"publish_clean": "1"})

    assert [(user, model, action) for user, model, _, action, _ in logged()] == [
        ("editor", "resolution", ADDITION),
        ("editor", "text", ADDITION),
    ]


def test_a_refused_publish_logs_nothing(db, client):
    editor = staff_with("editor", "add_upload", "add_text", "change_text")  # no add_resolution
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", editor)
    client.force_login(editor)

    client.post(reverse("admin:search_upload_review", args=[upload.token]), {**PUBLISH, "publish": "Publish"})

    assert logged() == []


# Who uploaded, who published


def test_an_upload_keeps_who_uploaded_it_and_who_published_it(db, client):
    alice = staff_with("alice", "add_upload")
    bob = staff_with("bob", "add_upload", "change_upload", "add_text", "change_text", "add_resolution")
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", alice)
    client.force_login(bob)

    client.post(reverse("admin:search_upload_review", args=[upload.token]), {**PUBLISH, "publish": "Publish"})

    upload.refresh_from_db()
    assert (upload.status, upload.user, upload.published_by) == (Upload.PUBLISHED, alice, bob)
    assert upload.published_at is not None
    listing = client.get(reverse("admin:search_upload_changelist")).content.decode()
    (row,) = re.findall(r'<tr><th class="field-filename">.*?</tr>', listing, re.S)
    assert re.findall(r'<td class="field-(uploaded_by|published_by)[^"]*">(\w+)</td>', row) == [
        ("uploaded_by", "alice"),
        ("published_by", "bob"),
    ]
    detail = client.get(reverse("admin:search_upload_change", args=[upload.pk])).content.decode()
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", detail))
    assert "Uploaded by: alice " in shown and "Published by: bob " in shown


# Delete


@pytest.mark.parametrize("model", ["resolution", "text"])
def test_deleting_a_work_or_a_version_logs_its_deletion(admin_client, model):
    ingest("en/A_RES_71_322.txt")
    obj = {"resolution": Resolution, "text": Text}[model].objects.get()

    response = admin_client.post(reverse(f"admin:search_{model}_delete", args=[obj.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert logged() == [("admin", model, str(obj), DELETION, [])]
    assert LogEntry.objects.get().object_id == str(obj.pk)


def test_deleting_selected_works_logs_each(admin_client):
    ingest("en/A_RES_71_322.txt")
    ingest("en/A_RES_72_1.txt")

    admin_client.post(
        reverse("admin:search_resolution_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(Resolution.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert Resolution.objects.count() == 0
    assert sorted((model, name, action) for _, model, name, action, _ in logged()) == [
        ("resolution", "A/RES/71/322", DELETION),
        ("resolution", "A/RES/72/1", DELETION),
    ]


def test_cancelling_an_upload_logs_its_deletion(admin_client):
    url = send(admin_client, EN_71_322, "A_RES_71_322.txt")
    upload = Upload.objects.get()

    admin_client.post(url, {"cancel": "Cancel"})
    admin_client.post(url, {"cancel": "Cancel"})  # a second click finds nothing to cancel

    assert Upload.objects.count() == 0
    assert logged() == [("admin", "upload", "A_RES_71_322.txt (en, pending review)", DELETION, [])]
    assert LogEntry.objects.get().object_id == str(upload.pk)


# Draft matches: confirm and correct


def test_confirming_draft_matches_logs_each_confirmed_once(admin_client):
    draft = draft_matched("content", 0.8)["A/C.3/80/L.2"]

    for _ in range(2):
        admin_client.post(
            reverse("admin:search_draftmatch_changelist"),
            {"action": "confirm", "_selected_action": [draft.pk]},
        )

    assert logged() == [
        ("admin", "draftmatch", "A/C.3/80/L.2", CHANGE, [{"changed": {"fields": ["Became method"]}}])
    ]
    assert LogEntry.objects.get().object_id == str(draft.pk)
    assert "已修改对应方式。" in history(admin_client, DraftMatch.objects.get(pk=draft.pk), "zh-hans")


def test_correcting_a_draft_match_logs_the_resolution_and_how_it_was_found(admin_client):
    rows = draft_matched("content", 0.8)
    draft = rows["A/C.3/80/L.2"]
    url = reverse("admin:search_draftmatch_change", args=[draft.pk])

    admin_client.post(url, {"became": rows["A/RES/80/193"].pk})
    admin_client.post(url, {"became": rows["A/RES/80/193"].pk})  # saved again: nothing changes

    fields = ["Became", "Became method", "Became confidence"]
    assert logged() == [
        ("admin", "draftmatch", "A/C.3/80/L.2", CHANGE, [{"changed": {"fields": fields}}]),
        ("admin", "draftmatch", "A/C.3/80/L.2", CHANGE, []),
    ]
