"""Stage 3: document structure, and `parse_document`, which runs the stages in order.

A resolution: its head (symbol, title, session, sponsors), the enacting formula,
preambular, operative and annex parts, and the closing date and meeting. A report:
its own numbered paragraphs and the draft resolutions it recommends. Then the
checks a reviewer reads (operative numbers out of sequence) and the symbols cited.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .assembly import assemble, is_heading, repair_words, resolve_soft_hyphens
from .decoding import detect_language
from .documents import (
    AMENDMENT,
    ANNEX,
    DRAFT_DECISION,
    DRAFT_RESOLUTION,
    NOTE,
    OPERATIVE,
    PREAMBULAR,
    REPORT,
    REPORT_DOC,
    ParsedDocument,
    ParsedFootnote,
    ParsedParagraph,
    ParseError,
)
from .labels import name_paragraphs
from .layout import Block, Line, is_furniture, split_layout
from .marks import MarkFinder
from .symbols import (
    BODIES,
    BODY_BY_NAME,
    COMMITTEE_NUMBERS,
    RESOLUTION_LINE,
    ZH_COMMITTEE_NUMBERS,
    body_of_symbol,
    committee_of_symbol,
    is_symbol,
    resolution_symbol,
    symbols_in,
)
from .text import (
    EN_MEETING,
    EN_MONTHS,
    FORMULA,
    MARK_RE,
    ROMANS,
    SYMBOL_NUMBER_LINE,
    ZH_MEETING,
    join_lines,
    number_at_start,
)

# Security Council resolutions are numbered with their year: "Resolution 2331 (2016)".
SC_LINE = re.compile(
    r"^\s*(?:Resolution\s+(\d{1,4})\s*\((\d{4})\)|第\s*(?=\d)(\d{1,4})\s*[(（](\d{4})[)）]\s*号决议)\s*$"
)
DRAFT_HEADING = re.compile(r"^\s*决议草案([一二三四五六七八九十]+)\s*$|^\s*Draft resolution ([IVXL]+)\s*$")
ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
EN_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(EN_MONTHS) + r")\s+(\d{4})\b", re.I)
PLENARY = "plenary"
# The line under the adoption date says on whose report (or without one) it was adopted.
ON_REPORT = re.compile(
    rf"\[\s*on the report of the (?:[^\[\]]*?\()?({'|'.join(COMMITTEE_NUMBERS)}) Committee\)?"
    r"\s*\(([^()]*)\)\s*\]"
    rf"|\[\s*根据第([{''.join(ZH_COMMITTEE_NUMBERS)}])委员会的报告\s*[(（]([^()（）]*)[)）]\s*通过\s*\]"
)
WITHOUT_COMMITTEE = re.compile(r"\[\s*without reference to a Main Committee|\[\s*未经发交主要委员会")
DISTRIBUTION = re.compile(r"Distr\.\s*[:：]\s*(General|Limited|Restricted)\b", re.I)
# Member States whose names hold "and" / "和": the separator before the last sponsor is
# never inside one of these.
JOINED_NAMES = (
    "Antigua and Barbuda",
    "Bosnia and Herzegovina",
    "Saint Kitts and Nevis",
    "Saint Vincent and the Grenadines",
    "Sao Tome and Principe",
    "Trinidad and Tobago",
    "United Kingdom of Great Britain and Northern Ireland",
    "安提瓜和巴布达",
    "波斯尼亚和黑塞哥维那",
    "圣基茨和尼维斯",
    "圣文森特和格林纳丁斯",
    "圣多美和普林西比",
    "特立尼达和多巴哥",
)


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
    repair_words(block, language)

    lines = block.lines
    segments = _segments(lines)
    report_like = _is_report(lines, language)
    other = _other_kind(lines)

    if other:
        doc = ParsedDocument(language=language, doc_type=other[0])
        _fill_other(doc, lines, block, other[1], language)
    elif report_like and segments:
        doc = ParsedDocument(language=language, doc_type=REPORT_DOC)
        report_lines = lines[: segments[0][0]]
        _fill_report(doc, report_lines, block, 0, language)
        for start, end, number in segments:
            draft = ParsedDocument(language=language, doc_type=DRAFT_RESOLUTION, number=number)
            _fill_resolution(draft, lines[start + 1 : end], block, start + 1, language)
            draft.body = draft.body or "GA"
            draft.committee = draft.committee or doc.committee
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


def _segments(lines: list[Line]) -> list[tuple[int, int, str]]:
    """Return (heading index, end index, number) of each draft resolution in a report."""
    heads = []
    for index, line in enumerate(lines):
        match = DRAFT_HEADING.match(line.text)
        # It must be followed by a resolution (a formula within a few lines).
        if (
            match
            and index + 2 < len(lines)
            and any(FORMULA.match(x.text) for x in lines[index + 1 : index + 12])
        ):
            heads.append((index, match.group(1) or match.group(2)))
    return [
        (start, heads[k + 1][0] if k + 1 < len(heads) else len(lines), number)
        for k, (start, number) in enumerate(heads)
    ]


# The heading line that says a document is not a resolution but a committee's working
# paper: "Albania, …: amendment to draft resolution A/C.3/80/L.2", "Draft decision
# submitted by the Chair", "Note by the Secretariat".
AMENDMENT_LINE = re.compile(
    r"^(?:(?P<sponsors>.+?)\s*[:：]\s*)?(?:proposed )?amendments? to (?:the )?(?:revised )?"
    r"draft (?:resolution|decision)\s*(?P<amends>\S+)?\s*$"
    r"|^(?:(?P<zh_sponsors>.+?)\s*[:：]\s*)?对(?:订正)?(?:决议|决定)草案\s*(?P<zh_amends>\S+?)\s*(?:的|提出的)修正案?\s*$",
    re.I,
)
DECISION_LINE = re.compile(
    r"^(?:(?P<sponsors>.+?)\s*[:：]\s*)?(?:revised )?draft decision(?: submitted by .*)?$"
    r"|^(?:(?P<zh_sponsors>.+?)\s*[:：]\s*)?(?:订正)?决定草案$|^.*提交的(?:订正)?决定草案$",
    re.I,
)
NOTE_LINE = re.compile(r"^Note by the (?:Secretariat|Secretary-General)$|^秘书(?:处|长)的说明$")
WORKING_PAPERS = ((AMENDMENT, AMENDMENT_LINE), (DRAFT_DECISION, DECISION_LINE), (NOTE, NOTE_LINE))


def _other_kind(lines: list[Line]) -> tuple[str, int] | None:
    """Return the type of a working paper and the index of its heading line; None for
    a resolution, a draft resolution or a report."""
    for index, line in enumerate(lines[:25]):
        if FORMULA.match(line.text) or SYMBOL_NUMBER_LINE.match(line.text) or DRAFT_HEADING.match(line.text):
            return None
        text = MARK_RE.sub("", line.text).strip()
        for doc_type, pattern in WORKING_PAPERS:
            if pattern.match(text) or (
                # "…: amendment to revised draft resolution" with the symbol on the next line
                index + 1 < len(lines)
                and is_symbol(lines[index + 1].text)
                and pattern.match(f"{text} {lines[index + 1].text.strip()}")
            ):
                return doc_type, index
    return None


def _fill_other(doc: ParsedDocument, lines: list[Line], block: Block, at: int, language: str) -> None:
    """Fill an amendment, a draft decision or a note: its heading, then numbered paragraphs
    (one unnumbered instruction and the text it inserts make one paragraph)."""
    heading = MARK_RE.sub("", lines[at].text).strip()
    start = at + 1
    if (
        at + 1 < len(lines)
        and not AMENDMENT_LINE.match(heading)
        and AMENDMENT_LINE.match(f"{heading} {lines[at + 1].text.strip()}")
    ):
        heading, start = f"{heading} {lines[at + 1].text.strip()}", at + 2
    doc_type = doc.doc_type
    _read_head(doc, lines[:at], language)
    doc.doc_type = doc_type  # not the draft resolution a sponsors' line would make it
    doc.symbol = _symbol_from_head(lines[:at], doc.body)
    doc.body = doc.body or body_of_symbol(doc.symbol)
    doc.committee = doc.committee or committee_of_symbol(doc.symbol)
    doc.sponsors = []
    named = dict(WORKING_PAPERS)[doc.doc_type].match(heading).groupdict()
    if named.get("sponsors") or named.get("zh_sponsors"):
        doc.sponsors = split_sponsors(named.get("sponsors") or named.get("zh_sponsors"))
    doc.amends = (named.get("amends") or named.get("zh_amends") or "").rstrip(".,;")
    if doc.doc_type == NOTE:
        # The title stands above "Note by the Secretariat".
        before = [MARK_RE.sub("", line.text).strip() for line in lines[:at]]
        doc.title = before[-1] if before and not _committee_named(before[-1]) else doc.title
    elif start < len(lines) and not _numbered(lines[start].text):
        doc.title = _join_title([MARK_RE.sub("", lines[start].text)], language)
        start += 1
    pieces = assemble(lines[start:], language)
    notes = _notes_for(block, 0, len(lines))
    doc.footnotes = [ParsedFootnote(n, t) for n, t in sorted(notes.items())]
    marker = MarkFinder(notes, language, explicit=block.explicit_marks)
    doc.paragraphs = name_paragraphs(pieces, REPORT, marker, language, single=True)
    for paragraph in doc.paragraphs:
        paragraph.text = resolve_soft_hyphens(paragraph.text, block)
    _unique_anchors(doc)
    doc.warnings += marker.warnings()


def _is_report(lines: list[Line], language: str) -> bool:
    first = lines[:12]
    # Only the heading tells: a preambular paragraph may cite "the report of the … Committee".
    formula = next((i for i, line in enumerate(first) if FORMULA.match(line.text)), len(first))
    head = " ".join(line.text for line in first[:formula])
    # "78/116. Report of the Committee on …" is a resolution's number and title.
    if any(SYMBOL_NUMBER_LINE.match(line.text) for line in first):
        return False
    return bool(re.search(r"委员会的报告|报告员[:：]|Report of the .*Committee|Rapporteur:", head))


def _notes_for(block: Block, start: int, end: int) -> dict[int, str]:
    notes: dict[int, str] = {}
    for position, number, text in block.footnotes:
        if start <= position <= end and number not in notes:
            notes[number] = text
    return notes


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
    # Closing lines (date, meeting) end the operative part; "Annex" starts the annex.
    annex_at = next((i for i, line in enumerate(body) if ANNEX_LINE.fullmatch(line.text)), None)
    main = body[:annex_at] if annex_at is not None else body
    annex = body[annex_at + 1 :] if annex_at is not None else []
    main, closing = _split_closing(main)
    _read_closing(doc, closing, language)
    # "Recommends to the General Assembly the adoption of the following draft resolution:"
    span = _recommended_draft(main) if marker is None else None
    recommended = _unquote(main[span[0] : span[1]]) if span else []
    main = main[: span[0]] + main[span[1] :] if span else main

    pieces = assemble(main, language)
    if formula_at is None and not any(p.level == 0 for p in pieces):
        raise ParseError(
            "no resolution structure was found: no enacting formula (such as "
            "“The General Assembly,” or “大会，”) and no numbered paragraphs"
        )
    own_marker = marker is None
    if marker is None:
        notes = _notes_for(block, offset, offset + len(lines))
        marker = MarkFinder(notes, language, explicit=block.explicit_marks)
        doc.footnotes = [ParsedFootnote(n, t) for n, t in sorted(notes.items())]

    paragraphs = _name_parts(pieces, marker, language)
    if recommended:
        draft = ParsedDocument(language=language, doc_type=DRAFT_RESOLUTION, body="GA")
        _fill_resolution(draft, recommended, block, offset, language, marker)
        doc.resolutions.append(draft)
    if annex:
        annex_main, annex_closing = _split_closing(annex)
        for part, lines_of_part in _annex_parts(body[annex_at], annex_main):
            paragraphs += name_paragraphs(
                assemble(lines_of_part, language), ANNEX, marker, language, annex_label=True, annex_part=part
            )
    for paragraph in paragraphs:
        paragraph.text = resolve_soft_hyphens(paragraph.text, block)
    doc.paragraphs = paragraphs
    _unique_anchors(doc)
    _keep_footnotes(doc, marker, own_marker)


def _read_head_and_formula(
    doc: ParsedDocument, lines: list[Line], language: str
) -> tuple[int | None, list[Line]]:
    """Read the head (what stands before the enacting formula) into `doc`, with the organ
    the formula names; return where the formula stands and the lines of the body."""
    formula_at = next((i for i, line in enumerate(lines) if FORMULA.match(line.text)), None)
    if formula_at is not None:
        head_end = formula_at
        body_start = formula_at + 1
    else:
        doc.warnings.append("no enacting formula (such as “The General Assembly,”) was found")
        # The heading still ends with the number and title ("78/225. Enhancing …").
        titled = next((i for i, line in enumerate(lines[:30]) if SYMBOL_NUMBER_LINE.match(line.text)), None)
        head_end = body_start = 0 if titled is None else titled + 1
    head = lines[:head_end]
    _read_head(doc, head, language)
    if formula_at is not None:
        formula = FORMULA.match(lines[formula_at].text)
        body_name = formula.group(1) or formula.group(2)
        doc.body = doc.body or BODY_BY_NAME.get(body_name)
    if doc.symbol is None:
        doc.symbol = _symbol_from_head(head, doc.body)
    doc.body = doc.body or body_of_symbol(doc.symbol)
    doc.committee = doc.committee or committee_of_symbol(doc.symbol)
    return formula_at, lines[body_start:]


def _name_parts(pieces: list, marker: MarkFinder, language: str) -> list[ParsedParagraph]:
    """Name the preambular and operative paragraphs, and a text the resolution adopts in
    its operative part ("Adopts the following declaration:" + heading + numbered text,
    A/RES/72/1). With no numbered paragraph, the last one is the operative paragraph."""
    first_numbered = next((i for i, p in enumerate(pieces) if p.level == 0), None)
    if first_numbered is None:
        preamble, operative, embedded = pieces[:-1], pieces[-1:], []
    else:
        preamble, operative = pieces[:first_numbered], pieces[first_numbered:]
        embedded = []
        headings = [i for i, p in enumerate(preamble) if is_heading(p, language)]
        if (
            headings
            and preamble[headings[0] - 1 : headings[0]]
            and _ends_with_colon(preamble[headings[0] - 1].text)
        ):
            cut = headings[0]
            embedded = preamble[cut:] + operative
            preamble, operative = preamble[: cut - 1], [preamble[cut - 1]]
    paragraphs = name_paragraphs(preamble, PREAMBULAR, marker, language)
    paragraphs += name_paragraphs(
        operative, OPERATIVE, marker, language, single=first_numbered is None or embedded != []
    )
    if embedded:
        paragraphs += name_paragraphs(embedded, ANNEX, marker, language, annex_label=False)
    return paragraphs


def _keep_footnotes(doc: ParsedDocument, marker: MarkFinder, own_marker: bool) -> None:
    """Keep the footnotes the text's own paragraphs refer to (a recommended draft shares
    its report's marks), then check the marks' sequence and pass the drafts' warnings on."""
    if not own_marker:
        used = {n for p in doc.paragraphs for n in p.footnotes}
        shared = marker.notes_by_number
        doc.footnotes = [ParsedFootnote(n, t) for n, t in sorted(shared.items()) if n in used]
        _check_sequence(doc)
        return
    if doc.resolutions:
        in_drafts = {n for r in doc.resolutions for p in r.paragraphs for n in p.footnotes}
        in_own = {n for p in doc.paragraphs for n in p.footnotes}
        doc.footnotes = [f for f in doc.footnotes if f.number in in_own or f.number not in in_drafts]
    doc.warnings += marker.warnings()
    _check_sequence(doc)
    for draft in doc.resolutions:
        doc.warnings += [f"the draft resolution it recommends: {w}" for w in draft.warnings]


# The operative paragraph that introduces a draft the General Assembly is to adopt.
RECOMMENDS_DRAFT = re.compile(
    r"(?:following draft (?:resolution|decision)[^:：]*|(?:下列|以下)决议草案[^:：]*)[:：]\s*$"
)
QUOTE_OPEN = "“‘\"'"


def _recommended_draft(lines: list[Line]) -> tuple[int, int] | None:
    """Return where a draft recommended to the General Assembly starts and ends.

    It starts with "The General Assembly," after a line ending "… following draft
    resolution:" and ends with the paragraph that closes its quotation (`.”`), or
    with the resolution."""
    for index in range(1, len(lines)):
        formula = FORMULA.match(lines[index].text.strip().lstrip(QUOTE_OPEN))
        if formula and (formula.group(1) or formula.group(2)) in BODIES["GA"]:
            previous = MARK_RE.sub("", lines[index - 1].text).rstrip()
            if RECOMMENDS_DRAFT.search(re.sub(r"(?<=[:：])\s*\d{1,3}$", "", previous)):
                for end in range(index + 1, len(lines) - 1):
                    closes = re.search(r"[.。]”\s*$", MARK_RE.sub("", lines[end].text))
                    if closes and lines[end + 1].text.lstrip()[:1] not in QUOTE_OPEN:
                        return index, end + 1
                return index, len(lines)
    return None


def _unquote(lines: list[Line]) -> list[Line]:
    """Take off the quotation marks that open each paragraph of a quoted draft and close it."""
    out: list[Line] = []
    for index, line in enumerate(lines):
        text = line.text
        before = lines[index - 1] if index else None
        # A quotation mark opens a paragraph: after a clause's end (and its marks) or before a number.
        starts = (
            before is None
            or before.ends
            or re.search(r"[,;:.，；：。”](?:\s*\d{1,3}|\s*\u27e6\d+\u27e7)*\s*$", before.text)
            or re.match(r"\s*.(?:\d{1,3}\.|\([a-z]{1,4}\))\s", text)
        )
        if starts and text.lstrip()[:1] in QUOTE_OPEN:
            text = text.lstrip()[1:]
        out.append(Line(text, ends=line.ends, page_start=line.page_start))
    if out:
        out[-1].text = re.sub(r"[”’\"'](?=(?:\s*\u27e6\d+\u27e7)?\s*$)", "", out[-1].text, count=1)
    return out


def _ends_with_colon(text: str) -> bool:
    return MARK_RE.sub("", text).rstrip().endswith((":", "："))


ANNEX_LINE = re.compile(r"\s*(?:Annex(?:\s+([IVX]+))?|附件([一二三四五六七八九十]*))\s*")


def _annex_parts(first: Line, lines: list[Line]) -> list[tuple[int, list[Line]]]:
    """Split an annex at "Annex II", "附件二" …: (its number, 0 for a single unnumbered
    annex; its lines). Each numbered annex numbers its paragraphs from 1."""
    parts: list[tuple[int, list[Line]]] = [(_annex_number(first.text), [])]
    for line in lines:
        if ANNEX_LINE.fullmatch(line.text) and _annex_number(line.text):
            parts.append((_annex_number(line.text), []))
        else:
            parts[-1][1].append(line)
    return [(number, part) for number, part in parts if part]


def _annex_number(text: str) -> int:
    match = ANNEX_LINE.fullmatch(text)
    roman, chinese = (match.group(1), match.group(2)) if match else (None, None)
    if roman:
        return ROMANS.index(roman.lower()) + 1 if roman.lower() in ROMANS else 0
    return "一二三四五六七八九十".index(chinese) + 1 if chinese and len(chinese) == 1 else 0


def _split_closing(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split off the date and meeting lines that close a resolution."""
    for index, line in enumerate(lines):
        if ZH_MEETING.match(line.text) or EN_MEETING.match(line.text):
            # The date stands above the meeting, or below it ("50th (resumed) plenary meeting").
            start = index - 1 if index > 0 and _is_date_line(lines[index - 1].text) else index
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
    _read_session_and_adoption(doc, texts, joined)
    doc.title = _join_title(_title_lines(doc, head, texts, language), language)
    _read_heading_facts(doc, texts, language)
    doc.agenda_item_title = _agenda_item_title(head, language)
    # The organ that adopted it, before any organ the agenda item names ("Report of the
    # Economic and Social Council" is an item of the General Assembly).
    body = re.search(r"adopted by the (General Assembly|Economic and Social Council)", joined) or re.search(
        r"(大会|经济及社会理事会|General Assembly|Economic and Social Council)", joined
    )
    if body and not doc.body:
        doc.body = BODY_BY_NAME[body.group(1)]


def _read_session_and_adoption(doc: ParsedDocument, texts: list[str], joined: str) -> None:
    """The session, the agenda item, the meeting and the date of adoption, from the head."""
    session = re.search(
        r"^\s*(第[一二三四五六七八九十]+届会议|\d{4}\s*年实质性会议|[A-Z][a-z]+(?:-[a-z]+)? session)\s*$",
        joined,
        re.M,
    )
    if session:
        doc.session = session.group(1).strip()
    item = r"[0-9]+\s*(?:\(\s*[a-z]\s*\))?"
    # "Agenda item 14 (c)", "Agenda items 13 and 117", "议程项目13和117"
    agenda = re.search(rf"(?:议程项目|Agenda items?)\s*({item}(?:\s*(?:,|and|和|、)\s*{item})*)", joined)
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


def _title_lines(doc: ParsedDocument, head: list[Line], texts: list[str], language: str) -> list[str]:
    """The title's lines: after "71/322." or, in a draft, just before the formula (a draft
    is marked so, with its sponsors where the head names them)."""
    for index, text in enumerate(texts):
        match = SYMBOL_NUMBER_LINE.match(text)
        if match:
            title_lines = [match.group(2)] if match.group(2) else []
            title_lines += [t.strip().strip("*") for t in texts[index + 1 :] if t.strip()]
            if title_lines:
                return title_lines
            break
    submitted = next((i for i, t in enumerate(texts) if SUBMITTED_BY.match(t.strip())), None)
    if submitted is not None:
        # "Draft resolution submitted by the Chair …": the title is what follows it.
        doc.doc_type = DRAFT_RESOLUTION
        title_lines = [t for t in texts[submitted + 1 :] if t.strip()]
        if title_lines:
            return title_lines
    pieces = assemble(head, language, sequential=False)
    candidates = [p.text for p in pieces if p.text and not is_furniture(p.text)]
    for piece_text in candidates:
        sponsors = re.match(
            # "Iraq:* draft resolution": the "*" is a note's (on behalf of the Group of 77)
            r"^(.*?)[:：]\s*\*?\s*(?:订正)?决议草案\s*$"
            r"|^(.*?):\s*\*?\s*(?:revised )?draft resolution\s*$",
            piece_text,
        )
        if sponsors:
            doc.sponsors = split_sponsors(sponsors.group(1) or sponsors.group(2))
            doc.doc_type = DRAFT_RESOLUTION
    return [candidates[-1]] if candidates else []


SUBMITTED_BY = re.compile(
    r"^(?:Revised )?draft resolution submitted by .+$|^.+提交的(?:订正)?决议草案$", re.I
)


def split_sponsors(names: str) -> list[str]:
    """Split "A, B, C and D" (or "A、B、C和D") into names; "and" inside a name stays."""
    protected = names
    for name in JOINED_NAMES:
        protected = protected.replace(name, name.replace("and", "\0").replace("和", "\1"))
    parts = re.split(r"、|,\s*(?:and\s+)?", protected)
    # Only the last separator is "and" (or "和"): the one before the last sponsor.
    parts[-1:] = re.split(r"\s+and\s+(?!.*\sand\s)|和(?=[^和]*$)", parts[-1], maxsplit=1)
    # A name may carry the "*" of a footnote the layout left in the line.
    names_found = [p.replace("\0", "and").replace("\1", "和").strip().strip("*").strip() for p in parts]
    return [n for n in names_found if n]


def _read_heading_facts(doc: ParsedDocument, texts: list[str], language: str) -> None:
    """Read page one's heading: distribution and date, the agenda item's title, the committee."""
    joined = "\n".join(texts)
    distribution = DISTRIBUTION.search(joined)
    if distribution:
        doc.distribution = distribution.group(1).capitalize()
        # The date of issue stands right under (or beside) "Distr.".
        after = joined[distribution.end() : distribution.end() + 40]
        date = re.match(r"\s*(?:" + EN_DATE.pattern + "|" + ZH_DATE.pattern + ")", after, re.I)
        if date:
            doc.issued_on = _find_date(date.group(0))
    flat = re.sub(r"\s+", " ", joined)
    report = ON_REPORT.search(flat)
    if report:
        ordinal = COMMITTEE_NUMBERS.get(report.group(1) or "") or ZH_COMMITTEE_NUMBERS[report.group(3)]
        doc.committee = f"C{ordinal}"
        symbols = symbols_in(report.group(2) or report.group(4))
        doc.committee_report = symbols[0] if symbols else ""
    elif WITHOUT_COMMITTEE.search(flat):
        doc.committee = PLENARY
    for text in texts:
        doc.committee = doc.committee or _committee_named(text.strip())


def _committee_named(text: str) -> str:
    """Return "C3" for a heading line "Third Committee", "Report of the Third Committee", "第三委员会"."""
    match = re.fullmatch(
        rf"(?:Report of the )?({'|'.join(COMMITTEE_NUMBERS)}) Committee"
        rf"|第([{''.join(ZH_COMMITTEE_NUMBERS)}])委员会(?:的报告)?",
        text,
    )
    if not match:
        return ""
    return f"C{COMMITTEE_NUMBERS.get(match.group(1) or '') or ZH_COMMITTEE_NUMBERS[match.group(2)]}"


def _agenda_item_title(head: list[Line], language: str) -> str:
    """Return the heading after "Agenda item N", up to what the heading says next."""
    texts = [MARK_RE.sub("", line.text).strip().strip("*#").strip() for line in head]
    at = next((i for i, t in enumerate(texts) if re.match(r"(?:Agenda items?|议程项目)\s*\d", t)), None)
    if at is None:
        return ""
    # A draft's sponsors follow its agenda item, over several lines in text from a PDF.
    sponsors = set()
    for piece in assemble(head, language, sequential=False):
        if re.search(r"(?:draft resolution|决议草案)\s*$", MARK_RE.sub("", piece.text)):
            sponsors.update(range(piece.line_index, piece.end_index + 1))
    # "Agenda item 106 Crime prevention …" when the layout ran them together.
    first = re.sub(
        r"^(?:Agenda items?|议程项目)\s*[0-9]+\s*(?:\(\s*[a-z]\s*\))?"
        r"(?:\s*(?:,|and|和|、)\s*[0-9]+\s*(?:\(\s*[a-z]\s*\))?)*",
        "",
        texts[at],
    ).strip()
    title: list[str] = [first] if first else []
    for index in range(at + 1, len(texts)):
        if index in sponsors or _ends_agenda_title(texts[index]):
            break
        if texts[index]:
            title.append(texts[index])
    return _join_title(title, language)


def _ends_agenda_title(text: str) -> bool:
    return bool(
        re.match(
            r"(?:Resolution adopted by|Draft (?:resolution|decision)|Rapporteur|Note by|\[|Distr\.|Original)",
            text,
        )
        or re.search(r"(?:[:：]\s*(?:订正)?决议草案|draft resolution|决议|的报告|报告员[:：].*)$", text)
        or re.match(r"报告员|\d{4}\s*年", text)
        or _committee_named(text)
        or SYMBOL_NUMBER_LINE.match(text)
        or FORMULA.match(text)
        or _is_date_line(text)
    )


def _join_title(parts: list[str], language: str) -> str:
    title = ""
    for part in parts:
        title = join_lines(title, part.strip(), language)
    return re.sub(r"\s+", " ", title).strip() if language == "en" else title.strip()


def _symbol_from_head(head: list[Line], body: str | None) -> str | None:
    for line in head:
        match = SYMBOL_NUMBER_LINE.match(line.text)
        if match:
            number = match.group(1)
            if re.match(r"^\d{4}/", number) and body in (None, "ECOSOC"):
                return resolution_symbol("ECOSOC", number)
            if body in (None, "GA"):
                return resolution_symbol("GA", number)
            if body == "HRC":
                return resolution_symbol("HRC", number)
            return None
    for line in head:
        match = SC_LINE.match(line.text)
        if match:
            number, year = match.group(1) or match.group(3), match.group(2) or match.group(4)
            return resolution_symbol("SC", f"{number} ({year})")
    for line in head:
        if RESOLUTION_LINE.fullmatch(line.text):
            return line.text.strip()
    # A draft's own symbol on a line of its own (A/C.3/80/L.37, A/80/L.4/Rev.1).
    for line in head:
        if is_symbol(line.text):
            return line.text.strip()
    return None


def _fill_report(doc: ParsedDocument, lines: list[Line], block: Block, offset: int, language: str) -> None:
    first = next((i for i, line in enumerate(lines) if _numbered(line.text)), len(lines))
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
    marker = MarkFinder(notes, language, explicit=block.explicit_marks)
    doc.paragraphs = name_paragraphs(pieces, REPORT, marker, language)
    doc.warnings += marker.warnings()


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
        doc.warnings.append(
            f"paragraph numbers start again under their headings ({listed}): the repeats are "
            "told apart by _2, _3 … in their anchors"
        )


def _check_sequence(doc: ParsedDocument) -> None:
    numbers = [
        int(p.anchor[2:])
        for p in doc.paragraphs
        if p.kind == OPERATIVE and p.level == 0 and p.anchor[2:].isdigit()
    ]
    for previous, current in pairwise(numbers):
        if current != previous + 1:
            doc.warnings.append(
                f"operative paragraph {current} follows {previous}: a paragraph may be missing"
            )


def _references(text: str, block: Block) -> list[str]:
    found: list[str] = []
    for symbol in block.references + symbols_in(text):
        symbol = symbol.rstrip(".,;")
        if symbol.count("/") >= 1 and symbol not in found and "undocs.org" not in symbol:
            found.append(symbol)
    return found
