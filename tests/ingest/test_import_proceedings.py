"""`manage.py import_proceedings` on the 80th session's proceedings (corpus/proceedings),
with A/C.3/80/L.2 and the resolution it became, A/RES/80/192, imported from their PDFs;
expectations read from c3-proposals.json and the PDFs."""

import io
import json
import re
from pathlib import Path

import pytest
from conftest import import_ods
from django.conf import settings
from django.core.management import CommandError, call_command

from search.engine.searching import search_paragraphs
from search.models import AgendaItem, ProceedingsFile, Proposal, SeparateVote, Stage

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
    assert "296 proposals name no document here" in out  # of 297: L.2's is here


def test_it_counts_what_it_read_and_why_it_could_not_link_the_rest(db):
    out = run(PROCEEDINGS)

    # Six files of 547 records: 213 listed again in the Fifth Committee's file, the same,
    # kept once; 31 marked deleted; 4 listed again with other details, merged; one whose
    # only stage is marked deleted. Of their stages, 14 are marked deleted (8 with a
    # symbol) and one listed twice the same (A/C.1/80/L.22's committee adoption, without
    # one): 1,053 - 15. Votes withheld: L.22's two (and its copy), the contradicted
    # outcomes of A/C.1/80/L.44 and A/80/L.38-L.40; with L.22's, its 8 separate votes.
    assert "297 proposals, 1038 stages, 389 votes (169 separate votes), 333 agenda items" in out
    assert "7 files written, 0 unchanged" in out
    assert "0 stages linked to a document here; not linked:" in out
    assert "  826 no document with this symbol here" in out
    assert "  209 no symbol given" in out
    assert "  3 not a symbol" in out
    assert "213 proposals listed in two files, the same in both: kept once" in out
    # The data contradict themselves: reported, and no vote stored.
    assert (
        "A/C.1/80/L.55, Adoption by Main Committee: vote counts [127, 59, 12] add up to more"
        " than 193 Member States; left out" in out
    )
    stage = Stage.objects.get(proposal__draft="A/C.1/80/L.55", name="Adoption by Main Committee")
    assert (stage.voting, stage.yes, stage.no, stage.abstain) == ("", None, None, None)
    assert "more than 193" in stage.problem


def test_it_stores_the_paragraphs_separate_votes_name_in_words(db):
    out = run(PROCEEDINGS)

    # c1-proposals.json, A/80/534 DR 46: OPs 4, 3 and 1 by number, then PPs "twelfth" …
    # "first" in words ("eight" for the eighth); DR 44: "fourteenth" and "eight".
    dr46, dr44 = (
        Stage.objects.get(symbol="A/80/534", draft_number=n, name="Adoption by Main Committee")
        for n in (46, 44)
    )
    assert [v.anchors for v in dr46.separate_votes.order_by("order")] == [
        ["op4"],
        ["op3"],
        ["op1"],
        ["pp12"],
        ["pp10"],
        ["pp9"],
        ["pp8"],
        ["pp4"],
        ["pp3"],
        ["pp2"],
        ["pp1"],
    ]
    assert [v.anchors for v in dr44.separate_votes.order_by("order")] == [["pp14"], ["pp8"]]
    # Of the session's 169 separate votes, 4 name no paragraph at all (both lists empty).
    assert SeparateVote.objects.filter(anchors=[]).count() == 4
    assert "paragraph read here" not in out


def test_a_second_import_changes_nothing(documents):
    run(PROCEEDINGS)
    before = rows()
    out = run(PROCEEDINGS)
    assert "0 files written, 7 unchanged" in out
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


def test_it_imports_the_sessions_agenda_and_keeps_the_plenarys_titles(db):
    out = run(SESSION / "plenary-agenda.json")

    # plenary-agenda.json: 333 rows of the plenary (AG_Body "GA"), one an item, and five of
    # the Third and First Committees' own lists, of items the plenary lists too.
    assert AgendaItem.objects.count() == 333
    titles = dict(AgendaItem.objects.values_list("item", "title"))
    assert titles["69"] == "Elimination of racism, racial discrimination, xenophobia and related intolerance"
    assert titles["69(a)"] == titles["69"]
    assert titles["107"] == "Crime prevention and criminal justice"
    assert titles["26(b)"].startswith("Implementation of the outcome of the Fourth World Conference on Women")
    assert AgendaItem.objects.get(item="107").allocation == "Third Committee"
    # Three of the committees' rows give an item another title: reported, not kept.
    assert "a committee's list gives item 69 the title 'Rights of Indigenous Peoples'" in out
    assert "item 91 the title 'Reduction of military budgets'" in out
    assert "item 95 the title 'Developments in the field of information" in out
    assert "item 26 " not in out  # the same title in both lists
    assert "0 files written, 1 unchanged" in run(SESSION / "plenary-agenda.json")


def test_an_agenda_that_is_no_json_changes_nothing(db, tmp_path):
    run(SESSION / "plenary-agenda.json")
    (tmp_path / "agenda.json").write_text('[{"AG_Item": "7", "AG_Title": ', encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run(tmp_path)
    assert "agenda.json: not valid JSON" in str(refused.value)
    assert AgendaItem.objects.count() == 333


def test_a_crafted_agenda_keeps_its_items_and_says_what_it_left_out(db, tmp_path):
    rows = [
        {"AG_Item": "72 (a)", "AG_SessionNo": "80", "AG_Title": "Humanitarian assistance", "AG_Body": "GA"},
        {"AG_Item": "5", "AG_SessionNo": "80", "AG_Title": "One title", "AG_Body": "GA"},
        {"AG_Item": "5", "AG_SessionNo": "80", "AG_Title": "Another title", "AG_Body": "GA"},
        {"AG_Item": "see item 5", "AG_SessionNo": "80", "AG_Title": "x", "AG_Body": "GA"},
        "not a row",
    ]
    (tmp_path / "agenda.json").write_text(json.dumps(rows), encoding="utf-8")
    out = run(tmp_path)
    assert list(AgendaItem.objects.values_list("session", "item", "title")) == [
        ("80", "72(a)", "Humanitarian assistance")
    ]
    assert "item 5 is listed twice with two titles; left out" in out
    assert "'see item 5' of session '80' is no item; left out" in out
    assert "row 5: not an object; left out" in out


def test_stages_marked_deleted_are_left_out_and_said(db):
    out = run(SESSION / "c3-proposals.json")

    # c3-proposals.json: A/C.3/80/L.15's committee adoption listed on 17 November with
    # the draft's symbol is marked deleted; the one of 11 November (173-0-...) is kept.
    stages = Stage.objects.filter(proposal__draft="A/C.3/80/L.15").order_by("order")
    assert [(s.name, s.symbol, str(s.date)) for s in stages] == [
        ("Sponsorship", "", "2025-09-29"),
        ("Submission", "A/C.3/80/L.15", "2025-10-14"),
        ("Adoption by Main Committee", "", "2025-11-11"),
        ("Adoption", "A/RES/80/182", "2025-12-15"),
    ]
    assert "A/C.3/80/L.15: Adoption by Main Committee A/C.3/80/L.15 of 2025-11-17 is marked deleted" in out
    # Listed twice, once marked deleted: the other is kept.
    assert Stage.objects.filter(proposal__draft="A/C.3/80/L.3", name="Submission").count() == 1


def test_a_stage_listed_twice_is_kept_once_and_two_votes_for_one_stage_are_no_fact(db):
    out = run(SESSION / "c1-proposals.json")

    # A/C.1/80/L.22's committee adoption at its 23rd meeting on 3 November: listed twice
    # without a vote and once with the report's symbol by 154-7-18 and 8 separate votes.
    stages = Stage.objects.filter(proposal__draft="A/C.1/80/L.22", kind="committee")
    assert [(s.symbol, s.voting, s.yes) for s in stages] == [("", "", None), ("A/80/534", "", None)]
    assert not SeparateVote.objects.filter(stage__in=stages).exists()
    assert (
        "A/C.1/80/L.22: Adoption by Main Committee of 2025-11-03 is listed twice, the same; kept once" in out
    )
    said = (
        "A/C.1/80/L.22, Adoption by Main Committee: two different votes recorded at this stage: neither shown"
    )
    assert out.count(said) == 1


def test_an_outcome_its_counts_contradict_is_no_fact(db, tmp_path):
    out = run(SESSION / "c1-proposals.json")
    # A/C.1/80/L.44 "NOT-ADOPTED" by 113 to 43 in the First Committee.
    stage = Stage.objects.get(proposal__draft="A/C.1/80/L.44", kind="committee")
    assert (stage.voting, stage.yes, stage.outcome) == ("", None, "")
    assert "A/C.1/80/L.44, Adoption by Main Committee: NOT-ADOPTED by 113 to 43, 19 abstaining" in out
    # A/C.1/80/L.62's separate vote on OP 2 in plenary "ADOPTED" by 8 to 9: its paragraph
    # was put to a vote, its counts are no fact.
    (separate,) = SeparateVote.objects.filter(
        stage__proposal__draft="A/C.1/80/L.62", stage__kind="plenary", anchors=["op2"]
    )
    assert (separate.yes, separate.no, separate.outcome) == (None, None, "")
    assert "A/C.1/80/L.62, Adoption: separate vote on OP 2: ADOPTED by 8 to 9, 53 abstaining" in out

    crafted = [
        proposal("A/C.3/99/L.7", adoption("99/7", 50, VoteN=60)),
        proposal("A/C.3/99/L.8", adoption("99/8", 50)),
    ]
    (tmp_path / "p.json").write_text(json.dumps(crafted), encoding="utf-8")
    out = run(tmp_path)
    assert Stage.objects.get(symbol="A/RES/99/7").voting == ""
    assert Stage.objects.get(symbol="A/RES/99/8").yes == 50  # 50 to 10: as recorded
    assert "A/C.3/99/L.7, Adoption: ADOPTED by 50 to 60, 5 abstaining: contradicts itself" in out


def test_a_separate_vote_on_a_paragraph_its_document_lacks_is_said(documents, tmp_path):
    vote = {"VoteY": 60, "VoteN": 40, "VoteAbstain": 50, "Outcome": "ADOPTED", "operative": ["99"]}
    crafted = [proposal("A/C.3/80/L.2", adoption("80/192", 119, SeparateVotes=[vote]))]
    (tmp_path / "p.json").write_text(json.dumps(crafted), encoding="utf-8")
    out = run(tmp_path)
    # A/RES/80/192 has 75 operative paragraphs.
    assert "A/C.3/80/L.2, Adoption: separate votes name op99, which A/RES/80/192 does not have" in out


def proceedings_section(client, language) -> str:
    html = client.get("/r/A/RES/80/192/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return html.split('id="proceedings"')[1].split("</section>")[0]


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_an_adoption_without_a_date_or_meeting_says_no_date(client, db, tmp_path):
    import_ods("A_RES_80_192.pdf")
    stage = {"StageName": "Adoption", "DocSymbol": "80/192", "Voting": "No", "Outcome": "ADOPTED"}
    committee = {
        "StageName": "Adoption by Main Committee",
        "StageD": "2025-11-14",
        "Voting": "No",
        "Outcome": "ADOPTED",
    }
    record = {"body": "Third Committee", "title": "T", "stages": [committee, stage]}
    (tmp_path / "p.json").write_text(json.dumps([record]), encoding="utf-8")
    run(tmp_path)
    shown = words(proceedings_section(client, "en"))
    assert "Adopted without a vote; in the Third Committee without a vote on 14 November 2025." in shown
    assert "date not recorded · Adoption by the General Assembly" in shown
    zh = words(proceedings_section(client, "zh-hans"))
    assert "未经表决通过；第三委员会于2025年11月14日未经表决通过。" in zh


def test_sponsors_the_un_table_lacked_are_found_by_either_name(db, tmp_path):
    import_ods("A_C.3_80_L.2.pdf")
    record = proposal("A/C.3/80/L.2") | {"main_sponsors": "TÜRKİYE, CÔTE D'IVOIRE, UNITED KINGDOM"}
    (tmp_path / "p.json").write_text(json.dumps([record]), encoding="utf-8")
    run(tmp_path)
    call_command("rebuild_index", "--if-needed", stdout=io.StringIO())
    every = search_paragraphs("lang:en")["total"]
    assert every > 0
    for q in ("sponsor:Türkiye", "sponsor:土耳其", 'sponsor:"Côte d\'Ivoire"', "sponsor:科特迪瓦"):
        assert search_paragraphs(q)["total"] == every, q
    assert search_paragraphs("sponsor:大不列颠及北爱尔兰联合王国")["total"] == every
