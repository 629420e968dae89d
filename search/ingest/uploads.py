"""Staff uploads: stage a file, review what it will become, publish or cancel.

The admin views and `manage.py ingest_file` both go through these functions, so a
file becomes rows and index entries the same way whichever door it came in by.
Nothing reaches the resolution tables before `publish`, which writes them through
`store.ingest` in one transaction; `cancel` deletes the staged row, so nothing is
left behind. A file is read once, at staging, within the limits of `extract`, by a
child process under hard limits (`sandbox`); its parse is kept with the upload, and
review and publish use that.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, pgettext

from search.ingest import sandbox
from search.ingest.details import IN_REVIEW, LINKS, PARSED_IN_REVIEW, VERSION_FACTS, WORK_IN_REVIEW
from search.ingest.forms import ReviewForm
from search.ingest.in_language import in_active_language
from search.ingest.store import field_updates, ingest
from search.models import Paragraph, Resolution, SourceFile, Text, Upload, language_name
from search.parsing import (
    ANNEX,
    OPERATIVE,
    PREAMBULAR,
    RESOLUTION,
    ParsedDocument,
    ParseError,
)

# How the review says a kind of paragraph counts differently ("Chinese version has 13 OP,
# English has 12"). The parser builds its citation labels ("OP 3 (b)") in code and
# exports no prefixes to share.
SHAPE_DIFFERENCES = {
    PREAMBULAR: gettext_noop("%(other)s version has %(theirs)d PP, %(this)s has %(mine)d"),
    OPERATIVE: gettext_noop("%(other)s version has %(theirs)d OP, %(this)s has %(mine)d"),
    ANNEX: gettext_noop("%(other)s version has %(theirs)d annex paragraphs, %(this)s has %(mine)d"),
}
# How a publish's summary counts the paragraphs a replacement changed, by change.
PARAGRAPH_CHANGES = {
    "changed": gettext_noop("%(count)d changed (%(anchors)s)"),
    "added": gettext_noop("%(count)d added (%(anchors)s)"),
    "removed": gettext_noop("%(count)d removed (%(anchors)s)"),
}


class AlreadyPublished(Exception):
    """The upload was published already (a second click on Publish)."""

    def __init__(self, upload: Upload):
        super().__init__(gettext("%(file)s was already published") % {"file": upload.filename})
        self.upload = upload


class NeedsReplace(ValueError):
    """Publishing would replace a stored language version and that was not confirmed."""


class LanguageMismatch(ValueError):
    """The text reads as another language than the one stated, and that was not confirmed."""


class InvalidDetails(ValueError):
    """Details given for publishing (a key, a symbol) that the review form refuses."""


class NotPermitted(Exception):
    """Publishing would add, change or remove works in a way the publisher may not."""


# What a publish may do to a work, and the permission each needs of the person publishing.
WORK_PERMISSIONS = {
    "added": "search.add_resolution",
    "changed": "search.change_resolution",
    "removed": "search.delete_resolution",
}
# A work's details: every field but its identity (the key, by which publishing finds it).
WORK_FIELDS = [f for f in Resolution._meta.concrete_fields if f.name not in ("id", "key")]
# A language version's own fields (its paragraphs are compared by anchor).
VERSION_FIELDS = [Text._meta.get_field(name) for name in (*VERSION_FACTS, "source")]


@dataclass
class Review:
    """What a staff member sees before publishing."""

    parsed: ParsedDocument
    initial: dict
    warnings: list[str] = field(default_factory=list)
    duplicate_of: Text | None = None  # the same bytes are stored already
    replaces: Text | None = None  # a version this upload would replace
    language_mismatch: str = ""  # the text reads as another language than stated


def read(data: bytes, filename: str, language: str | None) -> tuple[ParsedDocument, str]:
    """Extract and parse a file within the limits; return it and the language it reads as.

    Without a `language`, the parser takes the one the text reads as. The file is read
    by a child process that bounds its memory and processor time (`sandbox`). Needs no
    database. Raise ParseError in plain words.
    """
    reading = sandbox.read(data, filename, language)
    return reading.parsed, reading.language


def stage(
    data: bytes, filename: str, language: str, user=None, read_as: tuple[ParsedDocument, str] | None = None
) -> Upload:
    """Read a file once and keep it and its parse, unpublished, for review.

    `read_as` is what `read` returned for these bytes, when it was read already.
    """
    parsed, detected = read_as or read(data, filename, language)
    return Upload.objects.create(
        token=secrets.token_hex(16),
        user=_person(user),
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        language=language,
        staged=data,
        parsed=parsed.to_dict(),
        detected_language=detected,
    )


def staged_document(upload: Upload) -> ParsedDocument:
    """Return what the parser made of the staged file when it was staged."""
    if upload.parsed is None:  # staged before parses were kept with the upload
        parsed, upload.detected_language = read(bytes(upload.staged), upload.filename, upload.language)
        upload.parsed = parsed.to_dict()
        upload.save(update_fields=["parsed", "detected_language"])
    return ParsedDocument.from_dict(upload.parsed)


def language_mismatch(upload: Upload) -> str:
    """Say so when the text reads as another language than the one it was uploaded as."""
    if not upload.detected_language or upload.detected_language == upload.language:
        return ""
    return gettext(
        "This text reads as %(detected)s but was uploaded as %(stated)s: check that the file "
        "and the language are right."
    ) % {"detected": language_name(upload.detected_language), "stated": language_name(upload.language)}


def pending_upload(data: bytes, language: str, user=None) -> Upload | None:
    """Return the same person's staged upload of these bytes (a second click on Upload)."""
    return Upload.objects.filter(
        status=Upload.PENDING,
        sha256=hashlib.sha256(data).hexdigest(),
        language=language,
        user=_person(user),
    ).first()


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None


def suggested_key(parsed: ParsedDocument, sha256: str) -> str:
    if parsed.symbol:
        return parsed.symbol
    words = re.findall(r"[a-z0-9]+", parsed.title.lower())[:6]
    stem = "-".join(words) if words else "document"
    return f"{parsed.doc_type.replace('_', '-')}-{stem}-{sha256[:8]}"


def review(upload: Upload, key: str | None = None) -> Review:
    """Say what publishing the staged file would do."""
    parsed = staged_document(upload)
    key = key or _existing_key(parsed) or suggested_key(parsed, upload.sha256)
    result = Review(
        parsed=parsed,
        initial={"key": key, **{name: getattr(parsed, name) or "" for name in PARSED_IN_REVIEW}},
        warnings=list(map(in_active_language, parsed.warnings)),
        language_mismatch=language_mismatch(upload),
    )
    stored = SourceFile.objects.filter(sha256=upload.sha256).first()
    if stored:
        result.duplicate_of = stored.texts.select_related("resolution").first()
    result.replaces = (
        Text.objects.filter(resolution__key=key, language=upload.language)
        .select_related("resolution", "source")
        .first()
    )
    result.warnings += compare_languages(parsed, key, upload.language)
    return result


def _existing_key(parsed: ParsedDocument) -> str | None:
    if parsed.symbol:
        found = Resolution.objects.filter(symbol=parsed.symbol).values_list("key", flat=True).first()
        return found or parsed.symbol
    return None


def compare_languages(parsed: ParsedDocument, key: str, language: str) -> list[str]:
    """Say where this version and a stored other-language version differ in shape."""
    warnings = []
    for other in Text.objects.filter(resolution__key=key).exclude(language=language):
        warnings += _shape_differences(parsed, language, other)
        warnings += _missing_counterparts(parsed, other)
    return warnings


def _shape_differences(parsed: ParsedDocument, language: str, other: Text) -> list[str]:
    """Say of each kind of paragraph (SHAPE_DIFFERENCES) whose count differs in the other version."""
    mine = Counter(p.kind for p in parsed.paragraphs if p.level == 0)
    theirs = Counter(other.paragraphs.filter(level=0).values_list("kind", flat=True))
    names = {"other": language_name(other.language), "this": language_name(language)}
    return [
        gettext(difference) % {**names, "theirs": theirs[kind], "mine": mine[kind]}
        for kind, difference in SHAPE_DIFFERENCES.items()
        if mine[kind] != theirs[kind]
    ]


def _missing_counterparts(parsed: ParsedDocument, other: Text) -> list[str]:
    """Name the other version's paragraphs that have no anchor here, when they are few."""
    missing = set(other.paragraphs.values_list("anchor", flat=True)) - {p.anchor for p in parsed.paragraphs}
    if not missing or len(missing) > 12:
        return []
    return [
        gettext("paragraphs of the %(language)s version with no counterpart here: %(anchors)s")
        % {"language": language_name(other.language), "anchors": ", ".join(sorted(missing))}
    ]


def publish(
    upload: Upload, values: dict, user=None, replace: bool = False, language_ok: bool = False
) -> Text:
    """Store the staged file as a language version, in one transaction.

    `values` are the reviewed fields (key, symbol, title, doc_type, body, session,
    agenda_item, adopted_on) and relations (version_of, became, contained_in,
    annex_adopted_as: Resolution rows or None). A second call for the same
    upload raises AlreadyPublished; replacing a stored version needs `replace`,
    and a text that reads as another language than stated, `language_ok`.
    `user`, the staff member publishing, is held to WORK_PERMISSIONS for every work
    the publish adds, changes or removes: NotPermitted says which, and the whole
    publish is rolled back. Without a user (the command line, trusted) none is asked.
    Rows are written by `ingest` alone; this records the upload and what changed.
    """
    with transaction.atomic():
        locked = _locked_pending(upload, language_ok)
        parsed = staged_document(locked)
        key = target_key(values)
        works_before = _lock_work(key, values, parsed)
        before = _version_replaced(key, locked, replace)
        old = _paragraph_map(before)
        text = _store(locked, parsed, key, values)
        works = work_changes(works_before, _works(key))
        refusal = work_refusal(user, works) if user is not None else ""
        if refusal:
            raise NotPermitted(refusal)  # rolls back all the above
        changes = {
            **_changes(old, _paragraph_map(text), replaced=before is not None),
            "version": _version_change(before, text),
            "works": works,
        }
        _mark_published(locked, text, user, changes)
        return text


def _locked_pending(upload: Upload, language_ok: bool) -> Upload:
    """The upload, locked, if it may be published: not yet, and in its language or confirmed."""
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    if locked.status == Upload.PUBLISHED:
        raise AlreadyPublished(locked)
    mismatch = language_mismatch(locked)
    if mismatch and not language_ok:
        raise LanguageMismatch(
            gettext("%(mismatch)s Publishing it as %(language)s needs a confirmation.")
            % {"mismatch": mismatch, "language": language_name(locked.language)}
        )
    return locked


def _lock_work(key: str, values: dict, parsed: ParsedDocument) -> dict[str, Resolution]:
    """Lock the work of this key, created if new; return it and its drafts as they were
    stored before (none of a work created now)."""
    # Lock the work before looking for its version in this language: of two
    # publishers of one key, the second waits here until the first commits, then
    # sees its version (PostgreSQL; on SQLite, BEGIN IMMEDIATE already made it wait).
    _, created = Resolution.objects.select_for_update().get_or_create(
        key=key, defaults={"doc_type": values.get("doc_type") or parsed.doc_type or RESOLUTION}
    )
    return {k: w for k, w in _works(key).items() if not (created and k == key)}


def _version_replaced(key: str, upload: Upload, replace: bool) -> Text | None:
    """The stored version in the upload's language, which publishing replaces: from other
    bytes, only when that is confirmed."""
    before = Text.objects.filter(resolution__key=key, language=upload.language).first()
    if before and before.source and before.source.sha256 != upload.sha256 and not replace:
        raise NeedsReplace(
            gettext(
                "a %(language)s version of %(work)s is already stored: tick “replace” to publish "
                "this file in its place"
            )
            % {"language": language_name(upload.language), "work": key}
        )
    return before


def _store(upload: Upload, parsed: ParsedDocument, key: str, values: dict) -> Text:
    try:
        return ingest(
            parsed,
            bytes(upload.staged),
            upload.filename,
            key=key,
            language=upload.language,
            **_details(values),
        )
    except (IntegrityError, ValueError) as exc:
        # e.g. a symbol that already belongs to another resolution
        raise ParseError(gettext("the document could not be stored: %(reason)s") % {"reason": exc}) from exc


def _mark_published(upload: Upload, text: Text, user, changes: dict) -> None:
    """Record on the upload who published it, when, as what, and what it changed; drop
    the staged file and its parse, now stored."""
    upload.status = Upload.PUBLISHED
    upload.published_at = timezone.now()
    upload.published_by = _person(user)
    upload.source = text.source
    upload.resolution = text.resolution
    upload.staged = None
    upload.parsed = None
    upload.changes = changes
    upload.save()


def target_key(values: dict) -> str:
    """The key of the work reviewed values publish to: the one it is a version of, if any."""
    return values["version_of"].key if values.get("version_of") else values["key"]


def _details(values: dict) -> dict:
    """The reviewed values as `ingest` takes them: empty ones left to the parser, other
    works by key."""
    return {name: _key(values.get(name)) if name in LINKS else values.get(name) or None for name in IN_REVIEW}


def _works(key: str) -> dict[str, Resolution]:
    """A work and the drafts it contains, as stored now, by key."""
    return {work.key: work for work in Resolution.objects.filter(Q(key=key) | Q(contained_in__key=key))}


def work_changes(before: dict[str, Resolution], after: dict[str, Resolution]) -> list[dict]:
    """Say which works are new, which changed and in which fields, and which are gone."""
    changes = []
    for key, work in after.items():
        if key not in before:
            changes.append({"action": "added", "key": key, "pk": work.pk, "fields": []})
            continue
        fields = changed_fields(before[key], work, WORK_FIELDS)
        if fields:
            changes.append({"action": "changed", "key": key, "pk": work.pk, "fields": fields})
    for key, work in before.items():
        if key not in after:
            changes.append({"action": "removed", "key": key, "pk": work.pk, "name": str(work), "fields": []})
    return changes


def _version_change(before: Text | None, after: Text) -> dict:
    if before is None:
        return {"action": "added", "pk": after.pk, "fields": []}
    return {"action": "changed", "pk": after.pk, "fields": changed_fields(before, after, VERSION_FIELDS)}


def changed_fields(before, after, fields) -> list[str]:
    """Name the fields (model fields) whose stored values differ between two rows."""
    return [f.name for f in fields if getattr(before, f.attname) != getattr(after, f.attname)]


def planned_work_changes(parsed: ParsedDocument, values: dict) -> list[dict]:
    """Say what publishing with these values would do to the work, before it is done:
    add it, or change which of its fields. (The drafts inside a report are found as
    they are stored; `publish` checks those.)"""
    key = target_key(values)
    work = Resolution.objects.filter(key=key).first()
    if work is None:
        return [{"action": "added", "key": key, "pk": None, "fields": []}]
    changed = set(field_updates(work, parsed, _details(values))) | _link_changes(work, values)
    fields = [f.name for f in WORK_FIELDS if f.name in changed]
    return [{"action": "changed", "key": key, "pk": work.pk, "fields": fields}] if fields else []


def _link_changes(work: Resolution, values: dict) -> set[str]:
    """The fields of a stored work that the reviewed links change (a new report, its position too)."""
    changed = set()
    for name in LINKS:
        target = values.get(name)
        if target is not None and getattr(work, f"{name}_id") != target.pk:
            changed |= {name, "position"} if name == "contained_in" else {name}
    return changed


def kept_details(work: Resolution, initial: dict) -> dict:
    """The review's values with the stored work's details where it has them: what a person
    who may not change the work publishes with."""
    kept = dict(initial)
    for name in WORK_IN_REVIEW:
        value = getattr(work, name)
        if value not in (None, ""):
            kept[name] = value
    return kept


def field_label(model, name: str) -> str:
    """A field's name as the admin's forms label it ("Adopted on"), untranslated: the
    admin's History translates it when shown, as it does Django's own entries."""
    with translation.override(None):
        return str(capfirst(model._meta.get_field(name).verbose_name))


def work_refusal(user, changes: list[dict]) -> str:
    """Say which of these changes to works this user may not make, in words, or return ""."""
    refused = [c for c in changes if not user.has_perm(WORK_PERMISSIONS[c["action"]])]
    if not refused:
        return ""
    sentences = [
        REFUSAL_SENTENCES[action]([c for c in refused if c["action"] == action])
        for action in WORK_PERMISSIONS
        if any(c["action"] == action for c in refused)
    ]
    sentences.append(gettext("Nothing is published: ask someone who has the permission to publish it."))
    return " ".join(sentences)


def _refused_additions(changes: list[dict]) -> str:
    return gettext(
        "Publishing this file adds %(works)s, and adding a work needs the permission "
        "to add resolutions (search.add_resolution)."
    ) % {"works": _shown([c["key"] for c in changes])}


def _refused_changes(changes: list[dict]) -> str:
    named = [
        "{} ({})".format(c["key"], ", ".join(gettext(field_label(Resolution, f)) for f in c["fields"]))
        for c in changes
    ]
    return gettext(
        "Publishing this file changes %(changes)s, and changing a work's details needs the "
        "permission to change resolutions (search.change_resolution)."
    ) % {"changes": _shown(named)}


def _refused_removals(changes: list[dict]) -> str:
    return gettext(
        "Publishing this file removes %(works)s (drafts it no longer holds), and removing "
        "a work needs the permission to delete resolutions (search.delete_resolution)."
    ) % {"works": _shown([c["key"] for c in changes])}


# What a publisher is told of the changes to works refused, by action.
REFUSAL_SENTENCES = {"added": _refused_additions, "changed": _refused_changes, "removed": _refused_removals}


def _shown(items: list[str], most: int = 8) -> str:
    return "; ".join(items[:most]) + (f" … (+{len(items) - most})" if len(items) > most else "")


def cancel(upload: Upload) -> bool:
    """Forget a staged upload; a published one stays on record. Return whether it was staged."""
    deleted, _ = Upload.objects.filter(pk=upload.pk, status=Upload.PENDING).delete()
    return bool(deleted)


def ingest_file(
    data: bytes,
    filename: str,
    language: str,
    *,
    key: str | None = None,
    symbol: str | None = None,
    version_of: str | None = None,
    became: str | None = None,
    contained_in: str | None = None,
    replace: bool = False,
    language_ok: bool = False,
    warn: Callable[[str], object] | None = None,
    read_as: tuple[ParsedDocument, str] | None = None,
) -> Upload:
    """Stage, review and publish a file in one step, as the admin does in three.

    Relations are keys of stored resolutions (Resolution.DoesNotExist names a
    missing one). The details go through the admin's review form (InvalidDetails
    says what it refused); the review's warnings go to `warn` before publishing.
    `read_as` is what `read` made of the bytes, when another process read them.
    Whatever fails after staging, the staged upload is cancelled. Return the
    published upload.
    """
    upload = stage(data, filename, language, read_as=read_as)
    try:
        reviewed = review(upload, key=key or symbol or None)
        relations = {"version_of": version_of, "became": became, "contained_in": contained_in}
        values = _reviewed_values(
            {
                **reviewed.initial,
                "symbol": symbol or reviewed.initial["symbol"],
                **{name: _stored(target).pk for name, target in relations.items() if target},
            }
        )
        for warning in reviewed.warnings if warn else ():
            warn(warning)
        publish(upload, values, replace=replace, language_ok=language_ok)
    except BaseException:
        cancel(upload)
        raise
    upload.refresh_from_db()
    return upload


def _reviewed_values(data: dict) -> dict:
    """The details as the review form cleans them; InvalidDetails says what it refused."""
    form = ReviewForm(data)
    if not form.is_valid():
        raise InvalidDetails(
            " ".join(
                f"{name}: {message}" if name != "__all__" else message
                for name, messages in form.errors.items()
                for message in messages
            )
        )
    return form.cleaned_data


def _stored(key: str | None) -> Resolution | None:
    if not key:
        return None
    found = Resolution.objects.filter(key=key).first()
    if found is None:
        raise Resolution.DoesNotExist(f"no resolution with key {key}")
    return found


def _key(resolution: Resolution | None) -> str | None:
    return resolution.key if resolution else None


def _paragraph_map(text: Text | None) -> dict[str, str]:
    if text is None:
        return {}
    return dict(Paragraph.objects.filter(version=text).values_list("anchor", "text"))


def _changes(old: dict[str, str], new: dict[str, str], replaced: bool) -> dict:
    added = [a for a in new if a not in old]
    removed = [a for a in old if a not in new]
    changed = [a for a in new if a in old and old[a] != new[a]]
    return {
        "replaced": replaced,
        "paragraphs": len(new),
        "added": added if replaced else [],
        "removed": removed,
        "changed": changed,
        "unchanged": sum(1 for a in new if a in old and old[a] == new[a]),
    }


def describe_changes(changes: dict) -> str:
    """Say in one line what a publish changed."""
    if not changes:
        return ""
    if not changes.get("replaced"):
        return gettext("new version, %(count)d paragraphs") % {"count": changes.get("paragraphs", 0)}
    parts = [gettext("%(count)d paragraphs unchanged") % {"count": changes.get("unchanged", 0)}]
    for name, said in PARAGRAPH_CHANGES.items():
        anchors = changes.get(name) or []
        if anchors:
            shown = ", ".join(anchors[:8]) + (" …" if len(anchors) > 8 else "")
            parts.append(gettext(said) % {"count": len(anchors), "anchors": shown})
    return pgettext("between parts of a sentence", "; ").join(parts)
