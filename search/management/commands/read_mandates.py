import time

from django.core.management.base import BaseCommand

from search.ingest.mandates import read_stored_mandates


class Command(BaseCommand):
    """Read the mandates of every stored language version again, from its paragraphs.

    A publish reads those of the text it stores; this command reads all of them: `make
    run` runs it, so a database filled before mandates were read (or by an older reader)
    gets them, and where each was first given. Writes only what differs.
    """

    help = "Read what every stored operative paragraph asks, of whom, by when, writing only what differs."

    def handle(self, *args, **options):
        started = time.perf_counter()
        summary = read_stored_mandates()
        self.stdout.write(
            f"language versions: {summary.versions}; operative paragraphs: {summary.paragraphs}; "
            f"mandates: {summary.mandates}; versions written: {summary.changed} "
            f"in {time.perf_counter() - started:.1f} s"
        )
