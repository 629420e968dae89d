import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.ingest.proceedings import Report, import_proceedings
from search.parsing import ProceedingsError


class Command(BaseCommand):
    """Import a session's proceedings (stages, votes, separate votes, main sponsors) and
    agenda from JSON files or folders of them, in one transaction: a file that cannot be read
    changes nothing. A second import of the same files changes nothing either. Says what
    it could not link to a document here, and why, and every record it left out."""

    help = "Import proceedings (e-deleGATE JSON): a file or a folder of them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, paths, verbosity, **options):
        started = time.monotonic()
        try:
            report = import_proceedings([Path(p) for p in paths])
        except ProceedingsError as error:
            raise CommandError(f"nothing imported: {error}") from None
        self._summary(report, time.monotonic() - started, verbosity)

    def _summary(self, report: Report, seconds: float, verbosity: int) -> None:
        write = self.stdout.write
        write(
            f"{report.proposals} proposals, {report.stages} stages, {report.votes} votes"
            f" ({report.separate_votes} separate votes), {report.agenda_items} agenda items"
            f" in {seconds:.1f} s;"
            f" {len(report.files_written)} files written, {len(report.files_unchanged)} unchanged"
        )
        write(f"{report.linked} stages linked to a document here; not linked:")
        for reason, count in report.unlinked.most_common():
            write(f"  {count} {reason}")
        write(f"{len(report.unmatched_proposals)} proposals name no document here")
        write(f"drafts linked to the resolution they became, or their link changed: {report.drafts_linked}")
        if verbosity >= 2:
            write("symbols naming no document here: " + ", ".join(sorted(report.unmatched)))
            write("proposals naming no document here: " + ", ".join(report.unmatched_proposals))
        if report.problems:
            write(f"{len(report.problems)} records not shown as fact:")
            for problem in report.problems:
                write(f"  {problem}")
