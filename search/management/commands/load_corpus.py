from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.ingest.corpus import OPTIONAL, ManifestError, read_manifest
from search.ingest.store import ingest
from search.parsing import decode, parse_document


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
            entries = read_manifest(corpus)
        except ManifestError as e:
            raise CommandError(str(e)) from None

        failed = []
        for entry in entries:
            name = entry["file"]
            try:
                data = (corpus / name).read_bytes()
                parsed = parse_document(decode(data), entry["language"])
                text = ingest(
                    parsed,
                    data,
                    Path(name).name,
                    key=entry["key"],
                    language=entry["language"],
                    **{field: entry[field] for field in OPTIONAL if field in entry},
                )
            except OSError as e:
                failed.append(name)
                self.stderr.write(f"{name}: FAILED: cannot read file: {e.strerror or e}")
                continue
            except Exception as e:  # noqa: BLE001 - report and go on with the next file
                failed.append(name)
                self.stderr.write(f"{name}: FAILED: {e}")
                continue
            drafts = text.resolution.contained.count()
            self.stdout.write(
                f"{name}: {text.ingest_status} {text.resolution.key} [{text.language}] "
                f"{text.paragraphs.count()} paragraphs, {text.footnotes.count()} footnotes"
                + (f", {drafts} contained resolutions" if drafts else "")
            )

        if failed:
            raise CommandError(f"{len(failed)} of {len(entries)} documents failed: {', '.join(failed)}")
