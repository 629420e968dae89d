from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.ingest.corpus import ManifestError, load_corpus


class Command(BaseCommand):
    """Load every document of the corpus manifest, each in its own transaction.

    A document that cannot be read, parsed or stored is reported by file name and
    leaves the database as it was; the others still load. Loading twice changes nothing.
    """

    help = "Load the corpus described by corpus/manifest.toml into the database."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=settings.CORPUS_DIR)

    def handle(self, corpus, **options):
        try:
            results = load_corpus(corpus)
        except ManifestError as e:
            raise CommandError(str(e)) from None

        self._write(results)
        failed = [result.file for result in results if result.error]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} documents failed: {', '.join(failed)}")

    def _write(self, results) -> None:
        """Say what became of each document: a failure on stderr, else a line on stdout."""
        for result in results:
            if result.error:
                self.stderr.write(f"{result.file}: FAILED: {result.error}")
            else:
                self.stdout.write(_line(result))


def _line(result) -> str:
    return (
        f"{result.file}: {result.status} {result.key} [{result.language}] "
        f"{result.paragraphs} paragraphs, {result.footnotes} footnotes"
        + (f", {result.contained} contained resolutions" if result.contained else "")
    )
