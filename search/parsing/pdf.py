"""Read a PDF by its layout: where each character stands and how large it is.

The bytes of a PDF in, the Markdown-like lines that `split_layout(..., "markdown")`
reads out: one line per paragraph, footnote marks as certain marks (`MARK`),
footnote texts as ``MARK text`` lines at the end. What the page says and text
extraction loses is read from the positions:

* page furniture (running headers, page numbers, job numbers, bar codes) stands
  in the top and bottom bands of every page, outside the text block;
* the masthead of page one (organ, symbol, distribution, date) stands in the top
  band of page one: the symbol, the distribution and the date of issue are kept,
  each as a line of its own;
* footnote marks are smaller characters raised above the line they stand in;
* footnote texts stand below a short rule at the foot of the page;
* a paragraph's first line is indented, its other lines start at the margin, so
  a line at the margin continues the paragraph, also on the next page; paragraphs
  are set apart by more space than lines, so a wider gap ends one.

Nothing here assumes English: lines of Chinese text are joined without a space.
Pure: bytes in, text out, no file access. PDFium reads the PDF's characters and
rules (`search.parsing.pdf_chars`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from search.parsing.pdf_chars import Char, PageChars, Rule, read_pages
from search.parsing.symbols import MASTHEAD_SYMBOL
from search.parsing.text import CJK_RE, MARK, MARK_RE, ends_sentence, number_at_start

# Fractions of the page height. The running header and the page-one masthead's first
# line stand above TOP_BAND; job numbers, page numbers and bar codes below BOTTOM_BAND.
TOP_BAND = 0.09
BOTTOM_BAND = 0.928
# The masthead of page one (organ, symbol, "Distr.", date, "Original") ends above this.
MASTHEAD_BAND = 0.2
# Below this, a line that repeats the bands' job number or bar code is furniture too.
FOOT_AREA = 0.85
# A character this much smaller than its line and raised is a footnote mark.
MARK_SIZE = 0.8
DISTRIBUTION = re.compile(r"Distr\.\s*[:：]\s*\w+")
DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


@dataclass
class Line:
    text: str  # with MARK tokens where raised marks stood
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the size of most of its characters
    starts_mark: bool = False  # it opens with a mark (a footnote's number)


@dataclass
class Page:
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    masthead: list[Line] = field(default_factory=list)
    furniture: list[Line] = field(default_factory=list)
    height: float = 0.0


@dataclass(frozen=True)
class TextBlock:
    """Where the body text of a document stands: its left margin, its right edge, its size."""

    margin: float
    right: float
    text_size: float


def pdf_layout_text(data: bytes) -> str | None:
    """Return the text of a PDF as Markdown-like lines, or None if it has no layout
    to read (every line starts at one margin: text laid out without typesetting).

    What reading it may cost is bounded by the process that calls this
    (`search.ingest.sandbox`), not here.
    """
    pages = _read_pages(data)
    _drop_repeated_furniture(pages)
    body = [line for page in pages for line in page.body]
    if not body:
        return None
    margin = _margin(body)
    if _untypeset(body, margin):
        return None
    return _render(pages, _text_block(body, margin))


def _read_pages(data: bytes) -> list[Page]:
    return [_read_page(page, index) for index, page in enumerate(read_pages(data))]


def _margin(body: list[Line]) -> float:
    """Return the left margin: where most lines start."""
    return Counter(round(line.x0) for line in body).most_common(1)[0][0]


def _untypeset(body: list[Line], margin: float) -> bool:
    """Does every line start at the margin in one size (text laid out without typesetting)?"""
    indented = any(line.x0 > margin + 6 for line in body)
    return not indented and len({line.size for line in body}) == 1


def _tokens(text: str) -> set[str]:
    """Return the words of a line that carry digits (job numbers, bar codes), bare."""
    return {
        bare
        for word in text.split()
        if len(bare := re.sub(r"[^0-9A-Za-z]", "", word)) >= 5 and any(ch.isdigit() for ch in word)
    }


def _drop_repeated_furniture(pages: list[Page]) -> None:
    """Drop lines near the foot of a page that repeat what the bands of the pages hold
    (a job number or bar code set higher on page one than on the others)."""
    seen = _furniture_tokens(pages)
    for page in pages:
        page.body = [line for line in page.body if not _repeats_furniture(line, page, seen)]


def _furniture_tokens(pages: list[Page]) -> set[str]:
    seen: set[str] = set()
    for page in pages:
        for line in page.furniture:
            seen |= _tokens(line.text)
    return seen


def _repeats_furniture(line: Line, page: Page, seen: set[str]) -> bool:
    return bool(line.top > page.height * FOOT_AREA and _tokens(line.text) & seen)


def _read_page(page: PageChars, index: int) -> Page:
    lines = _lines(page.chars)
    result = Page(height=page.height)
    rule = _rule_top(page, lines)
    for line in lines:
        part = _part_of_page(line, result, index == 0, rule)
        if part is not None:
            part.append(line)
    return result


def _part_of_page(line: Line, page: Page, first: bool, rule: float | None) -> list[Line] | None:
    """Return the part of the page a line belongs to, None for the footnote rule itself."""
    if first and line.bottom < page.height * MASTHEAD_BAND:
        return page.masthead
    if _in_bands(line, page.height):
        return page.furniture
    if _is_rule_text(line.text):
        return None
    if rule is not None and line.top > rule:
        return page.notes
    return page.body


def _in_bands(line: Line, height: float) -> bool:
    """Does a line stand in the top or bottom band, where page furniture stands?"""
    return line.bottom < height * TOP_BAND or line.top > height * BOTTOM_BAND


def _is_rule_text(text: str) -> bool:
    """Is a line a rule typed as underscores?"""
    return re.fullmatch(r"_{3,}", text) is not None


def _rule_top(page: PageChars, lines: list[Line]) -> float | None:
    """Return where the footnote rule stands: a short line in the lower part of the page."""
    for line in lines:
        if _is_rule_text(line.text) and line.top > page.height * 0.3:
            return line.top
    for rule in page.rules:
        if _is_footnote_rule(rule, page):
            return rule.top
    return None


def _is_footnote_rule(rule: Rule, page: PageChars) -> bool:
    """Is a drawn line the footnote rule: thin, short, at the left, in the lower part of the page?"""
    width = rule.x1 - rule.x0
    return (
        rule.bottom - rule.top < 2
        and 30 < width < page.width * 0.4
        and rule.x0 < page.width * 0.3  # a centred rule ends the text instead
        and page.height * 0.3 < rule.top < page.height * BOTTOM_BAND
    )


def _lines(chars: list[Char]) -> list[Line]:
    """Group characters into lines by their baseline; raised small ones join the line below."""
    chars = _upright(chars)
    if not chars:
        return []
    rows = _marks_joined(_rows(chars), _common_size(chars))
    lines = [_line(row) for row in rows if _inked(row)]
    return [line for line in lines if line.text]


def _upright(chars: list[Char]) -> list[Char]:
    """Return the characters set upright, without line breaks."""
    return [c for c in chars if c.upright and c.text != "\n"]


def _inked(chars: list[Char]) -> list[Char]:
    """Return the characters that print something (not spaces)."""
    return [c for c in chars if c.text.strip()]


def _size_counts(chars: list[Char]) -> Counter:
    return Counter(round(c.size, 1) for c in _inked(chars))


def _common_size(chars: list[Char]) -> float:
    sizes = _size_counts(chars)
    return sizes.most_common(1)[0][0] if sizes else 10


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Group characters into rows that share a baseline (within 3 points), top to bottom."""
    rows: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (round(c.bottom, 1), c.x0)):
        if rows and abs(rows[-1][0].bottom - char.bottom) <= 3:
            rows[-1].append(char)
        else:
            rows.append([char])
    return rows


def _marks_joined(rows: list[list[Char]], common: float) -> list[list[Char]]:
    """Return the rows, a row of raised small characters (marks) joined to the next row whose
    top it reaches."""
    merged: list[list[Char]] = []
    for row in rows:
        if merged and _is_mark_row(row, common):
            below = _row_below(rows, row)
            if below:
                below.extend(row)
                continue
        merged.append(row)
    return merged


def _is_mark_row(row: list[Char], common: float) -> bool:
    """Is a row all small digits, asterisks or spaces, smaller than the common text?"""
    return max(c.size for c in row) < common * MARK_SIZE and all(_markish(c) for c in row)


def _row_below(rows: list[list[Char]], row: list[Char]) -> list[Char] | None:
    """Return the first row below `row` whose top reaches up to its baseline."""
    bottom = row[0].bottom
    return next((r for r in rows if r[0].bottom > bottom and _top(r) < bottom), None)


def _top(row: list[Char]) -> float:
    return min(c.top for c in row)


def _markish(char: Char) -> bool:
    return char.text.isdigit() or char.text in "* "


def _line(row: list[Char]) -> Line:
    row.sort(key=lambda c: c.x0)
    size = _size_counts(row).most_common(1)[0][0]
    reading = _LineText(size, _baseline(row, size))
    for char in row:
        reading.read(char)
    reading.close_mark()
    inked = _inked(row)
    return Line(
        text=re.sub(r"\s+", " ", "".join(reading.parts)).strip(),
        x0=inked[0].x0,
        x1=inked[-1].x1,
        top=_top(row),
        bottom=max(c.bottom for c in row),
        size=size,
        starts_mark=reading.starts_mark,
    )


def _baseline(row: list[Char], size: float) -> int:
    """Return where most characters of the line's size stand."""
    return Counter(round(c.bottom) for c in row if round(c.size, 1) == size).most_common(1)[0][0]


class _LineText:
    """The text of a line as its characters are read from left to right, raised marks as
    MARK tokens."""

    def __init__(self, size: float, baseline: float):
        self.size = size
        self.baseline = baseline
        self.parts: list[str] = []
        self.mark = ""  # the digits of a mark being read
        self.previous: Char | None = None
        self.starts_mark = False
        self.spaced = False  # the PDF wrote a space since the last character

    def read(self, char: Char) -> None:
        if not char.text.strip():
            self.spaced = True
            return
        gap = char.x0 - self.previous.x1 if self.previous is not None else 0
        if self._is_mark(char):
            self._add_mark(char, gap)
        else:
            self._add_text(char, gap)
        self.previous = char

    def _is_mark(self, char: Char) -> bool:
        """Is a character (part of) a footnote mark: a digit or "*", smaller and raised?"""
        raised = char.size < self.size * MARK_SIZE and char.bottom < self.baseline - 0.5
        return raised and (char.text.isdigit() or char.text == "*")

    def _add_mark(self, char: Char, gap: float) -> None:
        if self.mark and gap > char.size * 0.5:  # two marks side by side
            self.close_mark()
        self.mark += char.text

    def _add_text(self, char: Char, gap: float) -> None:
        self.close_mark()
        if self._is_word_gap(char, gap) and self.parts and not self.parts[-1].endswith(" "):
            self.parts.append(" ")
        self.parts.append(char.text)
        self.spaced = False

    def _is_word_gap(self, char: Char, gap: float) -> bool:
        """A space the PDF wrote counts where a gap shows; kerning alone needs more."""
        if self.previous is None:
            return False
        factor = 0.1 if self.spaced else 0.2
        return gap > min(char.size, self.previous.size) * factor

    def close_mark(self) -> None:
        if not self.mark:
            return
        # A note marked "*" (reissued, sponsors) opens a note too, one that is left out.
        self.starts_mark = self.starts_mark or not self.parts
        if self.mark.strip("*"):
            self.parts.append(MARK.format(int(self.mark.strip("*"))))
        self.mark = ""


# Lines join without a space after full-width punctuation or an opening quote, and before
# full-width punctuation or a closing quote (Chinese "“2030" wrapped after its quote).
TIGHT_END = re.compile("[\u3000-\u303f\uff00-\uffef\u201c\u2018]$")
TIGHT_START = re.compile("^[\u3000-\u303f\uff00-\uffef\u201d\u2019]")


def _join(left: str, right: str) -> str:
    if not left:
        return right
    return left + right if _joins_tight(left, right) else left + " " + right


def _joins_tight(left: str, right: str) -> bool:
    """Do two wrapped lines join without a space: Chinese, full-width punctuation or quotes
    at the seam, or a word broken at its hyphen?"""
    return bool(
        CJK_RE.match(right[:1])
        or CJK_RE.match(left[-1:])
        or TIGHT_END.search(left)
        or TIGHT_START.search(right)
        or _broken_word(left)
    )


def _broken_word(left: str) -> bool:
    return left.endswith("-") and len(left) > 1 and left[-2].isalpha()


def _render(pages: list[Page], block: TextBlock) -> str:
    notes = [note for note in _notes(pages) if note.startswith(MARK[0])]
    return "\n".join(_masthead_lines(pages[0].masthead) + _paragraphs(pages, block) + notes)


def _text_block(body: list[Line], margin: float) -> TextBlock:
    right = max(line.x1 for line in body)
    text_size = Counter(line.size for line in body).most_common(1)[0][0]
    return TextBlock(margin, right, text_size)


def _paragraphs(pages: list[Page], block: TextBlock) -> list[str]:
    paragraphs: list[str] = []
    for previous, line in _with_previous(pages):
        if previous is not None and _continues(previous, line, block):
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
    return paragraphs


# Where the line before a page's first line is taken to end: a gap between pages is not a
# gap between lines.
OFF_PAGE = -1e9


def _with_previous(pages: list[Page]):
    """Yield each body line with the line before it (None before the first), which, on the
    page before, is taken to end at OFF_PAGE."""
    previous: Line | None = None
    for page in pages:
        for line in page.body:
            yield previous, line
            previous = line
        if previous is not None:
            previous = Line(previous.text, previous.x0, previous.x1, OFF_PAGE, OFF_PAGE, previous.size)


def _across_page(previous: Line) -> bool:
    return previous.bottom == OFF_PAGE


def _notes(pages: list[Page]) -> list[str]:
    """Return the footnote texts of all pages, each opening with its number as a mark."""
    notes: list[str] = []
    due = 1  # the number the next footnote should have
    for page in pages:
        for line in page.notes:
            plain = _plain_number(line, due)
            text = _number_as_mark(line.text, plain, due)
            if line.starts_mark or plain or not notes:
                notes.append(text)
                due = _due_after(text, due)
            else:
                notes[-1] = _join(notes[-1], text)
    return notes


def _plain_number(line: Line, due: int) -> re.Match | None:
    """Match the number a footnote was set with on its line, not raised ("1 Resolution
    66/288, annex."): the number due, or "*"."""
    return None if line.starts_mark else re.match(rf"({due}|\*) (?=\S)", line.text)


def _number_as_mark(text: str, plain: re.Match | None, due: int) -> str:
    if plain and plain.group(1) != "*":
        return MARK.format(due) + " " + text[plain.end() :]
    return text


def _due_after(text: str, due: int) -> int:
    """Return the number the footnote after `text` should have."""
    numbered = MARK_RE.match(text)
    return int(numbered.group(1)) + 1 if numbered else due


def _continues(previous: Line, line: Line, block: TextBlock) -> bool:
    """Does `line` carry on the paragraph that `previous` is the last line of?"""
    if _ends_before(previous, line):
        return False
    full = _is_full(previous, block)
    if full and line.x0 < previous.x0 - 3:
        # Under an indented first line: the paragraph's other lines, wherever its block
        # starts (a short document's margin is not the most common start).
        return True
    if abs(line.x0 - block.margin) > 3:
        return _continues_set_in(previous, line, block, full)
    # The previous line must be full: a short line ends its paragraph.
    return full


def _ends_before(previous: Line, line: Line) -> bool:
    """Does a paragraph end between the lines: at a change of size, a gap wider than
    between lines, or a numbered paragraph after a clause?"""
    return (
        abs(line.size - previous.size) > 0.6
        or _spaced_apart(previous, line)
        or _numbered_after(previous, line)
    )


def _spaced_apart(previous: Line, line: Line) -> bool:
    """Are the lines (on one page) farther apart than half a line?"""
    return not _across_page(previous) and line.top - previous.bottom > line.size * 0.5


def _numbered_after(previous: Line, line: Line) -> bool:
    """Does a paragraph number start `line` after a line that ends a clause?

    "6. Emphasizes …" at the top of a page, set at the margin: a new paragraph (not
    "(c) whenever …" of a list run into a sentence).
    """
    number = number_at_start(line.text)
    return bool(number and number[2] == 0 and _ends_clause(previous.text))


def _is_full(previous: Line, block: TextBlock) -> bool:
    """Does a line run (nearly) to the right edge of the text?"""
    return previous.x1 > block.right - max(60.0, (block.right - block.margin) * 0.25)


def _continues_set_in(previous: Line, line: Line, block: TextBlock, full: bool) -> bool:
    """Does a line set in from the margin carry on the paragraph of `previous`?

    A block set in (items "(xiii)", "(xiv)" of a list) runs on at its own left edge;
    each item starts with its number.
    """
    wide = previous.x1 - previous.x0 > (block.right - block.margin) * 0.6  # not a short line set right
    if abs(line.x0 - previous.x0) <= 1.5 and full and wide and number_at_start(line.text) is None:
        return True
    return _hangs_under_heading(previous, line, block)


def _hangs_under_heading(previous: Line, line: Line, block: TextBlock) -> bool:
    """Hanging lines of a heading (a title) sit right of its first line, in a larger size."""
    return line.size > block.text_size * 1.05 and line.x0 > previous.x0 + 3 and not _across_page(previous)


def _ends_clause(text: str) -> bool:
    """Does a line end a clause or sentence ("…;", "…." and its footnote marks)? A comma
    does not: "…, 5,⏎6. and 7" is no new paragraph."""
    return ends_sentence(text) and not re.sub(r"[\s\d]+$", "", MARK_RE.sub("", text)).endswith((",", "，"))


def _marks_as_digits(text: str) -> str:
    """The masthead mixes sizes: digits smaller than "United Nations" are no marks."""
    return MARK_RE.sub(r"\1", text)


def _masthead_lines(masthead: list[Line]) -> list[str]:
    """Return the symbol, the distribution and the date of issue of page one's masthead."""
    symbol = _masthead_symbol(masthead)
    return ([symbol] if symbol else []) + _masthead_issue(masthead)


def _masthead_issue(masthead: list[Line]) -> list[str]:
    """Return the distribution ("Distr.: General") and the date of issue under it, as lines."""
    texts = [_marks_as_digits(line.text) for line in masthead]
    for index, text in enumerate(texts):
        match = DISTRIBUTION.search(text)
        if match:
            return [match.group(0)] + _dates(texts[index + 1 : index + 2])
    return []


def _dates(texts: list[str]) -> list[str]:
    return [text.strip() for text in texts if DATE.search(text)]


def _masthead_symbol(masthead: list[Line]) -> str | None:
    for line in masthead:
        text = _marks_as_digits(line.text).replace(" /", "/")
        match = MASTHEAD_SYMBOL.search(text)
        if match:
            return match.group(0)
    return None
