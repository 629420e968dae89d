"""Paragraph.wording_key: the wording family a search shows once (issue 20).

The families of the paragraphs stored before are found from their pairs as a publish
finds them (search.ingest.agreed_language.family_keys): in order of id, each paragraph
joins the lowest family among its partners stored before it.
"""

from collections import defaultdict

from django.db import migrations, models


def set_families(apps, schema_editor):
    SharedWording = apps.get_model("search", "SharedWording")
    Paragraph = apps.get_model("search", "Paragraph")
    before = defaultdict(list)
    paired = set()
    for first, second in SharedWording.objects.values_list("first_id", "second_id").iterator(chunk_size=5000):
        before[max(first, second)].append(min(first, second))
        paired.update((first, second))
    keys = {}
    for pk in sorted(paired):
        keys[pk] = min([pk, *(keys[q] for q in before.get(pk, ()))])
    by_key = defaultdict(list)
    for pk, key in keys.items():
        by_key[key].append(pk)
    for key, ids in by_key.items():
        for start in range(0, len(ids), 500):
            Paragraph.objects.filter(pk__in=ids[start : start + 500]).update(wording_key=key)


class Migration(migrations.Migration):
    dependencies = [("search", "0011_verbose_names")]

    operations = [
        migrations.AddField(
            model_name="paragraph",
            name="wording_key",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="wording family"),
        ),
        migrations.RunPython(set_families, migrations.RunPython.noop),
    ]
