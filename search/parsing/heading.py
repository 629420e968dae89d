"""What a document's head says, read from its lines: the session, agenda item and its
title, the organ, the dates of issue and adoption, the meeting, the title, the sponsors, the
Main Committee and its report, and the symbol (a resolution's number, a draft's own line).

`structure` reads a document's parts in order and hands the head here; the dates and the
small readers of lines kept here (`first_line`, `unmarked`, `either`) serve it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .assembly import assemble
from .documents import DRAFT_RESOLUTION, ParsedDocument
from .layout import Line, is_furniture
from .symbols import (
    BODIES,
    BODY_BY_NAME,
    COMMITTEE_NUMBERS,
    RESOLUTION_LINE,
    ZH_COMMITTEE_NUMBERS,
    is_symbol,
    numbered_by_year,
    resolution_symbol,
    symbols_in,
)
from .text import (
    EN_MONTHS,
    FORMULA,
    MARK_RE,
    SYMBOL_NUMBER_LINE,
    join_lines,
)

# Security Council resolutions are numbered with their year: "Resolution 2331 (2016)".
SC_LINE = re.compile(
    r"^\s*(?:Resolution\s+(\d{1,4})\s*\((\d{4})\)|第\s*(?=\d)(\d{1,4})\s*[(（](\d{4})[)）]\s*号决议)\s*$"
)

ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

EN_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(EN_MONTHS) + r")\s+(\d{4})\b", re.I)

DATE_LINE = re.compile(r"\s*(?:" + ZH_DATE.pattern + "|" + EN_DATE.pattern + r")\s*", re.I)

# The Main Committees' numbers by the ordinal in their English or Chinese names.
COMMITTEE_ORDINALS = COMMITTEE_NUMBERS | ZH_COMMITTEE_NUMBERS

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


def unmarked(text: str) -> str:
    """Return the text without its footnote marks."""
    return MARK_RE.sub("", text)


def is_date_line(text: str) -> bool:
    return bool(DATE_LINE.fullmatch(text))


def iso_date(year: str, month: str | int, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def find_date(text: str) -> str | None:
    zh = ZH_DATE.search(text)
    if zh:
        return iso_date(*zh.groups())
    en = EN_DATE.search(text)
    if en:
        day, month_name, year = en.groups()
        return iso_date(year, EN_MONTHS.index(month_name.lower()) + 1, day)
    return None


def either(match: re.Match, first: int, second: int) -> str | None:
    """Return group `first` or, where that alternative of the pattern did not match
    (English or Chinese), group `second`."""
    return match.group(first) or match.group(second)


def first_line(lines: list[Line], rule: Callable[[str], object], default: int | None = None) -> int | None:
    """Return the index of the first line whose text `rule` holds for (`default` if none)."""
    return next((index for index, line in enumerate(lines) if rule(line.text)), default)


# The organ that adopted it, before any organ the agenda item names ("Report of the
# Economic and Social Council" is an item of the General Assembly).
ADOPTING = ("GA", "ECOSOC")
ADOPTED_BY = re.compile(rf"adopted by the ({'|'.join(BODIES[body][0] for body in ADOPTING)})")
CHINESE_FIRST = [BODIES[body][1] for body in ADOPTING] + [BODIES[body][0] for body in ADOPTING]
ORGAN_NAMED = re.compile(f"({'|'.join(CHINESE_FIRST)})")


def read_head(doc: ParsedDocument, head: list[Line], language: str) -> None:
    texts = [unmarked(line.text) for line in head]
    joined = "\n".join(texts)
    _read_session_and_adoption(doc, texts, joined)
    doc.title = join_title(_title_lines(doc, head, texts, language), language)
    _read_heading_facts(doc, texts, language)
    doc.agenda_item_title = _agenda_item_title(head, language)
    doc.body = doc.body or _organ_of_head(joined)


def _organ_of_head(joined: str) -> str | None:
    match = ADOPTED_BY.search(joined) or ORGAN_NAMED.search(joined)
    return BODY_BY_NAME[match.group(1)] if match else None


SESSION = re.compile(
    r"^\s*(第[一二三四五六七八九十]+届会议|\d{4}\s*年实质性会议|[A-Z][a-z]+(?:-[a-z]+)? session)\s*$", re.M
)
# "Agenda item 14 (c)", "Agenda item 99 (kk)", "Agenda item 115 (e) (i)", "Agenda items 13
# and 117", "议程项目13和117": a sub-item is lettered a … z, then aa … zz, and its own
# sub-items numbered in roman numerals. Each part optional once: no nested repetition.
AGENDA_ITEM_NUMBER = r"[0-9]+(?:\s*\(\s*[a-z]{1,2}\s*\)(?:\s*\(\s*[ivx]{1,5}\s*\))?)?"
AGENDA_ITEM_NUMBERS = rf"{AGENDA_ITEM_NUMBER}(?:\s*(?:,|and|和|、)\s*{AGENDA_ITEM_NUMBER})*"
AGENDA_ITEMS = re.compile(rf"(?:议程项目|Agenda items?)\s*({AGENDA_ITEM_NUMBERS})")
ADOPTED_ON = re.compile(r"(?:adopted by the .*? on|通过)\s*\n?\s*(\d{1,2} [A-Z][a-z]+ \d{4})", re.I)
# A Chinese heading's line of adoption: "2017年9月11日大会通过的决议".
ZH_ADOPTION_LINE = re.compile(r"\d+\s*日.*(?:决议|通过)\s*$")
MEETING_IN_HEAD = re.compile(r"at its (\d+(?:st|nd|rd|th)) meeting|第\s*(\d+)\s*次(?:全体)?会议")


def _read_session_and_adoption(doc: ParsedDocument, texts: list[str], joined: str) -> None:
    """The session, the agenda item, the meeting and the date of adoption, from the head."""
    session = SESSION.search(joined)
    if session:
        doc.session = session.group(1).strip()
    agenda = AGENDA_ITEMS.search(joined)
    if agenda:
        doc.agenda_item = re.sub(r"\s+", " ", agenda.group(1)).strip()
    doc.meeting = doc.meeting or _meeting_of_head(joined)
    _read_adoption_date(doc, texts, joined)


def _meeting_of_head(joined: str) -> str:
    """Return the meeting the head names ("at its 96th meeting", "第96次全体会议"), or ""."""
    match = MEETING_IN_HEAD.search(joined)
    if not match:
        return ""
    return f"{match.group(1)} meeting" if match.group(1) else f"第 {match.group(2)} 次会议"


def _read_adoption_date(doc: ParsedDocument, texts: list[str], joined: str) -> None:
    adopted = ADOPTED_ON.search(joined)
    if adopted:
        doc.adopted_on = find_date(adopted.group(1))
        return
    for text in texts:
        if ZH_ADOPTION_LINE.search(text):
            doc.adopted_on = find_date(text)


def _title_lines(doc: ParsedDocument, head: list[Line], texts: list[str], language: str) -> list[str]:
    """The title's lines: after "71/322." or, in a draft, just before the formula (a draft
    is marked so, with its sponsors where the head names them)."""
    return (
        _title_after_number(texts)
        or _title_after_submitted_by(doc, texts)
        or _title_before_formula(doc, head, language)
    )


def _title_after_number(texts: list[str]) -> list[str]:
    """The title of a resolution: on and after its number's line ("71/322. …")."""
    for index, text in enumerate(texts):
        match = SYMBOL_NUMBER_LINE.match(text)
        if match:
            title_lines = [match.group(2)] if match.group(2) else []
            return title_lines + [t.strip().strip("*") for t in texts[index + 1 :] if t.strip()]
    return []


SUBMITTED_BY = re.compile(
    r"^(?:Revised )?draft resolutions? submitted by .+$|^.+提交的(?:订正)?决议草案$", re.I
)


def _title_after_submitted_by(doc: ParsedDocument, texts: list[str]) -> list[str]:
    """ "Draft resolution submitted by the Chair …": a draft, whose title is what follows the
    sentence (which a PDF may set on several lines)."""
    for index, text in enumerate(texts):
        if SUBMITTED_BY.match(text.strip()):
            doc.doc_type = DRAFT_RESOLUTION
            rest = [t for t in texts[index + 1 :] if t.strip()]
            title = rest[submitted_by_lines(text, rest) :]
            # A resolution in parts ("A", "B" …) has a title of its own over its first part's.
            part = next((i for i, t in enumerate(title) if re.fullmatch(r"\s*[A-Z]\s*", t)), len(title))
            return title[:part]
    return []


# Where the sentence "Draft resolution submitted by …" is cut mid-way: after a comma or a
# word that needs more ("of the", "following", "on draft"), before a bracket or a small
# letter, or before the State of the officer it names ("the Committee, Andrés ⏎ Napurí
# Pita (Peru)").
CUT_SUBMITTED_BY = re.compile(r"(?:,|\b(?:of|the|on|by|following|draft|and|in|to|with|at))\s*$")


def submitted_by_lines(first: str, rest: list[str]) -> int:
    """Return how many of the lines after "Draft resolution submitted by …" go on with it."""
    sentence, count = first.strip(), 0
    while count < len(rest) and _goes_on(sentence, rest[count].strip()):
        sentence = f"{sentence} {rest[count].strip()}"
        count += 1
    return count


def _goes_on(sentence: str, following: str) -> bool:
    names_officer = "Committee," in sentence and ")" not in sentence.split("Committee,")[-1]
    opens = following[:1] == "(" or following[:1].islower()
    return bool(CUT_SUBMITTED_BY.search(sentence)) or opens or names_officer


# "Iraq:* draft resolution": the "*" is a note's (on behalf of the Group of 77), "**" another's
SPONSORS_LINE = re.compile(
    r"^(.*?)[:：][\s*]*(?:订正)?决议草案\s*$"
    r"|^(.*?):[\s*,]*(?:revised )?draft resolution\**\s*$",
)
# A draft's heading without sponsors: a Main Committee's draft ("Draft resolution" over the
# title, the Sixth Committee's), or one the Chair submits.
DRAFT_LINE = re.compile(r"^\s*(?:Revised )?[Dd]raft resolution\s*$|^\s*(?:订正)?决议草案\s*$")


def _title_before_formula(doc: ParsedDocument, head: list[Line], language: str) -> list[str]:
    """The title of a draft: the head's last paragraph. A line of sponsors before it
    makes the document a draft resolution."""
    pieces = assemble(head, language, sequential=False)
    candidates = [p.text for p in pieces if p.text and not is_furniture(p.text)]
    for text in candidates:
        _read_sponsors_line(doc, text)
    return candidates[-1:]


def _read_sponsors_line(doc: ParsedDocument, text: str) -> None:
    sponsors = SPONSORS_LINE.match(text)
    if sponsors:
        doc.sponsors = split_sponsors(either(sponsors, 1, 2))
        doc.doc_type = DRAFT_RESOLUTION
    elif DRAFT_LINE.match(text):
        doc.doc_type = DRAFT_RESOLUTION


def split_sponsors(names: str) -> list[str]:
    """Split "A, B, C and D" (or "A、B、C和D") into names; "and" inside a name stays."""
    parts = re.split(r"、|,\s*(?:and\s+)?", _protect_joined_names(names))
    # Only the last separator is "and" (or "和"): the one before the last sponsor.
    parts[-1:] = re.split(r"\s+and\s+(?!.*\sand\s)|和(?=[^和]*$)", parts[-1], maxsplit=1)
    # A name may carry the "*" of a footnote the layout left in the line.
    names_found = [p.replace("\0", "and").replace("\1", "和").strip().strip("*").strip() for p in parts]
    return [n for n in names_found if n]


def _protect_joined_names(names: str) -> str:
    """Hide the "and" of the names in JOINED_NAMES from the split (as \\0, and "和" as \\1)."""
    for name in JOINED_NAMES:
        names = names.replace(name, name.replace("and", "\0").replace("和", "\1"))
    return names


def _read_heading_facts(doc: ParsedDocument, texts: list[str], language: str) -> None:
    """Read page one's heading: distribution and date, the agenda item's title, the committee."""
    joined = "\n".join(texts)
    _read_distribution(doc, joined)
    _read_committee(doc, texts, re.sub(r"\s+", " ", joined))


# The date of issue stands right under (or beside) "Distr.".
ISSUE_DATE = re.compile(r"\s*(?:" + EN_DATE.pattern + "|" + ZH_DATE.pattern + ")", re.I)


def _read_distribution(doc: ParsedDocument, joined: str) -> None:
    distribution = DISTRIBUTION.search(joined)
    if not distribution:
        return
    doc.distribution = distribution.group(1).capitalize()
    date = ISSUE_DATE.match(joined[distribution.end() : distribution.end() + 40])
    if date:
        doc.issued_on = find_date(date.group(0))


def _read_committee(doc: ParsedDocument, texts: list[str], flat: str) -> None:
    """Read the Main Committee on whose report it was adopted (and that report), "plenary"
    without one, or the committee a heading line names."""
    report = ON_REPORT.search(flat)
    if report:
        doc.committee = f"C{COMMITTEE_ORDINALS[either(report, 1, 3)]}"
        symbols = symbols_in(either(report, 2, 4))
        doc.committee_report = symbols[0] if symbols else ""
    elif WITHOUT_COMMITTEE.search(flat):
        doc.committee = PLENARY
    doc.committee = doc.committee or _committee_of_lines(texts)


def _committee_of_lines(texts: list[str]) -> str:
    """Return the committee the first line that names one names, or ""."""
    for text in texts:
        committee = committee_named(text.strip())
        if committee:
            return committee
    return ""


COMMITTEE_LINE = re.compile(
    rf"(?:Report of the )?({'|'.join(COMMITTEE_NUMBERS)}) Committee"
    rf"|第([{''.join(ZH_COMMITTEE_NUMBERS)}])委员会(?:的报告)?"
)


def committee_named(text: str) -> str:
    """Return "C3" for a heading line "Third Committee", "Report of the Third Committee", "第三委员会"."""
    match = COMMITTEE_LINE.fullmatch(text)
    return f"C{COMMITTEE_ORDINALS[either(match, 1, 2)]}" if match else ""


AGENDA_ITEM_START = re.compile(r"(?:Agenda items?|议程项目)\s*\d")
# "Agenda item 106 Crime prevention …" when the layout ran them together.
AGENDA_ITEM_HEADING = re.compile(rf"^(?:Agenda items?|议程项目)\s*{AGENDA_ITEM_NUMBERS}")
ENDS_IN_DRAFT_RESOLUTION = re.compile(r"(?:draft resolution|决议草案)\s*$")


def _agenda_item_title(head: list[Line], language: str) -> str:
    """Return the heading after "Agenda item N", up to what the heading says next."""
    texts = [unmarked(line.text).strip().strip("*#").strip() for line in head]
    at = next((i for i, t in enumerate(texts) if AGENDA_ITEM_START.match(t)), None)
    if at is None:
        return ""
    first = AGENDA_ITEM_HEADING.sub("", texts[at]).strip()
    title = [first] if first else []
    title += _agenda_title_lines(texts, at + 1, _sponsors_lines(head, language))
    return join_title(title, language)


def _sponsors_lines(head: list[Line], language: str) -> set[int]:
    """Return the indexes of the lines of a draft's sponsors, which follow its agenda item
    (over several lines in text from a PDF)."""
    lines = set()
    for piece in assemble(head, language, sequential=False):
        if ENDS_IN_DRAFT_RESOLUTION.search(unmarked(piece.text)):
            lines.update(range(piece.line_index, piece.end_index + 1))
    return lines


def _agenda_title_lines(texts: list[str], start: int, sponsors: set[int]) -> list[str]:
    """Return the title's lines from `start` to the sponsors or to the next part of the heading."""
    title = []
    for index in range(start, len(texts)):
        if index in sponsors or _ends_agenda_title(texts[index]):
            break
        if texts[index]:
            title.append(texts[index])
    return title


# What ends an agenda item's title: the next part of the heading.
ENDS_AGENDA_TITLE: tuple[Callable[[str], object], ...] = (
    re.compile(
        r"(?:Resolution adopted by|Draft (?:resolution|decision)|Rapporteur|Note by|\[|Distr\.|Original)"
    ).match,
    re.compile(r"(?:[:：]\s*(?:订正)?决议草案|draft resolution|决议|的报告|报告员[:：].*)$").search,
    re.compile(r"报告员|\d{4}\s*年").match,
    committee_named,
    SYMBOL_NUMBER_LINE.match,
    FORMULA.match,
    is_date_line,
)


def _ends_agenda_title(text: str) -> bool:
    return any(rule(text) for rule in ENDS_AGENDA_TITLE)


def join_title(parts: list[str], language: str) -> str:
    title = ""
    for part in parts:
        title = join_lines(title, part.strip(), language)
    return re.sub(r"\s+", " ", title).strip() if language == "en" else title.strip()


def symbol_from_head(head: list[Line], body: str | None) -> str | None:
    """Return the symbol the head gives: its number's line ("78/123.") read with the organ,
    else the Security Council's "Resolution 2331 (2016)", a resolution's symbol, a draft's."""
    number_line = first_line(head, SYMBOL_NUMBER_LINE.match)
    if number_line is not None:
        return _symbol_of_number(SYMBOL_NUMBER_LINE.match(head[number_line].text).group(1), body)
    for rule in (_security_council_symbol, _resolution_symbol_line, _draft_symbol_line):
        for line in head:
            symbol = rule(line.text)
            if symbol:
                return symbol
    return None


# Whose resolution "78/123." is, by the organ the head names (None: it names none).
NUMBERED_BY_SESSION = {None: "GA", "GA": "GA", "HRC": "HRC"}


def _symbol_of_number(number: str, body: str | None) -> str | None:
    """Return the symbol of resolution "78/123" of an organ (A/RES/78/123); None for an organ
    whose resolutions are numbered otherwise."""
    if numbered_by_year(number) and body in (None, "ECOSOC"):
        return resolution_symbol("ECOSOC", number)
    owner = NUMBERED_BY_SESSION.get(body)
    return resolution_symbol(owner, number) if owner else None


def _security_council_symbol(text: str) -> str | None:
    match = SC_LINE.match(text)
    return resolution_symbol("SC", f"{either(match, 1, 3)} ({either(match, 2, 4)})") if match else None


def _resolution_symbol_line(text: str) -> str | None:
    if RESOLUTION_LINE.fullmatch(text):
        return text.strip()
    return None


def _draft_symbol_line(text: str) -> str | None:
    """A draft's own symbol on a line of its own (A/C.3/80/L.37, A/80/L.4/Rev.1)."""
    if is_symbol(text):
        return text.strip()
    return None
