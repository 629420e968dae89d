"""The proceedings of a session as e-deleGATE publishes them (JSON): each proposal's
stages, dates, meetings, votes and separate votes, read into plain dataclasses.

The data are read defensively: a file over MAX_BYTES or nested deeper than MAX_DEPTH is
refused before it is decoded (the depth is counted without recursion); a proposal or a
stage that is not what the format says is left out with a problem in words; a value
that cannot be read (a date, a count) is left empty with a problem, never guessed.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from dataclasses import dataclass, field

from search.parsing.amendments import Target, read_paragraph_list
from search.parsing.documents import OPERATIVE, PREAMBULAR
from search.parsing.symbols import COMMITTEE_NUMBERS, PublishedSymbol, published_symbol

MAX_BYTES = 2_000_000  # the largest file of the 80th session is 366 KB
MAX_DEPTH = 8  # a list of proposals > proposal > stages > stage > separate votes > paragraphs
MAX_PROPOSALS = 5_000
MAX_STAGES = 50
MAX_TEXT = 5_000  # characters of a title or a list of sponsors
MAX_VOTERS = 193  # Member States: a count above is not a vote

RECORDED, WITHOUT_VOTE = "recorded", "none"
# What a stage is, by its name: the order of a proposal's life.
SPONSORSHIP, SUBMISSION, REVISION, AMENDMENT, COMMITTEE, PLENARY, OTHER = (
    "sponsorship",
    "submission",
    "revision",
    "amendment",
    "committee",
    "plenary",
    "other",
)
STAGE_KINDS = {
    "Sponsorship": SPONSORSHIP,
    "Submission": SUBMISSION,
    "Draft": SUBMISSION,
    "Revision": REVISION,
    "Oral revision": REVISION,
    "Correction": REVISION,
    "Amendment": AMENDMENT,
    "Adoption by Main Committee": COMMITTEE,
    "Adoption": PLENARY,
}
ADOPTED, NOT_ADOPTED = "ADOPTED", "NOT-ADOPTED"


class ProceedingsError(ValueError):
    """A file that cannot be read as proceedings at all, said in plain words."""


@dataclass
class Vote:
    voting: str = ""  # RECORDED, WITHOUT_VOTE or "" when the record does not say
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    outcome: str = ""

    def as_tuple(self) -> tuple:
        return (self.voting, self.yes, self.no, self.abstain, self.outcome)


@dataclass
class SeparateVote:
    targets: list[Target]  # the paragraphs it names, in the order named
    vote: Vote


@dataclass
class ParsedStage:
    name: str
    kind: str
    date: datetime.date | None
    body: str
    meeting: int | None
    published_as: str  # the symbol as written, "" when none
    symbol: PublishedSymbol | None
    vote: Vote
    separate_votes: list[SeparateVote] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class ParsedProposal:
    body: str
    committee: str  # "C3", "" when the body is none of the Main Committees
    session: str
    agenda_item: str
    title: str
    sponsors: list[str]  # as published: "IRAQ (on behalf of Group of 77 and China)"
    status: str
    stages: list[ParsedStage]
    problems: list[str] = field(default_factory=list)

    @property
    def draft(self) -> str:
        """The symbol of the draft it was submitted as, "" when none is given."""
        for stage in self.stages:
            if stage.kind == SUBMISSION and stage.symbol:
                return stage.symbol.symbol
        return ""

    @property
    def identity(self) -> tuple[str, str]:
        """What names the same proposal in two records: its body and its draft (else its title)."""
        return (self.body, self.draft or f"title:{self.title}:{self.agenda_item}")


def parse_proceedings(data: bytes, name: str) -> tuple[list[ParsedProposal], list[str]]:
    """Read one file of proposals: the proposals and what was left out of them, in words."""
    if len(data) > MAX_BYTES:
        raise ProceedingsError(f"{name}: {len(data):,} bytes, more than the {MAX_BYTES:,} a file may have")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProceedingsError(f"{name}: not UTF-8 text (byte {error.start})") from None
    if (depth := nesting_depth(text)) > MAX_DEPTH:
        raise ProceedingsError(
            f"{name}: nested {depth:,} levels deep, more than the {MAX_DEPTH} proceedings have"
        )
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProceedingsError(f"{name}: not valid JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(records, list):
        raise ProceedingsError(f"{name}: a list of proposals was expected, not {type(records).__name__}")
    if len(records) > MAX_PROPOSALS:
        raise ProceedingsError(f"{name}: {len(records):,} proposals, more than the {MAX_PROPOSALS:,} allowed")
    proposals, problems = [], []
    for number, record in enumerate(records, 1):
        try:
            proposals.append(parse_proposal(record))
        except ProceedingsError as error:
            problems.append(f"{name}, proposal {number}: {error}; left out")
    return proposals, problems


def nesting_depth(text: str) -> int:
    """How deep a JSON text's lists and objects nest, counted in one pass without recursion."""
    brackets = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)
    steps = (1 if c in "[{" else -1 for c in brackets if c in "[]{}")
    return max(itertools.accumulate(steps, initial=0))


def parse_proposal(record: object) -> ParsedProposal:
    """One proposal; a stage that cannot be read is left out, with a problem."""
    if not isinstance(record, dict):
        raise ProceedingsError("not an object")
    stages_in = record.get("stages")
    if not isinstance(stages_in, list) or not stages_in:
        raise ProceedingsError("no list of stages")
    if len(stages_in) > MAX_STAGES:
        raise ProceedingsError(f"{len(stages_in)} stages, more than the {MAX_STAGES} allowed")
    body = _text(record, "body")
    proposal = ParsedProposal(
        body=body,
        committee=committee_code(body),
        session=_text(record, "session"),
        agenda_item=_text(record, "agenda_item"),
        title=_text(record, "title"),
        sponsors=split_sponsors(_text(record, "main_sponsors")),
        status=_text(record, "status"),
        stages=[],
    )
    for number, stage in enumerate(stages_in, 1):
        try:
            proposal.stages.append(parse_stage(stage))
        except ProceedingsError as error:
            proposal.problems.append(f"stage {number}: {error}; left out")
    return proposal


def committee_code(body: str) -> str:
    """ "C3" for "Third Committee"; "" for any other body."""
    match = re.fullmatch(r"(\w+) Committee", body)
    number = COMMITTEE_NUMBERS.get(match[1]) if match else None
    return f"C{number}" if number else ""


def split_sponsors(text: str) -> list[str]:
    """The Member States of a list of main sponsors, each as published; commas within
    parentheses ("on behalf of …") do not split."""
    names, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            names.append(text[start:i])
            start = i + 1
    names.append(text[start:])
    return [name.strip() for name in names if name.strip()]


def parse_stage(stage: object) -> ParsedStage:
    if not isinstance(stage, dict):
        raise ProceedingsError("not an object")
    name = _text(stage, "StageName")
    if not name:
        raise ProceedingsError("no stage name")
    problems: list[str] = []
    published_as = _text(stage, "DocSymbol")
    symbol = published_symbol(published_as) if published_as else None
    if published_as and symbol is None:
        problems.append(f"symbol {published_as!r} is not a symbol this site reads")
    parsed = ParsedStage(
        name=name,
        kind=STAGE_KINDS.get(re.sub(r"\s+\d+$", "", name), OTHER),
        date=_date(stage, problems),
        body=_text(stage, "Body"),
        meeting=_meeting(stage, problems),
        published_as=published_as,
        symbol=symbol,
        vote=read_vote(stage, problems),
        problems=problems,
    )
    parsed.separate_votes = _separate_votes(stage.get("SeparateVotes"), problems)
    return parsed


def read_vote(record: dict, problems: list[str]) -> Vote:
    """A stage's or a separate vote's counts and outcome; counts that are not a vote
    (missing, negative, more than there are Member States) are left out, with a problem."""
    voting = {"Yes": RECORDED, "No": WITHOUT_VOTE}.get(_text(record, "Voting"), "")
    counts = [record.get(key) for key in ("VoteY", "VoteN", "VoteAbstain")]
    vote = Vote(voting=voting, outcome=_text(record, "Outcome"))
    if all(c is None for c in counts):
        if voting == RECORDED:
            problems.append("a recorded vote without its counts; left out")
            vote.voting = ""
        return vote
    wrong = _wrong_counts(counts, voting)
    if wrong:
        problems.append(wrong)
        vote.voting = ""
        return vote
    vote.voting = RECORDED
    vote.yes, vote.no, vote.abstain = counts
    return vote


def _wrong_counts(counts: list, voting: str) -> str:
    """Why three counts are no vote, or ""."""
    if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
        return f"vote counts {counts} are not counts; left out"
    if sum(counts) > MAX_VOTERS:
        return f"vote counts {counts} add up to more than {MAX_VOTERS} Member States; left out"
    if voting == WITHOUT_VOTE:
        return "vote counts given for a stage adopted without a vote; left out"
    return ""


def _separate_votes(items: object, problems: list[str]) -> list[SeparateVote]:
    if items is None:
        return []
    if not isinstance(items, list) or len(items) > MAX_STAGES:
        problems.append("separate votes are not a list of votes; left out")
        return []
    votes = []
    for item in items:
        if not isinstance(item, dict):
            problems.append("a separate vote that is not an object; left out")
            continue
        own: list[str] = []
        vote = read_vote(item | {"Voting": "Yes"}, own)
        problems.extend(f"separate vote: {problem}" for problem in own)
        votes.append(SeparateVote(_paragraphs(item, problems), vote))
    return votes


def _paragraphs(item: dict, problems: list[str]) -> list[Target]:
    """The paragraphs a separate vote names, listed by part as the record gives them: "4",
    "op10", "ninth", "eight", "operative paragraph 4", "3 and 5" (the words name a part
    where they name one, else the list's). One not understood is left out, said in words."""
    targets: list[Target] = []
    for part in (PREAMBULAR, OPERATIVE):
        values = item.get(part)
        if values is not None and not isinstance(values, list):
            problems.append(f"separate vote: its {part} paragraphs are not a list; left out")
            continue
        for value in (values or [])[:MAX_STAGES]:
            found = read_paragraph_list(str(value), part)
            if found is None:
                said = str(value)[:100]
                problems.append(f"separate vote: {said!r} names no {part} paragraph read here; left out")
            targets += found or []
    return list(dict.fromkeys(targets))


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()[:MAX_TEXT]


def _date(stage: dict, problems: list[str]) -> datetime.date | None:
    """The day as written (the service writes New York's times with a "Z")."""
    value = _text(stage, "StageD")
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        problems.append(f"date {value!r} is not a date" if value else "no date")
        return None


def _meeting(stage: dict, problems: list[str]) -> int | None:
    value = _text(stage, "MeetingNo")
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,4})(?:st|nd|rd|th)?", value)
    if not match:
        problems.append(f"meeting {value!r} is not a meeting's number")
        return None
    return int(match[1])
