import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.ingest import sandbox
from search.parsing import LANGUAGES, ParseError


class Command(BaseCommand):
    """Parse one file and print what the parser found; the database is not touched."""

    help = "Parse a resolution file (.txt, .md, .docx, .pdf) and print the result (JSON with --json)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--language", choices=LANGUAGES)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the whole parse as JSON"
        )

    def handle(self, path, language=None, as_json=False, **options):
        try:
            # The same reading as an upload: every format uploads accept, in a child under limits.
            parsed = sandbox.read(path.read_bytes(), path.name, language).parsed
        except OSError as e:
            raise CommandError(f"{path}: cannot read file: {e.strerror or e}") from None
        except ParseError as e:
            raise CommandError(f"{path}: {e}") from None

        if as_json:
            self.stdout.write(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{path}: {parsed.doc_type} [{parsed.language}] {parsed.symbol or '(no symbol)'}")
        self.stdout.write(f"  title: {parsed.title}")
        self.stdout.write(
            f"  {len(parsed.paragraphs)} paragraphs, {len(parsed.footnotes)} footnotes, "
            f"{len(parsed.resolutions)} contained resolutions"
        )
        for warning in parsed.warnings:
            self.stdout.write(f"  warning: {warning}")
