import time

from django.core.management.base import BaseCommand

from search.engine.index import FOLLOW_EVERY, apply_changes, index_status


class Command(BaseCommand):
    """Apply the change log to this machine's index: once, or for as long as it runs.

    Serving processes do this themselves once a second; the command is for a node
    that only indexes, for cron, and for an operator who wants to see the lag.
    """

    help = "Bring the search index up to the database's change log."

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="keep applying, once a second")

    def handle(self, follow=False, **options):
        while True:
            applied = apply_changes()
            status = index_status()
            if applied or not follow:
                self.stdout.write(
                    f"re-indexed {applied} language versions; change log at {status['latest']}, "
                    f"index at {status['applied']}, {status['lag']} changes behind"
                )
            if not follow:
                return
            time.sleep(FOLLOW_EVERY)
