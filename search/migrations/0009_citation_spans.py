"""A citation is a span of its paragraph's text: one row per occurrence, with its offsets.

The rows stored before (one per paragraph and symbol, without offsets) are found again
from the paragraphs' text by the same pure function a publish uses, so an existing
database comes out as a fresh load would. It runs last: PostgreSQL does not alter a
table that has rows inserted in the same transaction.
"""

from django.db import migrations, models
from django.db.models import Min

from search.parsing import find_citations

BATCH = 2000


def drop_citations(apps, schema_editor):
    apps.get_model("search", "Citation").objects.all().delete()


def find_all_citations(apps, schema_editor):
    Paragraph = apps.get_model("search", "Paragraph")
    Citation = apps.get_model("search", "Citation")
    longest = Citation._meta.get_field("symbol").max_length
    rows = []
    for pk, text in Paragraph.objects.order_by("pk").values_list("pk", "text").iterator(chunk_size=BATCH):
        rows += [
            Citation(paragraph_id=pk, symbol=c.symbol, start=c.start, end=c.end)
            for c in find_citations(text)
            if len(c.symbol) <= longest
        ]
        if len(rows) >= BATCH:
            Citation.objects.bulk_create(rows)
            rows = []
    Citation.objects.bulk_create(rows)


def one_per_symbol(apps, schema_editor):
    """Back to one row per paragraph and symbol, as 0008 has them."""
    Citation = apps.get_model("search", "Citation")
    first = Citation.objects.values("paragraph", "symbol").annotate(first=Min("pk")).values("first")
    Citation.objects.exclude(pk__in=first).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_agreed_language"),
    ]

    operations = [
        migrations.RunPython(drop_citations, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="citation",
            name="unique_citation",
        ),
        migrations.AddField(
            model_name="citation",
            name="start",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="citation",
            name="end",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="citation",
            constraint=models.UniqueConstraint(fields=("paragraph", "start"), name="unique_citation_span"),
        ),
        migrations.RunPython(find_all_citations, one_per_symbol),
    ]
