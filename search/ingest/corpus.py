"""Load the corpus: the manifest names each file and the work it holds; each file
is read, decoded, parsed and stored by `ingest` in a transaction of its own."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from search.ingest.store import ingest
from search.parsing import DOC_TYPES, LANGUAGES, decode, parse_document

MANIFEST_NAME = "manifest.toml"
REQUIRED = ("file", "language", "key")
# Keyword arguments of search.ingest.store.ingest that a manifest entry may give.
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


@dataclass
class Loaded:
    """What loading one manifest entry did, or why it failed (`error`)."""

    file: str
    error: str = ""
    status: str = ""  # "created", "updated" or "unchanged"
    key: str = ""
    language: str = ""
    paragraphs: int = 0
    footnotes: int = 0
    contained: int = 0  # draft resolutions inside a report


def load_corpus(corpus_dir: Path) -> list[Loaded]:
    """Load every document of the manifest, in manifest order, and say what each became.

    A file that cannot be read, decoded, parsed or stored leaves the database as it
    was and the others still load. A bad manifest raises ManifestError before any
    file is read.
    """
    corpus_dir = Path(corpus_dir)
    return [_load(corpus_dir, entry) for entry in read_manifest(corpus_dir)]


def _load(corpus_dir: Path, entry: dict) -> Loaded:
    name = entry["file"]
    try:
        data = (corpus_dir / name).read_bytes()
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
        return Loaded(name, error=f"cannot read file: {e.strerror or e}")
    except Exception as e:  # reported by name; the next file still loads
        return Loaded(name, error=str(e))
    return Loaded(
        name,
        status=text.ingest_status,
        key=text.resolution.key,
        language=text.language,
        paragraphs=text.paragraphs.count(),
        footnotes=text.footnotes.count(),
        contained=text.resolution.contained.count(),
    )
