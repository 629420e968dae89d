"""Stage 1: logical lines, by layout.

Reads how the text was laid out (Markdown from a Word file, PDF text with a blank
line after every line, or single-spaced PDF text), drops the page furniture, and
hands on the body lines, the footnote texts paired with their numbers, and the
undocs links it found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from .symbols import OFFICIAL_LINK, SYMBOL_ONLY_LINE
from .text import (
    CJK,
    CJK_RE,
    CLOSERS,
    EN_MEETING,
    FORMULA,
    MARK,
    MARK_RE,
    NUMBER_START,
    SYMBOL_NUMBER_LINE,
    ZH_MEETING,
    ends_sentence,
    join_lines,
    number_at_start,
)

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
    # English words of the whole text, set by assembly.repair_words: a soft hyphen
    # can only be resolved once every line has been read.
    vocabulary: set[str] = field(default_factory=set)
    hyphenated: set[str] = field(default_factory=set)


def split_layout(text: str, language: str, layout: str | None = None) -> Block:
    text = _normalised(text)
    raw = text.split("\n")
    if layout == "markdown" or MARKDOWN_SIGNS.search(text):
        return _markdown_lines(raw)
    blocks = _blocks(raw)
    if _one_paragraph_per_block(blocks):
        return _paragraph_lines(blocks, language)
    if _blank_after_every_line(raw):
        return _spaced_pdf_lines(raw)
    block = _plain_pdf_lines(raw)
    if language == "zh":
        _chinese_line_ends(block)
    return block


# Footnote markup, a Markdown heading or bold, a superscript digit: the text is Markdown.
MARKDOWN_SIGNS = re.compile(r"<sup>\s*\d+\s*</sup>|^\s*#{1,6}\s|\*\*|[¹²³⁴⁵⁶⁷⁸⁹]", re.M)


def _normalised(text: str) -> str:
    """Return the text with one kind of line end, page breaks on lines of their own, and
    plain spaces for no-break and ideographic ones."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", f"\n{PAGE_BREAK}\n")
    return text.replace("\u00a0", " ").replace("\u3000", " ")


def _blank_after_every_line(raw: list[str]) -> bool:
    """Is a blank line after most (60 %) lines: PDF text as Chinese extraction gives it?"""
    nonblank = [i for i, line in enumerate(raw) if line.strip()]
    followed_by_blank = sum(1 for i in nonblank if raw[i + 1 : i + 2] == [""])
    return bool(nonblank) and followed_by_blank >= 0.6 * len(nonblank)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _blocks(raw: list[str]) -> list[list[str]]:
    """Group the non-blank lines into blocks separated by blank lines (or page breaks)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in raw + [""]:
        if line.strip() and line != PAGE_BREAK:
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    return blocks


# Wider than any printed line (about 40 Chinese characters or 90 letters a line).
PRINTED_WIDTH = 90


def _one_paragraph_per_block(blocks: list[list[str]]) -> bool:
    """Is this text one paragraph per line or block (a web page or word processor copy)?

    Its paragraphs are wider than a printed line and end as sentences and clauses do
    (",", ";", ".", "，", "；", "。"); no block holds a second paragraph number or the
    enacting formula. PDF text fails one test or the other: its lines wrap at the page
    width and end mid-sentence, or its blocks are whole pages.
    """
    if len(blocks) < 4:
        return False
    long = [b for b in blocks if _width(" ".join(b)) > PRINTED_WIDTH]
    return _enough_long(len(long), len(blocks)) and _end_as_sentences(long) and _one_paragraph_each(blocks)


def _enough_long(long: int, count: int) -> bool:
    """Are enough of the blocks wider than a printed line?"""
    # A one-page amendment has only a few paragraphs, and many heading lines.
    short = count <= 20
    return long >= (1 if short else 3) and long >= (0.1 if short else 0.3) * count


def _end_as_sentences(blocks: list[list[str]]) -> bool:
    """Do nearly all (85 %) blocks end as a sentence or clause does?"""
    return sum(1 for b in blocks if ends_sentence(b[-1])) >= 0.85 * len(blocks)


def _one_paragraph_each(blocks: list[list[str]]) -> bool:
    """Do nearly all (95 %) blocks hold no second paragraph number and no formula after their first line?"""
    inner = sum(1 for b in blocks if any(_opens_paragraph(x) for x in b[1:]))
    return inner <= 0.05 * len(blocks)


def _opens_paragraph(text: str) -> bool:
    """Does a (stripped) line open a numbered paragraph or the enacting formula?"""
    return bool(number_at_start(text) or FORMULA.match(text))


FOOTNOTE_BLOCK = re.compile(r"^\[?(\d{1,3})\]?\s+(\S.*)$")


def _paragraph_lines(blocks: list[list[str]], language: str) -> Block:
    """One paragraph per line or block: each block is a logical line that ends a paragraph.

    Footnote texts ("1 Resolution 217 A (III).") are read after the body only: after a
    rule, the closing meeting line or a footnote before them, numbered in sequence.
    """
    block = Block()
    notes_open = False
    for lines in blocks:
        text = _joined(lines, language)
        if URL_LINE.match(text):
            _references_from_url(text, block)
        elif RULE_LINE.match(text):
            notes_open = True
        elif is_furniture(text):
            continue
        elif not (notes_open and _add_due_footnote(text, block)):
            block.lines.append(Line(text, ends=True))
            notes_open = notes_open or _is_meeting_line(text)
    return block


def _joined(lines: list[str], language: str) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line, language)
    return text


def _add_due_footnote(text: str, block: Block) -> bool:
    """Add `text` as a footnote if it is the one due next ("2 Resolution …" after note 1);
    return whether it was."""
    note = FOOTNOTE_BLOCK.match(text)
    due = block.footnotes[-1][1] + 1 if block.footnotes else 1
    if note and int(note.group(1)) == due:
        block.footnotes.append((len(block.lines), due, note.group(2).strip()))
        return True
    return False


def _is_meeting_line(text: str) -> bool:
    """Is a line the closing meeting line ("85th plenary meeting"), after which notes follow?"""
    return bool(EN_MEETING.match(text) or ZH_MEETING.match(text))


def _chinese_line_ends(block: Block) -> None:
    """Single-spaced Chinese text: a short line that ends a sentence ends a paragraph.

    Chinese wraps at a fixed width, so a line that stops well before the usual
    width, on a punctuation mark that can end a paragraph, is the last line.
    """
    full = _usual_width(block.lines)
    if full is None:
        return
    # A printed page holds about 40 Chinese characters a line; much longer lines
    # are whole paragraphs (text copied from a web page or a word processor).
    wrapped = full <= 100
    block.inferred_ends = wrapped
    for line in block.lines:
        if (not wrapped or _width(line.text) < 0.95 * full) and ends_sentence(line.text):
            line.ends = True


def _usual_width(lines: list[Line]) -> int | None:
    """Return the width that most (80 %) lines reach, None without lines."""
    widths = sorted(_width(line.text) for line in lines)
    return widths[int(len(widths) * 0.8)] if widths else None


def _references_from_url(line: str, block: Block) -> None:
    match = OFFICIAL_LINK.search(line)
    if match and match.group(1) not in block.references:
        block.references.append(match.group(1).rstrip("/"))


# The sponsors' line of a draft ends its heading line: the title follows. A "*" or "**" may
# stand after the colon or at the end (the notes "On behalf of …", "Any changes to the list
# of sponsors …").
SPONSORS_END = re.compile(
    r"(?:[:：]\s*\**\s*(?:订正)?决(?:议|定)草案|:\s*\**\s*(?:revised )?draft (?:resolution|decision))\**\s*$"
)
# A footnote text opening with its number: "<sup>1</sup> text", "¹ text" or "⟦1⟧ text".
MARKDOWN_FOOTNOTE = re.compile(r"^(?:<sup>\s*(\d+)\s*</sup>|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)|\u27e6(\d+)\u27e7)\s*(.+)$")


def _markdown_lines(raw: list[str]) -> Block:
    block = Block(explicit_marks=True)
    for line in raw:
        stripped = line.strip()
        if not stripped or RULE_LINE.match(stripped):
            continue
        if URL_LINE.match(stripped):
            _references_from_url(stripped, block)
            continue
        text = _without_markdown(stripped)
        footnote = _markdown_footnote(text)
        if footnote:
            block.footnotes.append((len(block.lines), *footnote))
        else:
            block.lines.append(Line(_marks_from_markup(text).strip(), ends=True))
    _run_on_cut_lines(block.lines)
    return block


def _without_markdown(text: str) -> str:
    """Return a line without its heading, list or emphasis markup."""
    text = re.sub(r"^#{1,6}\s*", "", text)
    text = re.sub(r"^[-*+]\s+", "", text)
    return text.replace("**", "").replace("__", "")


def _markdown_footnote(text: str) -> tuple[int, str] | None:
    """Return the number and the text of a footnote line, None for any other line."""
    footnote = MARKDOWN_FOOTNOTE.match(text)
    if not footnote:
        return None
    number = int(footnote.group(1) or footnote.group(3) or footnote.group(2).translate(SUPERSCRIPTS))
    return number, footnote.group(4).strip()


def _marks_from_markup(text: str) -> str:
    """Turn the conversion's footnote marks (<sup>1</sup>, superscript digits) into MARK tokens.

    Only the conversion's own footnote markup is read; any other markup in the text is
    the document's text and stays (it is escaped when shown).
    """
    text = re.sub(r"\s*<sup>\s*(\d+)\s*</sup>", lambda m: MARK.format(m.group(1)), text)
    return SUPERSCRIPT_RUN.sub(lambda m: MARK.format(m.group(0).translate(SUPERSCRIPTS)), text)


def _run_on_cut_lines(lines: list[Line]) -> None:
    """A body line cut mid-sentence (a page break in the source) runs on."""
    for line, following in pairwise(lines):
        if _cut_mid_sentence(line.text) and not _opens_paragraph(following.text):
            line.ends = False


def _cut_mid_sentence(text: str) -> bool:
    """Is a line long enough to be cut by a page break, and does it stop mid-sentence (not
    at a sentence's end or a draft's sponsors, after which its title follows)?"""
    long_enough = len(text) >= (40 if CJK_RE.search(text) else 80)
    return long_enough and not ends_sentence(text) and not SPONSORS_END.search(text)


def _spaced_pdf_lines(raw: list[str]) -> Block:
    """PDF text with a blank line after every line (Chinese extraction).

    Physical lines with no blank line between them belong together: a footnote
    mark at the end of a line pushes the rest of it (often just the trailing
    space that ends a paragraph) onto a line of its own. A trailing space ends
    a paragraph; two leading spaces start a page.
    """
    block = Block()
    zone = ""  # "" body, "notes" after the rule, "page" after links or furniture
    for text in _spaced_logical_lines(raw):
        if URL_LINE.match(text):
            _references_from_url(text, block)
        opened = _zone_opened(text)
        if opened:
            zone = opened
        elif not text.strip():
            _blank_spaced_line(block, zone)
        elif not (zone == "notes" and _add_spaced_footnote(text, block)):
            # A line after links or furniture is the first of a page.
            block.lines.append(
                Line(text.strip(), ends=_spaced_end(text), page_start=_starts_page(text) or bool(zone))
            )
            zone = ""
    return block


def _spaced_logical_lines(raw: list[str]) -> list[str]:
    """Join the physical lines of spaced PDF text into logical lines."""
    logical: list[str] = []
    current: list[str] = []
    for line in raw + [""]:
        if line == "":
            _close_line(current, logical)
        elif URL_LINE.match(line):
            _close_line(current, logical)
            logical.append(line)
        elif _starts_page(line) and current:
            # Two leading spaces start a page (or a heading) even without a blank line.
            _close_line(current, logical)
            current.append(line)
        else:
            current.append(line)
            if line != line.rstrip():
                # A trailing space closes the line: what follows is a new one.
                _close_line(current, logical)
    return logical


def _close_line(current: list[str], logical: list[str]) -> None:
    """Move the physical lines read so far, if any, to `logical` as one line."""
    if current:
        logical.append("".join(current))
        current.clear()


def _starts_page(line: str) -> bool:
    """Do two leading spaces start a page (or a heading)?"""
    return line.startswith("  ") and line.strip() != ""


def _zone_opened(text: str) -> str | None:
    """Return the zone a line of spaced PDF text opens, None for a line of text: "notes"
    after the footnote rule, "page" after links and page furniture."""
    if RULE_LINE.match(text):
        return "notes"
    if URL_LINE.match(text) or is_furniture(text) or SYMBOL_ONLY_LINE.match(text) or PAGE_AND_JOB.match(text):
        return "page"
    return None


def _blank_spaced_line(block: Block, zone: str) -> None:
    """A blank line ends the paragraph before it, in the body."""
    if not zone and block.lines:
        block.lines[-1].ends = True


def _add_spaced_footnote(text: str, block: Block) -> bool:
    """Add a line after the footnote rule to the footnotes if it opens one ("1 text") or
    carries on the last; return whether it did."""
    note = re.match(r"^ ?(\d{1,3}) +(\S.*)$", text)
    if note and not NUMBER_START.match(text.strip()):
        block.footnotes.append((len(block.lines), int(note.group(1)), note.group(2).strip()))
        return True
    if not text.startswith(" ") and block.footnotes and block.footnotes[-1][0] == len(block.lines):
        pos, number, body = block.footnotes[-1]
        block.footnotes[-1] = (pos, number, join_lines(body, text.strip(), "zh"))
        return True
    return False


def _spaced_end(text: str) -> bool:
    """A trailing space ends a paragraph, unless it follows a footnote mark mid-sentence."""
    if text == text.rstrip():
        return False
    return not re.search(f"[{CJK}]\\d{{1,3}}\\s*$", text)


# Lines that stand outside the text on every page (PAGE_BREAK too).
FURNITURE = (PAGE_NUMBER, JOB_NUMBER, BARCODE, DATE_CODE, RECYCLE, RULE_LINE)


def is_furniture(line: str) -> bool:
    return line == PAGE_BREAK or any(pattern.match(line) for pattern in FURNITURE)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@dataclass(frozen=True)
class RunningHeader:
    """What the running header at the top of each page repeats: a symbol of page one's
    top, or part of the title."""

    symbols: set[str]
    title_key: str

    @classmethod
    def of(cls, lines: list[str]) -> RunningHeader:
        symbols = {line.strip() for line in lines[:12] if SYMBOL_ONLY_LINE.match(line)}
        return cls(symbols, _squash(" ".join(_first_title_lines(lines))))

    def matches(self, line: str) -> bool:
        key = _squash(line)
        return line.strip() in self.symbols or (
            len(key) > 8 and bool(self.title_key) and key in self.title_key
        )


def _plain_pdf_lines(raw: list[str]) -> Block:
    """Single-spaced PDF text (the English official files).

    A page break is a region that starts at the footnote rule, a page number
    or a job number, and ends after the running header (the document symbol
    and the title again) at the top of the next page. Footnote numbers and
    texts inside it come out in separate runs; they are paired in order.
    """
    lines = [line if line == PAGE_BREAK else line.rstrip() for line in raw]
    header = RunningHeader.of(lines)
    block = Block()
    i = 0
    while i < len(lines):
        line = lines[i]
        if URL_LINE.match(line):
            _references_from_url(line, block)
        elif not _starts_break_region(line):
            _add_line(block, line)
        elif block.lines:  # furniture before any text (a masthead's page number) is skipped
            end = _region_end(lines, i, header)
            _pair_notes(lines[i : end + 1], header, block)
            i = end
        i += 1
    return block


def _starts_break_region(line: str) -> bool:
    """Does a line start a page break: the footnote rule, a page or job number, a form feed?"""
    return bool(
        RULE_LINE.match(line) or PAGE_NUMBER.match(line) or JOB_NUMBER.match(line) or line == PAGE_BREAK
    )


def _add_line(block: Block, line: str) -> None:
    """A line of text; a blank line after a full stop or colon separates blocks (a heading follows)."""
    if not line.strip():
        if block.lines and MARK_RE.sub("", block.lines[-1].text).rstrip(CLOSERS)[-1:] in ".:":
            block.lines[-1].ends = True
    elif block.lines or not is_furniture(line):
        block.lines.append(Line(line.strip()))


# How far (in lines) a page-break region may reach.
REGION_REACH = 80


def _region_end(lines: list[str], i: int, header: RunningHeader) -> int:
    """Where the page-break region starting at line `i` ends: after the next page's running
    header, at a form feed, or (on the last page) where its footnotes end."""
    limit = min(len(lines), i + REGION_REACH)
    end = _next_page_top(lines, i, limit, header)
    return end if end is not None else _last_page_end(lines, i, limit)


def _next_page_top(lines: list[str], i: int, limit: int, header: RunningHeader) -> int | None:
    """Return the last line of the region before the next page's text: the running header
    or the form feed, None if neither comes."""
    end = None
    for j in range(i, limit):
        candidate = lines[j]
        if candidate == PAGE_BREAK:  # a form feed: the extractor says where the page ends
            end = j
        elif _belongs_to_region(candidate):
            continue
        elif header.matches(candidate):
            end = j
        elif end is not None:
            break
    return end


def _belongs_to_region(line: str) -> bool:
    """Blank lines, furniture and links belong to a page-break region."""
    return bool(not line.strip() or is_furniture(line) or URL_LINE.match(line))


def _last_page_end(lines: list[str], i: int, limit: int) -> int:
    """No running header follows: the last page. Its footnotes run to the end, unless body
    text (a numbered paragraph, the closing) follows its last furniture."""
    end = i
    for k in range(i, limit):
        if is_furniture(lines[k]):
            end = k
    if any(_resumes_body(line) for line in lines[end + 1 :]):
        return end
    return len(lines) - 1


def _resumes_body(line: str) -> bool:
    return _opens_paragraph(line.strip()) or bool(EN_MEETING.match(line))


def _pair_notes(region: list[str], header: RunningHeader, block: Block) -> None:
    numbers, entries = _note_numbers_and_texts(region, header)
    position = len(block.lines)
    # A damaged page can leave more numbers than texts or the reverse: the extra ones are dropped.
    for number, text in zip(sorted(numbers), entries, strict=False):
        block.footnotes.append((position, number, text))


def _note_numbers_and_texts(region: list[str], header: RunningHeader) -> tuple[list[int], list[str]]:
    """Return the footnote numbers and the footnote texts of a page-break region, each in order."""
    numbers: list[int] = []
    entries: list[str] = []
    open_entry = False  # the last text runs on: it does not end a sentence
    for line in region:
        text = line.strip()
        if _belongs_to_region(line) or header.matches(line):
            continue
        if re.fullmatch(r"\d{1,3}", text):
            numbers.append(int(text))
            continue
        inline = None if open_entry else re.match(r"^(\d{1,3})\s+([A-Z(\u3400-\u9fff《“].*)$", text)
        if inline:
            numbers.append(int(inline.group(1)))
            text = inline.group(2)
        if open_entry:
            entries[-1] = join_lines(entries[-1], text, "en")
        else:
            entries.append(text)
        open_entry = not text.rstrip(CLOSERS).endswith((".", "。"))
    return numbers, entries


def _first_title_lines(lines: list[str]) -> list[str]:
    """Return the title lines of page 1 (between "71/322." and the formula)."""
    for index, line in enumerate(lines[:80]):
        match = SYMBOL_NUMBER_LINE.match(line)
        if match:
            return _title_from(match, lines[index + 1 : index + 15])
    return []


def _title_from(match: re.Match, following: list[str]) -> list[str]:
    """Return the title that starts on the line after the resolution's number, up to the formula."""
    title = [match.group(2)] if match.group(2) else []
    for line in following:
        if FORMULA.match(line):
            break
        if line.strip():
            title.append(line.strip())
    return title
