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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from search.engine.index import record_changes
from search.models import ProceedingsFile, Proposal, Resolution, SeparateVote, Stage, Text
from search.parsing import ParsedProposal, ParsedStage, ProceedingsError, parse_proceedings

MAX_FILES = 100
DELETED = "Deleted"  # a record the service marks withdrawn from its list: not a proposal


@dataclass
class Report:
    """What an import did and what it could not link, each with its reason."""

    files_written: list[str] = field(default_factory=list)
    files_unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that hold no proposals (an agenda)
    proposals: int = 0
    stages: int = 0
    votes: int = 0  # stages with a vote stored: recorded with counts, or without a vote
    separate_votes: int = 0
    linked: int = 0  # stages whose symbol names a document here
    unlinked: Counter = field(default_factory=Counter)  # reason → stages
    unmatched: set[str] = field(default_factory=set)  # symbols that name no document here
    problems: list[str] = field(default_factory=list)


def import_proceedings(paths: list[Path]) -> Report:
    """Import files of proposals (or folders of them) in one transaction."""
    report = Report()
    # Named by their folder too: each session's folder has a c3-proposals.json.
    read = [
        (f"{path.parent.name}/{path.name}", parse_file(path, report)) for path in proceedings_files(paths)
    ]
    read = [(name, proposals) for name, proposals in read if proposals is not None]
    kept = reconcile(read, report)
    with transaction.atomic():
        links = DocumentLinks()
        for name, proposals in kept:
            rows = [build_rows(proposal, links, report) for proposal in proposals]
            store_file(name, rows, report)
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


def parse_file(path: Path, report: Report) -> list[ParsedProposal] | None:
    """A file's proposals; None for a file of the agenda, which holds none."""
    with path.open("rb") as handle:
        data = handle.read(10_000_000)
    if b'"AG_Item"' in data[:2000]:
        report.skipped.append(f"{path.name}: an agenda, not proposals")
        return None
    proposals, problems = parse_proceedings(data, path.name)
    report.problems += problems
    return proposals


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
    stage.vote.voting, stage.vote.yes, stage.vote.no, stage.vote.abstain = "", None, None, None
    stage.vote.outcome = ""
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


def build_rows(proposal: ParsedProposal, links: DocumentLinks, report: Report) -> dict:
    """A proposal's rows as plain values: what is stored, and what its digest is of."""
    withhold_duplicate_votes(proposal)
    stages = [stage_row(stage, links, report) for stage in proposal.stages]
    where = proposal.draft or proposal.title[:60]
    report.problems += [f"{where}: {problem}" for problem in proposal.problems]
    report.problems += [f"{where}, {s.name}: {p}" for s in proposal.stages for p in s.problems]
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
    """Two votes recorded at one stage of a proposal (the same kind of stage, the same
    document) that differ: neither is a fact."""
    seen: dict[tuple, ParsedStage] = {}
    for stage in proposal.stages:
        if not stage.vote.voting:
            continue
        key = (stage.kind, stage.published_as)
        earlier = seen.setdefault(key, stage)
        if earlier is not stage and earlier.vote.as_tuple() != stage.vote.as_tuple():
            for one in (earlier, stage):
                one.problems.append("two different votes recorded at this stage: neither shown")
                withhold(one)


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
                "anchors": [f"pp{n}" for n in v.preambular] + [f"op{n}" for n in v.operative],
                "yes": v.vote.yes,
                "no": v.vote.no,
                "abstain": v.vote.abstain,
                "outcome": v.vote.outcome,
            }
            for v in stage.separate_votes
        ],
    }


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
