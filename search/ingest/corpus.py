"""Read the corpus manifest: one entry per file, describing the work it holds."""

from __future__ import annotations

import tomllib
from pathlib import Path

from search.parsing import DOC_TYPES, LANGUAGES

MANIFEST_NAME = "manifest.toml"
REQUIRED = ("file", "language", "key")
# Keyword arguments of search.ingest.ingest that a manifest entry may give.
OPTIONAL = (
    "symbol",
    "doc_type",
    "body",
    "session",
    "agenda_item",
    "adopted_on",
    "became",
    "annex_adopted_as",
)
# Entries sharing a key describe one work, so these must agree between them.
SHARED = ("symbol", "doc_type", "body", "session", "agenda_item", "adopted_on", "became", "annex_adopted_as")


class ManifestError(ValueError):
    pass


def read_manifest(corpus_dir: Path) -> list[dict]:
    """Return the manifest's entries, checked, in file order."""
    path = Path(corpus_dir) / MANIFEST_NAME
    try:
        with path.open("rb") as f:
            entries = tomllib.load(f).get("document", [])
    except FileNotFoundError:
        raise ManifestError(f"{path}: no manifest") from None
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(f"{path}: {e}") from None

    by_key: dict[str, dict] = {}
    for number, entry in enumerate(entries, 1):
        where = f"{path.name}, document {number}"
        missing = [name for name in REQUIRED if not entry.get(name)]
        if missing:
            raise ManifestError(f"{where}: missing {', '.join(missing)}")
        unknown = set(entry) - set(REQUIRED) - set(OPTIONAL)
        if unknown:
            raise ManifestError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
        if entry["language"] not in LANGUAGES:
            raise ManifestError(f"{where}: language must be one of {', '.join(LANGUAGES)}")
        if entry.get("doc_type", DOC_TYPES[0]) not in DOC_TYPES:
            raise ManifestError(f"{where}: doc_type must be one of {', '.join(DOC_TYPES)}")
        first = by_key.setdefault(entry["key"], entry)
        for name in SHARED:
            if first.get(name) != entry.get(name):
                raise ManifestError(f"{where}: {name} differs from {first['file']}, which has the same key")
    return entries
