"""`manage.py import_proceedings` on the 80th session's proceedings (corpus/proceedings),
with A/C.3/80/L.2 and the resolution it became, A/RES/80/192, imported from their PDFs;
expectations read from c3-proposals.json and the PDFs."""

import io
import json
from pathlib import Path

import pytest
from conftest import import_ods
from django.conf import settings
from django.core.management import CommandError, call_command

from search.engine.searching import search_paragraphs
from search.models import ProceedingsFile, Proposal, SeparateVote, Stage

PROCEEDINGS = Path(settings.BASE_DIR) / "corpus" / "proceedings"
SESSION = PROCEEDINGS / "80"


def run(*paths) -> str:
    out = io.StringIO()
    call_command("import_proceedings", *map(str, paths), stdout=out)
    return out.getvalue()


def rows() -> tuple:
    """Everything the import stores, ids included: a second import must change none of it."""
    return (
        list(ProceedingsFile.objects.order_by("pk").values("pk", "name", "digest", "imported_at")),
        list(Proposal.objects.order_by("pk").values()),
        list(Stage.objects.order_by("pk").values()),
        list(SeparateVote.objects.order_by("pk").values()),
    )


@pytest.fixture
def documents(db):
    import_ods("A_C.3_80_L.2.pdf", "A_RES_80_192.pdf")


def test_it_links_80_192s_stages_to_the_documents_here(documents):
    out = run(PROCEEDINGS)

    stages = Stage.objects.filter(proposal__draft="A/C.3/80/L.2").order_by("order")
    assert [(s.name, s.symbol, s.document.key if s.document else None) for s in stages] == [
        ("Submission", "A/C.3/80/L.2", "A/C.3/80/L.2"),
        ("Adoption by Main Committee", "A/80/545", None),  # the report is not here
        ("Adoption", "A/RES/80/192", "A/RES/80/192"),
    ]
    committee, plenary = stages[1], stages[2]
    assert (committee.voting, committee.yes, committee.no, committee.abstain, committee.meeting) == (
        "recorded",
        114,
        52,
        12,
        44,
    )
    assert (plenary.voting, plenary.yes, plenary.no, plenary.abstain, plenary.outcome) == (
        "recorded",
        119,
        51,
        10,
        "ADOPTED",
    )
    assert str(plenary.date) == "2025-12-15" and plenary.meeting == 62
    (separate,) = plenary.separate_votes.all()
    assert (separate.anchors, separate.yes, separate.no, separate.abstain, separate.outcome) == (
        ["op4"],
        64,
        42,
        54,
        "ADOPTED",
    )
    assert "2 stages linked to a document here" in out
    assert "skipped plenary-agenda.json: an agenda, not proposals" in out


def test_it_counts_what_it_read_and_why_it_could_not_link_the_rest(db):
    out = run(PROCEEDINGS)

    # Six files of 547 records: 214 listed again in the Fifth Committee's file, the same,
    # kept once; 31 marked deleted; 4 listed again with other details, merged.
    assert "298 proposals, 1053 stages, 396 votes (177 separate votes)" in out
    assert "6 files written, 0 unchanged" in out
    assert "0 stages linked to a document here; not linked:" in out
    assert "  834 no document with this symbol here" in out
    assert "  216 no symbol given" in out
    assert "  3 not a symbol" in out
    assert "214 proposals listed in two files, the same in both: kept once" in out
    # The data contradict themselves: reported, and no vote stored.
    assert (
        "A/C.1/80/L.55, Adoption by Main Committee: vote counts [127, 59, 12] add up to more"
        " than 193 Member States; left out" in out
    )
    stage = Stage.objects.get(proposal__draft="A/C.1/80/L.55", name="Adoption by Main Committee")
    assert (stage.voting, stage.yes, stage.no, stage.abstain) == ("", None, None, None)
    assert "more than 193" in stage.problem


def test_a_second_import_changes_nothing(documents):
    run(PROCEEDINGS)
    before = rows()
    out = run(PROCEEDINGS)
    assert "0 files written, 6 unchanged" in out
    assert rows() == before


def test_a_file_import_links_what_was_published_since(db):
    run(SESSION / "c3-proposals.json")
    assert not Stage.objects.filter(document__isnull=False).exists()
    import_ods("A_RES_80_192.pdf")
    out = run(SESSION / "c3-proposals.json")
    assert "1 files written" in out
    assert Stage.objects.get(symbol="A/RES/80/192").document.key == "A/RES/80/192"


def test_a_bad_file_changes_nothing_and_says_what_is_wrong(documents, tmp_path):
    run(PROCEEDINGS)
    before = rows()
    (tmp_path / "good.json").write_bytes((SESSION / "c3-proposals.json").read_bytes().replace(b"119", b"118"))
    (tmp_path / "bad.json").write_text('[{"body": "Third Committee", "stages": [', encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run(tmp_path)
    assert str(refused.value) == "nothing imported: bad.json: not valid JSON (Expecting value, line 1)"
    assert rows() == before


def proposal(draft: str, *stages: dict) -> dict:
    submission = {"StageName": "Submission", "StageD": "2025-10-01T10:00:00Z", "DocSymbol": draft}
    return {
        "body": "Third Committee",
        "title": f"Draft {draft}",
        "main_sponsors": "JAPAN",
        "stages": [submission, *stages],
    }


def adoption(symbol: str, yes: int, **more) -> dict:
    return {
        "StageName": "Adoption",
        "StageD": "2025-12-15T10:00:00Z",
        "DocSymbol": symbol,
        "MeetingNo": "62",
        "Voting": "Yes",
        "VoteY": yes,
        "VoteN": 10,
        "VoteAbstain": 5,
        "Outcome": "ADOPTED",
    } | more


def test_it_reports_symbols_that_match_nothing_stages_without_dates_and_conflicting_votes(
    documents, tmp_path
):
    records = [
        proposal("A/C.3/80/L.2", adoption("80/192", 119), adoption("80/192", 120)),  # two votes, one stage
        proposal("A/C.3/99/L.1", {"StageName": "Adoption", "DocSymbol": "99/1", "Voting": "No"}),  # no date
    ]
    other = [proposal("A/C.3/80/L.3", adoption("80/193", 100))]
    conflicting = [proposal("A/C.3/80/L.3", adoption("80/193", 101))]  # the same proposal, another vote
    (tmp_path / "a.json").write_text(json.dumps(records + other), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(conflicting), encoding="utf-8")

    out = _verbose(tmp_path)

    assert "symbols naming no document here: 80/193, 99/1, A/C.3/80/L.3, A/C.3/99/L.1" in out
    assert "A/C.3/80/L.2, Adoption: two different votes recorded at this stage: neither shown" in out
    assert "A/C.3/99/L.1, Adoption: no date" in out
    assert (
        "A/C.3/80/L.3, Adoption: tmp/b.json lists a different vote (101, 10, 5) for it: neither shown"
        in out.replace(f"{tmp_path.name}/", "tmp/")
    )
    shown = Stage.objects.filter(
        proposal__draft__in=["A/C.3/80/L.2", "A/C.3/80/L.3"], kind="plenary"
    ).exclude(voting="")
    assert list(shown) == []  # neither vote of L.2, nor L.3's contested one, is stored as fact
    assert Stage.objects.get(symbol="A/RES/99/1").date is None


def _verbose(path) -> str:
    out = io.StringIO()
    call_command("import_proceedings", str(path), verbosity=2, stdout=out)
    return out.getvalue()


def test_an_import_after_indexing_reaches_the_index(db):
    import_ods("A_RES_80_192.pdf")
    call_command("rebuild_index", "--if-needed", stdout=io.StringIO())
    assert search_paragraphs("contested:yes")["total"] == 0
    run(PROCEEDINGS)
    # Applies what the import logged, as a serving process does within a second.
    call_command("rebuild_index", "--if-needed", stdout=io.StringIO())
    hits = search_paragraphs("contested:yes")["hits"]
    assert [(h["resolution"], h["anchor"]) for h in hits] == [("A/RES/80/192", "op4")]


def test_a_contested_vote_is_shown_nowhere_and_data_is_escaped(client, db, tmp_path):
    import_ods("A_RES_80_192.pdf")
    record = {
        "body": "Third Committee",
        "title": "T",
        "main_sponsors": "<script>alert(1)</script>",
        "stages": [
            {
                "StageName": "Adoption",
                "StageD": "2025-12-15T10:00:00Z",
                "DocSymbol": "80/192",
                "Voting": "Yes",
            },
            {"StageName": "<b>Hearing</b>", "StageD": "2025-12-16T10:00:00Z", "DocSymbol": "80/192"},
        ],
    }
    (tmp_path / "p.json").write_text(json.dumps([record]), encoding="utf-8")
    run(tmp_path)
    assert Stage.objects.filter(symbol="A/RES/80/192", voting="").count() == 2  # counts missing: no vote
    html = client.get("/r/A/RES/80/192/").content.decode()
    html = html.split('id="proceedings"')[1].split("</section>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;Hearing&lt;/b&gt;" in html
    assert "recorded vote" not in html and "Adopted on" not in html
