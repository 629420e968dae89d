"""Which resolution a draft became, as the session's proceedings record it.

Expectations read from corpus/proceedings/80: A/C.3/80/L.2 was submitted and adopted as
resolution 80/192 (c3-proposals.json); in the Second Committee, A/C.2/80/L.3 was submitted,
then replaced ("Revision") by the Vice-Chair's A/C.2/80/L.59, adopted as 80/155
(c2-proposals.json; L.59's page one: "Draft resolution submitted by the Vice-Chair of the
Committee … on the basis of informal consultations on draft resolution A/C.2/80/L.3").
"""

import io
from pathlib import Path

import pytest
from conftest import import_ods
from django.conf import settings
from django.core.management import call_command

from search.ingest.matching import match_drafts
from search.models import BECAME_RECORD, BECAME_STAFF, ProceedingsFile, Proposal, Resolution

PROCEEDINGS = Path(settings.BASE_DIR) / "corpus" / "proceedings"


def imported(*paths) -> None:
    call_command("import_proceedings", *map(str, paths), stdout=io.StringIO())


def link(symbol: str) -> tuple:
    draft = Resolution.objects.get(symbol=symbol)
    return (draft.became.symbol if draft.became else None, draft.became_method)


@pytest.fixture
def documents(db):
    import_ods(
        "A_C.3_80_L.2.pdf", "A_RES_80_192.pdf", "A_C.2_80_L.3.pdf", "A_C.2_80_L.59.pdf", "A_RES_80_155.pdf"
    )


def test_a_draft_is_linked_to_the_resolution_the_record_names(documents, client):
    imported(PROCEEDINGS)
    match_drafts()

    assert link("A/C.3/80/L.2") == ("A/RES/80/192", BECAME_RECORD)
    assert link("A/C.2/80/L.59") == ("A/RES/80/155", BECAME_RECORD)
    # Replaced by the Vice-Chair's text: it became nothing itself, whatever its content shares.
    assert link("A/C.2/80/L.3") == (None, "")
    page = client.get(Resolution.objects.get(symbol="A/C.3/80/L.2").get_absolute_url()).content.decode()
    assert "as the session&#x27;s proceedings record it" in page


def test_staffs_word_stands_above_the_record(documents):
    Resolution.objects.filter(symbol="A/C.3/80/L.2").update(became=None, became_method=BECAME_STAFF)
    imported(PROCEEDINGS)
    match_drafts()

    assert link("A/C.3/80/L.2") == (None, BECAME_STAFF)


def test_a_draft_two_proposals_give_two_resolutions_is_linked_by_neither(documents):
    imported(PROCEEDINGS)
    # A second proposal naming the same draft, adopted as another resolution.
    first = Proposal.objects.get(draft="A/C.3/80/L.2")
    stages = list(first.stages.all())
    first.pk, first.position = None, 10_000
    first.save()
    for stage in stages:
        stage.pk, stage.proposal = None, first
        if stage.document and stage.document.symbol == "A/RES/80/192":
            stage.document = Resolution.objects.get(symbol="A/RES/80/155")
        stage.save()
    match_drafts()

    assert link("A/C.3/80/L.2")[1] != BECAME_RECORD


def test_a_link_the_record_no_longer_gives_is_the_contents_to_judge(documents):
    imported(PROCEEDINGS)
    match_drafts()
    ProceedingsFile.objects.all().delete()  # as if the proceedings were withdrawn
    match_drafts()

    assert link("A/C.3/80/L.2")[1] != BECAME_RECORD
