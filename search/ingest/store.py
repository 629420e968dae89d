"""Store a parsed document: the one way rows get into the database.

Used by corpus loading (`search.ingest.corpus`) and by publishing an upload
(`search.ingest.uploads`). Every write compares with what is stored first, so
loading the same bytes twice writes nothing, and a better parser run over the
same bytes updates only what it changed. Other changes to stored documents (a
correction, a deletion, a draft's link) are `search.ingest.changes`'.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from search.engine.index import record_changes
from search.ingest import agreed_language
from search.ingest.amendments import save_operations
from search.ingest.details import GIVEN, VERSION_FACTS, WORK_FACTS
from search.ingest.mandates import save_mandates
from search.models import Footnote, Paragraph, Resolution, SourceFile, Text
from search.parsing import (
    AMENDMENT,
    DRAFT_RESOLUTION,
    REPORT_DOC,
    RESOLUTION,
    ParsedDocument,
    ParsedParagraph,
)

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"

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
    parsed: ParsedDocument, data: bytes, filename: str, *, key: str, language: str | None = None, **given
) -> Text:
    """Store one language version of a work and the drafts it contains.

    `given` details (from the manifest or the upload review; `details.GIVEN` names them)
    override what the parser found; the parser fills what they leave out, but never
    overwrites a value another language version already set. `became` and
    `annex_adopted_as` are keys of other works; `contained_in` is the key of a stored
    report, in which this draft is placed after the drafts already there. The returned
    Text carries `ingest_status`: "created", "updated" or "unchanged".
    """
    unknown = set(given) - set(GIVEN)
    if unknown:
        raise TypeError(f"ingest() got details it does not know: {', '.join(sorted(unknown))}")
    language = language or parsed.language
    source, source_created = _save_source(data, filename, language)
    resolution, work_changed = _save_work(key, parsed, given)
    # Drafts a re-parse no longer finds are deleted: their paragraphs leave the index too.
    versions_before = versions_of(resolution)
    # Paragraphs elsewhere that share wording with rows this may replace: flagged again.
    sharing = agreed_language.sharing_with(versions_before)
    text, text_status = _save_text(resolution, language, parsed, source, title=given.get("title"))
    drafts_changed = _save_drafts(resolution, language, parsed, source)
    text.ingest_status = _status(text_status, source_created or work_changed or drafts_changed)
    if text.ingest_status != UNCHANGED:
        _derive(resolution, versions_before, sharing)
    return text


def _status(text_status: str, others_changed: bool) -> str:
    """The status of a stored version: created, or updated if it or anything stored with it changed."""
    if text_status == UNCHANGED and others_changed:
        return UPDATED
    return text_status


def _derive(resolution, versions_before: set[int], sharing: set[int]) -> None:
    """Bring what is derived from a work's rows up to date with them: citations now, its
    agreed language once committed, and the index's log of what changed."""
    traced = agreed_language.traced_versions(resolution)
    # What its paragraphs cite, with them: a page links citations by these rows alone.
    agreed_language.cite(traced)
    # Its agreed language: derived like the index, so traced once the rows are
    # committed, in a transaction of its own that keeps this one short, and before
    # the index applies this change (registered first, run first), so the index
    # reads the traced rows. A process killed in between leaves them untraced
    # (new_wording None): `trace_wording --if-needed` (make run) traces them.
    transaction.on_commit(partial(agreed_language.trace_committed, traced, sharing), robust=True)
    # Logged with the rows, in this transaction: every index applies it after the
    # commit, however the process that wrote it ends.
    record_changes(versions_before | versions_of(resolution))


def versions_of(resolution):
    """Return the pks of a work's language versions and of those its facts are shown with:
    the drafts it contains and the drafts that became it (their year is its year)."""
    related = (
        Q(resolution=resolution) | Q(resolution__contained_in=resolution) | Q(resolution__became=resolution)
    )
    return set(Text.objects.filter(related).values_list("pk", flat=True))


def _save_source(data: bytes, filename: str, language: str) -> tuple[SourceFile, bool]:
    """The stored file of these bytes, stored now if it was not: (file, created)."""
    return SourceFile.objects.get_or_create(
        sha256=hashlib.sha256(data).hexdigest(),
        defaults={"data": data, "filename": filename, "size": len(data), "language": language},
    )


def _save_work(key: str, parsed: ParsedDocument, given: dict) -> tuple[Resolution, bool]:
    """The work by key, its facts, links and place in a report saved: (work, changed)."""
    resolution, changed = _save_resolution(key, parsed, given, links=("became", "annex_adopted_as"))
    if given.get("contained_in"):
        changed = _place(resolution, given["contained_in"]) or changed
    return resolution, changed


def _save_resolution(key, parsed, given, links=()):
    """Get or create the Resolution by key and apply field changes; return (row, changed)."""
    resolution, created = Resolution.objects.get_or_create(
        key=key, defaults={"doc_type": given.get("doc_type") or parsed.doc_type or RESOLUTION}
    )
    updates = field_updates(resolution, parsed, given, created) | _link_updates(resolution, given, links)
    _check_symbol_free(resolution, updates.get("symbol"))
    _update(resolution, updates)
    return resolution, created or bool(updates)


def _link_updates(resolution: Resolution, given: dict, links) -> dict:
    """The links to other works (by key, created if not stored) that differ from the stored ones."""
    updates = {}
    for field in links:
        if given.get(field):
            target = Resolution.objects.get_or_create(key=given[field], defaults={"doc_type": RESOLUTION})[0]
            if getattr(resolution, f"{field}_id") != target.pk:
                updates[field] = target
    return updates


def _check_symbol_free(resolution: Resolution, symbol: str | None) -> None:
    holder = symbol and Resolution.objects.filter(symbol=symbol).exclude(pk=resolution.pk).first()
    if holder:
        raise ValueError(
            gettext("symbol %(symbol)s already belongs to %(work)s") % {"symbol": symbol, "work": holder.key}
        )


def _update(row, values: dict, also=()) -> list[str]:
    """Set the fields whose values differ and save only those (and `also`); return their names."""
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    for field in changed:
        setattr(row, field, values[field])
    if changed:
        row.save(update_fields=[*changed, *also])
    return changed


def field_updates(resolution, parsed, given, created=False) -> dict:
    """Return the work's facts (details.WORK_FACTS) that storing would change on this work,
    with their new values: a given value where it differs, the parser's where the work
    has none (every fact of a work just created). Writes nothing: the review asks it too."""
    wanted = {field: _wanted(resolution, parsed, given, field, created) for field in WORK_FACTS}
    return {
        field: value
        for field, value in wanted.items()
        if not _blank(value) and getattr(resolution, field) != value
    }


def _wanted(resolution, parsed, given, field: str, created: bool):
    """The value storing wants for a work's fact: the given one, else the parser's where
    the work has none; None to keep the stored one."""
    value = given.get(field)
    if _blank(value):
        if not created and not _blank(getattr(resolution, field)):
            return None  # the parser only fills blanks
        value = getattr(parsed, field, None)
    return _date(value) if field == "adopted_on" else value


def _blank(value) -> bool:
    return value in (None, "")


def _date(value):
    """A date given or parsed as ISO text, as a date."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _place(resolution, report_key):
    """Put a draft in a report, after the drafts already there; return whether it moved."""
    report = Resolution.objects.filter(key=report_key).first()
    if report is None:
        raise ValueError(gettext("no report with key %(key)s") % {"key": report_key})
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
    # What an amendment does, read from its paragraphs: a draft's page shows it beside its own.
    amendment = [p.text for p in parsed.paragraphs] if resolution.doc_type == AMENDMENT else None
    changed = save_operations(text, amendment, created) | changed
    # What its operative paragraphs ask, of whom, by when: read once, here.
    changed = save_mandates(text) | changed
    if created:
        return text, CREATED
    return text, UPDATED if changed else UNCHANGED


def _save_version(resolution, language, parsed, source, title) -> tuple[Text, bool, bool]:
    """The Text row, created or its fields updated: (text, created, changed)."""
    values = {field: getattr(parsed, field) for field in VERSION_FACTS}
    values["issued_on"] = _date(values["issued_on"])
    if title:
        values["title"] = title
    values["source"] = source
    text, created = Text.objects.get_or_create(resolution=resolution, language=language, defaults=values)
    if created:
        return text, True, False
    return text, False, bool(_update(text, values, also=["updated_at"]))


def _save_paragraphs(text: Text, parsed) -> bool:
    """Replace the version's paragraphs when they differ from the parse; say whether they did."""
    paragraphs = [_paragraph(text, order, p) for order, p in enumerate(parsed.paragraphs, 1)]
    _check_anchors(paragraphs)
    wanted = [tuple(getattr(p, f) for f in PARAGRAPH_FIELDS) for p in paragraphs]
    if wanted == list(text.paragraphs.order_by("order").values_list(*PARAGRAPH_FIELDS)):
        return False
    # Rows are replaced, but anchors are deterministic, so deep links survive.
    text.paragraphs.all().delete()
    Paragraph.objects.bulk_create(paragraphs)
    return True


def _paragraph(text: Text, order: int, p: ParsedParagraph) -> Paragraph:
    return Paragraph(
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


def _check_anchors(paragraphs: list[Paragraph]) -> None:
    duplicates = sorted(a for a, n in Counter(p.anchor for p in paragraphs).items() if n > 1)
    if duplicates:
        raise ValueError(
            gettext("duplicate paragraph anchors: %(anchors)s") % {"anchors": ", ".join(duplicates)}
        )


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


def _save_drafts(report, language, parsed, source) -> bool:
    """Store the draft resolutions a report contains as works of their own; say whether
    any changed."""
    given = _draft_details(report, parsed)
    changed = [
        _save_draft(report, position, draft, given, language, source)
        for position, draft in enumerate(parsed.resolutions, 1)
    ]
    return _drop_lost_drafts(report, language, found=len(parsed.resolutions)) or any(changed)


def _draft_details(report, parsed) -> dict:
    """What a report gives the drafts it contains, whatever the parser finds in them."""
    # A report's drafts belong to its body, session and agenda item, whatever a
    # phrase inside a draft may look like to the parser. A draft that a resolution
    # recommends to another organ (ECOSOC to the General Assembly) keeps its own.
    given = {"doc_type": DRAFT_RESOLUTION}
    if parsed.doc_type == REPORT_DOC:
        given |= {"body": report.body, "session": report.session, "agenda_item": report.agenda_item}
    return given


def _save_draft(report, position, draft, given, language, source) -> bool:
    """Store one draft of a report at its position; say whether anything of it changed."""
    resolution, work_changed = _save_resolution(f"{report.key}/draft-{position}", draft, given)
    moved = _update(resolution, {"contained_in_id": report.pk, "position": position})
    _, status = _save_text(resolution, language, draft, source)
    return work_changed or bool(moved) or status != UNCHANGED


def _drop_lost_drafts(report, language, found: int) -> bool:
    """Delete this language's text of the drafts after the first `found`; say whether there were any."""
    # A re-parse that finds fewer drafts drops this language's text of the rest: only
    # of drafts the parser found in it, never of one staff placed in the report.
    found_here = [f"{report.key}/draft-{n}" for n in range(found + 1, MAX_DRAFTS + 1)]
    stale = Text.objects.filter(
        resolution__contained_in=report, resolution__key__in=found_here, language=language
    )
    if not stale.exists():
        return False
    stale.delete()
    Resolution.objects.filter(contained_in=report, key__in=found_here, texts=None).delete()
    return True
