"""Text copied out of a PDF viewer: a UN PDF's lines, page after page, read back into
what the layout reader (`pdf`) gives (one logical line a paragraph, footnote marks and
texts paired), so that it parses as the PDF it came from.

A viewer's "select all, copy" (PDFium's text, as Chromium gives it) keeps every printed
line and loses the layout: no indents, no gaps, no sizes, no page breaks. What the UN
layout still tells from the lines alone:

* page one opens with the masthead: "United Nations A/C.6/80/L.10", "General Assembly
  Distr.: Limited", the date, "Original: English", the job number ("25-17986 (E)
  141125") and the bar code ("*2517986*"); the symbol, the distribution and the date
  are kept, as the layout reader keeps them;
* every later page opens with its running header (the symbol, and a resolution's title
  before or after it) over the page number and the job number ("2/8 25-17986",
  "25-17986 3/8"): where that line stands, a page starts;
* footnote texts stand below a rule of underscores at the foot of their page, each
  opening with its number (on the line or on a line of its own), numbered in order
  through the document; a note may run on below the rule of the next page;
* a footnote's mark stands in the body of the page that holds its text, before the
  next mark: the copy gives it as digits glued to the word or punctuation before it
  ("Commission,1"), or set apart at the end or start of a line, or on a line of its
  own;
* a line that wraps ends with the space the typesetter broke it at; the last line of a
  paragraph, a heading or a line of the masthead has none. A line without that space
  that ends a sentence or falls short of the measure (the width of most lines) ends
  its paragraph; numbered paragraphs and English preambular ones are told apart as in
  any text (`assembly`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .assembly import OPERATIVE_VERBS, PREAMBLE_OPENERS, Piece, assemble, opens_preamble
from .heading import SUBMITTED_BY, submitted_by_lines
from .layout import RULE_LINE, Block, Line
from .marks import EN_STOP
from .symbols import BODIES, MASTHEAD_SYMBOL, is_symbol
from .text import CLOSERS, EN_MONTHS, FORMULA, MARK, MARK_RE, NUMBER_START, SYMBOL_NUMBER_LINE, join_lines

# The masthead's first line: the organ's name (or "United Nations") and the symbol; a
# reissued document's symbol carries a "*".
MASTHEAD_TOP = re.compile(r"(?:United Nations)?\s*(?P<symbol>[A-Z]{1,5}/[^\s*]+)\*?")
MASTHEAD_WIDTH = 80  # a masthead's line is short: a longer one is cut before it is read
# Page one's job number: "25-17986 (E) 141125", "17-15811 (C)"; a reissue's "25-16535* (E)",
# a translation's "25-16788 (E) 281025 031125".
JOB_LINE = re.compile(r"^\s*(?P<job>\d{2}-\d{5})\*?\s*\([A-Z]\)(?:\s+\d{6}){0,3}\s*$")
BARCODE_LINE = re.compile(r"^\s*\*\d{7}\*\s*$")
DISTRIBUTION = re.compile(r"Distr\.\s*[:：]\s*\w+")
DATE_LINE = re.compile(r"^\s*(?:\d{1,2} [A-Z][a-z]+ \d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")
# How far down page one the masthead reaches, in lines.
MASTHEAD_LINES = 12
# The page number and the job number under a later page's running header.
PAGE_LINE = re.compile(
    r"^\s*(?:\d{1,3}\s*/\s*\d{1,3}\s+(?P<left>\d{2}-\d{5})|(?P<right>\d{2}-\d{5})\s+\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# How many lines a running header may take above the page number (a symbol and a title of
# four lines), and how long the running titles read from them may be, in all.
HEADER_LINES = 6
TITLE_LENGTH = 2000
# A footnote's text opening with its number on the line ("12 Resolution 217 A (III)."), or
# its number alone on a line, or a note marked "*" (the layout reader leaves those out).
NOTE_START = re.compile(r"^\s*(\d{1,3})(?:\s+(\S.*))?$")
STAR_NOTE = re.compile(r"^\s*\*{1,3} ?[A-Z(]")
# PDFium writes a word broken at its hyphen at a line end as one word with U+FFFE.
BROKEN_AT_HYPHEN = "\ufffe"
# A line this much shorter than the measure falls short of it: it ends its paragraph.
SHORT = 0.75
# A wrapped line this much shorter than the measure is a heading.
HEADING = 0.6
# A line this long reaches the measure: it is full.
FULL = 0.8
# A line is full when it and the next line's first word would reach this much of the measure.
FIT = 0.85


def copied_pdf_lines(text: str, language: str) -> Block | None:
    """Return the logical lines of a copy of a UN PDF, with its footnotes and their marks
    (as the layout reader finds them); None for any other text (no masthead with a
    symbol and a job number)."""
    if "\f" in text or language != "en":
        # An extractor's pages (pdftotext, pypdf) are no viewer's copy; a Chinese copy is
        # read by the Chinese layouts: these rules were drawn from English PDFs only.
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace(BROKEN_AT_HYPHEN, "-").split("\n")
    masthead = _masthead(lines)
    if masthead is None:
        return None
    pages = [_split_page(page) for page in _pages(lines, masthead)]
    notes = _notes(pages)
    body: list[_Line] = []
    for page in pages:
        body += _fragments_joined(_marked(page.body, page.numbers))
        page.last_line = len(body) - 1
    pieces = assemble(_logical_lines(body, language), language)
    for page in pages:
        page.last_line = body[page.last_line].at if body else 0
    head = [Line(line, ends=True) for line in masthead.lines]
    block = Block(lines=head + [Line(_printed(piece), ends=True) for piece in pieces], explicit_marks=True)
    # A footnote follows the paragraph its page ends in (a report's drafts take their own).
    starts = [piece.line_index for piece in pieces]
    at = {n: len(head) + bisect_right(starts, page.last_line) - 1 for page in pages for n in page.numbers}
    block.footnotes = [(at[number], number, text) for number, text in notes]
    return block


def _printed(piece: Piece) -> str:
    return f"{piece.printed} {piece.text}" if piece.printed else piece.text


@dataclass
class _Masthead:
    symbol: str
    job: str
    end: int  # the index of its last line
    lines: list[str]  # what is kept of it: the symbol, the distribution, the date


def _masthead(lines: list[str]) -> _Masthead | None:
    """Read page one's masthead: its symbol and job number are what make a copy of a UN PDF."""
    top = lines[:MASTHEAD_LINES]
    symbol = next((m for line in top[:3] if (m := _masthead_symbol(line))), None)
    job_at = next((i for i, line in enumerate(top) if JOB_LINE.match(line)), None)
    if symbol is None or job_at is None:
        return None
    end = job_at + 1 if job_at + 1 < len(top) and BARCODE_LINE.match(top[job_at + 1]) else job_at
    kept = [symbol] + _distribution(top[:end])
    return _Masthead(symbol, JOB_LINE.match(top[job_at]).group("job"), end, kept)


def _masthead_symbol(line: str) -> str | None:
    match = MASTHEAD_TOP.match(line.strip()[:MASTHEAD_WIDTH])
    symbol = match and MASTHEAD_SYMBOL.fullmatch(match.group("symbol"))
    return symbol.group(0) if symbol else None


def _distribution(top: list[str]) -> list[str]:
    """Return "Distr.: Limited" and the date under it, as the layout reader keeps them."""
    for index, line in enumerate(top):
        match = DISTRIBUTION.search(line)
        if match:
            dates = [text.strip() for text in top[index + 1 : index + 2] if DATE_LINE.match(text)]
            return [match.group(0)] + dates
    return []


def _pages(lines: list[str], masthead: _Masthead) -> list[list[str]]:
    """Split the lines after the masthead into pages, without their running headers and
    page numbers."""
    starts = [i for i, line in enumerate(lines) if i > masthead.end and _page_line_of(line, masthead.job)]
    title = _running_title(lines, starts, masthead.symbol)
    pages = []
    begin = masthead.end + 1
    for at in starts:
        pages.append(lines[begin : _header_start(lines, at, begin, masthead.symbol, title)])
        begin = at + 1
    pages.append(lines[begin:])
    return pages


def _page_line_of(line: str, job: str) -> bool:
    match = PAGE_LINE.match(line)
    return bool(match) and (match.group("left") or match.group("right")) == job


def _running_title(lines: list[str], starts: list[int], symbol: str) -> str:
    """Return the running title, squashed, as the headers that open with the symbol give it
    (the title follows the symbol there; on the facing pages it comes before it)."""
    titles = []
    for at in starts:
        top = _symbol_first(lines, at, symbol)
        if top is not None:
            titles.append(_squash(" ".join(lines[top:at])[len(symbol) :]))
    # Each page repeats it: once is enough, and a title is not longer than a few lines.
    return " ".join(dict.fromkeys(titles))[:TITLE_LENGTH]


def _symbol_first(lines: list[str], at: int, symbol: str) -> int | None:
    """Return the line above `at`, within a header's reach, that opens with the symbol."""
    for index in range(at - 1, max(-1, at - HEADER_LINES - 1), -1):
        if lines[index].strip().startswith(symbol):
            return index
    return None


def _header_start(lines: list[str], at: int, floor: int, symbol: str, title: str) -> int:
    """Return where the running header above the page number at `at` starts: at the line
    that opens with the symbol, or at the first line of the title that the line closing
    with the symbol ends."""
    top = _symbol_first(lines, at, symbol)
    if top is not None and top >= floor:
        return top
    for index in range(at - 1, max(floor, at - HEADER_LINES) - 1, -1):
        if lines[index].rstrip().endswith(symbol):
            start = index
            while start - 1 >= floor and _in_title(lines[start - 1], title):
                start -= 1
            return start
    return at


def _in_title(line: str, title: str) -> bool:
    key = _squash(line)
    return len(key) > 3 and key in title


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@dataclass
class _Page:
    body: list[str]
    notes: list[str]
    numbers: list[int] = field(default_factory=list)  # the footnotes whose texts it holds
    last_line: int = 0  # the index of its last body line in the document's lines


def _split_page(lines: list[str]) -> _Page:
    """Split a page at the footnote rule: its body above, its footnote texts below. The
    copy may lack the rule above notes marked "*" (drawn, not typed): they open the foot."""
    rule = next((i for i, line in enumerate(lines) if RULE_LINE.match(line)), None)
    if rule is None:
        foot = next((i for i, line in enumerate(lines) if STAR_NOTE.match(line)), len(lines))
        return _Page(lines[:foot], lines[foot:])
    return _Page(lines[:rule], [line for line in lines[rule + 1 :] if not RULE_LINE.match(line)])


def _notes(pages: list[_Page]) -> list[tuple[int, str]]:
    """Read the footnote texts of every page, numbered in order (a note runs on below the
    rule of the next page); note on each page the numbers it holds."""
    notes: list[tuple[int, str]] = []
    starred = False  # the lines of a "*" note, which is left out
    for page in pages:
        for line in page.notes:
            due = notes[-1][0] + 1 if notes else 1
            start = NOTE_START.match(line)
            if start and int(start.group(1)) == due:
                notes.append((due, (start.group(2) or "").strip()))
                page.numbers.append(due)
                starred = False
            elif STAR_NOTE.match(line):
                starred = True
            elif notes and not starred:
                number, text = notes[-1]
                notes[-1] = (number, _join(text, line.strip()))
    return notes


def _join(left: str, right: str) -> str:
    """Join wrapped lines as the layout reader does: a word broken at its hyphen runs on."""
    if left.endswith("-") and left[-2:-1].isalpha():
        return left + right
    return join_lines(left, right, "zh" if re.search(r"[\u3400-\u9fff]", left[-1:] + right[:1]) else "en")


@dataclass
class _Line:
    text: str
    wraps: bool | None  # ends with a wrap's space (True), without one (False), unknown (None)
    at: int = 0  # the index of the logical line it went into
    # The rest of a printed line the copy broke at a mark: its length tells nothing.
    fragment: bool = False


def _marked(lines: list[str], numbers: list[int]) -> list[_Line]:
    """Take the page's body lines with the marks of its footnotes written as MARK."""
    out = [_Line(line.rstrip(), line.endswith(" ")) for line in lines if line.strip()]
    at = (0, 0)  # where the search for the next mark starts: (line, offset)
    for number in numbers:
        found = _find_mark(out, number, at)
        if found is not None:
            at = _write_mark(out, number, found)
    return out


def _find_mark(lines: list[_Line], number: int, at: tuple[int, int]) -> tuple[int, int, int] | None:
    """Find the first place from `at` where `number` stands as a mark: (line, start, end)."""
    digits = str(number)
    first, offset = at
    looked = 0
    for index in range(first, len(lines)):
        for run in DIGITS.finditer(lines[index].text, offset if index == first else 0):
            looked += 1
            if looked > MARK_REACH:
                return None
            if run.group().endswith(digits):
                start = run.end() - len(digits)
                if _stands_as_mark(lines, index, start, run):
                    return index, start, run.end()
    return None


DIGITS = re.compile(r"\d+")
# How many numbers after the last mark the next is looked for among: a printed page holds
# far fewer (a mark not found costs no more than that, whatever the text).
MARK_REACH = 500


def _stands_as_mark(lines: list[_Line], index: int, start: int, run: re.Match) -> bool:
    """Is the number at the end of the run of digits a mark: glued to the word or
    punctuation before it, or set apart where the copy broke its line at the raised
    mark, and counting nothing?"""
    text = lines[index].text
    before, after = text[:start], text[run.end() :]
    if start > run.start():
        return start - run.start() <= 4 and _glued_to_number(text, run, after)
    if not before.strip():
        # Opening a line: a mark of the line before, alone (a printed line never holds
        # only a number: also after a year) or before the text after it.
        if index == 0 or after[:1] not in ("", " "):
            return False
        previous = lines[index - 1].text
        if MARK_RE.sub("", previous).rstrip().endswith(";") and after.strip()[:1].isupper():
            return False  # an operative paragraph's number, its full stop left out ("6 Also reaffirms")
        return not _counted(previous, after, alone=not after.strip())
    if before[-1] not in ',;:)”’"' and "/" in before.rsplit(" ", 1)[-1]:
        return False  # a symbol's number ("A/80/L.2/Rev.1", "70/1"), not one after it ("3/COP.15,7")
    if before[-1] == " ":
        return _set_apart(lines[index], before, after)
    return before[-1] in GLUED_AFTER and (after[:1] in ("", " ") or after[:1] in ",;.:)")


def _set_apart(line: _Line, before: str, after: str) -> bool:
    """A number set apart by a space is a mark where the copy broke the line right after it
    (a wrap leaves a space: "resolutions 2⏎", "1993 11⏎"), or where it counts nothing
    before the next word ("girls 12 and", "enrichment, 34 commends", "resolutions 3on")."""
    if not after and line.wraps is False:
        return not before.rstrip().lower().endswith(" no.")  # "Model strategy No. 7"
    glued = re.match(r"[a-z]+", after)
    if glued:
        return glued.group() not in ("st", "nd", "rd", "th")  # the copy glued it to the next word
    return after[:1] in ("", " ") and not _counted(before, after)


# A mark glued to the letter or punctuation before it ("Commission,1", "website31").
GLUED_AFTER = 'abcdefghijklmnopqrstuvwxyz,;:.)]”’"'


def _glued_to_number(text: str, run: re.Match, after: str) -> bool:
    """A mark raised after a number prints glued to it ("17 December 2014" and mark 11:
    "201411"). UN English sets numbers of five digits or more with commas, so a run of five
    or more digits standing as a word is a number of up to four and a mark."""
    alone = run.start() == 0 or text[run.start() - 1] in " (–—"
    return alone and len(run.group()) >= 5 and (after[:1] in ("", " ") or after[:1] in ",;.:)")


def _counted(before: str, after: str, alone: bool = False) -> bool:
    """Does the word before the number count it ("paragraph 21", "in 2030", "paragraphs 3,
    12"), or the word after it ("5 June", "20 per cent")? A number on a line of its own
    continues no number before it ("Agenda 21,⏎3", "2024⏎3")."""
    word = before.rstrip().rsplit(" ", 1)[-1].lower()
    if word[-1:] in ',;:)”’"':
        return not alone and word[:-1].isdigit() and len(word) <= 4  # not "July 1979, 1"
    counts_after = re.match(rf"\s*(?:{'|'.join(EN_MONTHS)}|per\b|%)", after, re.I)
    number = word.isdigit() and not alone
    return word in EN_STOP or word in COUNTING or word in EN_MONTHS or number or bool(counts_after)


# Besides the parser's words that count a number after them (marks.EN_STOP): names that
# a number completes ("Agenda 21", "Protocol 2", "Group of 77").
COUNTING = {"agenda", "protocol", "group", "phase", "table", "figure", "box", "option", "volume", "appendix"}


def _write_mark(lines: list[_Line], number: int, found: tuple[int, int, int]) -> tuple[int, int]:
    """Write the mark in place of the number: glued to the text before it, on the line
    before when the number opens its line; return where the next search starts."""
    index, start, end = found
    line = lines[index]
    mark = MARK.format(number)
    if not line.text[:start].strip():
        # The mark of the line before, which the copy set at the start of the rest of
        # the printed line ("conflicts.⏎22 Particular efforts"), or on a line of its own
        # (then whether the printed line ends there is unknown).
        previous = lines[index - 1]
        previous.text = previous.text.rstrip() + mark
        line.text = line.text[end:].strip()
        line.fragment = True
        previous.wraps = True if line.text else None
        if not line.text:
            _rest_of_line(lines, index + 1)
        return index, 0
    rest = line.text[end:]
    line.text = line.text[:start].rstrip() + mark + (" " if rest[:1].isalpha() else "") + rest
    if not line.text[start:].strip(" " + mark):
        # The copy broke the line at the mark: whether it wraps is unknown.
        line.wraps = None
        _rest_of_line(lines, index + 1)
    return index, len(line.text[:start].rstrip() + mark)


def _rest_of_line(lines: list[_Line], index: int) -> None:
    """The line after a mark that the copy broke a line at is the rest of the printed
    line when it goes on with a small letter or punctuation (a new printed line may
    start with a capital)."""
    if index < len(lines) and _goes_on(lines[index].text.lstrip()):
        lines[index].fragment = True


def _goes_on(text: str) -> bool:
    """Does a line go on with a sentence: a small letter or punctuation opens it?"""
    return text[:1].islower() or text[:1] in ",;:.)]”’"


def _fragments_joined(lines: list[_Line]) -> list[_Line]:
    """Join what the copy split off a printed line at a mark: a line left empty, or one
    that opens with the space after the mark."""
    out: list[_Line] = []
    for line in lines:
        if not line.text.strip():
            continue
        if out and (line.text[:1] == " " or MARK_RE.fullmatch(line.text.strip())):
            out[-1] = _Line(out[-1].text.rstrip() + " " + line.text.strip(), line.wraps, fragment=True)
            out[-1].text = re.sub(r" (?=\u27e6)", "", out[-1].text)
            continue
        out.append(_Line(line.text.strip(), line.wraps, fragment=line.fragment))
    return out


def _logical_lines(lines: list[_Line], language: str) -> list[Line]:
    """Mark the lines that end their paragraph by the layout (`_ends`); numbered and English
    preambular paragraphs are told apart later, as in any text (`assembly`). A full line
    that wraps runs on into a capitalised word that only looks like a preamble's opener
    ("…, jointly prepared by the Office …, ⏎Landlocked Developing Countries …")."""
    measure = _measure(lines)
    body = _body_start(lines)
    out = _head_lines(lines[:body], measure, language)
    for index in range(body, len(lines)):
        line = lines[index]
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        ends = _ends(line, following, measure)
        if out and index > body and _runs_on(lines[index - 1], line.text, measure):
            out[-1] = Line(join_lines(out[-1].text, line.text, language), ends=ends)
        else:
            out.append(Line(line.text, ends=ends))
        line.at = len(out) - 1
    return out


def _head_lines(head: list[_Line], measure: int, language: str) -> list[Line]:
    """Join the lines of the head (above the enacting formula) into its parts: the session,
    the committee, the agenda item and its title, the sponsors or the officer who submits
    the draft, the title. Bold titles keep a space at the end of their last line too, so a
    part ends where the next opens: the sponsors' full lines up to "…: draft resolution",
    the sentence "Draft resolution submitted by …" up to its end."""
    ends = [not line.wraps and not line.text.endswith(",") for line in head]
    for index, line in enumerate(head):
        if HEADING_END.search(line.text) and not _symbol_follows(head, index):
            start = _sponsors_start(head, index, measure)
            ends[start - 1 : index + 1] = [True] * (start > 0) + [False] * (index - start) + [True]
        if SUBMITTED_BY.match(line.text):
            ends[index - 1 : index] = [True] * (index > 0)
            last = index + submitted_by_lines(line.text, [later.text for later in head[index + 1 :]])
            ends[last] = True
        if index + 1 < len(head) and OPENS_PART.match(head[index + 1].text):
            ends[index] = True
    out: list[Line] = []
    for index, line in enumerate(head):
        if out and not out[-1].ends:
            out[-1] = Line(join_lines(out[-1].text, line.text, language), ends=ends[index])
        else:
            out.append(Line(line.text, ends=ends[index]))
        line.at = len(out) - 1
    if out:
        out[-1].ends = True
    return out


def _symbol_follows(head: list[_Line], index: int) -> bool:
    """Does the symbol of the draft a heading names stand on the next line alone?"""
    return index + 1 < len(head) and is_symbol(head[index + 1].text)


def _sponsors_start(head: list[_Line], at: int, measure: int) -> int:
    """Return where the sponsors named on the line `at` start: their lines above it run to
    the measure (the agenda item's bold title above them is set narrower)."""
    start = at
    if re.match(r"(?:Revised )?Draft ", head[at].text):
        return at  # "Draft decision", "Draft resolution submitted by …": no sponsors
    while start > 0 and _in_list(head[start - 1], head[start].text, measure):
        start -= 1
    return start


def _in_list(line: _Line, following: str, measure: int) -> bool:
    """Does a line above a list's last line belong to it: broken after a comma or the colon
    before "draft resolution", or full where it wraps?"""
    if line.text.endswith(".") or OPENS_PART.match(line.text):
        return False
    if LIST_BREAK.search(line.text) or following[:1].islower():
        return True
    return bool(line.wraps) and _full(line, following, measure)


# A list of names broken after a comma, the colon before "draft resolution", or inside a
# name that is never broken ("… Ukraine and ⏎United Kingdom of Great Britain …").
LIST_BREAK = re.compile(r"(?:[,:]\**|\b(?:and|of|the))$")


def _full(line: _Line, following: str, measure: int) -> bool:
    """Is a line full: would the next line's first word not have fitted on it?"""
    if OPENS_PART.match(line.text):
        return False
    word = following.split(" ", 1)[0]
    return len(line.text) + 1 + len(word) >= FIT * measure


def _runs_on(previous: _Line, text: str, measure: int) -> bool:
    """Does a full line that wraps after a comma run on into `text`, whose first word
    is none of the words that open a preamble's paragraph, though it may end as they do
    ("Landlocked", "United", "Stockpiling")?"""
    word = re.match(r"([A-Z][a-z\-]+)\b", text)
    if not (previous.wraps and word and len(previous.text) >= FULL * measure):
        return False
    first = word.group(1).lower()
    return previous.text.rstrip().endswith(",") and first not in PREAMBLE_OPENERS | OPERATIVE_VERBS


def _measure(lines: list[_Line]) -> int:
    """Return the length most full lines reach: that of the line at the 90th percentile."""
    lengths = sorted(len(MARK_RE.sub("", line.text)) for line in lines)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _heading(text: str, following: str, measure: int) -> bool:
    """Is a line that the copy ends with a space a heading: far short of the measure (a
    paragraph's first line falls short only by its indent), opening neither with a number
    nor as a preambular paragraph does, before a line that opens a paragraph? (The bold
    titles of the head are set narrower: not there.)"""
    word = re.match(r"[A-Z][A-Za-z\-]*", text)
    if word is None:
        return False
    opener = opens_preamble(word.group().lower())
    short = len(text) < HEADING * measure and text[-1:] not in ".,;:"
    return short and not opener and not NUMBER_START.match(text) and bool(OPENS.match(following))


def _body_start(lines: list[_Line]) -> int:
    """Return where the body starts: at the enacting formula (or a decision's paragraph
    opening with it), the first preambular paragraph (where the formula is missing) or the
    first numbered paragraph; in an amendment with none, after the line that says what it
    amends."""
    for index, line in enumerate(lines):
        if FORMULA.match(line.text) or re.match(OPENS_DECISION, line.text) or NUMBER_START.match(line.text):
            return index
        if index and not lines[index - 1].wraps and _opens_preamble(line.text):
            return index
    return next((i + 1 for i, line in enumerate(lines) if HEADING_END.search(line.text)), 0)


def _opens_preamble(text: str) -> bool:
    """Does a line open as a preambular paragraph does ("Reaffirming its resolution …")?"""
    word = re.match(r"[A-Z][a-z]+", text)
    return word is not None and word.group().lower() in PREAMBLE_OPENERS


def _ends(line: _Line, following: str, measure: int) -> bool:
    """Does a line end its paragraph? Without a wrap's space after it, where it ends a
    sentence or falls short of the measure; where the copy broke it at a mark, where it
    ends a sentence and the next line opens as a paragraph does."""
    text = MARK_RE.sub("", line.text).rstrip().rstrip(CLOSERS)
    sentence = text[-1:] in ".;:?!"
    if _goes_on(following) or text[-1:] in "-–":
        return False  # no paragraph opens with a small letter; a range or word broken goes on
    if FORMULA.match(text) or OPENS_PART.match(following) or SYMBOL_NUMBER_LINE.match(following):
        return True
    if line.wraps and not line.fragment and _heading(text, following, measure):
        return True
    if line.wraps is None:
        return sentence and bool(OPENS.match(following))
    if line.wraps:
        return False
    short = len(text) < SHORT * measure and not line.fragment
    return sentence or HEADING_END.search(text) is not None or short or _clause_before_opener(text, following)


# What a paragraph or heading opens with: a capital, a number, a quotation mark.
OPENS = re.compile(r"[A-Z(\d“‘\"]")


def _clause_before_opener(text: str, following: str) -> bool:
    """Does a line the copy ends without a space end a clause before a word that opens a
    preamble's paragraph (also in an annexed text's preamble, where numbers went before)?"""
    word = re.match(r"[A-Z][a-z\-]+", following)
    return text[-1:] in ",;" and word is not None and word.group().lower() in PREAMBLE_OPENERS


# What opens a part of a document on a line of its own: the enacting formula (or a
# decision's one paragraph, which opens with it), a draft's heading, the adoption, the
# agenda item, an annex, the closing meeting. ("78/186. Report of …", a resolution's
# number and title, too: SYMBOL_NUMBER_LINE.)
OPENS_DECISION = rf"The (?:{'|'.join(name for name, _ in BODIES.values())})\b"
OPENS_PART = re.compile(
    OPENS_DECISION + r"|(?:Revised )?[Dd]raft (?:resolution|decision)s?\b"
    r"|Resolution adopted by\b|\[(?:on the report|without reference)"
    r"|Agenda items? \d|Item \d+ of the provisional agenda"
    r"|Annex(?:es)?(?: [IVX]+)?\s*$|\d+(?:st|nd|rd|th) (?:\(resumed\) )?plenary meeting\s*$"
)
# The line of a draft's heading that names what it is ("…: draft resolution", "Draft
# resolution submitted by …, on the basis of informal consultations on draft resolution
# A/C.2/80/L.24", "…: amendment to draft resolution A/80/L.3"): the title follows it.
HEADING_END = re.compile(r"draft (?:resolution|decision)s?(?:\s+[A-Z]{1,5}/[^\s*]+)?\**$", re.I)
