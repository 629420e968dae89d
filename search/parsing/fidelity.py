"""What is always true of a UN document, checked on what the parser made of it.

Pure, like the rest of the parser: a ParsedDocument in, a list of checks out, each
passed or failed with a sentence saying why. `manage.py parse_report` runs them on
files; a failed check means the parse lost or kept something the printed page did not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.parsing.documents import DRAFT_RESOLUTION, OPERATIVE, REPORT, RESOLUTION, ParsedDocument

CHECKS = ("symbol", "numbers", "footnotes", "furniture", "empty")

# Page furniture, as UN documents print it (page one, page foot, top of later pages).
# A job number at the foot of every page: "23-24977 (E)" (the year, then five digits).
JOB_NUMBER = re.compile(r"(?<![\w/.-])\d{2}-\d{5}(?:\s*\([A-Z]\))?(?![\w/-])")
# A barcode: the job number again between asterisks, "*2324977*".
BARCODE = re.compile(r"\*\d{7,}\*")
# A page number "3/6" standing between spaces: the page is at most the page count, and it
# neither follows a word that cites a numbered text or brings in a quantity ("Council
# resolutions 6/30, 16/21 and", "the goal of 50/50 gender balance") nor comes before a date
# ("…, 62/122 of 17 December 2007").
PAGE_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,3})/(\d{1,3})(?=\s|$)(?!\s+of\b)")
CITING = re.compile(
    r"(?:\b(?:resolutions?|decisions?|and|or|to|nos?\.?|see|also|a|an|the|of|by|at|in|on)|[\d/]+\s*,|第|[(–-])\s*$",
    re.I,
)
# The rule above the footnotes: a long line of its own, unlike the blanks that a draft
# leaves for what is not known yet ("resolution 80/___ of __ December 2025").
FOOTNOTE_RULE = re.compile(r"(?<![\w/])_{10,}(?![\w/])")
DISTRIBUTION = re.compile(r"\bDistr\.\s*:\s*(?:General|Limited|Restricted)\b", re.I)
RECYCLE = re.compile(r"\bPlease\s+recycle\b", re.I)


@dataclass
class Check:
    name: str  # one of CHECKS
    passed: bool
    detail: str = ""  # why it failed, in plain words; empty when it passed


def check_document(doc: ParsedDocument, expected_symbol: str | None = None) -> list[Check]:
    """Return the checks of CHECKS on a document and on the drafts a report contains."""
    problems: dict[str, list[str]] = {name: [] for name in CHECKS}
    problems["symbol"] = _symbol(doc, expected_symbol)
    for prefix, part in _parts(doc):
        for name, found in _problems_of_part(part, doc).items():
            problems[name] += [prefix + problem for problem in found]
    return [Check(name, not problems[name], "; ".join(problems[name])) for name in CHECKS]


def _parts(doc: ParsedDocument) -> list[tuple[str, ParsedDocument]]:
    """Return the document and the drafts it contains, each with what its problems start with."""
    return [("", doc)] + [
        (f"draft resolution {d.number or i}: ", d) for i, d in enumerate(doc.resolutions, 1)
    ]


def _problems_of_part(part: ParsedDocument, doc: ParsedDocument) -> dict[str, list[str]]:
    """Return the problems found in the document `doc` or in a draft it contains, by check."""
    return {
        "numbers": _numbers(part),
        "footnotes": _footnotes(part),
        # Drafts in a report sit under the report's running header.
        "furniture": _furniture(part, doc.symbol, doc.title),
        "empty": _empty(part),
    }


def _symbol(doc: ParsedDocument, expected: str | None) -> list[str]:
    if not doc.symbol:
        return [f"no symbol was found (expected {expected})" if expected else "no symbol was found"]
    if expected and doc.symbol != expected:
        return [f"the symbol found is {doc.symbol}, the file is named {expected}"]
    return []


def _numbers(doc: ParsedDocument) -> list[str]:
    """Top-level operative paragraphs (a report's own paragraphs) are numbered 1 … N."""
    kind, prefix, name = (
        (OPERATIVE, "op", "OP")
        if doc.doc_type in (RESOLUTION, DRAFT_RESOLUTION)
        else (REPORT, "para", "paragraph")
    )
    numbers = _top_level_numbers(doc, kind, prefix)
    if not numbers:
        return [f"no {name} was found"]
    return _out_of_sequence(numbers, name)


def _top_level_numbers(doc: ParsedDocument, kind: str, prefix: str) -> list[int]:
    """Return the numbers of the paragraphs of `kind` anchored prefix1, prefix2 … (not subparagraphs)."""
    numbers = []
    for paragraph in doc.paragraphs:
        match = re.fullmatch(prefix + r"(\d+)", paragraph.anchor)
        if paragraph.kind == kind and paragraph.level == 0 and match:
            numbers.append(int(match.group(1)))
    return numbers


def _out_of_sequence(numbers: list[int], name: str) -> list[str]:
    """Say where the numbers first leave the sequence 1 … N, if they do."""
    for index, number in enumerate(numbers):
        if number != index + 1:
            after = f"after {name} {numbers[index - 1]}" if index else "first"
            return [f"{name} {number} comes {after} ({len(numbers)} numbered, the last {numbers[-1]})"]
    return []


def _footnotes(doc: ParsedDocument) -> list[str]:
    referenced = {number for paragraph in doc.paragraphs for number in paragraph.footnotes}
    printed = {footnote.number for footnote in doc.footnotes}
    problems = []
    if unreferenced := sorted(printed - referenced):
        problems.append(f"footnote {_numbers_text(unreferenced)} not referenced")
    if missing := sorted(referenced - printed):
        problems.append(f"mark {_numbers_text(missing)} without its footnote")
    return problems


def furniture_paragraphs(doc: ParsedDocument) -> int:
    """Return how many paragraphs of a document and of the drafts it contains hold page furniture."""
    return sum(
        bool(furniture_in(paragraph.text, doc.symbol, doc.title))
        for part in [doc, *doc.resolutions]
        for paragraph in part.paragraphs
    )


def _furniture(doc: ParsedDocument, symbol: str | None, title: str) -> list[str]:
    problems = []
    for paragraph in doc.paragraphs:
        found = furniture_in(paragraph.text, symbol, title)
        if found:
            problems.append(f"{paragraph.label} holds {', '.join(found)}")
    return _at_most(problems, 3)


# Furniture found wherever it stands, by what it is called.
PRINTED_FURNITURE = (
    ("a job number", JOB_NUMBER),
    ("a barcode", BARCODE),
    ("a footnote rule", FOOTNOTE_RULE),
    ("the distribution line", DISTRIBUTION),
    ("a recycling note", RECYCLE),
)


def furniture_in(text: str, symbol: str | None = None, title: str = "") -> list[str]:
    """Return the page furniture that a paragraph's text holds, each named with what was seen."""
    found = _printed_furniture(text) + _page_number(text)
    if symbol:
        found += _running_header(text, symbol, title)
    return found


def _printed_furniture(text: str) -> list[str]:
    found = []
    for what, pattern in PRINTED_FURNITURE:
        match = pattern.search(text)
        if match:
            found.append(f"{what} “{match.group(0)}”")
    return found


def _page_number(text: str) -> list[str]:
    """Return the first page number "3/6" of the text, as the page of a document of that many pages."""
    for match in PAGE_NUMBER.finditer(text):
        page, pages = int(match.group(1)), int(match.group(2))
        if 1 <= page <= pages and not CITING.search(text[: match.start()]):
            return [f"a page number “{match.group(0)}”"]
    return []


def _running_header(text: str, symbol: str, title: str) -> list[str]:
    """The running header of later pages: the symbol, then the title (perhaps cut short) or,
    on drafts, nothing. A document never cites its own symbol in its paragraphs."""
    words = " ".join(title.split()[:3])
    header = re.search(
        r"(?<![\w/])" + re.escape(symbol) + r"(?![\w/.])" + (f"(?:\\s+{re.escape(words)})?" if words else ""),
        text,
    )
    return [f"the running header “{header.group(0)}”"] if header else []


def _empty(doc: ParsedDocument) -> list[str]:
    empty = [p.label or p.anchor for p in doc.paragraphs if not re.search(r"\w", p.text)]
    return [f"{', '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty"] if empty else []


def _numbers_text(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:10]) + (
        f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    )


def _at_most(problems: list[str], count: int) -> list[str]:
    if len(problems) <= count:
        return problems
    rest = len(problems) - count
    return problems[:count] + [f"{rest} more paragraph{'' if rest == 1 else 's'}"]
