"""Stage 3: document structure, and `parse_document`, which runs the stages in order.

A resolution: its head (read by `heading`: symbol, title, session, sponsors), the enacting formula,
preambular, operative and annex parts, and the closing date and meeting. A report:
its own numbered paragraphs and the draft resolutions it recommends. Then the
checks a reviewer reads (operative numbers out of sequence) and the symbols cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from .assembly import Piece, assemble, is_heading, repair_words, resolve_soft_hyphens
from .copied import copied_pdf_lines
from .decoding import detect_language
from .documents import (
    AMENDMENT,
    ANNEX,
    DRAFT_DECISION,
    DRAFT_RESOLUTION,
    EMPTY_FILE,
    IN_DRAFT,
    IN_RECOMMENDED_DRAFT,
    INFERRED_ENDS,
    NO_ENACTING_FORMULA,
    NO_RESOLUTION_STRUCTURE,
    NO_STRUCTURE,
    NO_TEXT,
    NOTE,
    NUMBERING_RESTARTS,
    OPERATIVE,
    PARAGRAPH_MISSING,
    PREAMBULAR,
    REPORT,
    REPORT_DOC,
    UNKNOWN_LANGUAGE,
    ParsedDocument,
    ParsedFootnote,
    ParsedParagraph,
    ParseError,
)
from .heading import (
    DRAFT_LINE,
    SUBMITTED_BY,
    committee_named,
    either,
    find_date,
    first_line,
    is_date_line,
    join_title,
    read_head,
    split_sponsors,
    symbol_from_head,
    unmarked,
)
from .labels import name_paragraphs
from .layout import SPONSORS_END, Block, Line, split_layout
from .marks import MarkFinder
from .symbols import (
    BODIES,
    BODY_BY_NAME,
    MAIN_COMMITTEES,
    body_of_symbol,
    committee_of_symbol,
    is_symbol,
    symbols_in,
)
from .text import (
    EN_MEETING,
    FORMULA,
    ROMANS,
    SYMBOL_NUMBER_LINE,
    ZH_MEETING,
    number_at_start,
)

DRAFT_HEADING = re.compile(r"^\s*决议草案([一二三四五六七八九十]+)\s*$|^\s*Draft resolution ([IVXL]+)\s*$")


def parse_document(text: str, language: str | None = None, layout: str | None = None) -> ParsedDocument:
    """Parse the text of one document into a ParsedDocument.

    `layout` is "markdown" when the caller knows each line is a paragraph (text
    taken from a Word file); by default the layout is read from the text.
    """
    if not text or not text.strip():
        raise ParseError(EMPTY_FILE)
    language = _known_language(text, language)
    block = _read_layout(text, language, layout)
    doc = _parse_lines(block.lines, block, language)
    doc.references = _references(text, block)
    if block.inferred_ends:
        doc.warnings.append(INFERRED_ENDS)
    if not doc.paragraphs and not doc.resolutions:
        raise ParseError(NO_STRUCTURE)
    return doc


def _known_language(text: str, language: str | None) -> str:
    """Return the language given, or read from the text; refuse any but Chinese and English."""
    language = language or detect_language(text)
    if language not in ("zh", "en"):
        raise ParseError(UNKNOWN_LANGUAGE.format(language=repr(language)))
    return language


def _read_layout(text: str, language: str, layout: str | None) -> Block:
    # Text copied out of a PDF viewer reads as the PDF it was copied from.
    copied = copied_pdf_lines(text, language) if layout is None else None
    block = copied or split_layout(text, language, layout)
    if not block.lines:
        raise ParseError(NO_TEXT)
    repair_words(block, language)
    return block


def _parse_lines(lines: list[Line], block: Block, language: str) -> ParsedDocument:
    """Parse a working paper, a report (and the drafts it recommends) or a resolution."""
    other = _other_kind(lines)
    if other:
        doc = ParsedDocument(language=language, doc_type=other[0])
        _fill_other(doc, lines, block, other[1], language)
        return doc
    if _is_report(lines, language):
        return _parse_report(lines, block, language)
    doc = ParsedDocument(language=language)
    _fill_resolution(doc, lines, block, 0, language)
    return doc


def _parse_report(lines: list[Line], block: Block, language: str) -> ParsedDocument:
    """Parse a report: its own paragraphs, then each draft resolution it recommends."""
    doc = ParsedDocument(language=language, doc_type=REPORT_DOC)
    segments = _segments(lines)
    _fill_report(doc, lines[: segments[0][0]] if segments else lines, block, 0, language)
    for start, end, number in segments:
        draft = _report_draft(lines[start + 1 : end], block, start + 1, number, language)
        draft.committee = draft.committee or doc.committee
        doc.resolutions.append(draft)
        doc.warnings += [IN_DRAFT.format(number=number, warning=warning) for warning in draft.warnings]
    return doc


def _report_draft(lines: list[Line], block: Block, offset: int, number: str, language: str) -> ParsedDocument:
    """Parse "Draft resolution II" of a report: the General Assembly's unless it says otherwise."""
    draft = ParsedDocument(language=language, doc_type=DRAFT_RESOLUTION, number=number)
    _fill_resolution(draft, lines, block, offset, language)
    draft.body = draft.body or "GA"
    return draft


def _segments(lines: list[Line]) -> list[tuple[int, int, str]]:
    """Return (heading index, end index, number) of each draft resolution in a report."""
    starts = [(index, number) for index in range(len(lines)) if (number := _draft_heading(lines, index))]
    # Each ends where the next starts, the last with the report.
    bounds = [index for index, _ in starts] + [len(lines)]
    return [(start, end, number) for (start, number), end in zip(starts, bounds[1:], strict=True)]


def _draft_heading(lines: list[Line], index: int) -> str | None:
    """Return the number of a report's "Draft resolution II" heading at `index`."""
    match = DRAFT_HEADING.match(lines[index].text)
    # It must be followed by a resolution (a formula within a few lines).
    if (
        match
        and index + 2 < len(lines)
        and first_line(lines[index + 1 : index + 12], FORMULA.match) is not None
    ):
        return either(match, 1, 2)
    return None


# The heading line that says a document is not a resolution but a committee's working
# paper: "Albania, …: amendment to draft resolution A/C.3/80/L.2", "Draft decision
# submitted by the Chair", "Note by the Secretariat".
AMENDMENT_LINE = re.compile(
    r"^(?:(?P<sponsors>.+?)\s*[:：]\s*\**\s*)?(?:proposed )?amendments? to (?:the )?(?:revised )?"
    r"draft (?:resolution|decision)\s*(?:(?P<amends>[^\s*]+)|[0-9IVXL]+ recommended by the .{1,60}? "
    r"in its report (?:contained )?in document (?P<report>[^\s*]+))?\**\s*$"
    r"|^(?:(?P<zh_sponsors>.+?)\s*[:：]\s*)?对(?:订正)?(?:决议|决定)草案\s*(?P<zh_amends>\S+?)\s*(?:的|提出的)修正案?\s*$",
    re.I,
)
DECISION_LINE = re.compile(
    r"^(?:(?P<sponsors>.+?)\s*[:：]\s*\**\s*)?(?:revised )?draft decision\**(?: submitted by .*)?$"
    r"|^(?:(?P<zh_sponsors>.+?)\s*[:：]\s*)?(?:订正)?决定草案$|^.*提交的(?:订正)?决定草案$",
    re.I,
)
NOTE_LINE = re.compile(
    r"^Note by the (?:Secretariat|Secretary-General|Chair)$|^秘书(?:处|长)的说明$|^主席的说明$"
)
WORKING_PAPERS = ((AMENDMENT, AMENDMENT_LINE), (DRAFT_DECISION, DECISION_LINE), (NOTE, NOTE_LINE))
# A line that starts a resolution or a draft resolution: no working paper's heading follows.
RESOLUTION_STARTS = (FORMULA, SYMBOL_NUMBER_LINE, DRAFT_HEADING)


def _other_kind(lines: list[Line]) -> tuple[str, int] | None:
    """Return the type of a working paper and the index of its heading line; None for
    a resolution, a draft resolution or a report."""
    for index, line in enumerate(lines[:25]):
        if any(pattern.match(line.text) for pattern in RESOLUTION_STARTS):
            return None
        doc_type = _working_paper_heading(lines, index)
        if doc_type:
            return doc_type, index
    return None


def _working_paper_heading(lines: list[Line], index: int) -> str | None:
    """Return the type of working paper whose heading the line at `index` is."""
    text = unmarked(lines[index].text).strip()
    following = _next_text(lines, index)
    for doc_type, pattern in WORKING_PAPERS:
        # "…: amendment to revised draft resolution" with the symbol on the next line
        if pattern.match(text) or (is_symbol(following) and pattern.match(f"{text} {following}")):
            return doc_type
    return None


def _next_text(lines: list[Line], index: int) -> str:
    """Return the text of the line after `index`, stripped; "" after the last line."""
    return lines[index + 1].text.strip() if index + 1 < len(lines) else ""


def _fill_other(doc: ParsedDocument, lines: list[Line], block: Block, at: int, language: str) -> None:
    """Fill an amendment, a draft decision or a note: its heading, then numbered paragraphs
    (one unnumbered instruction and the text it inserts make one paragraph)."""
    heading, start = _working_paper_heading_text(lines, at)
    doc_type = doc.doc_type
    read_head(doc, lines[:at], language)
    doc.doc_type = doc_type  # not the draft resolution a sponsors' line would make it
    doc.symbol = symbol_from_head(lines[:at], doc.body)
    _read_organ_from_symbol(doc)
    _read_sponsors_and_amended_draft(doc, heading)
    start = _read_working_paper_title(doc, lines, at, start, language)
    pieces = assemble(lines[start:], language)
    marker = _own_marker(doc, block, 0, len(lines), language)
    doc.paragraphs = _resolve_soft_hyphens(
        name_paragraphs(pieces, REPORT, marker, language, single=True), block
    )
    _unique_anchors(doc)
    doc.warnings += marker.warnings()


def _working_paper_heading_text(lines: list[Line], at: int) -> tuple[str, int]:
    """Return a working paper's heading and where what follows it starts: an amendment's
    heading may go on with the amended draft's symbol on the next line."""
    heading = unmarked(lines[at].text).strip()
    following = _next_text(lines, at)
    if is_symbol(following) and AMENDMENT_LINE.match(f"{heading} {following}"):
        return f"{heading} {following}", at + 2
    return heading, at + 1


def _read_sponsors_and_amended_draft(doc: ParsedDocument, heading: str) -> None:
    """Read "Albania, …: amendment to draft resolution A/C.3/80/L.2": sponsors and the draft amended."""
    named = dict(WORKING_PAPERS)[doc.doc_type].match(heading).groupdict()
    sponsors = named.get("sponsors") or named.get("zh_sponsors")
    doc.sponsors = split_sponsors(sponsors) if sponsors else []
    # A draft a Main Committee recommended is amended in the plenary as "draft resolution 4
    # recommended by the Second Committee in its report contained in document A/80/555":
    # the report holds it.
    amended = named.get("amends") or named.get("zh_amends") or named.get("report") or ""
    doc.amends = amended.rstrip(".,;")


def _read_working_paper_title(
    doc: ParsedDocument, lines: list[Line], at: int, start: int, language: str
) -> int:
    """Read a working paper's title, above a note's heading or under the others'; return
    where its paragraphs start."""
    if doc.doc_type == NOTE:
        _read_note_title(doc, lines[:at], language)
    elif start < len(lines) and not _numbered(lines[start].text):
        doc.title = join_title([unmarked(lines[start].text)], language)
        return start + 1
    return start


def _read_note_title(doc: ParsedDocument, head: list[Line], language: str) -> None:
    """The title stands above "Note by the Secretariat", on one line or several, under the
    committee's name (or the session, the agenda item)."""
    texts = [unmarked(line.text).strip() for line in head]
    start = len(texts)
    while start > 0 and not _heads_the_title(texts[start - 1]):
        start -= 1
    title = join_title(texts[start:], language)
    doc.title = title or doc.title


# The lines of a heading above a note's title: the masthead, the session, the committee
# ("Third Committee", "Special Political and Decolonization Committee (Fourth Committee)"),
# the agenda item.
HEADS_THE_TITLE = re.compile(
    r"(?:(?:(?:[A-Z][\w-]*|and) )*Committee|\(\w+ Committee\)|Agenda items? .*|Distr\..*|[A-Z]/\S+"
    r"|[A-Z][a-z-]+ session|第.+(?:届会议|委员会))$"
)


def _heads_the_title(text: str) -> bool:
    return bool(HEADS_THE_TITLE.match(text) or is_date_line(text) or committee_named(text))


# The heading of a report: only the heading tells, a preambular paragraph may cite "the
# report of the … Committee".
REPORT_HEADING = re.compile(r"委员会的报告|报告员[:：]|Report of the .*Committee|Rapporteur:")


def _is_report(lines: list[Line], language: str) -> bool:
    first = lines[:12]
    # "78/116. Report of the Committee on …" is a resolution's number and title.
    if first_line(first, SYMBOL_NUMBER_LINE.match) is not None:
        return False
    head = first[: first_line(first, FORMULA.match, len(first))]
    # A line of sponsors ("Bulgaria, …: draft resolution") or a draft's heading without them
    # ("Draft resolution", "Draft resolution submitted by the Chair …") heads a draft,
    # whatever its agenda item is called ("Report of the Committee on Relations with the
    # Host Country", "Report of the Special Committee on the Charter …").
    if any(SPONSORS_END.search(line.text) or _heads_a_draft(line.text) for line in head):
        return False
    return bool(REPORT_HEADING.search(" ".join(line.text for line in head)))


def _heads_a_draft(text: str) -> bool:
    return bool(DRAFT_LINE.match(text) or SUBMITTED_BY.match(text.strip()))


def _notes_for(block: Block, start: int, end: int) -> dict[int, str]:
    notes: dict[int, str] = {}
    for position, number, text in block.footnotes:
        if start <= position <= end and number not in notes:
            notes[number] = text
    return notes


def _own_marker(doc: ParsedDocument, block: Block, start: int, end: int, language: str) -> MarkFinder:
    """Give `doc` the footnotes printed from line `start` to `end`; return the finder of their marks."""
    notes = _notes_for(block, start, end)
    doc.footnotes = [ParsedFootnote(n, t) for n, t in sorted(notes.items())]
    return MarkFinder(notes, language, explicit=block.explicit_marks)


def _resolve_soft_hyphens(paragraphs: list[ParsedParagraph], block: Block) -> list[ParsedParagraph]:
    for paragraph in paragraphs:
        paragraph.text = resolve_soft_hyphens(paragraph.text, block)
    return paragraphs


def _fill_resolution(
    doc: ParsedDocument,
    lines: list[Line],
    block: Block,
    offset: int,
    language: str,
    marker: MarkFinder | None = None,
) -> None:
    """Fill `doc` from its lines; a draft it recommends shares its `marker` (marks run on)."""
    formula_at, body = _read_head_and_formula(doc, lines, language)
    main, annex_heading, annex = _split_annex(body)
    main, closing = _split_closing(main)
    _read_closing(doc, closing, language)
    own_marker = marker is None
    # "Recommends to the General Assembly the adoption of the following draft resolution:"
    main, recommended = _take_recommended_draft(main) if own_marker else (main, [])

    pieces = assemble(main, language)
    if formula_at is None and _first_numbered(pieces) is None:
        raise ParseError(NO_RESOLUTION_STRUCTURE)
    if own_marker:
        marker = _own_marker(doc, block, offset, offset + len(lines), language)

    paragraphs = _name_parts(pieces, marker, language)
    if recommended:
        draft = ParsedDocument(language=language, doc_type=DRAFT_RESOLUTION, body="GA")
        _fill_resolution(draft, recommended, block, offset, language, marker)
        doc.resolutions.append(draft)
    paragraphs += _annex_paragraphs(annex_heading, annex, marker, language)
    doc.paragraphs = _resolve_soft_hyphens(paragraphs, block)
    _unique_anchors(doc)
    _keep_footnotes(doc, marker, own_marker)


def _read_head_and_formula(
    doc: ParsedDocument, lines: list[Line], language: str
) -> tuple[int | None, list[Line]]:
    """Read the head (what stands before the enacting formula) into `doc`, with the organ
    the formula names; return where the formula stands and the lines of the body."""
    formula_at = first_line(lines, FORMULA.match)
    if formula_at is None:
        doc.warnings.append(NO_ENACTING_FORMULA)
        # The heading still ends with the number and title ("78/225. Enhancing …").
        titled = first_line(lines[:30], SYMBOL_NUMBER_LINE.match)
        body_start = 0 if titled is None else titled + 1
        _read_resolution_head(doc, lines[:body_start], language, None)
        return None, lines[body_start:]
    organ = BODY_BY_NAME.get(either(FORMULA.match(lines[formula_at].text), 1, 2))
    _read_resolution_head(doc, lines[:formula_at], language, organ)
    return formula_at, lines[formula_at + 1 :]


def _read_resolution_head(doc: ParsedDocument, head: list[Line], language: str, organ: str | None) -> None:
    """Read the head; the organ it names comes before the formula's, and both before the symbol's."""
    read_head(doc, head, language)
    doc.body = doc.body or organ
    if doc.symbol is None:
        doc.symbol = symbol_from_head(head, doc.body)
    _read_organ_from_symbol(doc)


def _read_organ_from_symbol(doc: ParsedDocument) -> None:
    """Take the organ and the Main Committee from the symbol where the text named neither."""
    doc.body = doc.body or body_of_symbol(doc.symbol)
    doc.committee = doc.committee or committee_of_symbol(doc.symbol)


def _first_numbered(pieces: list[Piece]) -> int | None:
    """Return the index of the first numbered paragraph."""
    return next((i for i, piece in enumerate(pieces) if piece.level == 0), None)


def _name_parts(pieces: list[Piece], marker: MarkFinder, language: str) -> list[ParsedParagraph]:
    """Name the preambular and operative paragraphs, and a text the resolution adopts in
    its operative part. With no numbered paragraph, the last one is the operative paragraph."""
    first_numbered = _first_numbered(pieces)
    if first_numbered is None:
        paragraphs = name_paragraphs(pieces[:-1], PREAMBULAR, marker, language)
        return paragraphs + name_paragraphs(pieces[-1:], OPERATIVE, marker, language, single=True)
    preamble, operative, adopted = _split_adopted_text(
        pieces[:first_numbered], pieces[first_numbered:], language
    )
    paragraphs = name_paragraphs(preamble, PREAMBULAR, marker, language)
    paragraphs += name_paragraphs(operative, OPERATIVE, marker, language, single=bool(adopted))
    if adopted:
        paragraphs += name_paragraphs(adopted, ANNEX, marker, language, annex_label=False)
    return paragraphs


def _split_adopted_text(
    preamble: list[Piece], operative: list[Piece], language: str
) -> tuple[list[Piece], list[Piece], list[Piece]]:
    """Split off a text adopted in the operative part ("Adopts the following declaration:",
    a heading, the declaration's numbered text, A/RES/72/1): (preamble, the one operative
    paragraph, the text); the text is empty where there is none."""
    cut = next((i for i, piece in enumerate(preamble) if is_heading(piece, language)), None)
    if cut and _ends_with_colon(preamble[cut - 1].text):
        return preamble[: cut - 1], [preamble[cut - 1]], preamble[cut:] + operative
    return preamble, operative, []


def _keep_footnotes(doc: ParsedDocument, marker: MarkFinder, own_marker: bool) -> None:
    """Keep the footnotes the text's own paragraphs refer to (a recommended draft shares
    its report's marks), then check the marks' sequence and pass the drafts' warnings on."""
    if not own_marker:
        used = _marks_in(doc.paragraphs)
        doc.footnotes = [ParsedFootnote(n, t) for n, t in sorted(marker.notes_by_number.items()) if n in used]
        _check_sequence(doc)
        return
    _leave_footnotes_to_drafts(doc)
    doc.warnings += marker.warnings()
    _check_sequence(doc)
    doc.warnings += [
        IN_RECOMMENDED_DRAFT.format(warning=w) for draft in doc.resolutions for w in draft.warnings
    ]


def _leave_footnotes_to_drafts(doc: ParsedDocument) -> None:
    """A footnote only the drafts it recommends refer to is theirs, not the document's."""
    in_drafts = _marks_in(paragraph for draft in doc.resolutions for paragraph in draft.paragraphs)
    in_own = _marks_in(doc.paragraphs)
    doc.footnotes = [f for f in doc.footnotes if f.number in in_own or f.number not in in_drafts]


def _marks_in(paragraphs: Iterable[ParsedParagraph]) -> set[int]:
    """Return the numbers of the footnotes the paragraphs refer to."""
    return {number for paragraph in paragraphs for number in paragraph.footnotes}


# The operative paragraph that introduces a draft the General Assembly is to adopt.
RECOMMENDS_DRAFT = re.compile(
    r"(?:following draft (?:resolution|decision)[^:：]*|(?:下列|以下)决议草案[^:：]*)[:：]\s*$"
)
QUOTE_OPEN = "“‘\"'"
# A footnote's number printed after the colon: "… following draft resolution: 3".
NOTE_AFTER_COLON = re.compile(r"(?<=[:：])\s*\d{1,3}$")
CLOSES_QUOTATION = re.compile(r"[.。]”\s*$")
# A quotation mark opens a paragraph: after a clause's end (and its marks) or before a number.
ENDS_CLAUSE = re.compile(r"[,;:.，；：。”](?:\s*\d{1,3}|\s*\u27e6\d+\u27e7)*\s*$")
QUOTED_NUMBER = re.compile(r"\s*.(?:\d{1,3}\.|\([a-z]{1,4}\))\s")
CLOSING_QUOTE = re.compile(r"[”’\"'](?=(?:\s*\u27e6\d+\u27e7)?\s*$)")


def _take_recommended_draft(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Take a recommended draft out of the lines: (the lines left, the draft's lines unquoted)."""
    span = _recommended_draft(lines)
    if span is None:
        return lines, []
    start, end = span
    return lines[:start] + lines[end:], _unquote(lines[start:end])


def _recommended_draft(lines: list[Line]) -> tuple[int, int] | None:
    """Return where a draft recommended to the General Assembly starts and ends.

    It starts with "The General Assembly," after a line ending "… following draft
    resolution:" and ends with the paragraph that closes its quotation (`.”`), or
    with the resolution."""
    for index in range(1, len(lines)):
        if _opens_recommended_draft(lines, index):
            return index, _end_of_quotation(lines, index)
    return None


def _opens_recommended_draft(lines: list[Line], index: int) -> bool:
    """Is the line at `index` the General Assembly's formula, after "… following draft resolution:"?"""
    formula = FORMULA.match(lines[index].text.strip().lstrip(QUOTE_OPEN))
    if not formula or either(formula, 1, 2) not in BODIES["GA"]:
        return False
    previous = unmarked(lines[index - 1].text).rstrip()
    return bool(RECOMMENDS_DRAFT.search(NOTE_AFTER_COLON.sub("", previous)))


def _end_of_quotation(lines: list[Line], start: int) -> int:
    """Return the end of the paragraph that closes the quotation (no quoted paragraph
    follows it), or of the lines."""
    for end in range(start + 1, len(lines) - 1):
        if (
            CLOSES_QUOTATION.search(unmarked(lines[end].text))
            and lines[end + 1].text.lstrip()[:1] not in QUOTE_OPEN
        ):
            return end + 1
    return len(lines)


def _unquote(lines: list[Line]) -> list[Line]:
    """Take off the quotation marks that open each paragraph of a quoted draft and close it."""
    out = [
        Line(_without_opening_quote(lines, index), ends=line.ends, page_start=line.page_start)
        for index, line in enumerate(lines)
    ]
    if out:
        out[-1].text = CLOSING_QUOTE.sub("", out[-1].text, count=1)
    return out


def _without_opening_quote(lines: list[Line], index: int) -> str:
    text = lines[index].text
    if text.lstrip()[:1] in QUOTE_OPEN and _opens_quoted_paragraph(lines, index):
        return text.lstrip()[1:]
    return text


def _opens_quoted_paragraph(lines: list[Line], index: int) -> bool:
    """Does the line at `index` start a paragraph of the quotation (where a quotation mark opens it)?"""
    if index == 0 or lines[index - 1].ends:
        return True
    return bool(ENDS_CLAUSE.search(lines[index - 1].text) or QUOTED_NUMBER.match(lines[index].text))


def _ends_with_colon(text: str) -> bool:
    return unmarked(text).rstrip().endswith((":", "："))


ANNEX_LINE = re.compile(r"\s*(?:Annex(?:\s+([IVX]+))?|附件([一二三四五六七八九十]*))\s*")
ANNEX_NUMBERS = {numeral: number for number, numeral in enumerate(ROMANS, 1)} | {
    numeral: number for number, numeral in enumerate("一二三四五六七八九十", 1)
}


def _split_annex(body: list[Line]) -> tuple[list[Line], Line | None, list[Line]]:
    """Split the body at "Annex": (what stands before it, its heading line, the annex's lines)."""
    annex_at = first_line(body, ANNEX_LINE.fullmatch)
    if annex_at is None:
        return body, None, []
    return body[:annex_at], body[annex_at], body[annex_at + 1 :]


def _annex_paragraphs(
    heading: Line | None, annex: list[Line], marker: MarkFinder, language: str
) -> list[ParsedParagraph]:
    """Name the annex's paragraphs, part by part ("Annex I", "Annex II" …)."""
    if not annex:
        return []
    annex_main, _ = _split_closing(annex)
    paragraphs = []
    for part, lines_of_part in _annex_parts(heading, annex_main):
        paragraphs += name_paragraphs(
            assemble(lines_of_part, language), ANNEX, marker, language, annex_label=True, annex_part=part
        )
    return paragraphs


def _annex_parts(first: Line, lines: list[Line]) -> list[tuple[int, list[Line]]]:
    """Split an annex at "Annex II", "附件二" …: (its number, 0 for a single unnumbered
    annex; its lines). Each numbered annex numbers its paragraphs from 1."""
    parts: list[tuple[int, list[Line]]] = [(_annex_number(first.text), [])]
    for line in lines:
        number = _annex_number(line.text)
        if number:
            parts.append((number, []))
        else:
            parts[-1][1].append(line)
    return [(number, part) for number, part in parts if part]


def _annex_number(text: str) -> int:
    """Return the number an annex's heading gives ("Annex II", "附件二": 2); 0 for "Annex"
    alone, and for any other line."""
    match = ANNEX_LINE.fullmatch(text)
    if not match:
        return 0
    return ANNEX_NUMBERS.get((either(match, 1, 2) or "").lower(), 0)


def _split_closing(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split off the date and meeting lines that close a resolution."""
    meeting = first_line(lines, _is_meeting_line)
    if meeting is None:
        return lines, []
    # The date stands above the meeting, or below it ("50th (resumed) plenary meeting").
    start = meeting - 1 if meeting and is_date_line(lines[meeting - 1].text) else meeting
    return lines[:start], lines[start:]


def _is_meeting_line(text: str) -> bool:
    return bool(ZH_MEETING.match(text) or EN_MEETING.match(text))


def _read_closing(doc: ParsedDocument, closing: list[Line], language: str) -> None:
    for line in closing:
        if _is_meeting_line(line.text):
            doc.meeting = re.sub(r"\s+", " ", line.text.strip())
        elif is_date_line(line.text):
            doc.adopted_on = find_date(line.text)


# A report's title, and its head naming a committee: the report of a committee of the General Assembly.
REPORT_TITLE = re.compile(r"的报告$|^Report of")


def _fill_report(doc: ParsedDocument, lines: list[Line], block: Block, offset: int, language: str) -> None:
    first = first_line(lines, _numbered, len(lines))
    head = lines[:first]
    read_head(doc, head, language)
    doc.title = next((unmarked(line.text) for line in head if REPORT_TITLE.search(line.text)), doc.title)
    doc.body = "GA" if _names_a_committee(head) else doc.body
    pieces = assemble(lines[first:], language)
    marker = _own_marker(doc, block, offset, offset + len(lines), language)
    doc.paragraphs = name_paragraphs(pieces, REPORT, marker, language)
    doc.warnings += marker.warnings()


def _names_a_committee(head: list[Line]) -> bool:
    joined = " ".join(line.text for line in head)
    return "Committee" in joined or any(chinese in joined for _, chinese in MAIN_COMMITTEES.values())


def _numbered(text: str) -> bool:
    start = number_at_start(text)
    return start is not None and start[2] == 0


def _unique_anchors(doc: ParsedDocument) -> None:
    """Keep every anchor unique: where numbering starts again under each heading (rules
    of procedure: "Rule 27", 1., 2.; items of a programme of work), the second "annex3-2"
    becomes "annex3-2_2", and the review says so."""
    seen: dict[str, int] = {}
    repeated = []
    for paragraph in doc.paragraphs:
        count = seen.get(paragraph.anchor, 0) + 1
        seen[paragraph.anchor] = count
        if count > 1:
            repeated.append(paragraph.anchor)
            paragraph.anchor = f"{paragraph.anchor}_{count}"
    if repeated:
        listed = ", ".join(dict.fromkeys(repeated))
        doc.warnings.append(NUMBERING_RESTARTS.format(anchors=listed))


def _check_sequence(doc: ParsedDocument) -> None:
    doc.warnings += [
        PARAGRAPH_MISSING.format(current=current, previous=previous)
        for previous, current in pairwise(_operative_numbers(doc))
        if current != previous + 1
    ]


def _operative_numbers(doc: ParsedDocument) -> list[int]:
    """Return the numbers of the operative paragraphs (not of their subparagraphs)."""
    return [int(p.anchor[2:]) for p in doc.paragraphs if _is_numbered_operative(p)]


def _is_numbered_operative(paragraph: ParsedParagraph) -> bool:
    return paragraph.kind == OPERATIVE and paragraph.level == 0 and paragraph.anchor[2:].isdigit()


def _references(text: str, block: Block) -> list[str]:
    """Return the symbols the document names (links first), each once, in order."""
    symbols = (symbol.rstrip(".,;") for symbol in block.references + symbols_in(text))
    return list(dict.fromkeys(symbol for symbol in symbols if "/" in symbol and "undocs.org" not in symbol))
