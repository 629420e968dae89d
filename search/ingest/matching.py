"""Which resolution a draft became, by its content, where the documents do not say it.

A resolution keeps most of its draft's paragraphs, changed by revisions and amendments;
a resolution of the same session on another subject shares only stock phrases. So each
draft is compared with the resolutions of its session through the paragraphs they share
(SharedWording, search.ingest.lineage): the share of the draft's paragraphs found in a
resolution, and the confidence is how far the best share stands above the next best.
Staff confirm or correct a match in the admin ("Draft matches"); a match staff set, or
one the documents gave (the manifest, the upload form), is never changed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from search.engine.index import record_changes
from search.engine.wording import long_enough, words
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
    own = {
        pk: text
        for pk, text, language in Paragraph.objects.filter(version__resolution=draft).values_list(
            "pk", "text", "version__language"
        )
        if long_enough(words(text, language), language)
    }
    if not own:
        return Match(draft, [])
    rows = SharedWording.objects.filter(Q(first_id__in=own) | Q(second_id__in=own))
    found: dict[int, set[int]] = defaultdict(set)  # other paragraph → the draft's paragraphs
    for first, second in rows.values_list("first_id", "second_id"):
        if first in own and second not in own:
            found[second].add(first)
        elif second in own and first not in own:
            found[first].add(second)
    held: dict[int, set[int]] = defaultdict(set)  # resolution → the draft's paragraphs it holds
    others = Paragraph.objects.filter(pk__in=found).values_list("pk", "version__resolution_id")
    for other, resolution in others:
        held[resolution] |= found[other]
    session = draft_session(draft)
    resolutions = Resolution.objects.filter(pk__in=held, doc_type=RESOLUTION)
    candidates = [
        Candidate(r, round(len(held[r.pk]) / len(own), 3))
        for r in resolutions
        if session and resolution_session(r) == session
    ]
    candidates = [c for c in candidates if c.share >= LEAST_SHARE]
    candidates.sort(key=lambda c: (-c.share, c.resolution.key))
    return Match(draft, candidates)


def drafts() -> list[Resolution]:
    """Every draft resolution (and a draft the parser took for a resolution, by its symbol)."""
    rows = Resolution.objects.filter(
        Q(doc_type=DRAFT_RESOLUTION) | Q(doc_type=RESOLUTION, symbol__contains="/L.")
    )
    return [r for r in rows if r.doc_type == DRAFT_RESOLUTION or GA_DRAFT_SYMBOL.match(r.symbol or "")]


def superseded(all_drafts: list[Resolution]) -> set[int]:
    """The drafts a later revision of the same draft replaced (L.28 when L.28/Rev.1 is here)."""
    latest: dict[str, int] = {}
    for draft in all_drafts:
        if match := GA_DRAFT_SYMBOL.match(draft.symbol or ""):
            latest[match["base"]] = max(latest.get(match["base"], 0), int(match["revision"] or 0))
    return {
        d.pk
        for d in all_drafts
        if (m := GA_DRAFT_SYMBOL.match(d.symbol or "")) and int(m["revision"] or 0) < latest[m["base"]]
    }


@transaction.atomic
def match_drafts() -> list[tuple[Resolution, Resolution]]:
    """Link the drafts that nothing links yet to the resolution their content shows, when the
    match is confident; refresh the confidence of links found by title or content. Return
    the links made or changed."""
    all_drafts = drafts()
    replaced = superseded(all_drafts)
    changed = []
    for draft in all_drafts:
        # Staff's word stands, and so does a link the documents gave (manifest, upload form).
        automatic = draft.became_method in (BECAME_TITLE, BECAME_CONTENT) or (
            draft.became_id is None and draft.became_method != BECAME_STAFF
        )
        if not automatic or draft.pk in replaced and draft.became_id is None:
            continue
        match = match_by_content(draft)
        if draft.became_method == BECAME_TITLE:
            # The title said it; the content's confidence is shown beside it for staff.
            agrees = match.best is not None and match.best.resolution.pk == draft.became_id
            draft.became_confidence = match.confidence if agrees else 0.0
            draft.save(update_fields=["became_confidence"])
            continue
        target = match.best.resolution if match.confident and draft.pk not in replaced else None
        if target is None and draft.became_method != BECAME_CONTENT:
            continue
        before = draft.became
        draft.became = target
        draft.became_method = BECAME_CONTENT if target else ""
        draft.became_confidence = match.confidence if target else None
        draft.save(update_fields=["became", "became_method", "became_confidence"])
        if before != target:
            changed.append((draft, target))
            # The draft's year is the resolution's: its paragraphs are indexed again.
            record_changes(
                set(draft.texts.values_list("pk", flat=True))
                | {pk for r in (before, target) if r for pk in r.texts.values_list("pk", flat=True)}
            )
    return changed
