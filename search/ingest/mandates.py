"""Mandates, stored with the text they are read from: what each operative paragraph asks,
of whom, by when (search.parsing.read_mandates), read when a text is published
(search.ingest.store), and again for every stored text by `manage.py read_mandates`
(`make run` runs it: a database filled before mandates were read, or by an older reader,
is brought up to date). Writes only what differs.

Where a mandate was first given is derived from shared wording (search.ingest.
agreed_language.trace_mandates): the earliest adopted resolution, dated before it, whose
paragraph with the same wording asked the same thing of the same addressee.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from search.engine.index import record_changes
from search.engine.state_names import state_keys
from search.ingest.agreed_language import trace_mandates
from search.models import MANDATE_FIELDS, Mandate, Paragraph, Text
from search.parsing import GENERAL_ASSEMBLY_KEY, OPERATIVE, MandateContext, read_mandates


def context_of(body: str, session: str, year: int | None = None) -> MandateContext:
    """What the reader needs of a document: the body adopting it ("ECOSOC" → the
    Economic and Social Council), its session's number ("80"; an ECOSOC year) and year."""
    number = int(session) if session.isdigit() else None
    if body == "ECOSOC":
        return MandateContext("economic-and-social-council", None, year or number, state_keys())
    if year is None and number and number < 1946:
        year = 1945 + number  # the General Assembly's session n opens in September of 1945 + n
    return MandateContext(
        GENERAL_ASSEMBLY_KEY, number if number and number < 1946 else None, year, state_keys()
    )


def resolution_context(resolution) -> MandateContext:
    return context_of(resolution.body or "GA", resolution.session_number(), resolution.year())


def mandate_rows(text: Text, paragraphs: Iterable[Paragraph]) -> list[Mandate]:
    """The mandates of a version's operative paragraphs (in order; a sub-paragraph read
    with its chapeau, the paragraph of level 0 before it)."""
    context = resolution_context(text.resolution)
    rows, chapeau = [], ""
    for paragraph in paragraphs:
        if paragraph.level == 0:
            chapeau = paragraph.text
        if paragraph.kind != OPERATIVE:
            continue
        found = read_mandates(paragraph.text, text.language, context, chapeau if paragraph.level else "")
        rows += [_row(paragraph, order, m) for order, m in enumerate(found, 1)]
    return rows


def _row(paragraph: Paragraph, order: int, mandate) -> Mandate:
    due = mandate.due
    return Mandate(
        paragraph=paragraph,
        order=order,
        action=mandate.action,
        strength=mandate.strength,
        addressee=mandate.addressee[:200],
        addressee_name=mandate.addressee_name[:300],
        deliverable=mandate.deliverable,
        due_body=due.body if due.session is not None else "",
        due_session=due.session,
        due_year=due.year,
        due_period=due.period,
        due=due.term,
        start=mandate.start,
        end=mandate.end,
    )


def save_mandates(text: Text) -> bool:
    """Replace a version's mandates when they differ from what its paragraphs ask; say
    whether they did."""
    paragraphs = list(text.paragraphs.order_by("order"))
    wanted = mandate_rows(text, paragraphs)
    rows = [(m.paragraph.pk, *(getattr(m, f) for f in MANDATE_FIELDS)) for m in wanted]
    stored = Mandate.objects.filter(paragraph__version=text).order_by("paragraph__order", "order")
    if rows == list(stored.values_list("paragraph_id", *MANDATE_FIELDS)):
        return False
    stored.delete()
    Mandate.objects.bulk_create(wanted, batch_size=2000)
    return True


@dataclass
class Summary:
    versions: int = 0
    paragraphs: int = 0  # operative paragraphs read
    mandates: int = 0
    changed: int = 0  # versions whose mandates were written


@transaction.atomic
def read_stored_mandates(store: bool = True) -> Summary:
    """Read again the mandates of every stored version; write (when `store`) those that
    changed, log them for the index and trace where they were first given."""
    summary = Summary()
    changed = []
    in_order = Paragraph.objects.order_by("order").only("pk", "version_id", "text", "kind", "level")
    texts = Text.objects.select_related("resolution__became").prefetch_related(
        Prefetch("paragraphs", queryset=in_order)
    )
    for text in texts.iterator(chunk_size=200):
        paragraphs = list(text.paragraphs.all())
        summary.versions += 1
        summary.paragraphs += sum(p.kind == OPERATIVE for p in paragraphs)
        if not store:
            summary.mandates += len(mandate_rows(text, paragraphs))
        elif save_mandates(text):
            changed.append(text.pk)
    if store:
        summary.mandates = Mandate.objects.count()
        summary.changed = len(changed)
        traced = Paragraph.objects.filter(version_id__in=changed).values_list("pk", flat=True)
        record_changes(set(changed) | trace_mandates(traced))
    return summary
