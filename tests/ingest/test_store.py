"""`ingest` is the one function that writes works, texts, paragraphs and footnotes."""

import datetime

import pytest
from conftest import _Sink

from search.engine.searching import search_paragraphs
from search.ingest.store import ingest
from search.models import Resolution, Text
from search.parsing import DRAFT_RESOLUTION, ParsedDocument, ParsedParagraph, parse_document

REPORT = "report-79-third-committee-item-107"
DRAFT = "大会，\n回顾其以往各项决议，\n1. 决定继续审议魑魅魍魉问题。\n"


def store_draft(parsed, **values):
    return ingest(
        parsed,
        DRAFT.encode(),
        "draft.md",
        key="draft-on-demons",
        language="zh",
        doc_type=DRAFT_RESOLUTION,
        **values,
    )


def test_it_places_a_draft_in_its_report_after_the_drafts_there(
    loaded_corpus, django_capture_on_commit_callbacks
):
    report = Resolution.objects.get(key=REPORT)

    with django_capture_on_commit_callbacks(execute=True):
        text = store_draft(parse_document(DRAFT, "zh"), contained_in=REPORT, title="魑魅魍魉问题")

    draft = text.resolution
    assert text.ingest_status == "created"
    # The report's six drafts (决议草案一 to 六) hold positions 1 to 6.
    assert (draft.contained_in, draft.position) == (report, 7)
    assert list(report.contained.order_by("position").values_list("key", flat=True)) == [
        *(f"{REPORT}/draft-{n}" for n in range(1, 7)),
        "draft-on-demons",
    ]
    assert text.title == "魑魅魍魉问题"
    # The index follows once the transaction commits.
    assert [h["anchor"] for h in search_paragraphs("魑魅魍魉")["hits"]] == ["op1"]

    again = store_draft(parse_document(DRAFT, "zh"), contained_in=REPORT, title="魑魅魍魉问题")
    draft.refresh_from_db()
    assert (again.ingest_status, draft.position) == ("unchanged", 7)


def test_a_draft_is_placed_only_when_all_of_it_is_stored(loaded_corpus, django_capture_on_commit_callbacks):
    broken = ParsedDocument(
        language="zh",
        paragraphs=[
            ParsedParagraph(anchor="op1", kind="operative", label="OP 1", label_zh="", text="一"),
            ParsedParagraph(anchor="op1", kind="operative", label="OP 1", label_zh="", text="二"),
        ],
    )

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValueError) as excinfo:
        store_draft(broken, contained_in=REPORT)

    assert str(excinfo.value) == "duplicate paragraph anchors: op1"
    assert not Resolution.objects.filter(key="draft-on-demons").exists()
    assert Resolution.objects.get(key=REPORT).contained.count() == 6
    assert callbacks == []


def test_it_refuses_a_report_that_is_not_stored(db):
    with pytest.raises(ValueError) as excinfo:
        store_draft(parse_document(DRAFT, "zh"), contained_in="no-such-report")

    assert str(excinfo.value) == "no report with key no-such-report"
    assert (Resolution.objects.count(), Text.objects.count()) == (0, 0)


def test_loading_the_report_again_keeps_a_draft_staff_placed_in_it(loaded_corpus):
    from django.core.management import call_command

    store_draft(parse_document(DRAFT, "zh"), contained_in=REPORT)
    call_command("load_corpus", stdout=_Sink(), stderr=_Sink())

    draft = Resolution.objects.get(key="draft-on-demons")
    assert (draft.contained_in.key, draft.position, draft.texts.count()) == (REPORT, 7, 1)
    assert Resolution.objects.get(key=REPORT).contained.count() == 7


HEADED = """A/RES/80/101
Distr.: General
19 December 2025
Eightieth session
Agenda item 71 (b)
Promotion and protection of human rights: human rights questions
Resolution adopted by the General Assembly on 15 December 2025
[on the report of the Third Committee (A/80/459/Add.2, para. 64)]
80/101. Right to food
The General Assembly,
Recalling its resolution 79/200 of 17 December 2024,
1. Decides to continue its consideration of the question.
"""


def test_it_stores_the_heading_of_page_one(db):
    parsed = parse_document(HEADED, "en", "markdown")

    text = ingest(parsed, HEADED.encode(), "headed.md", key="A/RES/80/101")

    work = text.resolution
    assert (work.committee, work.committee_report) == ("C3", "A/80/459/Add.2")
    assert (text.distribution, text.issued_on, text.agenda_item_title) == (
        "General",
        datetime.date(2025, 12, 19),
        "Promotion and protection of human rights: human rights questions",
    )
    again = ingest(parsed, HEADED.encode(), "headed.md", key="A/RES/80/101")
    assert again.ingest_status == "unchanged"


def test_a_given_committee_overrides_the_parser_s(db):
    parsed = parse_document(HEADED, "en", "markdown")

    text = ingest(parsed, HEADED.encode(), "headed.md", key="A/RES/80/101", committee="plenary")

    assert (text.resolution.committee, text.resolution.committee_report) == ("plenary", "A/80/459/Add.2")


def test_it_stores_a_draft_an_ecosoc_resolution_recommends_as_a_draft_of_the_assembly(db):
    from tests.parsing.test_heading import ECOSOC

    text = ingest(parse_document(ECOSOC, "en", "markdown"), ECOSOC.encode(), "ecosoc.md", key="E/RES/2025/20")

    [draft] = text.resolution.contained.all()
    assert (draft.key, draft.position, draft.body, draft.doc_type) == (
        "E/RES/2025/20/draft-1",
        1,
        "GA",
        "draft_resolution",
    )
    assert list(draft.texts.get().paragraphs.values_list("anchor", flat=True)) == ["pp1", "op1", "op2"]
