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

    def handle(self, *args, path, language, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        data = file.read_bytes()
        try:
            upload = uploads.stage(data, file.name, language)
        except ParseError as error:
            raise CommandError(f"{file.name}: {error}") from None
        try:
            review = uploads.review(upload, key=options["key"] or options["symbol"] or None)
            values = dict(review.initial)
            if options["symbol"]:
                values["symbol"] = options["symbol"]
            for name in ("version_of", "became", "contained_in"):
                values[name] = _resolution(options[name])
            values["annex_adopted_as"] = None
            for warning in review.warnings:
                self.stdout.write(f"warning: {warning}")
            text = uploads.publish(upload, values, replace=options["replace"])
        except (ParseError, uploads.NeedsReplace) as error:
            uploads.cancel(upload)
            raise CommandError(f"{file.name}: {error}") from None
        except BaseException:
            uploads.cancel(upload)
            raise
        upload.refresh_from_db()
        self.stdout.write(
            f"{file.name}: published as {text.resolution.key} [{text.language}]: "
            f"{uploads.describe_changes(upload.changes)}"
        )


def _resolution(key):
    if not key:
        return None
    found = Resolution.objects.filter(key=key).first()
    if found is None:
        raise CommandError(f"no resolution with key {key}")
    return found
