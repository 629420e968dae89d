"""Which resolution a draft became, by its content, where the documents do not say it.

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
from search.models import BECAME_CONTENT, BECAME_STAFF, BECAME_TITLE, Paragraph, Resolution, SharedWording
from search.parsing import (
    DRAFT_RESOLUTION,
    GA_DRAFT_SYMBOL,
    GA_RESOLUTION_SYMBOL,
    RESOLUTION,
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


@transaction.atomic
def match_drafts() -> list[tuple[Resolution, Resolution]]:
    """Link the drafts that nothing links yet to the resolution their content shows, when the
    match is confident; refresh the confidence of links found by title or content. Return
    the links made or changed."""
    all_drafts = drafts()
    replaced = superseded(all_drafts)
    changed = []
    for draft in all_drafts:
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
    replaced is left unlinked."""
    automatic = draft.became_method in (BECAME_TITLE, BECAME_CONTENT) or (
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
    if target is None and draft.became_method != BECAME_CONTENT:
        return False
    return changes.link_by_content(draft, target, match.confidence)


def _content_target(match: Match, replaced: bool) -> Resolution | None:
    """The resolution the content names: the best, if the match is confident and no later
    revision replaced the draft."""
    return match.best.resolution if match.confident and not replaced else None
