"""The parser: the text of a UN document in, numbered paragraphs out.

Pure: no ORM, no files. The rest of the project uses only what is exported here.
"""

from search.parsing.documents import (
    ANNEX,
    DOC_TYPES,
    DRAFT_RESOLUTION,
    KINDS,
    LANGUAGES,
    OPERATIVE,
    PREAMBULAR,
    REPORT,
    REPORT_DOC,
    RESOLUTION,
    ParsedDocument,
    ParsedFootnote,
    ParsedParagraph,
    ParseError,
    official_url,
)
from search.parsing.parser import MARK, decode, detect_language, parse_document

__all__ = [
    "ANNEX",
    "DOC_TYPES",
    "DRAFT_RESOLUTION",
    "KINDS",
    "LANGUAGES",
    "MARK",
    "OPERATIVE",
    "PREAMBULAR",
    "REPORT",
    "REPORT_DOC",
    "RESOLUTION",
    "ParseError",
    "ParsedDocument",
    "ParsedFootnote",
    "ParsedParagraph",
    "decode",
    "detect_language",
    "official_url",
    "parse_document",
]
