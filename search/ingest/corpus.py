"""Load the corpus: the manifest names each file and the work it holds; each file
is read, decoded, parsed and stored by `ingest` in a transaction of its own."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from search.ingest.details import IN_MANIFEST, VERSION_FACTS
from search.ingest.store import ingest
from search.parsing import DOC_TYPES, LANGUAGES, decode, parse_document

MANIFEST_NAME = "manifest.toml"
REQUIRED = ("file", "language", "key")
# Entries sharing a key describe one work, so what they say of the work must agree.
SHARED = tuple(name for name in IN_MANIFEST if name not in VERSION_FACTS)


class ManifestError(ValueError):
    pass


def read_manifest(corpus_dir: Path) -> list[dict]:
    """Return the manifest's entries, checked, in file order."""
    path = Path(corpus_dir) / MANIFEST_NAME
    entries = _read_toml(path)
    by_key: dict[str, dict] = {}
    for number, entry in enumerate(entries, 1):
        where = f"{path.name}, document {number}"
        _check_entry(where, entry)
        _check_agrees(where, entry, by_key.setdefault(entry["key"], entry))
    return entries


def _read_toml(path: Path) -> list[dict]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f).get("document", [])
    except FileNotFoundError:
        raise ManifestError(f"{path}: no manifest") from None
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(f"{path}: {e}") from None


def _check_entry(where: str, entry: dict) -> None:
    """Refuse an entry that lacks a required field, has one unknown, or a value out of range."""
    missing = [name for name in REQUIRED if not entry.get(name)]
    if missing:
        raise ManifestError(f"{where}: missing {', '.join(missing)}")
    unknown = set(entry) - set(REQUIRED) - set(IN_MANIFEST)
    if unknown:
        raise ManifestError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    if entry["language"] not in LANGUAGES:
        raise ManifestError(f"{where}: language must be one of {', '.join(LANGUAGES)}")
    if entry.get("doc_type", DOC_TYPES[0]) not in DOC_TYPES:
        raise ManifestError(f"{where}: doc_type must be one of {', '.join(DOC_TYPES)}")


def _check_agrees(where: str, entry: dict, first: dict) -> None:
    """Refuse an entry that says of its work other than the first entry of its key."""
    for name in SHARED:
        if first.get(name) != entry.get(name):
            raise ManifestError(f"{where}: {name} differs from {first['file']}, which has the same key")


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
        text = _store(corpus_dir, entry)
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


def _store(corpus_dir: Path, entry: dict):
    """Read, parse and store the file of one entry, with what the entry says of it."""
    data = (corpus_dir / entry["file"]).read_bytes()
    parsed = parse_document(decode(data), entry["language"])
    given = {name: entry[name] for name in IN_MANIFEST if name in entry}
    name = Path(entry["file"]).name
    return ingest(parsed, data, name, key=entry["key"], language=entry["language"], **given)
