"""Compile every search/locale/*/LC_MESSAGES/*.po to .mo with polib, without GNU gettext."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_translations(locale_dirs=None) -> list[Path]:
    """Write the .mo next to each .po that is newer than it; return the files written."""
    written = []
    for locale_dir in locale_dirs or settings.LOCALE_PATHS:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the interface translations (.po) to .mo files with polib."

    def handle(self, *args, **options):
        for mo_path in compile_translations():
            self.stdout.write(f"compiled {mo_path}")
