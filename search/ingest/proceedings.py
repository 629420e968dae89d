"""The proceedings of a session imported (`manage.py import_proceedings`): each proposal's
stages, votes and separate votes stored and linked by symbol to the documents held here.

All files are read first (search.parsing.proceedings); a file that cannot be read stops
the import before anything is written. Then, in one transaction, each file's rows are
built, linked, and compared with what is stored under a digest: a file whose rows are
the same is not written again, so a second import changes nothing. Records the data
contradict are reported and their votes stored as no fact: a proposal listed twice with
different votes, two votes at the same stage of one proposal.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from search.engine.index import record_changes
from search.ingest.agenda import is_agenda, read_agenda, store_agenda
from search.ingest.matching import match_drafts
from search.models import (
    Paragraph,
    ProceedingsFile,
    Proposal,
    Resolution,
    SeparateVote,
    Stage,
    StageFacts,
    Text,
    separate_vote_targets,
)
from search.parsing import (
    ADOPTED,
    NOT_ADOPTED,
    RECORDED,
    ParsedProposal,
    ParsedStage,
    ProceedingsError,
    parse_proceedings,
)

MAX_FILES = 100
DELETED = "Deleted"  # a record the service marks withdrawn from its list: not a proposal


@dataclass
class Report:
    """What an import did and what it could not link, each with its reason."""

    files_written: list[str] = field(default_factory=list)
    files_unchanged: list[str] = field(default_factory=list)
    agenda_items: int = 0  # items of the sessions' agendas read
    proposals: int = 0
    stages: int = 0
    votes: int = 0  # stages with a vote stored: recorded with counts, or without a vote
    separate_votes: int = 0
    linked: int = 0  # stages whose symbol names a document here
    unlinked: Counter = field(default_factory=Counter)  # reason → stages
    unmatched: set[str] = field(default_factory=set)  # symbols that name no document here
    # Proposals none of whose symbols names a document here: their draft (else title).
    unmatched_proposals: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    drafts_linked: int = 0  # drafts linked to the resolution they became, or their link changed


def import_proceedings(paths: list[Path]) -> Report:
    """Import files of proposals and agendas (or folders of them) in one transaction."""
    report = Report()
    proposals, agendas = [], []
    for path in proceedings_files(paths):
        # Named by their folder too: each session's folder has a c3-proposals.json.
        name = f"{path.parent.name}/{path.name}"
        with path.open("rb") as handle:
            data = handle.read(10_000_000)
        if is_agenda(data):
            rows, problems = read_agenda(data, path.name)
            report.problems += problems
            agendas.append((name, rows))
        else:
            proposals.append((name, parse_file(data, path.name, name, report)))
    kept = reconcile(proposals, report)
    with transaction.atomic():
        for name, rows in agendas:
            store_agenda_file(name, rows, report)
        links = DocumentLinks()
        for name, read in kept:
            rows = [build_rows(proposal, links, report) for proposal in read]
            store_file(name, rows, report)
        if report.files_written:
            # The record says which draft became which resolution: linked now, not at
            # the next publish or tracing, and in the same transaction as the record.
            report.drafts_linked = len(match_drafts())
    return report


def proceedings_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.json"))
        elif path.is_file():
            files.append(path)
        else:
            raise ProceedingsError(f"{path}: no such file or folder")
    if len(files) > MAX_FILES:
        raise ProceedingsError(f"{len(files)} files, more than the {MAX_FILES} an import reads")
    return files


def parse_file(data: bytes, filename: str, name: str, report: Report) -> list[ParsedProposal]:
    """A file's proposals, the stages the service marks deleted and those listed twice
    the same left out (and said). `filename` names it in what stops the import."""
    proposals, problems = parse_proceedings(data, filename)
    report.problems += problems
    deleted = deleted_stages(data)
    kept = []
    for proposal in proposals:
        leave_out_deleted_stages(proposal, deleted)
        leave_out_repeated_stages(proposal)
        if proposal.stages:
            kept.append(proposal)
        else:
            where = proposal.draft or repr(proposal.title[:60])
            report.problems.append(f"{name}: {where} has no stage left but those marked deleted; left out")
    return kept


def stage_key(title: object, name: object, symbol: object, date: object) -> tuple:
    """What tells a stage from the others of its proposal, as written (spaces aside)."""
    return tuple(
        re.sub(r"\s+", " ", str(v or "")).strip() for v in (title, name, symbol, str(date or "")[:10])
    )


def deleted_stages(data: bytes) -> Counter:
    """The stages the service marks deleted ("Status": "Deleted"), by `stage_key`.

    The parser does not carry a stage's status (search.parsing.proceedings), so the file,
    which it has read under its limits, is read again here for it alone."""
    deleted: Counter = Counter()
    records = json.loads(data)
    for record in records if isinstance(records, list) else []:
        stages = record.get("stages") if isinstance(record, dict) else None
        for stage in stages if isinstance(stages, list) else []:
            if isinstance(stage, dict) and stage.get("Status") == DELETED:
                key = (
                    record.get("title"),
                    stage.get("StageName"),
                    stage.get("DocSymbol"),
                    stage.get("StageD"),
                )
                deleted[stage_key(*key)] += 1
    return deleted


def leave_out_deleted_stages(proposal: ParsedProposal, deleted: Counter) -> None:
    kept = []
    for stage in proposal.stages:
        key = stage_key(proposal.title, stage.name, stage.published_as, stage.date)
        if deleted[key]:
            deleted[key] -= 1  # a stage listed twice, once deleted: the other is kept
            proposal.problems.append(f"{_stage_named(stage)} is marked deleted; left out")
        else:
            kept.append(stage)
    proposal.stages = kept


def leave_out_repeated_stages(proposal: ParsedProposal) -> None:
    """A stage listed again with the same date, meeting and vote is one stage."""
    kept: list[ParsedStage] = []
    for stage in proposal.stages:
        if any(_same_stage(stage, earlier) for earlier in kept):
            proposal.problems.append(f"{_stage_named(stage)} is listed twice, the same; kept once")
        else:
            kept.append(stage)
    proposal.stages = kept


def _same_stage(one: ParsedStage, other: ParsedStage) -> bool:
    return (one.name, one.published_as, one.date, one.meeting, one.vote, one.separate_votes) == (
        other.name,
        other.published_as,
        other.date,
        other.meeting,
        other.vote,
        other.separate_votes,
    )


def _stage_named(stage: ParsedStage) -> str:
    return f"{stage.name} {stage.published_as}".strip() + (
        f" of {stage.date.isoformat()}" if stage.date else ""
    )


def reconcile(read: list[tuple[str, list[ParsedProposal]]], report: Report) -> list:
    """Each proposal once: records marked deleted left out, a record listed again
    (another committee's file lists it too) kept where it is first listed, and the votes
    of two records of one proposal that disagree withheld from both."""
    first: dict[tuple, ParsedProposal] = {}
    kept = []
    again = 0
    for name, proposals in read:
        mine = []
        for proposal in proposals:
            if proposal.status == DELETED:
                report.problems.append(
                    f"{name}: {proposal.draft or proposal.title!r} is marked deleted; left out"
                )
                continue
            earlier = first.setdefault(proposal.identity, proposal)
            if earlier is proposal:
                mine.append(proposal)
            elif earlier != proposal:
                withhold_conflicts(earlier, proposal, name, report)
            else:
                again += 1
        kept.append((name, mine))
    if again:
        report.problems.append(f"{again} proposals listed in two files, the same in both: kept once")
    return kept


def withhold_conflicts(kept: ParsedProposal, other: ParsedProposal, name: str, report: Report) -> None:
    """Withhold the votes of the stages two records of one proposal give differently."""
    theirs = {(s.kind, s.published_as): s.vote.as_tuple() for s in other.stages}
    for stage in kept.stages:
        vote = theirs.get((stage.kind, stage.published_as))
        if vote is not None and vote != stage.vote.as_tuple():
            stage.problems.append(f"{name} lists a different vote {vote[1:4]} for it: neither shown")
            withhold(stage)


def withhold(stage: ParsedStage) -> None:
    _clear(stage.vote)
    stage.separate_votes = []


class DocumentLinks:
    """The documents held here by symbol, and drafts by their report and number: read once."""

    def __init__(self):
        self.by_symbol = dict(Resolution.objects.exclude(symbol=None).values_list("symbol", "pk"))
        contained = Resolution.objects.exclude(contained_in=None).exclude(position=None)
        self.in_report = {
            (symbol, position): pk
            for pk, symbol, position in contained.values_list("pk", "contained_in__symbol", "position")
        }
        self.report_drafts = set(self.in_report.values())
        self.names = {pk: symbol for symbol, pk in self.by_symbol.items()}
        self.anchors: dict[int, set[str]] = {}  # a document's paragraphs, read when asked

    def find(self, stage: ParsedStage) -> tuple[int | None, str]:
        """The document a stage names, or None and why not."""
        if not stage.published_as:
            return None, "no symbol given"
        if stage.symbol is None:
            return None, "not a symbol"
        symbol = stage.symbol
        if symbol.draft_number and (symbol.symbol, symbol.draft_number) in self.in_report:
            return self.in_report[(symbol.symbol, symbol.draft_number)], ""
        if symbol.symbol in self.by_symbol:
            return self.by_symbol[symbol.symbol], ""
        return None, "no document with this symbol here"

    def check_separate_votes(self, proposal: ParsedProposal, rows: list[dict]) -> None:
        """Say of each separate vote the paragraphs it names that a document it was on
        (`separate_vote_targets`) does not have: that document marks none of them."""
        facts = [
            StageFacts(row["kind"], row["document_id"], row["document_id"] in self.report_drafts, bool(votes))
            for row, votes in zip(rows, (s.separate_votes for s in proposal.stages), strict=True)
        ]
        for stage, targets in zip(proposal.stages, separate_vote_targets(facts), strict=True):
            for target in targets:
                held = self._anchors(target)
                missing = sorted({a for row in stage_separate_rows(stage) for a in row} - held)
                if missing:
                    name = self.names.get(target, "its document")
                    named = ", ".join(missing)
                    stage.problems.append(
                        f"separate votes name {named}, which {name} does not have: not marked there"
                    )

    def _anchors(self, document: int) -> set[str]:
        if document not in self.anchors:
            rows = Paragraph.objects.filter(version__resolution_id=document).order_by()
            self.anchors[document] = set(rows.values_list("anchor", flat=True))
        return self.anchors[document]


def stage_separate_rows(stage: ParsedStage) -> list[list[str]]:
    """The anchors each separate vote of a stage names ("pp6", "op4")."""
    return [[target.key for target in v.targets] for v in stage.separate_votes]


def build_rows(proposal: ParsedProposal, links: DocumentLinks, report: Report) -> dict:
    """A proposal's rows as plain values: what is stored, and what its digest is of."""
    withhold_duplicate_votes(proposal)
    withhold_contradicted_outcomes(proposal)
    stages = [stage_row(stage, links, report) for stage in proposal.stages]
    where = proposal.draft or proposal.title[:60]
    if not any(stage["document_id"] for stage in stages):
        report.unmatched_proposals.append(where)
    links.check_separate_votes(proposal, stages)
    said = [f"{where}: {problem}" for problem in proposal.problems]
    said += [f"{where}, {s.name}: {p}" for s in proposal.stages for p in s.problems]
    report.problems += dict.fromkeys(said)  # two stages of one name may have the same problem
    return {
        "body": proposal.body,
        "committee": proposal.committee,
        "session": proposal.session,
        "agenda_item": proposal.agenda_item,
        "title": proposal.title,
        "draft": proposal.draft,
        "sponsors": proposal.sponsors,
        "stages": stages,
    }


def withhold_duplicate_votes(proposal: ParsedProposal) -> None:
    """Two votes recorded at one stage of a proposal that differ: neither is a fact. One
    stage: the same kind of stage naming the same document, or held at the same meeting
    on the same day on the same part of the text (a committee's adoption listed once
    without its report's symbol, once with it)."""
    voted = [stage for stage in proposal.stages if stage.vote.voting]
    contradicted = {
        id(one): one
        for at, stage in enumerate(voted)
        for earlier in voted[:at]
        if _one_stage(earlier, stage) and earlier.vote.as_tuple() != stage.vote.as_tuple()
        for one in (earlier, stage)
    }
    for stage in contradicted.values():
        stage.problems.append("two different votes recorded at this stage: neither shown")
        withhold(stage)


def _one_stage(one: ParsedStage, other: ParsedStage) -> bool:
    if one.kind != other.kind:
        return False
    if one.published_as and one.published_as == other.published_as:
        return True
    part = (one.symbol.part if one.symbol else "") == (other.symbol.part if other.symbol else "")
    return part and one.date is not None and (one.date, one.meeting) == (other.date, other.meeting)


def withhold_contradicted_outcomes(proposal: ParsedProposal) -> None:
    """A recorded vote whose outcome its counts contradict is no fact: adopted with no more
    votes in favour than against, or not adopted with two thirds in favour (the most any
    decision of the Assembly needs). A separate vote so recorded keeps its paragraphs
    (they were put to a vote) but not its counts and outcome."""
    for stage in proposal.stages:
        if contradicted(stage.vote):
            stage.problems.append(f"{_counts_said(stage.vote)}: contradicts itself; no vote shown")
            _clear(stage.vote)
        for separate in stage.separate_votes:
            if contradicted(separate.vote):
                said = _counts_said(separate.vote)
                stage.problems.append(
                    f"separate vote {separate_vote_named(separate)}: {said}; no counts shown"
                )
                _clear(separate.vote)


def contradicted(vote) -> bool:
    if vote.voting != RECORDED or None in (vote.yes, vote.no):
        return False
    if vote.outcome == ADOPTED:
        return vote.yes <= vote.no
    return vote.outcome == NOT_ADOPTED and vote.yes > vote.no and 3 * vote.yes >= 2 * (vote.yes + vote.no)


def _counts_said(vote) -> str:
    return f"{vote.outcome} by {vote.yes} to {vote.no}, {vote.abstain} abstaining"


def separate_vote_named(separate) -> str:
    """ "on PP 6, OP 4", or "on paragraphs not named"."""
    named = [target.labels[0] for target in separate.targets]
    return "on " + (", ".join(named) if named else "paragraphs not named")


def _clear(vote) -> None:
    vote.voting, vote.yes, vote.no, vote.abstain, vote.outcome = "", None, None, None, ""


def stage_row(stage: ParsedStage, links: DocumentLinks, report: Report) -> dict:
    document, reason = links.find(stage)
    if document:
        report.linked += 1
    else:
        report.unlinked[reason] += 1
        if stage.symbol and reason:
            report.unmatched.add(stage.published_as)
    symbol = stage.symbol
    vote = stage.vote
    return {
        "name": stage.name,
        "kind": stage.kind,
        "date": stage.date.isoformat() if stage.date else None,
        "body": stage.body,
        "meeting": stage.meeting,
        "published_as": stage.published_as,
        "symbol": symbol.symbol if symbol else "",
        "draft_number": symbol.draft_number if symbol else None,
        "part": symbol.part if symbol else "",
        "document_id": document,
        "voting": vote.voting,
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "outcome": vote.outcome,
        "problem": "; ".join(stage.problems),
        "separate_votes": [
            {
                "anchors": anchors,
                "yes": v.vote.yes,
                "no": v.vote.no,
                "abstain": v.vote.abstain,
                "outcome": v.vote.outcome,
            }
            for v, anchors in zip(stage.separate_votes, stage_separate_rows(stage), strict=True)
        ],
    }


def store_agenda_file(name: str, rows: list[dict], report: Report) -> None:
    """Replace a file's agenda items when they differ from those stored; else touch nothing."""
    report.agenda_items += len(rows)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    stored = ProceedingsFile.objects.filter(name=name).first()
    if stored is not None and stored.digest == digest:
        report.files_unchanged.append(name)
        return
    if stored is None:
        stored = ProceedingsFile.objects.create(name=name, digest=digest)
    else:
        stored.digest = digest
        stored.save()
    store_agenda(stored, rows)
    report.files_written.append(name)


def store_file(name: str, rows: list[dict], report: Report) -> None:
    """Replace a file's proposals when its rows differ from those stored; else touch nothing."""
    _count(rows, report)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    stored = ProceedingsFile.objects.filter(name=name).first()
    if stored is not None and stored.digest == digest:
        report.files_unchanged.append(name)
        return
    linked = set()  # the documents whose proceedings change: the index files them anew
    if stored is not None:
        linked |= set(Stage.objects.filter(proposal__source=stored).values_list("document_id", flat=True))
        stored.proposals.all().delete()
        stored.digest = digest
        stored.save()
    else:
        stored = ProceedingsFile.objects.create(name=name, digest=digest)
    for position, row in enumerate(rows, 1):
        _create_proposal(stored, position, row)
    linked |= {stage["document_id"] for row in rows for stage in row["stages"]}
    record_changes(Text.objects.filter(resolution_id__in=linked - {None}).values_list("pk", flat=True))
    report.files_written.append(name)


def _create_proposal(source: ProceedingsFile, position: int, row: dict) -> None:
    fields = {key: value for key, value in row.items() if key != "stages"}
    proposal = Proposal.objects.create(source=source, position=position, **fields)
    for order, stage in enumerate(row["stages"], 1):
        separate = stage["separate_votes"]
        fields = {key: value for key, value in stage.items() if key != "separate_votes"}
        created = Stage.objects.create(proposal=proposal, order=order, **fields)
        SeparateVote.objects.bulk_create(
            SeparateVote(stage=created, order=n, **vote) for n, vote in enumerate(separate, 1)
        )


def _count(rows: list[dict], report: Report) -> None:
    report.proposals += len(rows)
    for row in rows:
        report.stages += len(row["stages"])
        report.votes += sum(1 for s in row["stages"] if s["voting"])
        report.separate_votes += sum(len(s["separate_votes"]) for s in row["stages"])
