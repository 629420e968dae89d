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
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", f"\n{PAGE_BREAK}\n")
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    raw = text.split("\n")
    if layout == "markdown" or re.search(r"<sup>\s*\d+\s*</sup>|^\s*#{1,6}\s|\*\*|[¹²³⁴⁵⁶⁷⁸⁹]", text, re.M):
        return _markdown_lines(raw)
    blocks = _blocks(raw)
    if _one_paragraph_per_block(blocks):
        return _paragraph_lines(blocks, language)
    nonblank = [i for i, line in enumerate(raw) if line.strip()]
    followed_by_blank = sum(1 for i in nonblank if i + 1 < len(raw) and raw[i + 1] == "")
    if nonblank and followed_by_blank >= 0.6 * len(nonblank):
        return _spaced_pdf_lines(raw)
    block = _plain_pdf_lines(raw)
    if language == "zh":
        _chinese_line_ends(block)
    return block


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
    # A one-page amendment has only a few paragraphs, and many heading lines.
    short = len(blocks) <= 20
    if len(long) < (1 if short else 3) or len(long) < (0.1 if short else 0.3) * len(blocks):
        return False
    ended = sum(1 for b in long if ends_sentence(b[-1]))
    inner = sum(1 for b in blocks if any(number_at_start(x) or FORMULA.match(x) for x in b[1:]))
    return ended >= 0.85 * len(long) and inner <= 0.05 * len(blocks)


FOOTNOTE_BLOCK = re.compile(r"^\[?(\d{1,3})\]?\s+(\S.*)$")


def _paragraph_lines(blocks: list[list[str]], language: str) -> Block:
    """One paragraph per line or block: each block is a logical line that ends a paragraph.

    Footnote texts ("1 Resolution 217 A (III).") are read after the body only: after a
    rule, the closing meeting line or a footnote before them, numbered in sequence.
    """
    block = Block()
    notes_open = False
    for lines in blocks:
        text = ""
        for line in lines:
            text = join_lines(text, line, language)
        if URL_LINE.match(text):
            _references_from_url(text, block)
            continue
        if RULE_LINE.match(text):
            notes_open = True
            continue
        if is_furniture(text):
            continue
        note = FOOTNOTE_BLOCK.match(text)
        due = block.footnotes[-1][1] + 1 if block.footnotes else 1
        if notes_open and note and int(note.group(1)) == due:
            block.footnotes.append((len(block.lines), due, note.group(2).strip()))
            continue
        block.lines.append(Line(text, ends=True))
        notes_open = notes_open or bool(EN_MEETING.match(text) or ZH_MEETING.match(text))
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
        if (not wrapped or width(line.text) < 0.95 * full) and ends_sentence(line.text):
            line.ends = True


def _references_from_url(line: str, block: Block) -> None:
    match = OFFICIAL_LINK.search(line)
    if match and match.group(1) not in block.references:
        block.references.append(match.group(1).rstrip("/"))


# The sponsors' line of a draft ends its heading line: the title follows.
SPONSORS_END = re.compile(r"(?:[:：]\s*(?:订正)?决议草案|:\s*(?:revised )?draft resolution)\s*$")


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
    for line, following in pairwise(block.lines):
        long_enough = len(line.text) >= (40 if CJK_RE.search(line.text) else 80)
        if (
            long_enough
            and not ends_sentence(line.text)
            and not number_at_start(following.text)
            and not FORMULA.match(following.text)
            and not SPONSORS_END.search(line.text)
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
        if is_furniture(text) or SYMBOL_ONLY_LINE.match(text) or PAGE_AND_JOB.match(text):
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
                block.footnotes[-1] = (pos, number, join_lines(body, text.strip(), "zh"))
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


def is_furniture(line: str) -> bool:
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
    symbols = {line.strip() for line in lines[:12] if SYMBOL_ONLY_LINE.match(line)}

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
                _add_line(block, line)
            i += 1
            continue
        end = _region_end(lines, i, is_header)
        _pair_notes(lines[i : end + 1], is_header, block)
        i = end + 1
    return block


def _add_line(block: Block, line: str) -> None:
    """A line of text; a blank line after a full stop or colon separates blocks (a heading follows)."""
    if line.strip() and not (not block.lines and is_furniture(line)):
        block.lines.append(Line(line.strip()))
    elif (
        not line.strip()
        and block.lines
        and MARK_RE.sub("", block.lines[-1].text).rstrip(CLOSERS)[-1:] in ".:"
    ):
        block.lines[-1].ends = True


def _region_end(lines: list[str], i: int, is_header) -> int:
    """Where the page-break region starting at line `i` ends: after the next page's running
    header, at a form feed, or (on the last page) where its footnotes end."""
    end = i
    header_seen = False
    j = i
    limit = min(len(lines), i + 80)
    page_ended = False  # a form feed: the extractor says where the page ends
    while j < limit:
        candidate = lines[j]
        if candidate == PAGE_BREAK:
            page_ended, end = True, j
        elif not candidate.strip() or is_furniture(candidate) or URL_LINE.match(candidate):
            pass  # blank lines and furniture belong to the region
        elif is_header(candidate):
            header_seen, end = True, j
        elif header_seen or page_ended:
            break
        j += 1
    if header_seen or page_ended:  # a page break bounds the region itself
        return end
    # No running header follows: the last page. Its footnotes run to the end, unless
    # body text (a numbered paragraph, the closing) follows.
    end = i
    for k in range(i, limit):
        if is_furniture(lines[k]):
            end = k
    rest = [x for x in lines[end + 1 :] if x.strip()]
    if not any(number_at_start(x.strip()) or EN_MEETING.match(x) or FORMULA.match(x) for x in rest):
        end = len(lines) - 1
    return end


def _pair_notes(region: list[str], is_header, block: Block) -> None:
    numbers: list[int] = []
    entries: list[str] = []
    open_entry = False
    for line in region:
        text = line.strip()
        if not text or is_furniture(line) or URL_LINE.match(line) or is_header(line):
            continue
        if re.fullmatch(r"\d{1,3}", text):
            numbers.append(int(text))
            continue
        inline = re.match(r"^(\d{1,3})\s+([A-Z(\u3400-\u9fff《“].*)$", text)
        if inline and not open_entry:
            numbers.append(int(inline.group(1)))
            text = inline.group(2)
        if open_entry and entries:
            entries[-1] = join_lines(entries[-1], text, "en")
        else:
            entries.append(text)
        open_entry = not text.rstrip(CLOSERS).endswith((".", "。"))
    position = len(block.lines)
    # A damaged page can leave more numbers than texts or the reverse: the extra ones are dropped.
    for number, text in zip(sorted(numbers), entries, strict=False):
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
