import time
from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction

from search.ingest import agreed_language, matching
from search.models import Citation, Paragraph, SharedWording, Text, WordingBand

BATCH = 20  # language versions a transaction: a few thousand paragraphs at most


class Command(BaseCommand):
    """Find, for every paragraph, the paragraphs of other documents with the same or nearly
    the same wording, and where it cites documents; then match drafts to resolutions.

    A publish does this for the paragraphs it stores; this command does it for the whole
    corpus (after a change of method, or for rows stored before there was one). With
    --if-needed only the language versions of paragraphs never traced are, which is what
    `make run` does (a publish stores its citations itself, and migration 0009 found
    those of the rows stored before).
    """

    help = "Trace shared wording and citations of every paragraph (--if-needed: only those never traced)."

    def add_arguments(self, parser):
        parser.add_argument("--if-needed", action="store_true", help="only paragraphs never traced")

    def handle(self, *args, if_needed=False, **options):
        started = time.perf_counter()
        if if_needed:
            versions = Paragraph.objects.filter(new_wording=None).values_list("version_id", flat=True)
        else:
            with transaction.atomic():
                for model in (WordingBand, SharedWording, Citation):
                    model.objects.all().delete()
            versions = Text.objects.values_list("pk", flat=True)
        versions = sorted(set(versions))
        totals: Counter = Counter()
        citing = 0.0
        for start in range(0, len(versions), BATCH):
            batch = versions[start : start + BATCH]
            with transaction.atomic():
                began = time.perf_counter()
                totals["citations"] += agreed_language.cite(batch)
                citing += time.perf_counter() - began
                totals.update(agreed_language.trace(batch))
        elapsed = time.perf_counter() - started
        # The shared wording is what drafts are matched to resolutions by.
        links = matching.match_drafts()
        self.stdout.write(
            f"traced {totals['paragraphs']} paragraphs of {len(versions)} language versions "
            f"in {elapsed:.1f} s: {SharedWording.objects.count()} pairs with shared wording, "
            f"{totals['citations']} citations found in {citing:.2f} s ({Citation.objects.count()} stored)"
        )
        self.stdout.write(f"drafts linked by content, or their link changed: {len(links)}")
