"""A document's details in one place: what each is a fact of, and who may give it.

The parser finds a document's facts in its text (the ParsedDocument attribute of the
same name); a publisher may give them instead: an entry of the corpus manifest, or staff
in the upload review. Storing (`store.ingest`), the review (`uploads.review`, the
`ReviewForm`) and the manifest's checks (`corpus.read_manifest`) read their lists here.
"""

from __future__ import annotations

from dataclasses import dataclass

WORK = "work"  # a fact of the work (Resolution), one for all its language versions
VERSION = "version"  # a fact of one language version (Text)
LINK = "link"  # another work, named by its key (a relation of the Resolution)


@dataclass(frozen=True)
class Detail:
    name: str
    of: str  # WORK, VERSION or LINK
    manifest: bool = False  # a manifest entry may give it
    review: bool = False  # the upload review shows it, for staff to change


DETAILS = (
    Detail("symbol", WORK, manifest=True, review=True),
    Detail("doc_type", WORK, manifest=True, review=True),
    Detail("body", WORK, manifest=True, review=True),
    Detail("session", WORK, manifest=True, review=True),
    Detail("agenda_item", WORK, manifest=True, review=True),
    Detail("adopted_on", WORK, manifest=True, review=True),
    Detail("committee", WORK),
    Detail("committee_report", WORK),
    Detail("amends", WORK),
    Detail("title", VERSION, review=True),
    Detail("meeting", VERSION),
    Detail("sponsors", VERSION),
    Detail("distribution", VERSION),
    Detail("issued_on", VERSION),
    Detail("agenda_item_title", VERSION),
    Detail("warnings", VERSION),
    Detail("references", VERSION),
    Detail("became", LINK, manifest=True, review=True),
    Detail("contained_in", LINK, review=True),
    Detail("annex_adopted_as", LINK, manifest=True, review=True),
)

# What the parser finds, stored on the work and on the language version.
WORK_FACTS = tuple(d.name for d in DETAILS if d.of == WORK)
VERSION_FACTS = tuple(d.name for d in DETAILS if d.of == VERSION)
LINKS = tuple(d.name for d in DETAILS if d.of == LINK)
# What a publisher may give in place of the parser: the work's facts, its links, and
# what the review or a manifest shows (the title).
GIVEN = tuple(d.name for d in DETAILS if d.of != VERSION or d.review or d.manifest)
IN_MANIFEST = tuple(d.name for d in DETAILS if d.manifest)
IN_REVIEW = tuple(d.name for d in DETAILS if d.review)
# The review's details the parser finds: the review starts from what it found.
PARSED_IN_REVIEW = tuple(d.name for d in DETAILS if d.review and d.of != LINK)
# The review's details that are the work's rather than this version's: changing them on
# a stored work needs search.change_resolution (search.ingest.uploads.publish).
WORK_IN_REVIEW = tuple(d.name for d in DETAILS if d.review and d.of != VERSION)
