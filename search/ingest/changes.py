"""Change stored documents otherwise than by publishing a file: correct, link, delete.

Publishing and replacing a language version is `store.ingest` (through
`uploads.publish` or the corpus). Each function here makes one change and its
bookkeeping in one transaction: the language versions whose index entries show what
changed are logged for the index (`record_changes`), and where paragraphs go, those
of other documents that shared their wording are flagged again (`agreed_language.reflag`).
The admin asks for permissions and keeps the history; it changes rows only here.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from search.engine.index import record_changes
from search.ingest import agreed_language
from search.ingest.store import versions_of
from search.models import BECAME_CONTENT, BECAME_RECORD, BECAME_STAFF, Paragraph, Resolution, Text

# The links between works that the admin's form of a work may change.
LINKED = ("became", "annex_adopted_as")
# What decides whether wording a work shares was agreed before (agreed_language.precedes).
DATING = ("adopted_on", "doc_type")


@transaction.atomic
def correct_work(work: Resolution) -> None:
    """Save a work's corrected details: the index shows them with every paragraph of it.

    A resolution given to a draft by hand is staff's word, like one given on the page of
    the drafts' matches; the works a changed link leaves and reaches are logged too (a
    draft's year is its resolution's). A changed date or type flags again the wording its
    paragraphs share: which was agreed first may have changed."""
    stored = Resolution.objects.filter(pk=work.pk).first()
    changed = [link for link in LINKED if stored and _target(stored, link) != _target(work, link)]
    if "became" in changed:
        work.became_method, work.became_confidence = BECAME_STAFF, None
    work.save()
    relinked = {getattr(row, link) for row in (stored, work) for link in changed} - {None}
    record_changes(versions_of(work).union(*(versions_of(other) for other in relinked)))
    if stored and any(getattr(stored, fact) != getattr(work, fact) for fact in DATING):
        own = work.texts.values_list("pk", flat=True)
        paragraphs = set(Paragraph.objects.filter(version__in=own).values_list("pk", flat=True))
        agreed_language.reflag(paragraphs | agreed_language.sharing_with(own))


def _target(work: Resolution, link: str) -> int | None:
    return getattr(work, f"{link}_id")


@transaction.atomic
def correct_version(text: Text) -> None:
    """Save a language version's corrected details."""
    text.save()
    record_changes([text.pk])


@transaction.atomic
def delete_works(works: QuerySet[Resolution]) -> None:
    """Delete works, with their language versions and the drafts they contain."""
    versions = set().union(*(versions_of(work) for work in works))
    _delete(works, versions)


@transaction.atomic
def delete_versions(texts: QuerySet[Text]) -> None:
    """Delete language versions."""
    _delete(texts, set(texts.values_list("pk", flat=True)))


def _delete(rows: QuerySet, versions: set[int]) -> None:
    """Delete rows that take these language versions with them; log the versions for the
    index and flag again the paragraphs that shared wording with theirs."""
    sharing = agreed_language.sharing_with(versions)
    rows.delete()
    record_changes(versions)
    agreed_language.reflag(sharing)  # what only these versions had before them is new wording again


@transaction.atomic
def match_by_staff(draft: Resolution) -> Resolution:
    """Save staff's word on the resolution a draft became (none: it became none here);
    return the draft as it was stored before."""
    stored = type(draft).objects.get(pk=draft.pk)
    draft.became_method, draft.became_confidence = BECAME_STAFF, None
    draft.save()
    _relinked(draft, stored.became, draft.became)
    return stored


@transaction.atomic
def confirm_matches(drafts: QuerySet[Resolution]) -> list[Resolution]:
    """Make staff's the matches of these drafts that are not yet; return those drafts.

    The drafts are locked first: of two confirmations at once, the second finds them
    confirmed and confirms nothing more.
    """
    rows = drafts.model.objects
    selected = list(drafts.values_list("pk", flat=True))
    locked = rows.select_for_update().filter(pk__in=selected)
    confirming = list(locked.exclude(became_method=BECAME_STAFF).order_by("pk"))
    rows.filter(pk__in=[d.pk for d in confirming]).update(became_method=BECAME_STAFF)
    for draft in confirming:
        # Both pages say whose word the link is: their change is logged like a correction's.
        _relinked(draft, draft.became)
    return confirming


@transaction.atomic
def link_draft(draft: Resolution, resolution: Resolution, method: str) -> bool:
    """Link a draft that no link points from yet to the resolution it became; return
    whether it was linked (a link set meanwhile stays)."""
    unlinked = Resolution.objects.filter(pk=draft.pk, became=None)
    if not unlinked.update(became=resolution, became_method=method):
        return False
    draft.became = resolution
    _relinked(draft, resolution)
    return True


@transaction.atomic
def link_by_record(draft: Resolution, resolution_id: int) -> bool:
    """Link a draft to the resolution the proceedings record it became, unless staff
    decided otherwise; return whether the link changed."""
    if draft.became_method == BECAME_STAFF or (
        draft.became_id == resolution_id and draft.became_method == BECAME_RECORD
    ):
        return False
    before = draft.became
    draft.became_id = resolution_id
    draft.became_method, draft.became_confidence = BECAME_RECORD, None
    draft.save(update_fields=["became", "became_method", "became_confidence"])
    _relinked(draft, before, draft.became)
    return True


@transaction.atomic
def link_by_content(draft: Resolution, target: Resolution | None, confidence: float) -> bool:
    """Link a draft to the resolution its content names with this confidence, or take the
    content's link away (no target); return whether the link changed."""
    before = draft.became
    draft.became = target
    draft.became_method, draft.became_confidence = (BECAME_CONTENT, confidence) if target else ("", None)
    draft.save(update_fields=["became", "became_method", "became_confidence"])
    if before == target:
        return False
    _relinked(draft, before, target)
    return True


def rate_link(draft: Resolution, confidence: float) -> None:
    """Keep the content's confidence in a link the title made, for staff to see (nothing
    the index shows changes)."""
    draft.became_confidence = confidence
    draft.save(update_fields=["became_confidence"])


def _relinked(draft: Resolution, *resolutions: Resolution | None) -> None:
    """A draft's year is its resolution's: log the draft and the resolutions it was and is
    linked to for the index."""
    versions = set(draft.texts.values_list("pk", flat=True))
    for resolution in resolutions:
        if resolution is not None:
            versions |= versions_of(resolution)
    record_changes(versions)
