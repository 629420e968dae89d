"""Agreed language: which paragraphs of other documents share a paragraph's wording, and
which documents a paragraph cites.

Derived data, like the index. What a paragraph cites (`cite`) is found when it is
stored, in the publish's own transaction (store.ingest): it is quick (linear in the
text) and a page relies on it being there. The shared wording (`trace`) is computed for
the language versions a publish stored once the publish commits; `manage.py
trace_wording` does both for the whole corpus. The bands of each paragraph's MinHash signature are rows
(WordingBand), so finding the candidates of a new paragraph is one indexed lookup
however many paragraphs are stored; only candidates are compared word by word.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from search.engine.index import record_changes
from search.engine.wording import band_keys, same_wording, words
from search.models import Citation, Mandate, Paragraph, Resolution, SharedWording, Text, WordingBand
from search.parsing import RESOLUTION, find_citations

CHUNK = 500  # ids or keys per query: well under every database's limit of parameters
# A formula repeated by thousands of paragraphs (a closing request for a report) would
# make every new paragraph with it a comparison with each of them, and their pairs grow
# with the square of the corpus: a paragraph is compared with the candidates sharing the
# most bands with it (the most alike, by MinHash's estimate), at most this many.
MAX_CANDIDATES = 200


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def sharing_with(version_ids: Iterable[int]) -> set[int]:
    """The paragraphs of other versions that share wording with these versions' paragraphs."""
    own = list(Paragraph.objects.filter(version_id__in=list(version_ids)).values_list("pk", flat=True))
    ours = set(own)
    return {q for p, qs in SharedWording.objects.partners(own).items() if p in ours for q in qs} - ours


def reflag(paragraph_ids: Iterable[int]) -> None:
    """Set again the new_wording of paragraphs that lost a pair (its other side deleted or
    reworded), and log those that changed for the index."""
    ids = set(Paragraph.objects.filter(pk__in=list(paragraph_ids)).values_list("pk", flat=True))
    if ids:
        record_changes(_flag_new_wording(ids))


def cite(version_ids: Iterable[int]) -> int:
    """Store where these language versions' paragraphs cite documents, replacing what was
    stored for them; return how many citations."""
    paragraphs = Paragraph.objects.filter(version_id__in=list(version_ids)).values_list("pk", "text")
    longest = Citation._meta.get_field("symbol").max_length
    found = 0
    for chunk in _chunks(list(paragraphs)):
        Citation.objects.filter(paragraph_id__in=[pk for pk, _ in chunk]).delete()
        # A "symbol" longer than any there is (a run of dots and letters) is no citation.
        rows = [
            Citation(paragraph_id=pk, symbol=c.symbol, start=c.start, end=c.end)
            for pk, text in chunk
            for c in find_citations(text)
            if len(c.symbol) <= longest
        ]
        Citation.objects.bulk_create(rows, batch_size=2000)
        found += len(rows)
    return found


def trace(
    version_ids: Iterable[int], reflagged: Iterable[int] = (), logged: Iterable[int] = ()
) -> dict[str, int]:
    """Find the shared wording of these language versions' paragraphs.

    What was found for them before is replaced. Paragraphs whose "new wording" changes,
    theirs or other documents' (and `reflagged`: those that shared wording with the rows
    this publish replaced), are logged for the index, but for versions the caller
    `logged` already. Return counts: paragraphs, pairs.
    """
    version_ids = list(version_ids)
    paragraphs = list(
        Paragraph.objects.filter(version_id__in=version_ids)
        .select_related("version")
        .only("pk", "text", "version__language", "version__resolution_id")
    )
    ids = [p.pk for p in paragraphs]
    for chunk in _chunks(ids):
        WordingBand.objects.filter(paragraph_id__in=chunk).delete()
        SharedWording.objects.filter(Q(first_id__in=chunk) | Q(second_id__in=chunk)).delete()

    candidates = _candidates(paragraphs)
    found = _compare(candidates)
    SharedWording.objects.bulk_create(found, batch_size=5000, ignore_conflicts=True)
    touched = set(ids) | _made_older(set(ids), found)
    touched |= set(Paragraph.objects.filter(pk__in=list(set(reflagged))).values_list("pk", flat=True))
    flipped = _flag_new_wording(touched) | _set_families(ids) | trace_mandates(touched)
    record_changes(flipped - set(logged))
    return {"paragraphs": len(ids), "pairs": len(found)}


def _candidates(paragraphs: list[Paragraph]) -> set[tuple[int, int]]:
    """Store these paragraphs' bands, and return the pairs worth comparing: each paragraph
    with the MAX_CANDIDATES others that share the most bands with it."""
    keys = band_keys([(p.text, p.version.language) for p in paragraphs])
    _insert_bands((p.pk, k) for p, ks in zip(paragraphs, keys, strict=True) for k in ks)
    return {
        (min(pid, other), max(pid, other))
        for pid, others in _bands_shared(paragraphs, keys).items()
        for other, _ in others.most_common(MAX_CANDIDATES)
    }


def _bands_shared(paragraphs: list[Paragraph], keys: list[list[int]]) -> dict[int, Counter]:
    """Each of these paragraphs → each other paragraph sharing bands with it → how many."""
    own: dict[int, list[int]] = defaultdict(list)  # band key → these paragraphs with it
    for p, ks in zip(paragraphs, keys, strict=True):
        for k in ks:
            own[k].append(p.pk)
    shared: dict[int, Counter] = defaultdict(Counter)
    for chunk in _chunks(list(own)):
        for key, other in _band_members(chunk):
            for pid in own[key]:
                if pid != other:
                    shared[pid][other] += 1
    return shared


def _made_older(ours: set[int], found: list[SharedWording]) -> set[int]:
    """Other documents' paragraphs that these pairs may take "new wording" from: another
    document's paragraph can only lose it to an adopted resolution dated before it, so
    only those are flagged again, not every partner."""
    partners = {(p.first_id, p.second_id) if p.first_id in ours else (p.second_id, p.first_id) for p in found}
    dated = paragraph_dates({pid for pair in partners for pid in pair})
    return {q for p, q in partners if q not in ours and precedes(dated[p], dated[q])}


def _band_members(keys: list[int]) -> list[tuple[int, int]]:
    """The (key, paragraph) rows of these band keys, at most MAX_CANDIDATES a key: the
    paragraphs stored first. A band that thousands share holds a formula; its first
    members are enough to find where that wording comes from."""
    table, paragraph, key = _band_table()
    marks = ", ".join(["%s"] * len(keys))
    # A window function (SQLite 3.25+, PostgreSQL): the database reads each band's rows
    # by its index and returns only the first of them.
    sql = (
        f"SELECT {key}, {paragraph} FROM (SELECT {key}, {paragraph}, ROW_NUMBER() OVER "
        f"(PARTITION BY {key} ORDER BY {paragraph}) AS n FROM {table} WHERE {key} IN ({marks})) AS b "
        f"WHERE n <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, MAX_CANDIDATES])
        return cursor.fetchall()


def trace_committed(version_ids: Iterable[int], reflagged: Iterable[int] = ()) -> None:
    """Trace these versions after the publish that stored them committed (store.ingest).

    The publish logged these versions for the index already, and the index applies that
    after this: only other documents' versions whose flags change are logged here.
    """
    version_ids = set(version_ids)
    with transaction.atomic():
        trace(version_ids, reflagged, logged=version_ids)


def _band_table() -> tuple[str, str, str]:
    """The band table's name and its paragraph and key columns, quoted for raw SQL."""
    quote = connection.ops.quote_name
    return (
        quote(WordingBand._meta.db_table),
        quote(WordingBand._meta.get_field("paragraph").column),
        quote(WordingBand._meta.get_field("key").column),
    )


def _insert_bands(rows: Iterable[tuple[int, int]]) -> None:
    """Insert (paragraph, key) rows: 42 a paragraph, too many to build a model object each
    (the ORM's objects took 30 of 50 seconds for the corpus)."""
    table, paragraph, key = _band_table()
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({paragraph}, {key}) VALUES (%s, %s)", list(rows))


def _compare(candidates: set[tuple[int, int]]) -> list[SharedWording]:
    """Keep the candidate pairs of different documents whose wording is the same, nearly."""
    info = _compared({pid for pair in candidates for pid in pair})
    found = []
    for a, b in sorted(candidates):
        (doc_a, lang_a, words_a), (doc_b, lang_b, words_b) = info[a], info[b]
        if doc_a == doc_b or lang_a != lang_b:
            continue
        alike = same_wording(words_a, words_b)
        if alike is not None:
            found.append(SharedWording(first_id=a, second_id=b, similarity=alike))
    return found


def _compared(ids: set[int]) -> dict[int, tuple[int, str, list[str]]]:
    """Paragraph → what a comparison reads of it: its document, language and words."""
    info = {}
    for chunk in _chunks(list(ids)):
        rows = Paragraph.objects.filter(pk__in=chunk).values_list(
            "pk", "text", "version__language", "version__resolution_id"
        )
        for pk, text, language, resolution in rows:
            info[pk] = (resolution, language, words(text, language))
    return info


@dataclass(frozen=True)
class Dated:
    version: int
    adopted: bool  # a General Assembly (or Council) resolution, not a draft or a paper
    date: datetime.date | None


def paragraph_dates(ids: Iterable[int]) -> dict[int, Dated]:
    dated = {}
    for chunk in _chunks(list(ids)):
        rows = Paragraph.objects.filter(pk__in=chunk).values_list(
            "pk",
            "version_id",
            "version__resolution__doc_type",
            "version__resolution__adopted_on",
            "version__issued_on",
        )
        for pk, version, doc_type, adopted_on, issued_on in rows:
            dated[pk] = Dated(version, doc_type == RESOLUTION, adopted_on or issued_on)
    return dated


def earlier(first: Dated, second: Dated) -> bool:
    """Whether the first was dated before the second (a document without a date is last)."""
    return first.date is not None and (second.date is None or first.date < second.date)


def precedes(source: Dated, paragraph: Dated) -> bool:
    """Whether wording that `source` shares is not new in `paragraph`: source is an adopted
    resolution dated before it."""
    return source.adopted and earlier(source, paragraph)


def _flag_new_wording(ids: set[int]) -> set[int]:
    """Set new_wording of these paragraphs; return the versions whose flags changed."""
    ids_list = list(ids)
    partners = SharedWording.objects.partners(ids_list)
    dated = paragraph_dates(ids | {q for qs in partners.values() for q in qs})
    now = {
        pk: not any(precedes(dated[q], dated[pk]) for q in partners.get(pk, ()))
        for pk in ids_list
        if pk in dated
    }
    stored = _stored_flags(ids_list)
    changed = {pk: flag for pk, flag in now.items() if stored.get(pk) != flag}
    _save_flags(changed)
    return {dated[pk].version for pk in changed}


def _set_families(ids: list[int]) -> set[int]:
    """Give these paragraphs their wording family (Paragraph.wording_key); return the
    versions whose families changed.

    A paragraph joins the family of its oldest partner stored before it (the lowest
    family among them; a paragraph with no family set is its own, `Paragraph.family`), so
    no other paragraph's family changes: a publish re-indexes its own versions only.
    """
    partners = SharedWording.objects.partners(ids)
    stored = _stored_keys({q for qs in partners.values() for q in qs} | set(ids))
    keys = family_keys(sorted(ids), partners, stored)
    changed = {pk: key for pk, key in keys.items() if stored.get(pk) != key}
    for key in set(changed.values()):
        for chunk in _chunks([pk for pk, its in changed.items() if its == key]):
            Paragraph.objects.filter(pk__in=chunk).update(wording_key=key)
    return set(_versions_of(list(changed)))


def family_keys(ids: list[int], partners: dict[int, set[int]], stored: dict[int, int | None]) -> dict:
    """Each paragraph of `ids` (in ascending order) → its family: the lowest family among
    its partners before it (`stored`, or given here to one of `ids` before it; a
    paragraph with none is its own), or None (its own) when it has none before it."""
    keys: dict[int, int | None] = {}
    for pk in ids:
        before = [keys.get(q) or stored.get(q) or q for q in partners.get(pk, ()) if q < pk]
        keys[pk] = min(before) if before else None
    return keys


def _stored_keys(ids: set[int]) -> dict[int, int | None]:
    stored = {}
    for chunk in _chunks(list(ids)):
        stored.update(Paragraph.objects.filter(pk__in=chunk).values_list("pk", "wording_key"))
    return stored


def _versions_of(ids: list[int]) -> Iterator[int]:
    for chunk in _chunks(ids):
        yield from (
            Paragraph.objects.filter(pk__in=chunk).order_by().values_list("version_id", flat=True).distinct()
        )


def _stored_flags(ids: list[int]) -> dict[int, bool]:
    stored = {}
    for chunk in _chunks(ids):
        stored.update(Paragraph.objects.filter(pk__in=chunk).values_list("pk", "new_wording"))
    return stored


def _save_flags(flags: dict[int, bool]) -> None:
    """Set new_wording of paragraphs: paragraph → its flag."""
    for flag in (True, False):
        for chunk in _chunks([pk for pk, its in flags.items() if its is flag]):
            Paragraph.objects.filter(pk__in=chunk).update(new_wording=flag)


def traced_versions(resolution: Resolution) -> set[int]:
    """The language versions a publish of this work stores: its own and its drafts'."""
    return set(
        Text.objects.filter(Q(resolution=resolution) | Q(resolution__contained_in=resolution)).values_list(
            "pk", flat=True
        )
    )


def trace_mandates(paragraph_ids: Iterable[int]) -> set[int]:
    """Set where the mandates of these paragraphs, and of the paragraphs sharing their
    wording, were first given: the earliest paragraph of an adopted resolution dated before
    each, with the same wording, that asked the same (action, addressee, deliverable), and
    in how many adopted resolutions before it. Return the versions whose history changed."""
    ids = set(paragraph_ids)
    ids |= {q for qs in SharedWording.objects.partners(ids).values() for q in qs}
    asking = Mandate.objects.values_list("paragraph_id", flat=True)
    ids = {p for chunk in _chunks(list(ids)) for p in asking.filter(paragraph_id__in=chunk)}
    partners = SharedWording.objects.partners(ids)
    related = ids | {q for p in ids for q in partners.get(p, ())}
    # The mandates of all of them, read once: what each asked, and the rows to set.
    fields = ("pk", "paragraph_id", "action", "addressee", "deliverable", "first_given_id", "given_before")
    rows = [
        m
        for chunk in _chunks(list(related))
        for m in Mandate.objects.filter(paragraph_id__in=chunk).only(*fields)
    ]
    asked: dict[int, set[tuple]] = {}
    for m in rows:
        asked.setdefault(m.paragraph_id, set()).add((m.action, m.addressee, m.deliverable))
    dated = paragraph_dates(set(asked))
    titles = _titles(set(asked))
    changed, updates = set(), []
    for mandate in rows:
        me = dated.get(mandate.paragraph_id)
        if mandate.paragraph_id not in ids or me is None:
            continue
        earlier = _given_earlier(mandate, me, partners, dated, asked, titles)
        first = earlier[0][1] if earlier else None
        count = len({dated[q].version for _, q in earlier})
        if (mandate.first_given_id, mandate.given_before) != (first, count):
            mandate.first_given_id, mandate.given_before = first, count
            updates.append(mandate)
            changed.add(me.version)
    Mandate.objects.bulk_update(updates, ["first_given", "given_before"], batch_size=2000)
    return changed


def _given_earlier(mandate, me: Dated, partners, dated, asked, titles) -> list[tuple]:
    """(date, paragraph) of the earlier adopted paragraphs on the same subject, of the same
    wording, that asked what this mandate asks, earliest first."""
    what = (mandate.action, mandate.addressee, mandate.deliverable)
    subject = titles.get(mandate.paragraph_id, "")
    return sorted(
        (dated[q].date, q)
        for q in partners.get(mandate.paragraph_id, ())
        if q in dated
        and precedes(dated[q], me)
        and what in asked.get(q, ())
        and same_subject(titles.get(q, ""), subject)
    )


def _titles(ids: set[int]) -> dict[int, str]:
    titles = {}
    for chunk in _chunks(list(ids)):
        titles |= dict(Paragraph.objects.filter(pk__in=chunk).values_list("pk", "version__title"))
    return titles


TITLE_WORDS = re.compile(r"[a-z]+|[\u3400-\u9fff]")
SAME_SUBJECT = 0.5  # the share of their titles' words two resolutions on one subject have


def same_subject(first: str, second: str) -> bool:
    """Do two texts have one subject: their titles' words (Chinese: characters) overlap by
    a Jaccard similarity of SAME_SUBJECT at least? "Requests the Secretary-General to
    submit … a report" shares its wording with every resolution that asks for one; a
    mandate is renewed only by a text on the same subject."""
    a, b = set(TITLE_WORDS.findall(first.lower())), set(TITLE_WORDS.findall(second.lower()))
    return bool(a and b) and len(a & b) / len(a | b) >= SAME_SUBJECT
