"""Add one file from the command line, through the same code as the admin upload."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.ingest import uploads
from search.models import Resolution
from search.parsing import ParseError


class Command(BaseCommand):
    help = "Parse a file (.txt, .md, .docx, .pdf) and publish it as a resolution or language version."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--language", choices=["zh", "en"], required=True)
        parser.add_argument("--symbol", help="official symbol, only when known")
        parser.add_argument("--key", help="the work's key in links (default: the symbol)")
        parser.add_argument("--version-of", help="key of the resolution this file is a language version of")
        parser.add_argument("--became", help="key of the resolution this draft became")
        parser.add_argument("--contained-in", help="key of the report this draft stands in")
        parser.add_argument(
            "--replace", action="store_true", help="replace a stored version in this language"
        )
        parser.add_argument(
            "--language-mismatch-ok",
            action="store_true",
            help="publish in --language even though the text reads as the other language",
        )

    def handle(self, *args, path, language, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            upload = uploads.ingest_file(
                file.read_bytes(),
                file.name,
                language,
                key=options["key"],
                symbol=options["symbol"],
                version_of=options["version_of"],
                became=options["became"],
                contained_in=options["contained_in"],
                replace=options["replace"],
                language_ok=options["language_mismatch_ok"],
                warn=lambda warning: self.stdout.write(f"warning: {warning}"),
            )
        except uploads.LanguageMismatch as error:
            raise CommandError(f"{file.name}: {error} Pass --language-mismatch-ok to confirm it.") from None
        except (ParseError, uploads.NeedsReplace, uploads.InvalidDetails) as error:
            raise CommandError(f"{file.name}: {error}") from None
        except Resolution.DoesNotExist as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{file.name}: published as {upload.resolution.key} [{upload.language}]: "
            f"{uploads.describe_changes(upload.changes)}"
        )
