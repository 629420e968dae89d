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

        for result in results:
            if result.error:
                self.stderr.write(f"{result.file}: FAILED: {result.error}")
                continue
            self.stdout.write(
                f"{result.file}: {result.status} {result.key} [{result.language}] "
                f"{result.paragraphs} paragraphs, {result.footnotes} footnotes"
                + (f", {result.contained} contained resolutions" if result.contained else "")
            )

        failed = [result.file for result in results if result.error]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} documents failed: {', '.join(failed)}")
