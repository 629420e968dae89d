"""Every change to stored documents is the write side's: it logs for the index what
changed and flags again the wording it affects, in the change's own transaction."""

import dataclasses
import datetime
import hashlib

import pytest
from conftest import stored_snapshot
from django.db import models

from search.ingest import changes, details, uploads
from search.ingest.forms import ReviewForm
from search.ingest.store import ingest
from search.models import IndexChange, Paragraph, Resolution, Text, Upload
from search.parsing import ParsedDocument, ParsedParagraph, ParseError

pytestmark = pytest.mark.django_db

AGREED = "Calls upon all States to take effective measures against trafficking in persons and abuse"


def document(*texts: str) -> ParsedDocument:
    paragraphs = [
        ParsedParagraph(f"op{n}", "operative", f"OP {n}", f"执行部分第{n}段", text, str(n))
        for n, text in enumerate(texts, 1)
    ]
    return ParsedDocument(language="en", title="Test", paragraphs=paragraphs)


def store(key: str, adopted_on: str, *texts: str) -> Text:
    return ingest(document(*texts), key.encode(), "t.txt", key=key, symbol=key, adopted_on=adopted_on)


def logged_since(seq: int) -> set[int]:
    return set(IndexChange.objects.filter(seq__gt=seq).values_list("version", flat=True))


def last_seq() -> int:
    return IndexChange.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.fixture
def agreed(django_capture_on_commit_callbacks):
    """A 2015 resolution and a 2017 one that takes its paragraph word for word, traced."""
    with django_capture_on_commit_callbacks(execute=True):
        earlier = store("A/RES/70/1", "2015-12-17", AGREED)
    with django_capture_on_commit_callbacks(execute=True):
        later = store("A/RES/72/1", "2017-12-19", AGREED, "Decides to remain seized of the matter.")
    later_op1 = Paragraph.objects.get(version=later, anchor="op1")
    assert later_op1.new_wording is False  # first agreed in 2015
    return earlier, later, later_op1


def test_deleting_a_version_flags_again_what_shared_its_wording_and_logs_both(agreed):
    earlier, later, later_op1 = agreed
    seq = last_seq()

    changes.delete_versions(Text.objects.filter(pk=earlier.pk))

    later_op1.refresh_from_db()
    assert later_op1.new_wording is True  # nothing earlier has it now
    assert not Text.objects.filter(pk=earlier.pk).exists()
    assert logged_since(seq) == {earlier.pk, later.pk}


def test_deleting_a_work_flags_again_what_shared_its_wording_and_logs_both(agreed):
    earlier, later, later_op1 = agreed
    seq = last_seq()

    changes.delete_works(Resolution.objects.filter(key="A/RES/70/1"))

    later_op1.refresh_from_db()
    assert later_op1.new_wording is True
    assert not Resolution.objects.filter(key="A/RES/70/1").exists()
    assert logged_since(seq) == {earlier.pk, later.pk}


def test_a_corrected_work_is_logged_with_its_versions(agreed):
    earlier, _, _ = agreed
    work = earlier.resolution
    work.session = "Seventieth session"
    seq = last_seq()

    changes.correct_work(work)

    assert Resolution.objects.get(pk=work.pk).session == "Seventieth session"
    assert logged_since(seq) == {earlier.pk}


def test_a_corrected_date_flags_again_the_wording_its_paragraphs_share(agreed):
    earlier, later, later_op1 = agreed
    earlier_op1 = Paragraph.objects.get(version=earlier, anchor="op1")
    assert earlier_op1.new_wording is True
    work = earlier.resolution
    work.adopted_on = datetime.date(2018, 12, 17)  # after the other: it now takes the other's wording

    changes.correct_work(work)

    later_op1.refresh_from_db()
    earlier_op1.refresh_from_db()
    assert (earlier_op1.new_wording, later_op1.new_wording) == (False, True)


def test_a_resolution_given_to_a_draft_by_hand_is_staffs_and_both_are_logged(agreed):
    earlier, later, _ = agreed
    draft = store("A/C.3/70/L.1", "", "Decides to remain seized of the matter.").resolution
    changes.link_draft(draft, earlier.resolution, "title")
    seq = last_seq()

    draft.became = later.resolution
    changes.correct_work(draft)

    stored = Resolution.objects.get(pk=draft.pk)
    assert (stored.became, stored.became_method) == (later.resolution, "staff")
    assert stored.became_confidence is None
    assert logged_since(seq) == {draft.texts.get().pk, earlier.pk, later.pk}


def test_a_draft_is_linked_once_and_logged_with_its_resolution(agreed):
    earlier, _, _ = agreed
    draft = store("A/C.3/70/L.1", "", "Decides to remain seized of the matter.")
    seq = last_seq()

    assert changes.link_draft(draft.resolution, earlier.resolution, "title") is True
    assert logged_since(seq) == {draft.pk, earlier.pk}
    # A link set already stays: the second is refused.
    assert changes.link_draft(draft.resolution, Resolution.objects.get(key="A/RES/72/1"), "title") is False
    assert Resolution.objects.get(pk=draft.resolution.pk).became == earlier.resolution


def test_a_replace_that_fails_leaves_nothing_changed(agreed):
    broken = document("Decides one thing.", "Decides another.")
    broken.paragraphs[1] = dataclasses.replace(broken.paragraphs[1], anchor="op1")
    data = b"a corrected file whose paragraphs clash"
    upload = Upload.objects.create(
        token="t" * 32,
        filename="A_RES_70_1.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        language="en",
        staged=data,
        parsed=broken.to_dict(),
        detected_language="en",
    )
    before, logged = stored_snapshot(), IndexChange.objects.count()

    with pytest.raises(ParseError, match="duplicate paragraph anchors: op1"):
        uploads.publish(upload, {"key": "A/RES/70/1", "doc_type": "resolution"}, replace=True)

    assert stored_snapshot() == before and IndexChange.objects.count() == logged
    assert Upload.objects.get(pk=upload.pk).status == Upload.PENDING


def test_the_details_name_what_the_parser_finds_and_the_models_store():
    parsed = {f.name for f in dataclasses.fields(ParsedDocument)}
    model = {Resolution: details.WORK, Text: details.VERSION}
    for detail in details.DETAILS:
        if detail.of == details.LINK:
            field = Resolution._meta.get_field(detail.name)
            assert isinstance(field, models.ForeignKey) and field.related_model is Resolution
        else:
            assert detail.name in parsed
            assert next(m for m, of in model.items() if of == detail.of)._meta.get_field(detail.name)
    assert set(details.IN_REVIEW) <= set(ReviewForm.base_fields)


def test_ingest_refuses_a_detail_it_does_not_know():
    with pytest.raises(TypeError, match="meeting"):
        ingest(document(AGREED), b"x", "x.txt", key="x", meeting="96th plenary meeting")
