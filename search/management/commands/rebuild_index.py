from django.core.management.base import BaseCommand

from search.engine.index import ensure_index, rebuild_index


class Command(BaseCommand):
    """Rebuild the search index from the database into a new folder and swap it in.

    Searches keep reading the old index until the new one is complete. A loading or
    another rebuild running at the same time waits for this one. With --if-needed, an
    index that matches the database (its schema, change log and paragraph count) is only
    brought up to the change log: what `make run` does, so a second start is quick.
    """

    help = "Rebuild the full-text index from the database (--if-needed: only when it does not match)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="keep an index that matches the database; apply the change log to it",
        )

    def handle(self, *args, if_needed=False, **options):
        if if_needed:
            done, count = ensure_index()
            what = {"rebuilt": "paragraphs indexed", "applied": "language versions re-indexed"}
            self.stdout.write(f"index {done}" + (f": {count} {what[done]}" if done in what else ""))
            return
        count = rebuild_index()
        self.stdout.write(f"indexed {count} paragraphs")
