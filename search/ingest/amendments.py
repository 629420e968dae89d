"""What an amendment does, stored with it: the operations of each language version, read
from its paragraphs (search.parsing.read_amendment) when it is published
(search.ingest.store), and again for every stored version by `manage.py read_amendments`
(`make run` runs it: a database filled before operations were read, or read by an older
reader, is brought up to date). Writes only what differs.

The draft an amendment targets is found by its symbol (`Resolution.amends`) when a page
is shown, never stored here: the draft may arrive before the amendment or after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q

from search.engine.index import record_changes
from search.models import OPERATION_FIELDS, AmendmentOperation, Paragraph, Text
from search.parsing import AMENDMENT, UNREAD, Operation, read_amendment


def operation_rows(text: Text, paragraphs: list[str]) -> list[AmendmentOperation]:
    """The rows of the operations these paragraphs of an amendment make."""
    return [_row(text, order, operation) for order, operation in enumerate(read_amendment(paragraphs), 1)]


def _row(text: Text, order: int, operation: Operation) -> AmendmentOperation:
    values = {name: getattr(operation, name) for name in OPERATION_FIELDS if name != "targets"}
    return AmendmentOperation(version=text, order=order, targets=operation.keys, **values)


def save_operations(text: Text, paragraphs: list[str] | None, created: bool = False) -> bool:
    """Replace a version's operations when they differ from those its paragraphs make
    (None: it is no amendment, and has none); say whether they did."""
    wanted = operation_rows(text, paragraphs) if paragraphs is not None else []
    if created and not wanted:
        return False  # a version just created has none stored
    rows = [tuple(getattr(row, name) for name in OPERATION_FIELDS) for row in wanted]
    if rows == list(text.operations.order_by("order").values_list(*OPERATION_FIELDS)):
        return False
    text.operations.all().delete()
    AmendmentOperation.objects.bulk_create(wanted)
    return True


@dataclass
class Summary:
    versions: int = 0  # language versions of amendments
    operations: int = 0
    unread: int = 0
    changed: int = 0  # versions whose operations were written


@transaction.atomic
def read_stored_amendments() -> Summary:
    """Read again the operations of every stored amendment (and drop those of a version
    that is no amendment any more); log the versions that changed for the index and the
    pages kept in the cache."""
    summary = Summary()
    changed = []
    in_order = Paragraph.objects.order_by("order").only("version_id", "text")
    paragraphs = Prefetch("paragraphs", queryset=in_order)
    texts = (
        Text.objects.filter(Q(resolution__doc_type=AMENDMENT) | Q(operations__isnull=False))
        .distinct()
        .select_related("resolution")
        .prefetch_related(paragraphs)
    )
    for text in texts:
        amendment = text.resolution.doc_type == AMENDMENT
        if save_operations(text, [p.text for p in text.paragraphs.all()] if amendment else None):
            changed.append(text.pk)
        summary.versions += amendment
    counted = AmendmentOperation.objects.filter(version__resolution__doc_type=AMENDMENT)
    summary.operations, summary.unread = counted.count(), counted.filter(kind=UNREAD).count()
    summary.changed = len(changed)
    record_changes(changed)
    return summary
