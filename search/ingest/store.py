"""Store a parsed document: the one way rows get into the database.

Used by corpus loading (`search.ingest.corpus`) and by publishing an upload
(`search.ingest.uploads`). Every write compares with what is stored first, so
loading the same bytes twice writes nothing, and a better parser run over the
same bytes updates only what it changed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from functools import partial

from django.db import transaction
from django.db.models import Q

from search.engine.index import record_changes
from search.ingest import lineage
from search.models import Footnote, Paragraph, Resolution, SourceFile, Text
from search.parsing import DRAFT_RESOLUTION, REPORT_DOC, RESOLUTION, ParsedDocument

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"

# Resolution fields that a manifest may set and the parser may fill.
RESOLUTION_FIELDS = (
    "symbol",
    "doc_type",
    "body",
    "session",
    "agenda_item",
    "adopted_on",
    "committee",
    "committee_report",
    "amends",
)
TEXT_FIELDS = (
    "title",
    "meeting",
    "sponsors",
    "distribution",
    "issued_on",
    "agenda_item_title",
    "warnings",
    "references",
)
PARAGRAPH_FIELDS = (
    "order",
    "anchor",
    "kind",
    "label",
    "label_zh",
    "number",
    "level",
    "text",
    "heading",
    "footnotes",
)


@transaction.atomic
def ingest(
    parsed: ParsedDocument,
    data: bytes,
    filename: str,
    *,
    key: str,
    symbol: str | None = None,
    language: str | None = None,
    title: str | None = None,
    doc_type: str | None = None,
    body: str | None = None,
    session: str | None = None,
    agenda_item: str | None = None,
    adopted_on: datetime.date | str | None = None,
    committee: str | None = None,
    committee_report: str | None = None,
    became: str | None = None,
    annex_adopted_as: str | None = None,
    contained_in: str | None = None,
) -> Text:
    """Store one language version of a work and the drafts it contains.

    Keyword values (from the manifest or the upload review) override what the
    parser found; the parser fills what they leave out, but never overwrites a
    value another language version already set. `became` and `annex_adopted_as`
    are keys of other works; `contained_in` is the key of a stored report, in which
    this draft is placed after the drafts already there. The returned Text carries
    `ingest_status`: "created", "updated" or "unchanged".
    """
    language = language or parsed.language
    digest = hashlib.sha256(data).hexdigest()
    source, changed = SourceFile.objects.get_or_create(
        sha256=digest,
        defaults={"data": data, "filename": filename, "size": len(data), "language": language},
    )
    given = {
        "symbol": symbol,
        "doc_type": doc_type,
        "body": body,
        "session": session,
        "agenda_item": agenda_item,
        "adopted_on": adopted_on,
        "committee": committee,
        "committee_report": committee_report,
    }
    resolution, res_changed = _save_resolution(
        key, parsed, given, links={"became": became, "annex_adopted_as": annex_adopted_as}
    )
    if contained_in:
        res_changed = _place(resolution, contained_in) or res_changed
    # Drafts a re-parse no longer finds are deleted: their paragraphs leave the index too.
    versions_before = versions_of(resolution)
    # Paragraphs elsewhere that share wording with rows this may replace: flagged again.
    sharing = lineage.sharing_with(versions_before)
    text, text_status = _save_text(resolution, language, parsed, source, title=title)
    drafts_changed = _save_drafts(resolution, language, parsed, source)

    if text_status == CREATED:
        text.ingest_status = CREATED
    elif changed or res_changed or text_status == UPDATED or drafts_changed:
        text.ingest_status = UPDATED
    else:
        text.ingest_status = UNCHANGED
    if text.ingest_status != UNCHANGED:
        traced = lineage.traced_versions(resolution)
        # What its paragraphs cite, with them: a page links citations by these rows alone.
        lineage.cite(traced)
        # Its wording's lineage: derived like the index, so traced once the rows are
        # committed, in a transaction of its own that keeps this one short, and before
        # the index applies this change (registered first, run first), so the index
        # reads the traced rows. A process killed in between leaves them untraced
        # (new_wording None): `trace_wording --if-needed` (make run) traces them.
        transaction.on_commit(partial(lineage.trace_committed, traced, sharing), robust=True)
        # Logged with the rows, in this transaction: every index applies it after the
        # commit, however the process that wrote it ends.
        record_changes(versions_before | versions_of(resolution))
    return text


def versions_of(resolution):
    """Return the pks of a work's language versions and of those its facts are shown with:
    the drafts it contains and the drafts that became it (their year is its year)."""
    related = (
        Q(resolution=resolution) | Q(resolution__contained_in=resolution) | Q(resolution__became=resolution)
    )
    return set(Text.objects.filter(related).values_list("pk", flat=True))


def _save_resolution(key, parsed, given, links=None):
    """Get or create the Resolution by key and apply field changes; return (row, changed)."""
    resolution, created = Resolution.objects.get_or_create(
        key=key, defaults={"doc_type": given.get("doc_type") or parsed.doc_type or RESOLUTION}
    )
    updates = field_updates(resolution, parsed, given, created)
    for field, target_key in (links or {}).items():
        if target_key:
            target = Resolution.objects.get_or_create(key=target_key, defaults={"doc_type": RESOLUTION})[0]
            if getattr(resolution, f"{field}_id") != target.pk:
                updates[field] = target

    symbol = updates.get("symbol")
    if symbol:
        holder = Resolution.objects.filter(symbol=symbol).exclude(pk=resolution.pk).first()
        if holder:
            raise ValueError(f"symbol {symbol} already belongs to {holder.key}")
    for field, value in updates.items():
        setattr(resolution, field, value)
    if updates:
        resolution.save(update_fields=list(updates))
    return resolution, created or bool(updates)


def field_updates(resolution, parsed, given, created=False) -> dict:
    """Return the fields of RESOLUTION_FIELDS that storing would change on this work, with
    their new values: a given value where it differs, the parser's where the work has none
    (every field of a work just created). Writes nothing: the review asks it too."""
    updates = {}
    for field in RESOLUTION_FIELDS:
        current = getattr(resolution, field)
        value = given.get(field)
        if value in (None, ""):
            if current not in (None, "") and not created:
                continue  # the parser only fills blanks
            value = getattr(parsed, field, None)
        if field == "adopted_on" and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        if value not in (None, "") and current != value:
            updates[field] = value
    return updates


def _place(resolution, report_key):
    """Put a draft in a report, after the drafts already there; return whether it moved."""
    report = Resolution.objects.filter(key=report_key).first()
    if report is None:
        raise ValueError(f"no report with key {report_key}")
    if resolution.contained_in_id == report.pk:
        return False
    resolution.contained_in = report
    resolution.position = report.contained.exclude(pk=resolution.pk).count() + 1
    resolution.save(update_fields=["contained_in", "position"])
    return True


def _save_text(resolution, language, parsed, source, title=None):
    """Create or update the language version and its paragraphs; return (text, status)."""
    text, created, changed = _save_version(resolution, language, parsed, source, title)
    changed = _save_paragraphs(text, parsed) | changed
    changed = _save_footnotes(text, parsed) | changed
    if created:
        return text, CREATED
    return text, UPDATED if changed else UNCHANGED


def _save_version(resolution, language, parsed, source, title) -> tuple[Text, bool, bool]:
    """The Text row, created or its fields updated: (text, created, changed)."""
    values = {field: getattr(parsed, field) for field in TEXT_FIELDS}
    if isinstance(values["issued_on"], str):
        values["issued_on"] = datetime.date.fromisoformat(values["issued_on"])
    if title:
        values["title"] = title
    values["source"] = source
    text, created = Text.objects.get_or_create(resolution=resolution, language=language, defaults=values)
    changed_fields = [] if created else [f for f, v in values.items() if getattr(text, f) != v]
    for field in changed_fields:
        setattr(text, field, values[field])
    if changed_fields:
        text.save(update_fields=[*changed_fields, "updated_at"])
    return text, created, bool(changed_fields)


def _save_paragraphs(text: Text, parsed) -> bool:
    """Replace the version's paragraphs when they differ from the parse; say whether they did."""
    paragraphs = [
        Paragraph(
            version=text,
            order=order,
            anchor=p.anchor,
            kind=p.kind,
            label=p.label,
            label_zh=p.label_zh,
            number=p.number,
            level=p.level,
            text=p.text,
            heading=p.heading,
            footnotes=list(p.footnotes),
        )
        for order, p in enumerate(parsed.paragraphs, 1)
    ]
    duplicates = sorted(a for a, n in Counter(p.anchor for p in paragraphs).items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate paragraph anchors: {', '.join(duplicates)}")
    wanted = [tuple(getattr(p, f) for f in PARAGRAPH_FIELDS) for p in paragraphs]
    if wanted == list(text.paragraphs.order_by("order").values_list(*PARAGRAPH_FIELDS)):
        return False
    # Rows are replaced, but anchors are deterministic, so deep links survive.
    text.paragraphs.all().delete()
    Paragraph.objects.bulk_create(paragraphs)
    return True


def _save_footnotes(text: Text, parsed) -> bool:
    """Replace the version's footnotes when they differ from the parse; say whether they did."""
    wanted = [(n.number, n.text) for n in parsed.footnotes]
    if wanted == list(text.footnotes.order_by("number").values_list("number", "text")):
        return False
    text.footnotes.all().delete()
    Footnote.objects.bulk_create(Footnote(version=text, number=number, text=body) for number, body in wanted)
    return True


# More drafts than a report of a Main Committee has ever held.
MAX_DRAFTS = 500


def _save_drafts(report, language, parsed, source):
    """Store the draft resolutions a report contains as works of their own."""
    changed = False
    # A report's drafts belong to its body, session and agenda item, whatever a
    # phrase inside a draft may look like to the parser. A draft that a resolution
    # recommends to another organ (ECOSOC to the General Assembly) keeps its own.
    given = {"doc_type": DRAFT_RESOLUTION}
    if parsed.doc_type == REPORT_DOC:
        given |= {"body": report.body, "session": report.session, "agenda_item": report.agenda_item}
    for position, draft in enumerate(parsed.resolutions, 1):
        resolution, res_changed = _save_resolution(
            f"{report.key}/draft-{position}",
            draft,
            given,
        )
        placement = {"contained_in_id": report.pk, "position": position}
        moved = [f for f, v in placement.items() if getattr(resolution, f) != v]
        if moved:
            for field in moved:
                setattr(resolution, field, placement[field])
            resolution.save(update_fields=moved)
        _, status = _save_text(resolution, language, draft, source)
        changed = changed or res_changed or bool(moved) or status != UNCHANGED

    # A re-parse that finds fewer drafts drops this language's text of the rest: only
    # of drafts the parser found in it, never of one staff placed in the report.
    found_here = [f"{report.key}/draft-{n}" for n in range(len(parsed.resolutions) + 1, MAX_DRAFTS + 1)]
    stale = Text.objects.filter(
        resolution__contained_in=report, resolution__key__in=found_here, language=language
    )
    if stale.exists():
        stale.delete()
        Resolution.objects.filter(contained_in=report, key__in=found_here, texts=None).delete()
        changed = True
    return changed
