"""Reading e-deleGATE's proceedings: symbols as published, votes, limits; no database."""

import json
from pathlib import Path

import pytest

from search.parsing import ProceedingsError, parse_proceedings, published_symbol, read_paragraph_list
from search.parsing.proceedings import MAX_BYTES, RECORDED, WITHOUT_VOTE, split_sponsors

PROCEEDINGS = Path(__file__).resolve().parents[2] / "corpus" / "proceedings" / "80"


def one(stages, **fields) -> bytes:
    return json.dumps(
        [{"body": "Third Committee", "title": "T", "main_sponsors": "", "stages": stages} | fields]
    ).encode()


@pytest.mark.parametrize(
    ("published", "symbol", "number", "part"),
    [
        ("A/C.3/80/L.2", "A/C.3/80/L.2", None, ""),
        (" A/C.3/80/L.2 ", "A/C.3/80/L.2", None, ""),
        ("a/c.3/80/l.5", "A/C.3/80/L.5", None, ""),
        ("A./C.3/80/L.2", "A/C.3/80/L.2", None, ""),
        ("A/C.3/80/L.17/Rev.1", "A/C.3/80/L.17/Rev.1", None, ""),
        ("A/80/545 DR 17", "A/80/545", 17, ""),
        ("80/192", "A/RES/80/192", None, ""),
        ("80/191 A", "A/RES/80/191", None, "A"),
        ("80/520", "A/DEC/80/520", None, ""),
    ],
)
def test_it_reads_a_symbol_as_the_proceedings_spell_it(published, symbol, number, part):
    read = published_symbol(published)
    assert (read.symbol, read.draft_number, read.part) == (symbol, number, part)


@pytest.mark.parametrize("published", ["_", "Question of French Polynesia", "A/C.1/80/L.59 Dept Corr"])
def test_it_reads_no_symbol_where_there_is_none(published):
    assert published_symbol(published) is None


def test_it_reads_80_192_as_the_proceedings_give_it():
    proposals, problems = parse_proceedings((PROCEEDINGS / "c3-proposals.json").read_bytes(), "c3")
    (proposal,) = [p for p in proposals if p.draft == "A/C.3/80/L.2"]
    committee, plenary = proposal.stages[-2:]
    assert (committee.symbol.symbol, committee.symbol.draft_number, committee.meeting) == ("A/80/545", 18, 44)
    assert (committee.vote.voting, committee.vote.yes, committee.vote.no, committee.vote.abstain) == (
        RECORDED,
        114,
        52,
        12,
    )
    assert (plenary.symbol.symbol, plenary.meeting, str(plenary.date)) == ("A/RES/80/192", 62, "2025-12-15")
    assert (plenary.vote.yes, plenary.vote.no, plenary.vote.abstain, plenary.vote.outcome) == (
        119,
        51,
        10,
        "ADOPTED",
    )
    (separate,) = plenary.separate_votes
    assert (
        [t.key for t in separate.targets],
        separate.vote.yes,
        separate.vote.no,
        separate.vote.abstain,
    ) == (
        ["op4"],
        64,
        42,
        54,
    )
    assert separate.vote.outcome == "ADOPTED"


def test_it_splits_main_sponsors_but_not_within_parentheses():
    assert split_sponsors("NIGERIA (on behalf of Group of African States), ALGERIA, CÔTE D'IVOIRE") == [
        "NIGERIA (on behalf of Group of African States)",
        "ALGERIA",
        "CÔTE D'IVOIRE",
    ]


def test_it_leaves_out_counts_that_are_no_vote_and_says_why():
    stages = [
        {
            "StageName": "Adoption",
            "StageD": "2025-12-15T10:00:00Z",
            "Voting": "Yes",
            "VoteY": 127,
            "VoteN": 59,
            "VoteAbstain": 12,
        },
        {
            "StageName": "Adoption",
            "StageD": "2025-12-16T10:00:00Z",
            "Voting": "Yes",
            "VoteY": "many",
            "VoteN": 1,
            "VoteAbstain": 1,
        },
        {"StageName": "Adoption", "StageD": "2025-12-17T10:00:00Z", "Voting": "Yes"},
        {"StageName": "Adoption", "StageD": "2025-12-18T10:00:00Z", "Voting": "No", "Outcome": "ADOPTED"},
    ]
    (proposal,), _ = parse_proceedings(one(stages), "f")
    votes = [s.vote for s in proposal.stages]
    assert [(v.voting, v.yes) for v in votes] == [("", None), ("", None), ("", None), (WITHOUT_VOTE, None)]
    assert [s.problems for s in proposal.stages[:3]] == [
        ["vote counts [127, 59, 12] add up to more than 193 Member States; left out"],
        ["vote counts ['many', 1, 1] are not counts; left out"],
        ["a recorded vote without its counts; left out"],
    ]


def test_it_says_a_stage_has_no_date_and_reads_a_meeting_written_as_an_ordinal():
    (proposal,), _ = parse_proceedings(one([{"StageName": "Adoption", "MeetingNo": "22nd"}]), "f")
    assert (proposal.stages[0].date, proposal.stages[0].meeting) == (None, 22)
    assert proposal.stages[0].problems == ["no date"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[" * 100_000, "f: nested 100,000 levels deep, more than the 8 proceedings have"),
        (b" " * (MAX_BYTES + 1), f"f: {MAX_BYTES + 1:,} bytes, more than the {MAX_BYTES:,} a file may have"),
        (b'[{"body": ', "f: not valid JSON (Expecting value, line 1)"),
        (b"\xff\xfe", "f: not UTF-8 text (byte 0)"),
        (b'{"proposals": []}', "f: a list of proposals was expected, not dict"),
    ],
)
def test_it_refuses_a_file_that_is_not_proceedings_in_plain_words(data, message):
    with pytest.raises(ProceedingsError) as refused:
        parse_proceedings(data, "f")
    assert str(refused.value) == message


def test_it_leaves_out_a_record_that_is_not_a_proposal_and_keeps_the_others():
    data = json.dumps(
        [5, {"body": "Third Committee", "stages": []}, json.loads(one([{"StageName": "Submission"}]))[0]]
    )
    proposals, problems = parse_proceedings(data.encode(), "f")
    assert len(proposals) == 1
    assert problems == [
        "f, proposal 1: not an object; left out",
        "f, proposal 2: no list of stages; left out",
    ]


def test_it_reads_separate_votes_that_name_their_paragraphs_in_words():
    # c1-proposals.json, A/80/534 DR 46: three votes on operative paragraphs by number, then
    # eight on preambular paragraphs in words ("twelfth" … "first", and "eight"); the plenary's
    # record of the same draft (80/57) numbers them 12, 10, 9, 8, 4, 3, 2, 1.
    proposals, problems = parse_proceedings((PROCEEDINGS / "c1-proposals.json").read_bytes(), "c1")
    stage = next(s for p in proposals for s in p.stages if s.published_as == "A/80/534 DR 46")

    assert [
        ([t.key for t in v.targets], v.vote.yes, v.vote.no, v.vote.abstain) for v in stage.separate_votes
    ] == [
        (["op4"], 140, 4, 8),
        (["op3"], 135, 5, 13),
        (["op1"], 142, 0, 10),
        (["pp12"], 137, 1, 15),
        (["pp10"], 135, 3, 14),
        (["pp9"], 142, 0, 8),
        (["pp8"], 140, 2, 8),
        (["pp4"], 143, 0, 8),
        (["pp3"], 144, 0, 8),
        (["pp2"], 140, 0, 9),
        (["pp1"], 144, 1, 9),
    ]
    assert stage.problems == []


def test_every_separate_vote_of_the_session_names_paragraphs_it_reads():
    for path in sorted(PROCEEDINGS.glob("c*-proposals.json")):
        proposals, _ = parse_proceedings(path.read_bytes(), path.name)
        said = [p for proposal in proposals for s in proposal.stages for p in s.problems]
        assert [p for p in said if "paragraph read here" in p] == [], path.name


@pytest.mark.parametrize(
    ("named", "part", "keys"),
    [
        ("4", "operative", ["op4"]),
        ("op10", "operative", ["op10"]),
        ("PP 6", "preambular", ["pp6"]),
        ("4 (a)", "operative", ["op4a"]),
        ("OP 5 (b) (ii)", "operative", ["op5b-ii"]),
        ("ninth", "preambular", ["pp9"]),
        ("eight", "preambular", ["pp8"]),
        ("the fifth preambular paragraph", "preambular", ["pp5"]),
        ("the ninth paragraph", "preambular", ["pp9"]),
        ("twenty-first", "preambular", ["pp21"]),
        ("sixtieth", "preambular", ["pp60"]),
        ("seventy-third and seventy-fourth", "preambular", ["pp73", "pp74"]),
        ("third to fifth", "preambular", ["pp3", "pp4", "pp5"]),
        ("operative paragraph 4", "operative", ["op4"]),
        ("operative paragraph 4", "preambular", ["op4"]),  # the words name the part
        ("paragraphs 3 and 5", "operative", ["op3", "op5"]),
        ("3, 5 and 7", "operative", ["op3", "op5", "op7"]),
        ("3-5", "operative", ["op3", "op4", "op5"]),
        ("paras. 3 to 5", "operative", ["op3", "op4", "op5"]),
        ("paragraph eight", "operative", ["op8"]),
        ("PP 3 and OP 5", "preambular", ["pp3", "op5"]),
        ("the words “in OP 9” in OP 7", "operative", ["op7"]),
        ("in operative paragraph 7, the words “and equitable”", "operative", ["op7"]),
        ("第五段", "preambular", ["pp5"]),
        ("执行部分第4段", "operative", ["op4"]),
        ("执行部分第3、5段", "operative", ["op3", "op5"]),
    ],
)
def test_it_reads_a_list_of_paragraphs_as_un_records_word_it(named, part, keys):
    assert [target.key for target in read_paragraph_list(named, part)] == keys


@pytest.mark.parametrize(
    "named",
    [
        "the last preambular paragraph",
        "the preambular paragraphs",
        "annex, paragraph 3",
        "3 or 5",
        "the words “fifth”",
        "4 bis",
        "",
        "x" * 400,
    ],
)
def test_it_reads_nothing_from_a_list_it_does_not_understand(named):
    assert read_paragraph_list(named, "operative") is None


def test_it_says_which_paragraph_a_separate_vote_names_that_it_cannot_read():
    vote = {"VoteY": 90, "VoteN": 50, "VoteAbstain": 10, "Outcome": "ADOPTED"}
    vote |= {"preambular": ["the last preambular paragraph", "ninth"], "operative": "4"}
    stage = {"StageName": "Adoption", "StageD": "2025-12-15", "SeparateVotes": [vote]}
    (proposal,), _ = parse_proceedings(one([stage]), "crafted")

    (separate,) = proposal.stages[0].separate_votes
    assert [t.key for t in separate.targets] == ["pp9"] and separate.vote.yes == 90
    assert proposal.stages[0].problems == [
        "separate vote: 'the last preambular paragraph' names no preambular paragraph read here; left out",
        "separate vote: its operative paragraphs are not a list; left out",
    ]
