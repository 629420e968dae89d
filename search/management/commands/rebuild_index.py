from django.core.management.base import BaseCommand

from search.engine.index import rebuild_index


class Command(BaseCommand):
    """Rebuild the search index from the database into a new folder and swap it in.

    Searches keep reading the old index until the new one is complete. A loading or
    another rebuild running at the same time waits for this one.
    """

    help = "Rebuild the full-text index from the database."

    def handle(self, **options):
        count = rebuild_index()
        self.stdout.write(f"indexed {count} paragraphs")
