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
Pure: bytes in, text out, no file access. pdfplumber (pdfminer.six) reads the PDF.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

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


def pdf_layout_text(data: bytes) -> str | None:
    """Return the text of a PDF as Markdown-like lines, or None if it has no layout
    to read (every line starts at one margin: text laid out without typesetting).

    What reading it may cost is bounded by the process that calls this
    (`search.ingest.sandbox`), not here.
    """
    import pdfplumber

    pages: list[Page] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index, page in enumerate(pdf.pages):
            pages.append(_read_page(page, index))
    _drop_repeated_furniture(pages)
    body = [line for page in pages for line in page.body]
    if not body:
        return None
    margins = Counter(round(line.x0) for line in body)
    margin = margins.most_common(1)[0][0]
    if not any(line.x0 > margin + 6 for line in body) and len({line.size for line in body}) == 1:
        return None
    return _render(pages, margin)


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
    seen: set[str] = set()
    for page in pages:
        for line in page.furniture:
            seen |= _tokens(line.text)
    for page in pages:
        page.body = [
            line
            for line in page.body
            if not (line.top > page.height * FOOT_AREA and _tokens(line.text) & seen)
        ]


def _read_page(page, index: int) -> Page:
    height = page.height
    lines = _lines(page.chars)
    result = Page(height=height)
    rule = _rule_top(page, lines)
    for line in lines:
        if line.bottom < height * TOP_BAND or line.top > height * BOTTOM_BAND:
            if index == 0 and line.bottom < height * MASTHEAD_BAND:
                result.masthead.append(line)
            else:
                result.furniture.append(line)
            continue
        if index == 0 and line.bottom < height * MASTHEAD_BAND:
            result.masthead.append(line)
        elif re.fullmatch(r"_{3,}", line.text):
            continue
        elif rule is not None and line.top > rule:
            result.notes.append(line)
        else:
            result.body.append(line)
    return result


def _rule_top(page, lines: list[Line]) -> float | None:
    """Return where the footnote rule stands: a short line in the lower part of the page."""
    for line in lines:
        if re.fullmatch(r"_{3,}", line.text) and line.top > page.height * 0.3:
            return line.top
    for edge in page.lines + page.rects:
        width = edge["x1"] - edge["x0"]
        if (
            edge["bottom"] - edge["top"] < 2
            and 30 < width < page.width * 0.4
            and edge["x0"] < page.width * 0.3  # a centred rule ends the text instead
            and page.height * 0.3 < edge["top"] < page.height * BOTTOM_BAND
        ):
            return edge["top"]
    return None


def _lines(chars: list[dict]) -> list[Line]:
    """Group characters into lines by their baseline; raised small ones join the line below."""
    chars = [c for c in chars if c.get("upright", True) and c["text"] != "\n"]
    if not chars:
        return []
    sizes = Counter(round(c["size"], 1) for c in chars if c["text"].strip())
    common = sizes.most_common(1)[0][0] if sizes else 10
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - char["bottom"]) <= 3:
            rows[-1].append(char)
        else:
            rows.append([char])
    # A row of raised small characters (marks) belongs to the next row whose top they reach.
    merged: list[list[dict]] = []
    for row in rows:
        largest = max(c["size"] for c in row)
        if merged and largest < common * MARK_SIZE and all(_markish(c) for c in row):
            below = [r for r in rows if r[0]["bottom"] > row[0]["bottom"] and _top(r) < row[0]["bottom"]]
            if below:
                below[0].extend(row)
                continue
        merged.append(row)
    lines = [_line(row) for row in merged if any(c["text"].strip() for c in row)]
    return [line for line in lines if line.text]


def _top(row: list[dict]) -> float:
    return min(c["top"] for c in row)


def _markish(char: dict) -> bool:
    return char["text"].isdigit() or char["text"] in "* "


def _line(row: list[dict]) -> Line:
    row.sort(key=lambda c: c["x0"])
    sizes = Counter(round(c["size"], 1) for c in row if c["text"].strip())
    size = sizes.most_common(1)[0][0]
    baseline = Counter(round(c["bottom"]) for c in row if round(c["size"], 1) == size).most_common(1)[0][0]
    parts: list[str] = []
    mark = ""
    previous = None
    starts_mark = False
    spaced = False

    def close_mark():
        nonlocal mark, starts_mark
        if mark:
            # A note marked "*" (reissued, sponsors) opens a note too, one that is left out.
            starts_mark = starts_mark or not parts
            if mark.strip("*"):
                parts.append(MARK.format(int(mark.strip("*"))))
            mark = ""

    for char in row:
        text = char["text"]
        if not text.strip():
            spaced = True
            continue
        raised = char["size"] < size * MARK_SIZE and char["bottom"] < baseline - 0.5
        gap = char["x0"] - previous["x1"] if previous is not None else 0
        if raised and (text.isdigit() or text == "*"):
            if mark and gap > char["size"] * 0.5:
                close_mark()
            mark += text
            previous = char
            continue
        close_mark()
        # A space the PDF wrote counts where a gap shows; kerning alone needs more.
        wide = previous is not None and gap > min(char["size"], previous["size"]) * (0.1 if spaced else 0.2)
        if wide and parts and not parts[-1].endswith(" "):
            parts.append(" ")
        parts.append(text)
        previous = char
        spaced = False
    close_mark()
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    inked = [c for c in row if c["text"].strip()]
    return Line(
        text=text,
        x0=inked[0]["x0"],
        x1=inked[-1]["x1"],
        top=min(c["top"] for c in row),
        bottom=max(c["bottom"] for c in row),
        size=size,
        starts_mark=starts_mark,
    )


# Lines join without a space after full-width punctuation or an opening quote, and before
# full-width punctuation or a closing quote (Chinese "“2030" wrapped after its quote).
TIGHT_END = re.compile("[\u3000-\u303f\uff00-\uffef\u201c\u2018]$")
TIGHT_START = re.compile("^[\u3000-\u303f\uff00-\uffef\u201d\u2019]")


def _join(left: str, right: str) -> str:
    if not left:
        return right
    if CJK_RE.match(right[:1]) or CJK_RE.match(left[-1:]):
        return left + right
    if TIGHT_END.search(left) or TIGHT_START.search(right):
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        return left + right
    return left + " " + right


def _render(pages: list[Page], margin: float) -> str:
    out: list[str] = []
    symbol = _masthead_symbol(pages[0].masthead)
    if symbol:
        out.append(symbol)
    out += _masthead_issue(pages[0].masthead)
    right = max(line.x1 for page in pages for line in page.body)
    text_size = Counter(line.size for page in pages for line in page.body).most_common(1)[0][0]
    paragraphs: list[str] = []
    previous: Line | None = None
    for page in pages:
        for line in page.body:
            if previous is not None and _continues(previous, line, margin, right, text_size):
                paragraphs[-1] = _join(paragraphs[-1], line.text)
            else:
                paragraphs.append(line.text)
            previous = line
        # A gap between pages is not a gap between lines.
        if previous is not None:
            previous = Line(previous.text, previous.x0, previous.x1, -1e9, -1e9, previous.size)
    out += paragraphs
    notes: list[str] = []
    due = 1  # the number the next footnote should have
    for page in pages:
        for line in page.notes:
            text = line.text
            # A footnote whose number was set on the line, not raised: "1 Resolution 66/288, annex."
            plain = re.match(rf"({due}|\*) (?=\S)", text) if not line.starts_mark else None
            if plain and plain.group(1) != "*":
                text = MARK.format(due) + " " + text[plain.end() :]
            if line.starts_mark or plain or not notes:
                notes.append(text)
                numbered = MARK_RE.match(text)
                due = int(numbered.group(1)) + 1 if numbered else due
            else:
                notes[-1] = _join(notes[-1], text)
    out += [note for note in notes if note.startswith(MARK[0])]
    return "\n".join(out)


def _continues(previous: Line, line: Line, margin: float, right: float, text_size: float) -> bool:
    """Does `line` carry on the paragraph that `previous` is the last line of?"""
    if abs(line.size - previous.size) > 0.6:
        return False
    across_page = previous.bottom < -1e8
    if not across_page and line.top - previous.bottom > line.size * 0.5:
        return False
    full = previous.x1 > right - max(60.0, (right - margin) * 0.25)
    number = number_at_start(line.text)
    if number and number[2] == 0 and _ends_clause(previous.text):
        # "6. Emphasizes …" at the top of a page, set at the margin: a new paragraph (not
        # "(c) whenever …" of a list run into a sentence).
        return False
    if full and line.x0 < previous.x0 - 3:
        # Under an indented first line: the paragraph's other lines, wherever its block
        # starts (a short document's margin is not the most common start).
        return True
    if abs(line.x0 - margin) > 3:
        # A block set in from the margin (items "(xiii)", "(xiv)" of a list) runs on at its
        # own left edge; each item starts with its number.
        wide = previous.x1 - previous.x0 > (right - margin) * 0.6  # not a short line set right
        if abs(line.x0 - previous.x0) <= 1.5 and full and wide and number_at_start(line.text) is None:
            return True
        # Hanging lines of a heading (a title) sit right of its first line.
        return line.size > text_size * 1.05 and line.x0 > previous.x0 + 3 and not across_page
    # The previous line must be full: a short line ends its paragraph.
    return full


def _ends_clause(text: str) -> bool:
    """Does a line end a clause or sentence ("…;", "…." and its footnote marks)? A comma
    does not: "…, 5,⏎6. and 7" is no new paragraph."""
    return ends_sentence(text) and not re.sub(r"[\s\d]+$", "", MARK_RE.sub("", text)).endswith((",", "，"))


def _masthead_issue(masthead: list[Line]) -> list[str]:
    """Return the distribution ("Distr.: General") and the date of issue under it, as lines."""
    texts = [MARK_RE.sub(r"\1", line.text) for line in masthead]
    for index, text in enumerate(texts):
        match = DISTRIBUTION.search(text)
        if match:
            after = texts[index + 1 : index + 2]
            return [match.group(0)] + [t.strip() for t in after if DATE.search(t)]
    return []


def _masthead_symbol(masthead: list[Line]) -> str | None:
    for line in masthead:
        # The masthead mixes sizes: digits smaller than "United Nations" are no marks.
        text = MARK_RE.sub(r"\1", line.text).replace(" /", "/")
        match = MASTHEAD_SYMBOL.search(text)
        if match:
            return match.group(0)
    return None
