"""Plain data that the parser produces and the rest of the project consumes.

No Django here: the parser and its tests use these without a database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from .symbols import official_url

LANGUAGES = ("zh", "en")

# Paragraph kinds. Subparagraphs keep the kind of the paragraph they belong to
# and have level > 0.
PREAMBULAR = "preambular"
OPERATIVE = "operative"
ANNEX = "annex"
REPORT = "report"
KINDS = (PREAMBULAR, OPERATIVE, ANNEX, REPORT)

# Document types.
RESOLUTION = "resolution"
DRAFT_RESOLUTION = "draft_resolution"
REPORT_DOC = "report"
# Documents of a committee's work on drafts, with plain numbered paragraphs (like a
# report's): amendments to a draft, draft decisions, notes by the Secretariat.
AMENDMENT = "amendment"
DRAFT_DECISION = "draft_decision"
NOTE = "note"
DOC_TYPES = (RESOLUTION, DRAFT_RESOLUTION, REPORT_DOC, AMENDMENT, DRAFT_DECISION, NOTE)


class ParseError(ValueError):
    """The document cannot be read or has no recognisable structure."""


# What the review is told to check, as English templates filled with str.format. The
# admin shows a warning in the reader's language by its template (the parser cannot
# call gettext): search.ingest.in_language.
NO_ENACTING_FORMULA = "no enacting formula (such as “The General Assembly,”) was found"
INFERRED_ENDS = (
    "this Chinese text carries no layout marks, so paragraph ends were inferred "
    "from line lengths: check that no two paragraphs were run together"
)
JOINED_UNNUMBERED = "text without a number after {label} was joined to it: check it"
FOOTNOTE_UNREFERENCED = "footnote {numbers} is not referenced in the text"
FOOTNOTES_UNREFERENCED = "footnote {numbers} are not referenced in the text"
NUMBERING_RESTARTS = (
    "paragraph numbers start again under their headings ({anchors}): the repeats are "
    "told apart by _2, _3 … in their anchors"
)
PARAGRAPH_MISSING = "operative paragraph {current} follows {previous}: a paragraph may be missing"
# A warning of a draft resolution, passed on to the report or resolution that holds it.
IN_DRAFT = "draft resolution {number}: {warning}"
IN_RECOMMENDED_DRAFT = "the draft resolution it recommends: {warning}"
WARNINGS = (
    NO_ENACTING_FORMULA,
    INFERRED_ENDS,
    JOINED_UNNUMBERED,
    FOOTNOTE_UNREFERENCED,
    FOOTNOTES_UNREFERENCED,
    NUMBERING_RESTARTS,
    PARAGRAPH_MISSING,
    IN_DRAFT,
    IN_RECOMMENDED_DRAFT,
)

# Why a file cannot be read (a ParseError's message), as English templates like WARNINGS
# and translated the same way: the parser's here, the file reader's in search.ingest.
EMPTY_FILE = "the file is empty"
PDF_NOT_TEXT = "this is a PDF file, not text: extract its text first"
ZIP_NOT_TEXT = "this is a ZIP or Word (.docx) file, not text"
BINARY_NOT_TEXT = "this is a binary file, not text"
NOT_UTF16 = "the file claims to be UTF-16 but is not"
UNDECODABLE = "the text could not be decoded as UTF-8 or GB18030/GBK"
UNKNOWN_LANGUAGE = "unknown language {language}: use zh or en"
NO_TEXT = "no text was found in the file"
NO_STRUCTURE = "no resolution structure was found (no enacting formula and no numbered paragraphs)"
NO_RESOLUTION_STRUCTURE = (
    "no resolution structure was found: no enacting formula (such as "
    "“The General Assembly,” or “大会，”) and no numbered paragraphs"
)
REFUSALS = (
    EMPTY_FILE,
    PDF_NOT_TEXT,
    ZIP_NOT_TEXT,
    BINARY_NOT_TEXT,
    NOT_UTF16,
    UNDECODABLE,
    UNKNOWN_LANGUAGE,
    NO_TEXT,
    NO_STRUCTURE,
    NO_RESOLUTION_STRUCTURE,
)


@dataclass
class ParsedFootnote:
    number: int
    text: str


@dataclass
class ParsedParagraph:
    anchor: str  # stable public anchor: pp1, op3b, op3b-ii, annex-11a, para37
    kind: str  # one of KINDS
    label: str  # English citation label: "PP 5", "OP 3 (b)", "annex, para. 11 (a)"
    label_zh: str  # Chinese citation label: "执行部分第3(b)段"
    text: str  # faithful text: lines joined, page furniture and marks removed
    number: str = ""  # the number as printed: "3", "(b)", "(ii)", "" if none
    level: int = 0  # 0 for a paragraph, 1 for (a), 2 for (i)
    footnotes: list[int] = field(default_factory=list)  # numbers referenced
    heading: str = ""  # heading of the section it stands in (annex, report part)


@dataclass
class ParsedDocument:
    language: str
    doc_type: str = RESOLUTION
    title: str = ""
    symbol: str | None = None  # "A/RES/71/322"; None where the text does not say
    body: str | None = None  # "GA", "ECOSOC"
    adopted_on: str | None = None  # ISO date
    meeting: str = ""  # "96th plenary meeting" / "第 96 次全体会议"
    session: str = ""  # "Seventy-first session" / "第七十一届会议"
    agenda_item: str = ""  # "106", "14 (c)"
    sponsors: list[str] = field(default_factory=list)
    distribution: str = ""  # "General", "Limited": the "Distr." of page one
    issued_on: str | None = None  # ISO date printed under "Distr."
    agenda_item_title: str = ""  # "Promotion and protection of human rights"
    committee: str = ""  # "C1" … "C6", "plenary" (without reference to a Main Committee)
    committee_report: str = ""  # the report it was adopted on: "A/80/459"
    paragraphs: list[ParsedParagraph] = field(default_factory=list)
    footnotes: list[ParsedFootnote] = field(default_factory=list)
    resolutions: list[ParsedDocument] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # symbols named
    warnings: list[str] = field(default_factory=list)  # for review: WARNINGS, filled
    number: str = ""  # "一" … for a draft inside a report
    amends: str = ""  # an amendment's draft: "A/C.3/80/L.2"

    @property
    def source_url(self) -> str | None:
        return official_url(self.symbol, self.language)

    def to_dict(self) -> dict:
        """The document as JSON-ready data (kept with an upload, sent by the reading child)."""
        data = asdict(self)
        data["source_url"] = self.source_url
        data["resolutions"] = [r.to_dict() for r in self.resolutions]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ParsedDocument:
        """The document again from its to_dict() (fields it does not know are left out)."""
        names = {f.name for f in fields(cls)}
        values = {name: value for name, value in data.items() if name in names}
        values["paragraphs"] = [ParsedParagraph(**p) for p in data["paragraphs"]]
        values["footnotes"] = [ParsedFootnote(**n) for n in data["footnotes"]]
        values["resolutions"] = [cls.from_dict(r) for r in data["resolutions"]]
        return cls(**values)
