"""Turn the text of a UN document into numbered paragraphs.

A pure module: it is handed text (or bytes, for `decode`) and returns the
dataclasses of `search.documents`. No ORM and no file access.

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
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .documents import (
    ANNEX,
    DRAFT_RESOLUTION,
    OPERATIVE,
    PREAMBULAR,
    REPORT,
    REPORT_DOC,
    ParsedDocument,
    ParsedFootnote,
    ParsedParagraph,
    ParseError,
)

# ---------------------------------------------------------------------------
# Bytes to text


def decode(data: bytes) -> str:
    """Decode a text file in UTF-8, UTF-16 (with BOM) or GB18030/GBK."""
    if not data or not data.strip():
        raise ParseError("the file is empty")
    if data.startswith(b"%PDF"):
        raise ParseError("this is a PDF file, not text: extract its text first")
    if data.startswith(b"PK\x03\x04"):
        raise ParseError("this is a ZIP or Word (.docx) file, not text")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise ParseError("the file claims to be UTF-16 but is not") from exc
    if b"\x00" in data[:8192]:
        raise ParseError("this is a binary file, not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ParseError("the text could not be decoded as UTF-8 or GB18030/GBK")


def _checked(text: str) -> str:
    sample = text[:20000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(3, len(sample) // 200):
        raise ParseError("this is a binary file, not text")
    if not text.strip():
        raise ParseError("the file is empty")
    return text


# ---------------------------------------------------------------------------
# Character classes and patterns

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# A footnote mark that the layout stage has recognised for certain.
MARK = "\u27e6{}\u27e7"
MARK_RE = re.compile("\u27e6(\\d+)\u27e7")

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")

PAGE_BREAK = "\f"  # kept as a line of its own where the extractor marks pages
URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
RULE_LINE = re.compile(r"^\s*_{5,}\s*$|^\s*-{3,}\s*$")
PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*/\s*\d{1,3}\s*$")
JOB_NUMBER = re.compile(r"^\s*\d{2}-\d{5}\s*(\([A-Z]\))?\s*$")
BARCODE = re.compile(r"^\s*\*\d{5,}\*\s*$")
DATE_CODE = re.compile(r"^\s*\d{6}\s*$")
RECYCLE = re.compile(r"^\s*Please recycle\s*$", re.I)
PAGE_AND_JOB = re.compile(
    r"^\s*(\d{1,3}/\d{1,3}\s+\d{2}-\d{5}|\d{2}-\d{5}\s+\d{1,3}/\d{1,3})(\s*\([A-Z]\))?\s*$"
)
SYMBOL_ONLY = re.compile(r"^\s*[A-Z]{1,6}(/[A-Z0-9.\-]+){2,}\s*$")

SYMBOL_IN_TEXT = re.compile(
    r"\b(?:A|E|S|CTOC|CAC|UNEP|HRC|TD|ST)(?:/[A-Z0-9][A-Za-z0-9.\-]*)+"
    r"(?<![.\-])"
)
UNDOCS = re.compile(r"https?://undocs\.org/(?:[a-z]{2}/)?(\S+)")

# Operative and report paragraph numbers: "1." "12." (Chinese PDFs write
# "1. " with a space, Markdown "**1.**").
NUMBER_START = re.compile(r"^(\d{1,3})\.(?:\s+|$)")
LETTER_START = re.compile(r"^\(([a-z]{1,2})\)(?:\s+|$)")
ROMAN_START = re.compile(r"^\(((?:x{0,3})(?:ix|iv|v?i{0,3}))\)(?:\s+|$)")
CN_ROMAN = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
CN_ROMAN_START = re.compile(f"^([{CN_ROMAN}])\\s*")
ROMANS = [
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "vii",
    "viii",
    "ix",
    "x",
    "xi",
    "xii",
    "xiii",
    "xiv",
    "xv",
    "xvi",
    "xvii",
    "xviii",
    "xix",
    "xx",
]
CN_NUMERALS = "一二三四五六七八九十"

FORMULA = re.compile(
    r"^\s*(?:The\s+(General Assembly|Economic and Social Council|Security Council|"
    r"Human Rights Council)\s*,?|(大会|经济及社会理事会|安全理事会|人权理事会)\s*，)\s*$"
)
BODIES = {
    "General Assembly": "GA",
    "大会": "GA",
    "Economic and Social Council": "ECOSOC",
    "经济及社会理事会": "ECOSOC",
    "Security Council": "SC",
    "安全理事会": "SC",
    "Human Rights Council": "HRC",
    "人权理事会": "HRC",
}
SYMBOL_NUMBER_LINE = re.compile(r"^\s*\**\s*(\d{1,4}/\d{1,4})\.\s*(.*?)\**\s*$")
# Security Council resolutions are numbered with their year: "Resolution 2331 (2016)".
SC_LINE = re.compile(
    r"^\s*(?:Resolution\s+(\d{1,4})\s*\((\d{4})\)|第\s*(?=\d)(\d{1,4})\s*[(（](\d{4})[)）]\s*号决议)\s*$"
)
DRAFT_HEADING = re.compile(r"^\s*决议草案([一二三四五六七八九十]+)\s*$|^\s*Draft resolution ([IVXL]+)\s*$")

ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
EN_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
EN_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(EN_MONTHS) + r")\s+(\d{4})\b", re.I)
ZH_MEETING = re.compile(r"^\s*第\s*(\d+)\s*次全体会议\s*$")
EN_MEETING = re.compile(r"^\s*(\d+)(?:st|nd|rd|th)\s+plenary meeting\s*$", re.I)

TERMINAL = "。；，：！？.;,:!?"
CLOSERS = "”’\"')）」』》】"

PREAMBLE_OPENERS = {
    "also",
    "aware",
    "bearing",
    "cognizant",
    "concerned",
    "conscious",
    "convinced",
    "deeply",
    "desiring",
    "desirous",
    "determined",
    "emphasizing",
    "encouraged",
    "fully",
    "further",
    "gravely",
    "guided",
    "having",
    "keeping",
    "mindful",
    "noting",
    "alarmed",
    "seriously",
    "taking",
    "acknowledging",
    "affirming",
    "reaffirming",
    "recalling",
    "recognizing",
    "reiterating",
    "stressing",
    "underlining",
    "welcoming",
    "expressing",
    "considering",
    "appreciating",
    "believing",
    "confident",
    "declaring",
    "emphasising",
    "recognising",
    "underscoring",
    "viewing",
    "whereas",
    "observing",
    "regretting",
    "deploring",
    "commending",
    "highlighting",
    "re-emphasizing",
    "pursuant",
}
# Words after which a number is never a footnote mark ("paragraph 5").
EN_STOP = {
    "paragraph",
    "paragraphs",
    "article",
    "articles",
    "resolution",
    "resolutions",
    "chapter",
    "no.",
    "vol.",
    "section",
    "annex",
    "rule",
    "para.",
    "item",
    "goal",
    "target",
    "page",
    "decision",
    "and",
    "of",
    "to",
    "from",
    "than",
    "the",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "or",
    "between",
    "over",
    "under",
    "about",
    "some",
    "session",
    "meeting",
    "committee",
    "principle",
    "part",
    "level",
    "a",
}
NOT_OPENERS = {"beijing", "nanjing", "kunming", "wellington", "reading", "during"}


# ---------------------------------------------------------------------------
# Stage 1: logical lines, by layout


@dataclass
class Line:
    text: str
    ends: bool = False  # the layout says a paragraph ends here
    page_start: bool = False  # first line of a page body (PDF text)


@dataclass
class Block:
    """What stage 1 hands on: body lines plus footnotes found on the way."""

    lines: list[Line] = field(default_factory=list)
    # (index of the body line they follow, number, text)
    footnotes: list[tuple[int, int, str]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    explicit_marks: bool = False
    inferred_ends: bool = False  # paragraph ends guessed from line lengths


def detect_language(text: str) -> str:
    cjk = len(CJK_RE.findall(text[:20000]))
    letters = len(re.findall(r"[A-Za-z]", text[:20000]))
    return "zh" if cjk * 2 >= letters else "en"


def split_layout(text: str, language: str, layout: str | None = None) -> Block:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", f"\n{PAGE_BREAK}\n")
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    raw = text.split("\n")
    if layout == "markdown" or re.search(r"<sup>\s*\d+\s*</sup>|^\s*#{1,6}\s|\*\*|[¹²³⁴⁵⁶⁷⁸⁹]", text, re.M):
        return _markdown_lines(raw)
    nonblank = [i for i, line in enumerate(raw) if line.strip()]
    followed_by_blank = sum(1 for i in nonblank if i + 1 < len(raw) and raw[i + 1] == "")
    if nonblank and followed_by_blank >= 0.6 * len(nonblank):
        return _spaced_pdf_lines(raw)
    block = _plain_pdf_lines(raw)
    if language == "zh":
        _chinese_line_ends(block)
    return block


def _chinese_line_ends(block: Block) -> None:
    """Single-spaced Chinese text: a short line that ends a sentence ends a paragraph.

    Chinese wraps at a fixed width, so a line that stops well before the usual
    width, on a punctuation mark that can end a paragraph, is the last line.
    """

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = sorted(width(line.text) for line in block.lines)
    if not widths:
        return
    full = widths[int(len(widths) * 0.8)]
    # A printed page holds about 40 Chinese characters a line; much longer lines
    # are whole paragraphs (text copied from a web page or a word processor).
    wrapped = full <= 100
    block.inferred_ends = wrapped
    for line in block.lines:
        if (not wrapped or width(line.text) < 0.95 * full) and _ends_sentence(line.text):
            line.ends = True


def _references_from_url(line: str, block: Block) -> None:
    match = UNDOCS.search(line)
    if match and match.group(1) not in block.references:
        block.references.append(match.group(1).rstrip("/"))


def _markdown_lines(raw: list[str]) -> Block:
    block = Block(explicit_marks=True)
    for line in raw:
        stripped = line.strip()
        if not stripped or RULE_LINE.match(stripped):
            continue
        if URL_LINE.match(stripped):
            _references_from_url(stripped, block)
            continue
        text = re.sub(r"^#{1,6}\s*", "", stripped)
        text = re.sub(r"^[-*+]\s+", "", text)
        text = text.replace("**", "").replace("__", "")
        footnote = re.match(r"^(?:<sup>\s*(\d+)\s*</sup>|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)|\u27e6(\d+)\u27e7)\s*(.+)$", text)
        if footnote:
            number = int(footnote.group(1) or footnote.group(3) or footnote.group(2).translate(SUPERSCRIPTS))
            block.footnotes.append((len(block.lines), number, footnote.group(4).strip()))
            continue
        # Only the conversion's own footnote markup is read; any other markup in
        # the text is the document's text and stays (it is escaped when shown).
        text = re.sub(r"\s*<sup>\s*(\d+)\s*</sup>", lambda m: MARK.format(m.group(1)), text)
        text = SUPERSCRIPT_RUN.sub(lambda m: MARK.format(m.group(0).translate(SUPERSCRIPTS)), text)
        block.lines.append(Line(text.strip(), ends=True))
    # A body line cut mid-sentence (a page break in the source) runs on.
    for line, following in zip(block.lines, block.lines[1:]):
        long_enough = len(line.text) >= (40 if CJK_RE.search(line.text) else 80)
        if (
            long_enough
            and not _ends_sentence(line.text)
            and not _start_of(following.text)
            and not FORMULA.match(following.text)
        ):
            line.ends = False
    return block


def _spaced_pdf_lines(raw: list[str]) -> Block:
    """PDF text with a blank line after every line (Chinese extraction).

    Physical lines with no blank line between them belong together: a footnote
    mark at the end of a line pushes the rest of it (often just the trailing
    space that ends a paragraph) onto a line of its own. A trailing space ends
    a paragraph; two leading spaces start a page.
    """
    logical: list[str] = []
    current: list[str] = []
    for line in raw + [""]:
        if line == "":
            if current:
                logical.append("".join(current))
                current = []
        elif URL_LINE.match(line):
            if current:
                logical.append("".join(current))
                current = []
            logical.append(line)
        elif line.startswith("  ") and line.strip() and current:
            # Two leading spaces start a page (or a heading) even without a blank line.
            logical.append("".join(current))
            current = [line]
        else:
            current.append(line)
            if line != line.rstrip():
                # A trailing space closes the line: what follows is a new one.
                logical.append("".join(current))
                current = []

    block = Block()
    zone = ""  # "" body, "notes" after the rule, "page" after links or furniture
    for text in logical:
        if URL_LINE.match(text):
            _references_from_url(text, block)
            zone = "page"
            continue
        if RULE_LINE.match(text):
            zone = "notes"
            continue
        if _is_furniture(text) or SYMBOL_ONLY.match(text) or PAGE_AND_JOB.match(text):
            zone = "page"
            continue
        if zone and not text.strip():
            continue
        if zone == "notes":
            note = re.match(r"^ ?(\d{1,3}) +(\S.*)$", text)
            if note and not NUMBER_START.match(text.strip()):
                block.footnotes.append((len(block.lines), int(note.group(1)), note.group(2).strip()))
                continue
            continues_note = (
                not text.startswith(" ") and block.footnotes and block.footnotes[-1][0] == len(block.lines)
            )
            if continues_note:
                pos, number, body = block.footnotes[-1]
                block.footnotes[-1] = (pos, number, _join(body, text.strip(), "zh"))
                continue
        if zone:
            zone = ""
            block.lines.append(Line(text.strip(), ends=_spaced_end(text), page_start=True))
            continue
        if not text.strip():
            if block.lines:
                block.lines[-1].ends = True
            continue
        block.lines.append(Line(text.strip(), ends=_spaced_end(text), page_start=text.startswith("  ")))
    return block


def _spaced_end(text: str) -> bool:
    """A trailing space ends a paragraph, unless it follows a footnote mark mid-sentence."""
    if text == text.rstrip():
        return False
    return not re.search(f"[{CJK}]\\d{{1,3}}\\s*$", text)


def _is_furniture(line: str) -> bool:
    return bool(
        line == PAGE_BREAK
        or PAGE_NUMBER.match(line)
        or JOB_NUMBER.match(line)
        or BARCODE.match(line)
        or DATE_CODE.match(line)
        or RECYCLE.match(line)
        or RULE_LINE.match(line)
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _plain_pdf_lines(raw: list[str]) -> Block:
    """Single-spaced PDF text (the English official files).

    A page break is a region that starts at the footnote rule, a page number
    or a job number, and ends after the running header (the document symbol
    and the title again) at the top of the next page. Footnote numbers and
    texts inside it come out in separate runs; they are paired in order.
    """
    lines = [line if line == PAGE_BREAK else line.rstrip() for line in raw]
    title_key = _squash(" ".join(_first_title_lines(lines)))
    symbols = {line.strip() for line in lines[:12] if SYMBOL_ONLY.match(line)}

    def is_header(line: str) -> bool:
        key = _squash(line)
        return line.strip() in symbols or (len(key) > 8 and title_key and key in title_key)

    block = Block()
    i = 0
    while i < len(lines):
        line = lines[i]
        if URL_LINE.match(line):
            _references_from_url(line, block)
            i += 1
            continue
        starts_region = (
            RULE_LINE.match(line) or PAGE_NUMBER.match(line) or JOB_NUMBER.match(line) or line == PAGE_BREAK
        )
        # Furniture before any text (a masthead's page number) is skipped as it comes.
        if not starts_region or not block.lines:
            if not starts_region:
                if line.strip() and not (not block.lines and _is_furniture(line)):
                    block.lines.append(Line(line.strip()))
                elif (
                    not line.strip()
                    and block.lines
                    and MARK_RE.sub("", block.lines[-1].text).rstrip(CLOSERS)[-1:] in ".:"
                ):
                    # A blank line after a full stop or colon separates blocks (a heading follows).
                    block.lines[-1].ends = True
            i += 1
            continue
        # A page-break region: find where the next page's body starts.
        end = i
        header_seen = False
        j = i
        limit = min(len(lines), i + 80)
        page_ended = False  # a form feed: the extractor says where the page ends
        while j < limit:
            candidate = lines[j]
            if candidate == PAGE_BREAK:
                page_ended = True
                end = j
                j += 1
                continue
            if not candidate.strip() or _is_furniture(candidate) or URL_LINE.match(candidate):
                j += 1
                continue
            if is_header(candidate):
                header_seen = True
                end = j
                j += 1
                continue
            if header_seen or page_ended:
                break
            j += 1
        if page_ended and not header_seen:
            header_seen = True  # the page break itself bounds the region
        if not header_seen:
            # No running header follows: the last page. Its footnotes run to the
            # end, unless body text (a numbered paragraph, the closing) follows.
            end = i
            for k in range(i, limit):
                if _is_furniture(lines[k]):
                    end = k
            rest = [x for x in lines[end + 1 :] if x.strip()]
            if not any(_start_of(x.strip()) or EN_MEETING.match(x) or FORMULA.match(x) for x in rest):
                end = len(lines) - 1
        region = lines[i : end + 1]
        _pair_notes(region, is_header, block)
        i = end + 1
    return block


def _pair_notes(region: list[str], is_header, block: Block) -> None:
    numbers: list[int] = []
    entries: list[str] = []
    open_entry = False
    for line in region:
        text = line.strip()
        if not text or _is_furniture(line) or URL_LINE.match(line) or is_header(line):
            continue
        if re.fullmatch(r"\d{1,3}", text):
            numbers.append(int(text))
            continue
        inline = re.match(r"^(\d{1,3})\s+([A-Z(\u3400-\u9fff《“].*)$", text)
        if inline and not open_entry:
            numbers.append(int(inline.group(1)))
            text = inline.group(2)
        if open_entry and entries:
            entries[-1] = _join(entries[-1], text, "en")
        else:
            entries.append(text)
        open_entry = not text.rstrip(CLOSERS).endswith((".", "。"))
    position = len(block.lines)
    for number, text in zip(sorted(numbers), entries):
        block.footnotes.append((position, number, text))


def _first_title_lines(lines: list[str]) -> list[str]:
    """Return the title lines of page 1 (between "71/322." and the formula)."""
    for index, line in enumerate(lines[:80]):
        match = SYMBOL_NUMBER_LINE.match(line)
        if not match:
            continue
        title = [match.group(2)] if match.group(2) else []
        for following in lines[index + 1 : index + 15]:
            if FORMULA.match(following):
                return title
            if following.strip():
                title.append(following.strip())
        return title
    return []


# ---------------------------------------------------------------------------
# Stage 2: paragraphs


def _join(left: str, right: str, language: str) -> str:
    """Join two wrapped lines the way the typesetter broke them."""
    if not left:
        return right
    if not right:
        return left
    if language == "zh":
        a, b = left[-1], right[0]
        if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
            return left + " " + right
        if a in ",;" and b.isascii() and b.isalpha():
            return left + " " + right
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[0].islower():
        return left + "\u00ad" + right  # decided once the whole text is known
    return left + " " + right


@dataclass
class Piece:
    """A paragraph as assembled from lines, before it is named."""

    text: str
    number: str = ""  # "3", "a", "ii", "" (as a key; printed form below)
    printed: str = ""  # "3.", "(a)", "(ii)"
    level: int = -1  # -1 unnumbered, 0 numbered, 1 letter, 2 roman
    line_index: int = 0
    end_index: int = 0


def _start_of(text: str) -> tuple[str, str, int, str] | None:
    """Return (number, printed, level, rest) if the text starts with a number."""
    match = NUMBER_START.match(text)
    if match:
        return match.group(1), match.group(0).strip(), 0, text[match.end() :]
    match = CN_ROMAN_START.match(text)
    if match:
        return ROMANS[CN_ROMAN.index(match.group(1))], match.group(1), 2, text[match.end() :]
    match = LETTER_START.match(text)
    if match:
        return match.group(1), f"({match.group(1)})", 1, text[match.end() :]
    return None


def _ends_sentence(text: str) -> bool:
    text = MARK_RE.sub("", text).rstrip()
    text = re.sub(r"\s*\d{1,3}$", "", text) if text[-1:].isdigit() else text
    return bool(text) and text.rstrip(CLOSERS)[-1:] in TERMINAL


OPERATIVE_VERBS = {
    "decides",
    "adopts",
    "requests",
    "urges",
    "calls",
    "invites",
    "encourages",
    "welcomes",
    "takes",
    "notes",
    "reaffirms",
    "stresses",
    "emphasizes",
    "recognizes",
    "expresses",
    "approves",
    "endorses",
    "acknowledges",
    "affirms",
    "recommends",
    "proclaims",
    "declares",
    "condemns",
    "authorizes",
    "appeals",
    "demands",
    "reiterates",
    "transmits",
    "commends",
    "underlines",
    "underscores",
    "designates",
    "elects",
}


def _preamble_break(previous: str, following: str) -> bool:
    """English: does a new preambular paragraph start with `following`?"""
    prev = MARK_RE.sub("", previous).rstrip()
    prev = re.sub(r"(?<=[,;])\d{1,3}$|\s+\d{1,3}$", "", prev)
    if not prev or prev[-1] not in ",;":
        return False
    word = re.match(r"^([A-Z][A-Za-z\-]+)", following)
    if not word:
        return False
    first = word.group(1).lower()
    if first in NOT_OPENERS:
        return False
    return (
        first in PREAMBLE_OPENERS or first in OPERATIVE_VERBS or first.endswith("ing") or first.endswith("ed")
    )


def assemble(lines: list[Line], language: str, sequential: bool = True) -> list[Piece]:
    """Group lines into paragraphs."""
    pieces: list[Piece] = []
    expected_number = None  # next operative number we would accept
    for index, line in enumerate(lines):
        text = line.text
        start = _start_of(text)
        if start and start[2] == 0 and pieces and sequential:
            number = int(start[0])
            if expected_number is not None and number != expected_number and number != 1:
                previous = pieces[-1]
                if not _ends_sentence(previous.text):
                    start = None  # a number that a wrapped line happens to start with
        if start and start[2] >= 1 and pieces and not _ends_sentence(pieces[-1].text):
            start = None
        new = (
            not pieces
            or start is not None
            or pieces[-1].end_index == -1  # the previous line ended a paragraph
        )
        in_preamble = expected_number is None
        if not new and language == "en" and in_preamble and _preamble_break(pieces[-1].text, text):
            new = True
        if new:
            if start:
                number, printed, level, rest = start
                if level == 0:
                    expected_number = int(number) + 1
                pieces.append(Piece(rest.strip(), number, printed, level, index, index))
            else:
                pieces.append(Piece(text, line_index=index, end_index=index))
        else:
            pieces[-1].text = _join(pieces[-1].text, text, language)
            pieces[-1].end_index = index
        if line.ends:
            pieces[-1].end_index = -1
    for piece in pieces:
        piece.end_index = max(piece.end_index, piece.line_index)
    return pieces


# ---------------------------------------------------------------------------
# Stage 3: structure


def parse_document(text: str, language: str | None = None, layout: str | None = None) -> ParsedDocument:
    """Parse the text of one document into a ParsedDocument.

    `layout` is "markdown" when the caller knows each line is a paragraph (text
    taken from a Word file); by default the layout is read from the text.
    """
    if not text or not text.strip():
        raise ParseError("the file is empty")
    language = language or detect_language(text)
    if language not in ("zh", "en"):
        raise ParseError(f"unknown language {language!r}: use zh or en")
    block = split_layout(text, language, layout)
    if not block.lines:
        raise ParseError("no text was found in the file")
    _repair_words(block, language)

    lines = block.lines
    segments = _segments(lines)
    report_like = _is_report(lines, language)

    if report_like and segments:
        doc = ParsedDocument(language=language, doc_type=REPORT_DOC)
        report_lines = lines[: segments[0][0]]
        _fill_report(doc, report_lines, block, 0, language)
        for start, end, number in segments:
            draft = ParsedDocument(language=language, doc_type=DRAFT_RESOLUTION, number=number)
            _fill_resolution(draft, lines[start + 1 : end], block, start + 1, language)
            draft.body = draft.body or "GA"
            doc.resolutions.append(draft)
            for warning in draft.warnings:
                doc.warnings.append(f"draft resolution {number}: {warning}")
    elif report_like:
        doc = ParsedDocument(language=language, doc_type=REPORT_DOC)
        _fill_report(doc, lines, block, 0, language)
    else:
        doc = ParsedDocument(language=language)
        _fill_resolution(doc, lines, block, 0, language)
    doc.references = _references(text, block)
    if block.inferred_ends:
        doc.warnings.append(
            "this Chinese text carries no layout marks, so paragraph ends were inferred "
            "from line lengths: check that no two paragraphs were run together"
        )
    if not doc.paragraphs and not doc.resolutions:
        raise ParseError("no resolution structure was found (no enacting formula and no numbered paragraphs)")
    return doc


def _repair_words(block: Block, language: str) -> None:
    """Undo line-end hyphenation and extractor splits, where that is certain."""
    if language != "en":
        return
    corpus = " ".join(line.text for line in block.lines)
    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", corpus)
    counts = Counter(w.lower() for w in words)
    pairs = Counter(
        (a.lower(), b.lower())
        for a, b in re.findall(r"(?<![\w\-])([A-Za-z]+) (?=([a-z]+)(?![\w\-]))", corpus)
    )
    vocabulary = {w for w in counts if len(w) > 1} | {"a", "i"}
    hyphenated = {w for w in counts if "-" in w}

    def is_word(part: str, split_pair: tuple[str, str]) -> bool:
        # A fragment that occurs only where it is split off is no word.
        return (len(part) > 1 or part in "ai") and counts[part] > pairs[split_pair]

    def repair(text: str) -> str:
        # "health -care" never has a space before a joining hyphen.
        text = re.sub(r"(?<=[A-Za-z]) -(?=[a-z])", "-", text)
        out: list[str] = []
        for token in text.split(" "):
            core = token.rstrip(",.;:”’)")
            if out and core.isalpha() and core.islower():
                left = out[-1].lstrip("“‘(")
                if left.isalpha():
                    key = (left.lower(), core)
                    joined = left.lower() + core
                    lone_letter = len(out[-1]) == 1 and out[-1] not in "aAI"
                    if lone_letter or counts[joined] and not (is_word(key[0], key) and is_word(core, key)):
                        out[-1] = out[-1] + token
                        continue
            out.append(token)
        return " ".join(out)

    for line in block.lines:
        line.text = repair(line.text)
    block._hyphenated = hyphenated  # used when soft hyphens are resolved
    block._vocabulary = vocabulary


def _soft_hyphens(text: str, block: Block) -> str:
    vocabulary = getattr(block, "_vocabulary", set())
    hyphenated = getattr(block, "_hyphenated", set())

    def resolve(match: re.Match) -> str:
        left, right = match.group(1), match.group(2)
        if f"{left}-{right}".lower() in hyphenated:
            return f"{left}-{right}"
        if (left + right).lower() in vocabulary:
            return left + right
        return f"{left}-{right}"

    return re.sub(r"([A-Za-z]+)-\u00ad([A-Za-z]+)", resolve, text)


def _segments(lines: list[Line]) -> list[tuple[int, int, str]]:
    """Return (heading index, end index, number) of each draft resolution in a report."""
    heads = []
    for index, line in enumerate(lines):
        match = DRAFT_HEADING.match(line.text)
        if match and index + 2 < len(lines):
            # It must be followed by a resolution (a formula within a few lines).
            if any(FORMULA.match(x.text) for x in lines[index + 1 : index + 12]):
                heads.append((index, match.group(1) or match.group(2)))
    return [
        (start, heads[k + 1][0] if k + 1 < len(heads) else len(lines), number)
        for k, (start, number) in enumerate(heads)
    ]


def _is_report(lines: list[Line], language: str) -> bool:
    head = " ".join(line.text for line in lines[:12])
    return bool(re.search(r"委员会的报告|报告员[:：]|Report of the .*Committee|Rapporteur:", head))


def _notes_for(block: Block, start: int, end: int) -> dict[int, str]:
    notes: dict[int, str] = {}
    for position, number, text in block.footnotes:
        if start <= position <= end and number not in notes:
            notes[number] = text
    return notes


def _fill_resolution(
    doc: ParsedDocument, lines: list[Line], block: Block, offset: int, language: str
) -> None:
    formula_at = next((i for i, line in enumerate(lines) if FORMULA.match(line.text)), None)
    if formula_at is None:
        doc.warnings.append("no enacting formula (such as “The General Assembly,”) was found")
        formula_at = -1
    head = lines[: max(formula_at, 0)]
    _read_head(doc, head, language)
    if formula_at >= 0:
        formula = FORMULA.match(lines[formula_at].text)
        body_name = formula.group(1) or formula.group(2)
        doc.body = doc.body or BODIES.get(body_name)
    if doc.symbol is None:
        doc.symbol = _symbol_from_head(head, doc.body)
    body = lines[formula_at + 1 :]

    # Closing lines (date, meeting) end the operative part; "Annex" starts the annex.
    annex_at = next(
        (i for i, line in enumerate(body) if re.fullmatch(r"\s*(Annex|附件)(\s+[IVX]+)?\s*", line.text)),
        None,
    )
    main = body[:annex_at] if annex_at is not None else body
    annex = body[annex_at + 1 :] if annex_at is not None else []
    main, closing = _split_closing(main)
    _read_closing(doc, closing, language)

    pieces = assemble(main, language)
    if formula_at < 0 and not any(p.level == 0 for p in pieces):
        raise ParseError(
            "no resolution structure was found: no enacting formula (such as "
            "“The General Assembly,” or “大会，”) and no numbered paragraphs"
        )
    notes = _notes_for(block, offset, offset + len(lines))
    doc.footnotes = [ParsedFootnote(n, t) for n, t in sorted(notes.items())]
    marker = _MarkFinder(notes, language, explicit=block.explicit_marks)

    first_numbered = next((i for i, p in enumerate(pieces) if p.level == 0), None)
    paragraphs: list[ParsedParagraph] = []
    if first_numbered is None:
        preamble, operative, embedded = pieces[:-1], pieces[-1:], []
    else:
        preamble, operative = pieces[:first_numbered], pieces[first_numbered:]
        embedded = []
        # "Adopts the following declaration:" + heading + numbered text (A/RES/72/1).
        headings = [i for i, p in enumerate(preamble) if _is_heading(p, language)]
        if (
            headings
            and preamble[headings[0] - 1 : headings[0]]
            and _ends_with_colon(preamble[headings[0] - 1].text)
        ):
            cut = headings[0]
            embedded = preamble[cut:] + operative
            preamble, operative = preamble[: cut - 1], [preamble[cut - 1]]
    paragraphs += _name(preamble, PREAMBULAR, marker, language)
    paragraphs += _name(
        operative, OPERATIVE, marker, language, single=first_numbered is None or embedded != []
    )
    if embedded:
        paragraphs += _name(embedded, ANNEX, marker, language, annex_label=False)
    if annex:
        annex_main, annex_closing = _split_closing(annex)
        paragraphs += _name(assemble(annex_main, language), ANNEX, marker, language, annex_label=True)
    for paragraph in paragraphs:
        paragraph.text = _soft_hyphens(paragraph.text, block)
    doc.paragraphs = paragraphs
    doc.warnings += marker.warnings()
    _check_sequence(doc)


def _ends_with_colon(text: str) -> bool:
    return MARK_RE.sub("", text).rstrip().endswith((":", "："))


def _is_heading(piece: Piece, language: str) -> bool:
    text = MARK_RE.sub("", piece.text).strip()
    if piece.level >= 0 or not text:
        return False
    limit = 60 if language == "zh" else 160
    return len(text) <= limit and text.rstrip(CLOSERS)[-1:] not in TERMINAL


def _split_closing(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split off the date and meeting lines that close a resolution."""
    for index, line in enumerate(lines):
        if ZH_MEETING.match(line.text) or EN_MEETING.match(line.text):
            start = index
            if index > 0 and _is_date_line(lines[index - 1].text):
                start = index - 1
            return lines[:start], lines[start:]
    return lines, []


def _is_date_line(text: str) -> bool:
    return bool(
        re.fullmatch(r"\s*" + ZH_DATE.pattern + r"\s*", text)
        or re.fullmatch(r"\s*" + EN_DATE.pattern + r"\s*", text, re.I)
    )


def _iso(match: re.Match, language_hint: str) -> str:
    if language_hint == "zh":
        year, month, day = match.group(1), match.group(2), match.group(3)
    else:
        day, month_name, year = match.group(1), match.group(2), match.group(3)
        month = EN_MONTHS.index(month_name.lower()) + 1
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _find_date(text: str) -> str | None:
    match = ZH_DATE.search(text)
    if match:
        return _iso(match, "zh")
    match = EN_DATE.search(text)
    if match:
        return _iso(match, "en")
    return None


def _read_closing(doc: ParsedDocument, closing: list[Line], language: str) -> None:
    for line in closing:
        if ZH_MEETING.match(line.text) or EN_MEETING.match(line.text):
            doc.meeting = re.sub(r"\s+", " ", line.text.strip())
        elif _is_date_line(line.text):
            doc.adopted_on = _find_date(line.text)


def _read_head(doc: ParsedDocument, head: list[Line], language: str) -> None:
    texts = [MARK_RE.sub("", line.text) for line in head]
    joined = "\n".join(texts)
    session = re.search(
        r"^\s*(第[一二三四五六七八九十]+届会议|\d{4}\s*年实质性会议|[A-Z][a-z]+(?:-[a-z]+)? session)\s*$",
        joined,
        re.M,
    )
    if session:
        doc.session = session.group(1).strip()
    agenda = re.search(r"(?:议程项目|Agenda item)\s*([0-9]+\s*(?:\(\s*[a-z]\s*\))?)", joined)
    if agenda:
        doc.agenda_item = re.sub(r"\s+", " ", agenda.group(1)).strip()
    adopted = re.search(r"(?:adopted by the .*? on|通过)\s*\n?\s*(\d{1,2} [A-Z][a-z]+ \d{4})", joined, re.I)
    meeting = re.search(r"at its (\d+(?:st|nd|rd|th)) meeting|第\s*(\d+)\s*次(?:全体)?会议", joined)
    if meeting and not doc.meeting:
        doc.meeting = f"{meeting.group(1)} meeting" if meeting.group(1) else f"第 {meeting.group(2)} 次会议"
    if adopted:
        doc.adopted_on = _find_date(adopted.group(1))
    else:
        for text in texts:
            if re.search(r"\d+\s*日.*(?:决议|通过)\s*$", text):
                doc.adopted_on = _find_date(text)
    # The title follows "71/322." or, in a draft, stands just before the formula.
    title_lines: list[str] = []
    for index, text in enumerate(texts):
        match = SYMBOL_NUMBER_LINE.match(text)
        if match:
            title_lines = [match.group(2)] if match.group(2) else []
            title_lines += [t.strip().strip("*") for t in texts[index + 1 :] if t.strip()]
            break
    if not title_lines:
        pieces = assemble(head, language, sequential=False)
        candidates = [p.text for p in pieces if p.text and not _is_furniture(p.text)]
        for piece_text in candidates:
            sponsors = re.match(
                r"^(.*?)[:：]\s*(?:订正)?决议草案\s*$|^(.*?):\s*(?:revised )?draft resolution\s*$", piece_text
            )
            if sponsors:
                names = sponsors.group(1) or sponsors.group(2)
                doc.sponsors = [
                    n.strip()
                    for n in re.split(r"、|,\s*(?:and\s+)?|\s+and\s+|和(?=[^和]*$)", names)
                    if n.strip()
                ]
                doc.doc_type = DRAFT_RESOLUTION
        if candidates:
            title_lines = [candidates[-1]]
    doc.title = _join_title(title_lines, language)
    body = re.search(r"(大会|经济及社会理事会|General Assembly|Economic and Social Council)", joined)
    if body and not doc.body:
        doc.body = BODIES[body.group(1)]


def _join_title(parts: list[str], language: str) -> str:
    title = ""
    for part in parts:
        title = _join(title, part.strip(), language)
    return re.sub(r"\s+", " ", title).strip() if language == "en" else title.strip()


def _symbol_from_head(head: list[Line], body: str | None) -> str | None:
    for line in head:
        match = SYMBOL_NUMBER_LINE.match(line.text)
        if match:
            number = match.group(1)
            if re.match(r"^\d{4}/", number) and body in (None, "ECOSOC"):
                return f"E/RES/{number}"
            if body in (None, "GA"):
                return f"A/RES/{number}"
            if body == "HRC":
                return f"A/HRC/RES/{number}"
            return None
    for line in head:
        match = SC_LINE.match(line.text)
        if match:
            number, year = match.group(1) or match.group(3), match.group(2) or match.group(4)
            return f"S/RES/{number} ({year})"
    for line in head:
        if re.fullmatch(r"\s*(?:A|E|S|A/HRC)/RES/[0-9/]+(?: \(\d{4}\))?\s*", line.text):
            return line.text.strip()
    return None


def _fill_report(doc: ParsedDocument, lines: list[Line], block: Block, offset: int, language: str) -> None:
    first = next((i for i, line in enumerate(lines) if NUMBER_START.match(line.text)), len(lines))
    head = lines[:first]
    _read_head(doc, head, language)
    doc.title = next(
        (MARK_RE.sub("", line.text) for line in head if re.search(r"的报告$|^Report of", line.text)),
        doc.title,
    )
    doc.body = (
        "GA"
        if "第三委员会" in " ".join(line.text for line in head)
        or "Committee" in " ".join(line.text for line in head)
        else doc.body
    )
    pieces = assemble(lines[first:], language)
    notes = _notes_for(block, offset, offset + len(lines))
    doc.footnotes = [ParsedFootnote(n, t) for n, t in sorted(notes.items())]
    marker = _MarkFinder(notes, language, explicit=block.explicit_marks)
    doc.paragraphs = _name(pieces, REPORT, marker, language)
    doc.warnings += marker.warnings()


# ---------------------------------------------------------------------------
# Naming: anchors and labels


def _name(
    pieces: list[Piece],
    kind: str,
    marker: _MarkFinder,
    language: str,
    single: bool = False,
    annex_label: bool = True,
) -> list[ParsedParagraph]:
    out: list[ParsedParagraph] = []
    top = 0  # preambular count, or the last operative number
    letter = ""
    roman = ""
    heading = ""
    unnumbered = 0
    for piece in pieces:
        text = piece.text.strip()
        if kind in (ANNEX, REPORT) and _is_heading(piece, language):
            heading = MARK_RE.sub("", text)
            continue
        level = piece.level
        number = piece.number
        if level == 2 or (level == 1 and number in ROMANS and letter and _after(letter) != number):
            # (i) after (h) is a letter; after anything else it is a roman numeral.
            level, roman = 2, number
        elif level == 1:
            letter, roman = number, ""
        if kind == PREAMBULAR:
            if level <= 0:
                top += 1
                letter = roman = ""
                parts = [str(top)]
            else:
                parts = [str(top), letter] + ([roman] if level == 2 else [])
        else:
            if level == 0:
                top = int(number)
                letter = roman = ""
                parts = [str(top)]
            elif level == -1:
                if kind in (REPORT,) and out:
                    out[-1].text += "\n" + marker.clean(text, out[-1])
                    continue
                if kind == OPERATIVE and out and not single and top:
                    # Operative paragraphs are all numbered: text without a number
                    # continues the one before (a break the layout put there).
                    out[-1].text = _join(out[-1].text, marker.clean(text, out[-1]), language)
                    marker.notes.append(
                        f"text without a number after {out[-1].label} was joined to it: check it"
                    )
                    continue
                if single or (kind == OPERATIVE and top == 0):
                    top += 1
                    parts = [str(top)]
                else:
                    unnumbered += 1
                    parts = [f"{top}", f"u{unnumbered}"] if top else [f"u{unnumbered}"]
            else:
                parts = [str(top), letter] + ([roman] if level == 2 else [])
        paragraph = ParsedParagraph(
            anchor=_anchor(kind, parts),
            kind=kind,
            label=_label_en(kind, parts, annex_label),
            label_zh=_label_zh(kind, parts, annex_label),
            text="",
            number=piece.printed,
            level=max(level, 0),
            heading=heading,
        )
        paragraph.text = marker.clean(text, paragraph)
        out.append(paragraph)
    return out


def _after(letter: str) -> str:
    return chr(ord(letter[-1]) + 1) if letter else "a"


def _anchor(kind: str, parts: list[str]) -> str:
    prefix = {PREAMBULAR: "pp", OPERATIVE: "op", ANNEX: "annex-", REPORT: "para"}[kind]
    anchor = prefix + parts[0] + "".join(parts[1:2])
    if len(parts) > 2:
        anchor += "-" + parts[2]
    return anchor


def _label_en(kind: str, parts: list[str], annex_label: bool) -> str:
    tail = "".join(f" ({p})" for p in parts[1:])
    if kind == PREAMBULAR:
        return f"PP {parts[0]}{tail}"
    if kind == OPERATIVE:
        return f"OP {parts[0]}{tail}"
    if kind == ANNEX:
        return f"{'annex, ' if annex_label else ''}para. {parts[0]}{tail}"
    return f"para. {parts[0]}{tail}"


def _label_zh(kind: str, parts: list[str], annex_label: bool) -> str:
    tail = "".join(f"({p})" for p in parts[1:])
    number = f"第{parts[0]}{tail}段"
    if kind == PREAMBULAR:
        return "序言部分" + number
    if kind == OPERATIVE:
        return "执行部分" + number
    if kind == ANNEX and annex_label:
        return "附件" + number
    return number


# ---------------------------------------------------------------------------
# Footnote marks


class _MarkFinder:
    """Take footnote marks out of paragraph text, in document order."""

    def __init__(self, notes: dict[int, str], language: str, explicit: bool):
        self.notes_by_number = notes
        self.language = language
        self.explicit = explicit
        self.expected = min(notes) if notes else None
        self.used: set[int] = set()
        self.notes: list[str] = []  # other things a reviewer should look at

    def clean(self, text: str, paragraph: ParsedParagraph) -> str:
        if not self.explicit and self.notes_by_number:
            text = self._mark_numbers(text)
        found = [int(n) for n in MARK_RE.findall(text)]
        for number in found:
            self.used.add(number)
            if number not in paragraph.footnotes:
                paragraph.footnotes.append(number)
            if self.expected is not None and number >= self.expected:
                self.expected = number + 1
        if self.language == "zh":
            text = MARK_RE.sub("", text)
            # Spaces the extractor left between Chinese characters and marks.
            text = re.sub(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])", "", text)
        else:
            text = re.sub(r"\s*\u27e6\d+\u27e7", "", text)
        return re.sub(r"[ \t]+", " ", text).strip()

    def _mark_numbers(self, text: str) -> str:
        if self.language == "zh":
            pattern = re.compile(
                r"(?<=[" + CJK + r"，。；：、》”）)」’])(\d{1,3})(?=\s|$|[" + CJK + r"《“(（，。；：、])"
            )
        else:
            # " 5" after a word or punctuation, or glued to punctuation: ",5".
            pattern = re.compile(r"(?:(?<=[A-Za-z0-9,.;:)”’\"]) |(?<=[,;:)”’\"]))(\d{1,3})(?=\s|$|[,;.])")
        out = []
        last = 0
        for match in pattern.finditer(text):
            number = int(match.group(1))
            if not self._is_mark(text, match, number):
                continue
            out.append(text[last : match.start(1)])
            out.append(MARK.format(number))
            last = match.end(1)
            if self.expected is not None and number >= self.expected:
                self.expected = number + 1
            self.used.add(number)
        out.append(text[last:])
        return "".join(out)

    def _is_mark(self, text: str, match: re.Match, number: int) -> bool:
        if number not in self.notes_by_number:
            return False
        after = text[match.end(1) : match.end(1) + 4].lstrip()
        if self.language == "zh":
            if re.match(r"^[年月日号届次卷条段款章节%个名项票岁至\-/.]", after):
                return False
        else:
            before_word = re.search(r"(\S+)\s?$", text[: match.start(1)])
            word = before_word.group(1).lower() if before_word else ""
            glued = not text[: match.start(1)].endswith(" ")
            if glued and re.search(r"\d", word):
                return False  # "paragraphs 1,2 and 3"
            if word[-1:] not in (",", ";", ":", ")", "”", "’"):
                if re.search(r"\d", word) and not re.fullmatch(r"\d{4}", word):
                    return False
                if word in EN_STOP or word in EN_MONTHS:
                    return False
            if re.match(r"^(" + "|".join(EN_MONTHS) + r"|per\b|%)", after, re.I):
                return False
        if number == self.expected:
            return True
        # A footnote referred to again keeps its number (the Convention, 5).
        return number in self.used and number < (self.expected or 0)

    def warnings(self) -> list[str]:
        missing = sorted(set(self.notes_by_number) - self.used)
        if not missing:
            return list(self.notes)
        listed = ", ".join(str(n) for n in missing)
        return self.notes + [
            f"footnote {listed} {'is' if len(missing) == 1 else 'are'} not referenced in the text"
        ]


def _check_sequence(doc: ParsedDocument) -> None:
    numbers = [
        int(p.anchor[2:])
        for p in doc.paragraphs
        if p.kind == OPERATIVE and p.level == 0 and p.anchor[2:].isdigit()
    ]
    for previous, current in zip(numbers, numbers[1:]):
        if current != previous + 1:
            doc.warnings.append(
                f"operative paragraph {current} follows {previous}: a paragraph may be missing"
            )


def _references(text: str, block: Block) -> list[str]:
    found: list[str] = []
    for symbol in block.references + SYMBOL_IN_TEXT.findall(text):
        symbol = symbol.rstrip(".,;")
        if symbol.count("/") >= 1 and symbol not in found and "undocs.org" not in symbol:
            found.append(symbol)
    return found
