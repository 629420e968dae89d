from django.core.management.base import BaseCommand

from search.ingest.amendments import read_stored_amendments


class Command(BaseCommand):
    """Read the operations of every stored amendment again, from its stored paragraphs.

    A publish reads those of the amendment it stores; this command reads all of them:
    `make run` runs it, so a database filled before operations were read (or by an older
    reader) gets them. Writes only what differs; quick when nothing does.
    """

    help = "Read what every stored amendment does (its operations), writing only what differs."

    def handle(self, *args, **options):
        summary = read_stored_amendments()
        read = summary.operations - summary.unread
        self.stdout.write(
            f"language versions of amendments: {summary.versions}; operations: {summary.operations} "
            f"({read} read, {summary.unread} not read); versions written: {summary.changed}"
        )
