import os
import resource
import time
from functools import partial

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.ingest import bulk, sandbox
from search.ingest.bulk import CREATED, REFUSED, UNCHANGED, UPDATED
from search.management.commands.parse_report import find_files
from search.parsing import LANGUAGES


class Command(BaseCommand):
    """Import files, folders and globs through the same code as the admin upload.

    Files are read on every core and published one at a time, each in its own
    transaction: a file that fails is refused and the others still import. Files
    stored already are not read again, so a second run changes nothing. Then drafts
    are linked to the resolutions they became.
    """

    help = "Import .pdf, .docx, .md and .txt files (files, folders searched recursively, globs)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--language", choices=LANGUAGES, help="the language of every file (default: read from each text)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="files read at once, each by a process of its own (default: one per core)",
        )

    def handle(self, *args, paths, language, jobs, verbosity, **options):
        if jobs < 1:
            raise CommandError("--jobs must be 1 or more")
        started = time.monotonic()
        files = find_files(paths)
        missing = _unmatched(paths)
        bar = self._progress_bar(len(files))
        try:
            result = bulk.import_files(files, language=language, jobs=jobs, done=partial(self._done, bar))
        finally:
            if bar is not None:
                bar.close()
        if verbosity >= 2:
            self._write_links(result.links)
        refused = self._summary(result, missing, started, verbosity)
        if refused:
            raise CommandError(f"{len(refused)} of {len(files) + len(missing)} files were refused")

    def _progress_bar(self, total: int):
        """A progress bar on a terminal, else None (a line a file is written instead)."""
        if not self.stdout.isatty():
            return None
        # The bar writes to the stream itself: Django's wrapper would end each redraw with a newline.
        return tqdm(total=total, unit="file", file=self.stdout._out)

    def _done(self, bar, outcome) -> None:
        """Say that a file is done: a line, or the bar moved on (and a line if it was refused)."""
        if bar is None:
            self.stdout.write(_line(outcome))
            return
        if outcome.status == REFUSED:
            bar.write(_line(outcome), file=self.stdout._out)
        bar.update()
        if bar.n == bar.total:
            bar.set_postfix_str("linking drafts, indexing")

    def _summary(self, result, missing: list[str], started: float, verbosity: int) -> list[tuple[str, str]]:
        """Write the counts, the refusals, the warnings and what reading cost; return the refusals."""
        by_status = _by_status(result.outcomes)
        imported = by_status[CREATED] + by_status[UPDATED]
        refused = _refusals(missing, by_status[REFUSED])
        self.stdout.write(_imported_line(by_status, started))
        self.stdout.write(f"unchanged: {len(by_status[UNCHANGED])}")
        self.stdout.write(f"refused: {len(refused)}")
        for name, reason in refused:
            self.stdout.write(f"  {name}: {reason}")
        self._write_warned([o for o in imported if o.warnings], verbosity)
        self.stdout.write(f"drafts linked to the resolution they became: {len(result.links)}")
        self.stdout.write(_reading_cost(result.outcomes))
        return refused

    def _write_links(self, links) -> None:
        for draft, resolution in links:
            self.stdout.write(f"linked: {draft.symbol} became {resolution.symbol}")

    def _write_warned(self, warned: list, verbosity: int) -> None:
        """Count the files imported with warnings; list them and their warnings at -v 2."""
        if verbosity < 2:
            hint = " (-v 2 lists them)" if warned else ""
            self.stdout.write(f"imported with warnings: {len(warned)}{hint}")
            return
        self.stdout.write(f"imported with warnings: {len(warned)}")
        for outcome in warned:
            self.stdout.write(f"  {outcome.path}:")
            for warning in outcome.warnings:
                self.stdout.write(f"    {warning}")


def _unmatched(paths: list[str]) -> list[str]:
    """The paths given that match no file."""
    return [name for name in paths if not find_files([name])]


def _by_status(outcomes) -> dict[str, list]:
    return {status: [o for o in outcomes if o.status == status] for status in bulk.STATUSES}


def _refusals(missing: list[str], refused) -> list[tuple[str, str]]:
    """What was refused, by name, and why: paths that match no file, and files refused."""
    return [(name, "no file matches this path") for name in missing] + [
        (str(o.path), o.reason) for o in refused
    ]


def _imported_line(by_status: dict, started: float) -> str:
    imported = by_status[CREATED] + by_status[UPDATED]
    return (
        f"imported: {len(imported)} ({len(by_status[CREATED])} created, "
        f"{len(by_status[UPDATED])} updated), "
        f"{sum(o.paragraphs for o in imported)} paragraphs, in {time.monotonic() - started:.1f} s"
    )


def _reading_cost(outcomes) -> str:
    """Say the memory this process took at most, and the most reading one file took."""
    # Linux counts ru_maxrss in kilobytes.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    costs = [o.reading for o in outcomes if o.reading]
    return (
        f"peak memory: {own} MB this process; reading a file: at most "
        f"{max((cpu for cpu, _ in costs), default=0):.1f} s of processor time and "
        f"{max((mb for _, mb in costs), default=0):,.0f} MB of address space "
        f"(the limits: {sandbox.CPU_SECONDS} s, {sandbox.MEMORY_MB:,} MB)"
    )


def _line(outcome) -> str:
    if outcome.status == REFUSED:
        return f"{outcome.path}: refused: {outcome.reason}"
    if outcome.status == UNCHANGED:
        return f"{outcome.path}: unchanged ({outcome.reason})"
    warnings = f", {len(outcome.warnings)} warnings" if outcome.warnings else ""
    return (
        f"{outcome.path}: {outcome.status} {outcome.key} [{outcome.language}], "
        f"{outcome.paragraphs} paragraphs{warnings}"
    )
