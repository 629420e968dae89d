"""The parser: the text of a UN document in, numbered paragraphs out.

Pure: it is handed text (or bytes, for `decode`) and returns the dataclasses of
`search.parsing.documents`. No ORM and no file access. The rest of the project
uses only what is exported here.

The rules follow how UN documents are laid out, not these files in particular:

* Text extracted from PDFs carries page furniture (footnote blocks after a rule
  of underscores, undocs link lists, page numbers such as ``2/6``, job numbers
  such as ``17-15811 (E)``, bar codes, running headers that repeat the title).
  It is removed and a paragraph that runs across a page break is joined again.
* Paragraphs are numbered ``1.``, ``(a)``, ``(i)``; numbers run in sequence,
  which tells a real paragraph number from a number that starts a wrapped line.
* Preambular paragraphs come after the enacting formula (``The General
  Assembly,`` / ``大会，``) and before the first operative paragraph. A
  resolution with no numbered paragraph has one operative paragraph: the last.
* Footnote marks run in order through a resolution; a number is taken as a mark
  only where the next mark is due (or one already used is repeated) and where a
  mark can stand, so ``第 29 号`` and ``2030 年`` keep their numbers.

One module a stage: `decoding` (bytes to text, the language), `layout` (1: logical
lines, page furniture and footnote texts), `assembly` (2: paragraphs from lines),
`structure` (3: the document, and `parse_document`), which names paragraphs with
`labels` and takes footnote marks out with `marks`. `formulas` tells a procedural
paragraph (a request for a report, a later session's agenda) from a substantive one. `text` holds what several
stages share. `pdf` reads a PDF by its layout into the lines the markdown layout
reads (a stage 0 for typeset PDFs). `citations` finds what a paragraph's text cites
(`find_citations`), in time linear in its length. `amendments` reads what an amendment
does to the draft it amends (`read_amendment`: delete, insert, replace, add, each with its
paragraphs), in time linear in its length. `symbols` holds the grammar of a UN
document symbol and the bodies' names, which every layer reads from here.
"""

from search.parsing.amendments import (
    ADD,
    AFTER,
    BEFORE,
    BEYOND_LIMIT,
    DELETE,
    END,
    INSERT,
    LEFT_OVER,
    NO_TEXT,
    OPERATION_KINDS,
    PARAGRAPHS,
    REASONS,
    REPLACE,
    START,
    TITLE,
    TOO_LONG,
    TOO_MANY,
    UNCLOSED_QUOTE,
    UNKNOWN_FORM,
    UNREAD,
    WHOLE,
    WORDS,
    Operation,
    Target,
    read_amendment,
    read_paragraph_list,
)
from search.parsing.citations import Cited, find_citations
from search.parsing.decoding import decode, detect_language
from search.parsing.documents import (
    AMENDMENT,
    ANNEX,
    DOC_TYPES,
    DRAFT_DECISION,
    DRAFT_RESOLUTION,
    EMPTY_FILE,
    KINDS,
    LANGUAGES,
    NOTE,
    OPERATIVE,
    PREAMBULAR,
    REFUSALS,
    REPORT,
    REPORT_DOC,
    RESOLUTION,
    WARNINGS,
    ParsedDocument,
    ParsedFootnote,
    ParsedParagraph,
    ParseError,
)
from search.parsing.fidelity import CHECKS, check_document, furniture_paragraphs
from search.parsing.formulas import FORMULAS, asks_for, formula_of, lead
from search.parsing.labels import chinese_label
from search.parsing.mandates import (
    ACTIONS,
    BODY_ABBREVIATIONS,
    DELIVERABLES,
    NO_DUE,
    PERIODS,
    STRENGTH,
    Due,
    Mandate,
    MandateContext,
    entities,
    name_words,
    normalise_addressee,
    read_mandates,
)
from search.parsing.mandates import (
    GENERAL_ASSEMBLY as GENERAL_ASSEMBLY_KEY,
)
from search.parsing.pdf import pdf_layout_text
from search.parsing.proceedings import (
    ADOPTED,
    NOT_ADOPTED,
    PLENARY,
    RECORDED,
    REVISION,
    SUBMISSION,
    WITHOUT_VOTE,
    ParsedProposal,
    ParsedStage,
    ProceedingsError,
    parse_proceedings,
)
from search.parsing.proceedings import COMMITTEE as COMMITTEE_STAGE
from search.parsing.structure import parse_document
from search.parsing.symbols import (
    ANY_SYMBOL,
    BODIES,
    GA_DRAFT_SYMBOL,
    GA_RESOLUTION_SYMBOL,
    MAIN_COMMITTEES,
    body_of_symbol,
    citation_number,
    committee_of_symbol,
    is_symbol,
    numbered_by_year,
    official_url,
    published_symbol,
    resolution_number,
    resolution_symbol,
    symbol_from_filename,
    symbols_in,
    typed_symbol,
)
from search.parsing.text import EN_ORDINALS, MARK, session_number

__all__ = [
    "ACTIONS",
    "BODY_ABBREVIATIONS",
    "DELIVERABLES",
    "GENERAL_ASSEMBLY_KEY",
    "NO_DUE",
    "PERIODS",
    "STRENGTH",
    "Due",
    "Mandate",
    "MandateContext",
    "entities",
    "name_words",
    "normalise_addressee",
    "read_mandates",
    "ADD",
    "AFTER",
    "BEFORE",
    "BEYOND_LIMIT",
    "DELETE",
    "END",
    "INSERT",
    "LEFT_OVER",
    "NO_TEXT",
    "OPERATION_KINDS",
    "PARAGRAPHS",
    "REASONS",
    "REPLACE",
    "START",
    "TITLE",
    "TOO_LONG",
    "TOO_MANY",
    "UNCLOSED_QUOTE",
    "UNKNOWN_FORM",
    "UNREAD",
    "WHOLE",
    "WORDS",
    "Operation",
    "Target",
    "read_amendment",
    "read_paragraph_list",
    "ADOPTED",
    "COMMITTEE_STAGE",
    "NOT_ADOPTED",
    "REVISION",
    "SUBMISSION",
    "PLENARY",
    "RECORDED",
    "WITHOUT_VOTE",
    "ParsedProposal",
    "ParsedStage",
    "ProceedingsError",
    "parse_proceedings",
    "published_symbol",
    "AMENDMENT",
    "ANNEX",
    "ANY_SYMBOL",
    "GA_DRAFT_SYMBOL",
    "GA_RESOLUTION_SYMBOL",
    "BODIES",
    "MAIN_COMMITTEES",
    "CHECKS",
    "DOC_TYPES",
    "DRAFT_DECISION",
    "DRAFT_RESOLUTION",
    "EMPTY_FILE",
    "EN_ORDINALS",
    "FORMULAS",
    "KINDS",
    "LANGUAGES",
    "MARK",
    "NOTE",
    "OPERATIVE",
    "PREAMBULAR",
    "REPORT",
    "REPORT_DOC",
    "REFUSALS",
    "RESOLUTION",
    "WARNINGS",
    "Cited",
    "ParseError",
    "ParsedDocument",
    "ParsedFootnote",
    "ParsedParagraph",
    "asks_for",
    "body_of_symbol",
    "chinese_label",
    "check_document",
    "citation_number",
    "committee_of_symbol",
    "decode",
    "detect_language",
    "find_citations",
    "formula_of",
    "furniture_paragraphs",
    "is_symbol",
    "lead",
    "numbered_by_year",
    "official_url",
    "parse_document",
    "pdf_layout_text",
    "resolution_number",
    "resolution_symbol",
    "session_number",
    "symbol_from_filename",
    "symbols_in",
    "typed_symbol",
]
