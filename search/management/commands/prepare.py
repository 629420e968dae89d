import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from search.engine.index import applying_deferred


class Command(BaseCommand):
    """What `make run` and `make serve` do before serving, in one process.

    Translations compiled, the database migrated, the corpus loaded (the texts of its
    manifest, its official PDFs, what each amendment does, the session's proceedings),
    shared wording traced where a publish did not, what each paragraph asks read again,
    and the index made to match. Each step is its own command and does nothing where
    nothing changed, so a second start is quick; in one process the start-up of Django
    and of the search code is paid once.
    The steps leave the index's change log to the last one, which rebuilds the index on
    every core when most of it changed (a fresh install) instead of re-indexing the same
    versions after each step.

    A document that fails to load is reported and the others load: the server still
    starts with them. Any other failure stops here.
    """

    help = "Migrate, load the corpus, its PDFs and proceedings, and make the index match (make run)."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=settings.CORPUS_DIR)

    def handle(self, *args, corpus: Path, verbosity: int, **options):
        started = time.monotonic()
        self._step("compile_translations", verbosity=verbosity)
        self._step("migrate", verbosity=verbosity)
        with applying_deferred():
            self._step("load_corpus", corpus=corpus, verbosity=verbosity, tolerate=True)
            self._step("import_documents", str(corpus / "ods"), verbosity=verbosity, tolerate=True)
            self._step("read_amendments", verbosity=verbosity)
            self._step("import_proceedings", str(corpus / "proceedings"), verbosity=verbosity)
            self._step("trace_wording", if_needed=True, verbosity=verbosity)
            self._step("read_mandates", verbosity=verbosity)
        self._step("rebuild_index", if_needed=True, verbosity=verbosity)
        self.stdout.write(f"prepared in {time.monotonic() - started:.1f} s")

    def _step(self, name: str, *args, tolerate: bool = False, **options) -> None:
        """Run one command, timed; a step that tolerates failure says so and the rest go on."""
        began = time.monotonic()
        self.stdout.write(self.style.MIGRATE_HEADING(f"{name}:"))
        try:
            call_command(name, *args, stdout=self.stdout._out, stderr=self.stderr._out, **options)
        except CommandError as error:
            if not tolerate:
                raise
            self.stderr.write(f"{name}: {error} (the server starts with the rest)")
        self.stdout.write(f"{name}: {time.monotonic() - began:.1f} s")
