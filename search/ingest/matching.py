"""Which resolution a draft became: as the session's proceedings record it, else by its
content, where the documents do not say it.

The proceedings name each proposal's draft, its revisions and the resolution the Assembly
adopted; the last of its drafts held here (the latest revision) is the one adopted. Only
staff's word stands above the record.

A resolution keeps most of its draft's paragraphs, changed by revisions and amendments;
a resolution of the same session on another subject shares only stock phrases. So each
draft is compared with the resolutions of its session through the paragraphs they share
(SharedWording, search.ingest.agreed_language): the share of the draft's paragraphs found in a
resolution, and the confidence is how far the best share stands above the next best.
Staff confirm or correct a match in the admin ("Draft matches"); a match staff set, or
one the documents gave (the manifest, the upload form), is never changed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from search.engine.wording import long_enough, words
from search.ingest import changes
from search.models import (
    BECAME_CONTENT,
    BECAME_RECORD,
    BECAME_STAFF,
    BECAME_TITLE,
    Paragraph,
    Resolution,
    SharedWording,
    Stage,
)
from search.parsing import (
    DRAFT_RESOLUTION,
    GA_DRAFT_SYMBOL,
    GA_RESOLUTION_SYMBOL,
    PLENARY,
    RESOLUTION,
    REVISION,
    SUBMISSION,
    session_number,
)

# Linked without staff when the best resolution holds this much more of the draft's
# paragraphs than the next best; below it the match waits in the admin for staff.
CONFIDENT = 0.3
# A resolution holding less of the draft than this is no candidate at all.
LEAST_SHARE = 0.2


@dataclass(frozen=True)
class Candidate:
    resolution: Resolution
    share: float  # of the draft's paragraphs (long enough to compare) found in it


@dataclass(frozen=True)
class Match:
    draft: Resolution
    candidates: list[Candidate]  # best first

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def confidence(self) -> float:
        if not self.candidates:
            return 0.0
        runner_up = self.candidates[1].share if len(self.candidates) > 1 else 0.0
        return round(self.candidates[0].share - runner_up, 2)

    @property
    def confident(self) -> bool:
        return self.best is not None and self.confidence >= CONFIDENT


def draft_session(draft: Resolution) -> str:
    match = GA_DRAFT_SYMBOL.match(draft.symbol or "")
    return match["session"] if match else draft.session_number()


def resolution_session(resolution: Resolution) -> str:
    match = GA_RESOLUTION_SYMBOL.match(resolution.symbol or "")
    return match["session"] if match else session_number(resolution.session)


def match_by_content(draft: Resolution) -> Match:
    """Rank the resolutions of the draft's session by the share of its paragraphs they hold."""
    own = _compared_paragraphs(draft)
    if not own:
        return Match(draft, [])
    return Match(draft, _ranked(draft, _holders(own), len(own)))


def _compared_paragraphs(draft: Resolution) -> set[int]:
    """The draft's paragraphs long enough to compare."""
    rows = Paragraph.objects.filter(version__resolution=draft).values_list("pk", "text", "version__language")
    return {pk for pk, text, language in rows if long_enough(words(text, language), language)}


def _holders(own: set[int]) -> dict[int, set[int]]:
    """Resolution → the paragraphs of `own` whose wording its paragraphs share."""
    found: dict[int, set[int]] = defaultdict(set)  # other paragraph → the draft's paragraphs
    for mine, others in SharedWording.objects.partners(own).items():
        if mine in own:
            for other in others - own:
                found[other].add(mine)
    held: dict[int, set[int]] = defaultdict(set)
    for other, resolution in Paragraph.objects.filter(pk__in=found).values_list(
        "pk", "version__resolution_id"
    ):
        held[resolution] |= found[other]
    return held


def _ranked(draft: Resolution, held: dict[int, set[int]], compared: int) -> list[Candidate]:
    """The resolutions of the draft's session holding at least LEAST_SHARE of its `compared`
    paragraphs, best first."""
    session = draft_session(draft)
    if not session:
        return []
    resolutions = Resolution.objects.filter(pk__in=held, doc_type=RESOLUTION)
    shares = [
        Candidate(r, round(len(held[r.pk]) / compared, 3))
        for r in resolutions
        if resolution_session(r) == session
    ]
    return sorted((c for c in shares if c.share >= LEAST_SHARE), key=lambda c: (-c.share, c.resolution.key))


def drafts() -> list[Resolution]:
    """Every draft resolution (and a draft the parser took for a resolution, by its symbol)."""
    rows = Resolution.objects.filter(
        Q(doc_type=DRAFT_RESOLUTION) | Q(doc_type=RESOLUTION, symbol__contains="/L.")
    )
    return [r for r in rows if r.doc_type == DRAFT_RESOLUTION or GA_DRAFT_SYMBOL.match(r.symbol or "")]


def _revision(draft: Resolution) -> tuple[str, int] | None:
    """A draft's base symbol and its revision (0 for none): ("A/C.3/80/L.28", 1)."""
    match = GA_DRAFT_SYMBOL.match(draft.symbol or "")
    return (match["base"], int(match["revision"] or 0)) if match else None


def superseded(all_drafts: list[Resolution]) -> set[int]:
    """The drafts a later revision of the same draft replaced (L.28 when L.28/Rev.1 is here)."""
    revisions = {d.pk: revision for d in all_drafts if (revision := _revision(d))}
    latest: dict[str, int] = {}
    for base, number in revisions.values():
        latest[base] = max(latest.get(base, 0), number)
    return {pk for pk, (base, number) in revisions.items() if number < latest[base]}


@dataclass(frozen=True)
class Record:
    """What the proceedings say of the drafts held here."""

    became: dict[int, int]  # the last draft of a proposal adopted as a resolution here → it
    replaced: set[int]  # the proposal's earlier drafts: a revision, or a facilitator's text, replaced them


def recorded_links() -> Record:
    """Draft → the resolution it became, as the proceedings record them: for each proposal
    adopted in plenary as a resolution held here, the last of its drafts held here (its
    latest revision, else the draft submitted); its earlier drafts were replaced. A draft
    the record gives two resolutions is left out: neither is a fact."""
    stages = (
        Stage.objects.filter(kind__in=(SUBMISSION, REVISION, PLENARY), document__isnull=False)
        .order_by("proposal_id", "order")
        .values_list("proposal_id", "kind", "document_id", "document__doc_type", "document__symbol")
    )
    drafts_of: dict[int, list[int]] = defaultdict(list)
    adopted: dict[int, int] = {}
    for proposal, kind, document, doc_type, symbol in stages:
        if kind == PLENARY and doc_type == RESOLUTION and not GA_DRAFT_SYMBOL.match(symbol or ""):
            adopted[proposal] = document
        elif kind != PLENARY and GA_DRAFT_SYMBOL.match(symbol or ""):
            drafts_of[proposal].append(document)  # stages come in order: the last is adopted
    found: dict[int, set[int]] = defaultdict(set)
    replaced: set[int] = set()
    for proposal, resolution in adopted.items():
        if drafts_of[proposal]:
            *earlier, last = drafts_of[proposal]
            found[last].add(resolution)
            replaced.update(earlier)
    became = {draft: resolutions.pop() for draft, resolutions in found.items() if len(resolutions) == 1}
    return Record(became, replaced - set(became))


@transaction.atomic
def match_drafts() -> list[tuple[Resolution, Resolution]]:
    """Link each draft to the resolution the proceedings record it became; link the others
    that nothing links yet to the resolution their content shows, when the match is
    confident; refresh the confidence of links found by title or content. Return the links
    made or changed."""
    all_drafts = drafts()
    record = recorded_links()
    replaced = superseded(all_drafts) | record.replaced
    changed = []
    for draft in all_drafts:
        if draft.pk in record.became:
            if changes.link_by_record(draft, record.became[draft.pk]):
                changed.append((draft, draft.became))
            continue
        if not _content_decides(draft, draft.pk in replaced):
            continue
        match = match_by_content(draft)
        if draft.became_method == BECAME_TITLE:
            _rate_title_link(draft, match)
        elif _link_by_content(draft, match, draft.pk in replaced):
            changed.append((draft, draft.became))
    return changed


def _content_decides(draft: Resolution, replaced: bool) -> bool:
    """Whether the content may set, or rate, this draft's link. Staff's word stands, and so
    does a link the documents gave (manifest, upload form); a draft a later revision
    replaced is left unlinked. A link the record no longer gives is the content's to judge."""
    automatic = draft.became_method in (BECAME_TITLE, BECAME_CONTENT, BECAME_RECORD) or (
        draft.became_id is None and draft.became_method != BECAME_STAFF
    )
    return automatic and not (replaced and draft.became_id is None)


def _rate_title_link(draft: Resolution, match: Match) -> None:
    """The title said which resolution; the content's confidence is shown beside it for staff."""
    agrees = match.best is not None and match.best.resolution.pk == draft.became_id
    changes.rate_link(draft, match.confidence if agrees else 0.0)


def _link_by_content(draft: Resolution, match: Match, replaced: bool) -> bool:
    """Link the draft to the resolution a confident match names (unlink one the content
    linked when none is confident now, or a revision replaced it); return whether the link
    changed."""
    target = _content_target(match, replaced)
    if target is None and draft.became_method not in (BECAME_CONTENT, BECAME_RECORD):
        return False
    return changes.link_by_content(draft, target, match.confidence)


def _content_target(match: Match, replaced: bool) -> Resolution | None:
    """The resolution the content names: the best, if the match is confident and no later
    revision replaced the draft."""
    return match.best.resolution if match.confident and not replaced else None
