"""What an amendment does to the draft it amends, read from its paragraphs: each
instruction ("Delete the thirty-eighth preambular paragraph", "In operative paragraph 68,
after “…”, insert “…”", "删除序言部分第三十八段") becomes an `Operation`: what it does, to
which paragraphs of the draft, by which words, with which text.

Three steps, each linear in the text. The quotations are taken out first: what is quoted
is data, never grammar, and nested quotation marks stay inside theirs. What is left is
cut into instructions (a colon, or "reading" at the end of a line, opens the text an
instruction inserts; a line that starts another instruction closes it), and each
instruction is reduced to a short shape of words and markers ("in T after Q insert Q":
T a paragraph or list of paragraphs, Q a quotation, N the new paragraphs announced),
which one of the RULES reads. The shape is bounded (MAX_HEAD) and the rules have no
nested repetition, so no input makes them backtrack for long.

What no rule reads is an UNREAD operation carrying its sentence and the reason: nothing is
dropped. The input is bounded too (MAX_CHARACTERS, MAX_OPERATIONS): what lies beyond is one
unread operation that says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from .documents import OPERATIVE, PREAMBULAR
from .labels import paragraph_names
from .text import CJK, CJK_RE, EN_CARDINALS, EN_SESSIONS, zh_number

DELETE, INSERT, REPLACE, ADD, UNREAD = "delete", "insert", "replace", "add", "unread"
OPERATION_KINDS = (DELETE, INSERT, REPLACE, ADD, UNREAD)
# What a deletion or a replacement changes: whole paragraphs, or words inside them.
PARAGRAPHS, WORDS = "paragraphs", "words"
# Where inserted words or new paragraphs go, beside the words or paragraph named.
AFTER, BEFORE, END, START = "after", "before", "end", "start"
# Targets beyond a numbered paragraph: the title, and the whole text.
TITLE, WHOLE = "title", "*"

# Why an operation is UNREAD, in plain words (shown translated: search.web.amendments).
UNKNOWN_FORM = "not in a form this reader knows"
UNCLOSED_QUOTE = "a quotation mark is not closed"
NO_TEXT = "the text it inserts or deletes was not found"
LEFT_OVER = "it is followed by text that no part of it accounts for"
TOO_LONG = "too long to be one instruction"
BEYOND_LIMIT = "past the part of the amendment that is read"
TOO_MANY = "past the number of operations that are read"
REASONS = (UNKNOWN_FORM, UNCLOSED_QUOTE, NO_TEXT, LEFT_OVER, TOO_LONG, BEYOND_LIMIT, TOO_MANY)

# The longest amendment of the 80th session has 1,700 characters and 11 operations.
MAX_CHARACTERS = 100_000  # of an amendment's paragraphs, together
MAX_HEAD = 1_000  # characters of an instruction outside its quotations and inserted text
MAX_OPERATIONS = 300
MAX_RANGE = 100  # paragraphs "3 to 102" names at most
MAX_SENTENCE = 2_000  # characters an unread operation keeps of text past a limit

PLACE = "\ue000"  # where a quotation was: a private-use character, taken out of the input first
OPENING, CLOSING, STRAIGHT = "“「『", "”」』", '"'
QUOTE_MARK = re.compile(f"[{OPENING}{CLOSING}{STRAIGHT}]")


@dataclass(frozen=True)
class Target:
    """A paragraph of the draft an operation names, or all of one part, the title or the text."""

    part: str  # PREAMBULAR, OPERATIVE, TITLE or WHOLE
    number: int | None = None  # None: every paragraph of the part
    subs: tuple[str, ...] = ()  # ("b",) for OP 5 (b), ("b", "ii") for OP 5 (b) (ii)

    @property
    def key(self) -> str:
        """How it is stored and found: the anchor of the draft's paragraph ("pp38", "op5b",
        "op5b-ii"), "pp*" or "op*" for every paragraph of a part, "title", "*"."""
        if self.part in (TITLE, WHOLE):
            return self.part
        if self.number is None:
            return PREFIXES[self.part] + "*"
        return paragraph_names(self.part, [str(self.number), *self.subs])[0]

    @property
    def labels(self) -> tuple[str, str]:
        """ "OP 5 (b)" and "执行部分第5(b)段" for a numbered paragraph; ("", "") otherwise."""
        if self.number is None or self.part not in PREFIXES:
            return "", ""
        return paragraph_names(self.part, [str(self.number), *self.subs])[1:]

    @classmethod
    def from_key(cls, key: str) -> Target | None:
        """The target a key names; None for anything else."""
        if key in (TITLE, WHOLE):
            return cls(key)
        match = KEY.fullmatch(key)
        if match is None:
            return None
        part = PARTS[match["prefix"]]
        if match["every"]:
            return cls(part)
        subs = tuple(s for s in (match["letter"], match["roman"]) if s)
        return cls(part, int(match["number"]), subs)


PREFIXES = {PREAMBULAR: "pp", OPERATIVE: "op"}
PARTS = {prefix: part for part, prefix in PREFIXES.items()}
KEY = re.compile(
    r"(?P<prefix>pp|op)"
    r"(?:(?P<number>\d{1,4})(?P<letter>[a-z]{1,3})?(?:-(?P<roman>[ivxl]{1,6}))?|(?P<every>\*))"
)


@dataclass
class Operation:
    kind: str  # one of OPERATION_KINDS
    targets: list[Target] = field(default_factory=list)
    scope: str = ""  # DELETE and REPLACE: PARAGRAPHS or WORDS
    position: str = ""  # INSERT and ADD: AFTER, BEFORE, END or START
    placed_by: str = ""  # the words inserted words go after or before
    old: str = ""  # the words deleted or replaced; a deleted paragraph's text, where quoted
    new: str = ""  # the words inserted or put in place of `old`
    paragraphs: list[str] = field(
        default_factory=list
    )  # new paragraphs (ADD), a paragraph's new text (REPLACE)
    new_part: str = ""  # ADD: the part the new paragraphs join
    sentence: str = ""  # the instruction as written (with the text of an unread one)
    paragraph: int = 0  # the amendment's paragraph it is in: 1 for para1
    reason: str = ""  # UNREAD: why, one of REASONS

    @property
    def keys(self) -> list[str]:
        return [target.key for target in self.targets]


def read_amendment(paragraphs: Sequence[str]) -> list[Operation]:
    """Read the operations of an amendment from its paragraphs' text, in either language."""
    operations: list[Operation] = []
    room = MAX_CHARACTERS
    for index, text in enumerate(paragraphs, 1):
        if len(text) > room:
            # What is past the limit, this paragraph's end and those after, is one unread operation.
            rest = _beginning([text[room:], *paragraphs[index:]])
            operations += _read_paragraph(text[:room], index) if room else []
            operations.append(_unread(rest, index, BEYOND_LIMIT))
            break
        operations += _read_paragraph(text, index)
        room -= len(text)
    if len(operations) > MAX_OPERATIONS:
        rest = _beginning([op.sentence for op in operations[MAX_OPERATIONS:]])
        operations[MAX_OPERATIONS:] = [_unread(rest, operations[MAX_OPERATIONS].paragraph, TOO_MANY)]
    return operations


def _beginning(texts: Sequence[str]) -> str:
    """The first MAX_SENTENCE characters and a bit of texts joined by lines, without joining them all."""
    kept: list[str] = []
    length = 0
    for text in texts:
        if length > MAX_SENTENCE:
            break
        kept.append(text[: MAX_SENTENCE + 1])
        length += len(kept[-1]) + 1
    return "\n".join(kept)


def _unread(text: str, index: int, reason: str) -> Operation:
    shown = text if len(text) <= MAX_SENTENCE else text[:MAX_SENTENCE] + "…"
    return Operation(UNREAD, sentence=shown.strip(), paragraph=index, reason=reason)


# Step 1: the quotations taken out.


@dataclass
class Scanned:
    skeleton: str  # the text with each quotation replaced by PLACE
    quotes: list[str]  # the quotations, with their marks, in order
    unclosed: bool = False


def scan_quotations(text: str) -> Scanned:
    """Take the quotations out of a text: “…” (with any “…” inside), 「…」, "…"."""
    skeleton: list[str] = []
    quotes: list[str] = []
    depth, straight = 0, False  # curly marks open; inside a "straight" quotation
    start = copied = 0
    for match in QUOTE_MARK.finditer(text):
        mark, at = match.group(), match.start()
        if depth == 0 and not straight:
            if mark not in CLOSING:  # a closing mark with nothing open stays in the text
                skeleton.append(text[copied:at])
                start, straight, depth = at, mark == STRAIGHT, int(mark != STRAIGHT)
            continue
        if straight:
            straight = mark != STRAIGHT
        else:
            depth += (mark in OPENING) - (mark in CLOSING)
        if not (straight or depth):
            quotes.append(text[start : at + 1])
            skeleton.append(PLACE)
            copied = at + 1
    skeleton.append(text[copied:])
    return Scanned("".join(skeleton), quotes, unclosed=depth > 0 or straight)


def _inner(quote: str) -> str:
    """A quotation's words without its marks, its lines joined as the text's lines are."""
    inner = quote[1:-1]
    return re.sub(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}])", "", inner).replace("\n", " ")


# Step 2: the instructions of a paragraph, each with the text it inserts.


@dataclass
class Instruction:
    head: str  # the words of the instruction, quotations replaced by PLACE
    quotes: list[str]
    body: list[str] = field(default_factory=list)  # its text's paragraphs, as written
    opens_body: bool = False  # it ends with a colon or "reading": paragraphs follow
    colon: str = ""  # the colon it ends with, as written

    def sentence(self) -> str:
        return (_restore(self.head, self.quotes).rstrip() + self.colon).strip()


LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,3}\s*[.)、]|[(（]\d{1,3}[)）]|[(（][a-z][)）])\s*")
EN_STARTS = re.compile(
    r"^\s*(?:in|after|before|at|delete|insert|add|replace|substitute|amend)\b"
    r".{0,300}?(?:\b(?:preambular|operative)\s+paragraph|\btitle\b|\bpreamble\b)",
    re.I,
)
ZH_STARTS = re.compile(r"^\s*(?:在|删除|删去|将|以|用|增加|插入|添加).{0,100}?(?:序言部分|执行部分|标题)")
# Where one sentence ends and the next instruction starts, outside quotations.
EN_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=(?:in|after|before|at|delete|insert|add|replace)\b)", re.I)
ZH_SENTENCE_END = re.compile(r"(?<=[。；;])\s*(?=(?:在|删除|删去|将|以|用|增加|插入|添加))")
COLON = re.compile(r"[:：]")
READING_AT_END = re.compile(r"(?:\breading|\bas follows|\bto read|内容如下|如下)\s*$", re.I)
FINISHED = re.compile(r"[.;。；:：]\s*$")


def _restore(skeleton: str, quotes: list[str]) -> str:
    pieces = iter(quotes)
    return re.sub(PLACE, lambda _: next(pieces, ""), skeleton)


def _starts_instruction(line: str) -> bool:
    line = LEADING_NUMBER.sub("", line, count=1)
    return bool(EN_STARTS.match(line) or ZH_STARTS.match(line))


def instructions(text: str) -> list[Instruction] | None:
    """The instructions of a paragraph; None when a quotation is left open."""
    scanned = scan_quotations(text.replace(PLACE, " "))
    if scanned.unclosed:
        return None
    found: list[Instruction] = []
    used = 0
    for line in scanned.skeleton.split("\n"):
        quotes = scanned.quotes[used : used + line.count(PLACE)]
        used += len(quotes)
        _take_line(found, line, quotes)
    return found


def _take_line(found: list[Instruction], line: str, quotes: list[str]) -> None:
    """A line of the paragraph: text an instruction inserts, the rest of an instruction
    cut at the end of a line, or instructions of its own."""
    last = found[-1] if found else None
    if not line.strip():
        return
    if last is not None and not _starts_instruction(line):
        if last.opens_body:
            last.body.append(_body_paragraph(line, quotes))
            return
        if not FINISHED.search(last.head) and len(last.head) + len(line) <= MAX_HEAD:
            # An instruction's words broken over lines (a head past MAX_HEAD is not
            # joined again and again: it cannot be read anyway).
            found.pop()
            joint = "" if CJK_RE.match(line.lstrip()) else " "
            _split_sentences(found, last.head.rstrip() + joint + line.lstrip(), last.quotes + quotes)
            return
    _split_sentences(found, LEADING_NUMBER.sub("", line, count=1), quotes)


def _split_sentences(found: list[Instruction], line: str, quotes: list[str]) -> None:
    """The instructions of a line: its sentences, the last opening a text after a colon."""
    colon = COLON.search(line)
    head, rest = (line[: colon.start()], line[colon.end() :]) if colon else (line, "")
    for sentence in _sentences(head):
        count = sentence.count(PLACE)
        found.append(Instruction(sentence, quotes[:count]))
        quotes = quotes[count:]
    last = found[-1]
    last.opens_body = bool(colon) or bool(READING_AT_END.search(last.head))
    last.colon = colon.group() if colon else ""
    if rest.strip():
        last.body.append(_body_paragraph(rest, quotes))


def _sentences(head: str) -> list[str]:
    pattern = ZH_SENTENCE_END if CJK_RE.search(head) else EN_SENTENCE_END
    return [s for s in pattern.split(head) if s.strip()] or [head]


def _body_paragraph(line: str, quotes: list[str]) -> str:
    """A paragraph of the text an instruction inserts: a paragraph quoted whole loses its marks."""
    if re.fullmatch(rf"\s*{PLACE}[.;,。；，]?\s*", line):
        return _inner(quotes[0]).strip()
    return _restore(line, quotes).strip()


# Step 3: an instruction's shape, read by the rules.

EN_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ORDINAL_99 = "|".join(sorted(EN_SESSIONS, key=len, reverse=True))
ORDINAL = rf"(?:(?:{'|'.join(EN_UNITS)})\s+hundred(?:th|(?:\s+and)?\s+(?:{ORDINAL_99}))|(?:{ORDINAL_99}))\b"
NUMBER = r"\d{1,4}(?:\s*\(\s*[a-z]{1,3}\s*\))?(?:\s*\(\s*[ivxl]{1,6}\s*\))?"
LIST_JOINT = r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|to)\s+|\s*[-–]\s*)"
SUB = r"\(\s*[a-z]{1,3}\s*\)"
EN_REFERENCE = (
    rf"(?:the\s+)?(?P<ordinals>{ORDINAL}(?:{LIST_JOINT}(?:the\s+)?{ORDINAL})*)\s+(?P<opart>preambular|operative)\s+paragraphs?\b"
    rf"|(?:sub-?paragraphs?\s+(?P<subs>{SUB}(?:{LIST_JOINT}{SUB})*)\s+of\s+)?"
    rf"(?P<npart>preambular|operative)\s+paragraphs?\s+(?P<numbers>{NUMBER}(?:{LIST_JOINT}{NUMBER})*)"
    r"|(?P<title>the\s+title)\b"
    r"|the\s+(?P<allpart>preambular|operative)\s+paragraphs\b(?!\s*\d)"
    r"|(?P<preamble>the\s+preamble)\b"
    r"|(?P<whole>throughout(?:\s+the)?\s+(?:text|draft(?:\s+resolution)?|document)|wherever\s+(?:it|they)\s+(?:appears?|occurs?))\b"
)
EN_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
EN_COUNTS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
COUNT = rf"(?:{'|'.join(EN_COUNTS)}|\d{{1,2}})"
EN_NEW = (
    rf"(?:(?P<count>{COUNT})\s+|the\s+following\s+(?:(?P<fcount>{COUNT})\s+)?)(?:new\s+|additional\s+)?"
    r"(?:(?P<newpart>preambular|operative)\s+)?(?:sub-?)?paragraphs?\b(?:\s+(?P<bis>\d{1,4})\s*(?:bis|ter|quater)\b)?"
)
EN_TOKEN = re.compile(
    rf"(?P<quote>{PLACE})|(?P<new>{EN_NEW})|(?P<ref>{EN_REFERENCE})|(?P<conj>\b(?:and|or)\b)"
    r"|(?P<word>[a-z]+(?:-[a-z]+)*|\d+)|\S",
    re.I,
)
ZH_NUMBER = "(?:[0-9０-９]{1,4}|[零〇一二两三四五六七八九十百]{1,6})"
ZH_ITEM = rf"{ZH_NUMBER}(?:\s*[(（][a-z]{{1,3}}[)）])?(?:\s*[(（][ivxl]{{1,6}}[)）])?"
ZH_REFERENCE = (
    rf"(?P<zpart>序言部分|执行部分)(?:第(?P<znumbers>{ZH_ITEM}(?:\s*(?:、|，|,|和|及|以及|与|至|到|-|–)\s*第?{ZH_ITEM})*)段"
    r"(?:\s*[(（](?P<zsub>[a-z]{1,3})[)）](?:分段|项|小段)?)?|(?P<zall>各段))"
    r"|(?P<ztitle>标题)|(?P<zwhole>全文)"
)
ZH_NEW = (
    r"(?:(?P<zcount>[一两二三四五六七八九十]|\d{1,2})个)?(?:新的?|下列新的?|以下新的?|下列|以下|下述)"
    r"(?:(?P<znewpart>序言部分|执行部分)的?)?(?:段落|段|分段)"
)
ZH_TOKEN = re.compile(
    rf"(?P<quote>{PLACE})|(?P<new>{ZH_NEW})|(?P<ref>{ZH_REFERENCE})|(?P<conj>以及|和|及|与)"
    r"|(?P<punct>[\s，,、；;。.：:！!])|(?P<word>.)"
)
ZH_PARTS = {"序言部分": PREAMBULAR, "执行部分": OPERATIVE}
ZH_COUNTS = {c: n for n, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


@dataclass
class NewParagraphs:
    count: int | None  # None when the instruction does not say how many
    part: str  # the part it names, "" when none
    after: int | None = None  # "a new operative paragraph 4 bis": after OP 4


@dataclass
class Shape:
    text: str  # "in T after Q insert Q"
    quotes: list[str]  # the quotations, in the order of their Q
    targets: list[list[Target]]  # the targets of each T
    new: list[NewParagraphs]  # each N

    def nth(self, marker: str, match: re.Match, group: str) -> int | None:
        """The index of the marker a rule's group matched, among those of its kind."""
        at = match.start(group) if group in match.re.groupindex else -1
        return None if at < 0 else self.text.count(marker, 0, at)


def shape_of(head: str, quotes: list[str]) -> Shape:
    """An instruction reduced to its words and markers."""
    chinese = bool(CJK_RE.search(head))
    shape = Shape("", [_inner(q) for q in quotes], [], [])
    pieces: list[str] = []
    for match in (ZH_TOKEN if chinese else EN_TOKEN).finditer(head):
        piece = _piece(match, shape, pieces, chinese)
        if piece:
            pieces.append(piece)
    text = ("" if chinese else " ").join(pieces)
    for pattern, replacement in ZH_FILLERS if chinese else EN_FILLERS:
        text = pattern.sub(replacement, text)
    shape.text = re.sub(r"\s+", " ", text).strip()
    return shape


def _piece(match: re.Match, shape: Shape, pieces: list[str], chinese: bool) -> str:
    """What one token adds to the shape: a marker, a word, or nothing."""
    kind = match.lastgroup
    if kind == "quote":
        return "Q"
    if kind == "new":
        shape.new.append(_zh_new(match) if chinese else _en_new(match))
        return "N"
    if kind == "ref":
        return _add_targets(shape, pieces, _zh_targets(match) if chinese else _en_targets(match))
    if kind in ("word", "conj"):
        return match.group().lower()
    return ""


CONJUNCTIONS = ("and", "or", "和", "及", "以及", "与")


def _add_targets(shape: Shape, pieces: list[str], targets: list[Target]) -> str:
    """A T, or more targets for the T before ("paragraph 21 and paragraphs 35, 38")."""
    if len(pieces) > 1 and pieces[-1] in CONJUNCTIONS and pieces[-2] == "T":
        pieces.pop()
    if pieces and pieces[-1] == "T":
        shape.targets[-1] += targets
        return ""
    shape.targets.append(targets)
    return "T"


def _en_new(match: re.Match) -> NewParagraphs:
    count = match["count"] or match["fcount"]
    number = EN_COUNTS.get(count.lower()) if count and not count.isdigit() else int(count) if count else None
    part = (match["newpart"] or "").lower()
    return NewParagraphs(number, part, int(match["bis"]) if match["bis"] else None)


def _zh_new(match: re.Match) -> NewParagraphs:
    count = match["zcount"]
    number = (int(count) if count.isdigit() else ZH_COUNTS[count]) if count else None
    return NewParagraphs(number, ZH_PARTS.get(match["znewpart"] or "", ""))


def _en_targets(match: re.Match) -> list[Target]:
    if match["ordinals"]:
        return _listed(match["ordinals"], match["opart"].lower(), ORDINAL_ITEM, _ordinal_value)
    if match["numbers"]:
        targets = _listed(match["numbers"], match["npart"].lower(), NUMBER_ITEM, int)
        return _with_subs(targets, match["subs"])
    if match["title"]:
        return [Target(TITLE)]
    if match["allpart"] or match["preamble"]:
        return [Target((match["allpart"] or PREAMBULAR).lower())]
    return [Target(WHOLE)]


def _zh_targets(match: re.Match) -> list[Target]:
    if match["ztitle"]:
        return [Target(TITLE)]
    if match["zwhole"]:
        return [Target(WHOLE)]
    part = ZH_PARTS[match["zpart"]]
    if match["zall"]:
        return [Target(part)]
    targets = _listed(match["znumbers"], part, ZH_ITEM_RE, _zh_value)
    return _with_subs(targets, f"({match['zsub']})" if match["zsub"] else None)


ORDINAL_ITEM = re.compile(rf"(?P<range>\bto\s+)?(?:the\s+)?(?P<value>{ORDINAL})()()", re.I)
NUMBER_ITEM = re.compile(
    r"(?P<range>\bto\s+|[-–]\s*)?(?P<value>\d{1,4})(?:\s*\(\s*([a-z]{1,3})\s*\))?(?:\s*\(\s*([ivxl]{1,6})\s*\))?",
    re.I,
)
ZH_ITEM_RE = re.compile(
    rf"(?P<range>(?:至|到|-|–)\s*第?)?(?P<value>{ZH_NUMBER})(?:\s*[(（]([a-z]{{1,3}})[)）])?(?:\s*[(（]([ivxl]{{1,6}})[)）])?"
)


def _listed(text: str, part: str, item: re.Pattern, value) -> list[Target]:
    """The paragraphs a list names: "35, 38 and 39", "third and fourth", "3 to 5", "35、38和39"."""
    targets: list[Target] = []
    for match in item.finditer(text):
        number = value(match["value"])
        if number is None:
            continue
        subs = tuple(s.lower() for s in match.groups()[2:] if s)
        if match["range"] and targets and targets[-1].number is not None:
            first = targets[-1].number + 1
            targets += [Target(part, n) for n in range(first, min(number, first + MAX_RANGE))]
        targets.append(Target(part, number, subs))
    return targets


def _with_subs(targets: list[Target], subs: str | None) -> list[Target]:
    """ "subparagraphs (a) and (b) of operative paragraph 5": OP 5 (a), OP 5 (b)."""
    if not subs or len(targets) != 1:
        return targets
    (target,) = targets
    return [
        Target(target.part, target.number, (s.lower(),))
        for s in re.findall(r"\(\s*([a-z]{1,3})\s*\)", subs, re.I)
    ]


def _ordinal_value(text: str) -> int | None:
    words = re.sub(r"\s+", " ", text.lower()).replace(" and ", " ")
    if " hundred" not in words:
        return EN_SESSIONS.get(words)
    units, _, rest = words.partition(" hundred")
    hundreds = 100 * (EN_UNITS.index(units) + 1)
    rest = rest.strip()
    return hundreds if rest == "th" else hundreds + EN_SESSIONS.get(rest, 0) if rest in EN_SESSIONS else None


def _zh_value(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    return int(text) if text.isdigit() else zh_number(text.replace("两", "二").replace("〇", "零"))


# A list of paragraphs named alone, as records of votes name them: the same grammar.

MAX_LIST = 300  # characters of a list of paragraphs read; a longer one is not read
EN_REFERENCE_RE = re.compile(EN_REFERENCE, re.I)
ZH_REFERENCE_RE = re.compile(ZH_REFERENCE)
CARDINALS = "|".join(sorted(EN_CARDINALS, key=len, reverse=True))
CARDINAL = re.compile(rf"(?<![\w-])(?:{CARDINALS})(?![\w-])", re.I)
ABBREVIATED = re.compile(r"\b(?:(?P<part>op|pp)s?|paras?)\.?\s*(?=\d)", re.I)
NAMES_PART = re.compile(r"preambular|operative|preamble|序言部分|执行部分", re.I)
ORDINALS_ALONE = re.compile(rf"(?:the\s+)?{ORDINAL}(?:{LIST_JOINT}(?:the\s+)?{ORDINAL})*", re.I)
PARAGRAPH_WORD = re.compile(r"(?:the\s+)?(?P<word>(?:sub-?)?paragraphs?)\b", re.I)
# What may stand around the references: "the words “…” in OP 7", "PP 3 and OP 5".
EN_AROUND = re.compile(rf"\b(?:the|words?|phrases?|text|in|of|and|as\s+well\s+as)\b|[\s,;.:{PLACE}]", re.I)
ZH_AROUND = re.compile(rf"[\s,，、；;。和及与中的{PLACE}]|以及|一语|一词|字样|措辞")
ABBREVIATIONS = {"op": "operative paragraph ", "pp": "preambular paragraph "}


def read_paragraph_list(text: str, part: str = "") -> list[Target] | None:
    """The numbered paragraphs a short text names, in the words amendments and the records
    of votes use: "the fifth preambular paragraph", "operative paragraphs 3 and 5", "OP 4
    (a)", "paragraphs 3 to 5", "the words “…” in OP 7", "执行部分第4段". Where it names no
    part ("ninth", "eight", "3-5", "第五段"), the paragraphs are of `part`. None when any of
    it is not a paragraph's name (the last paragraph, the preamble as a whole, an annex)."""
    if len(text) > MAX_LIST:
        return None
    scanned = scan_quotations(text)  # quoted words are data, never a paragraph's name
    if scanned.unclosed:
        return None
    words = re.sub(r"\s+", " ", scanned.skeleton).strip()
    words = ABBREVIATED.sub(lambda m: ABBREVIATIONS.get((m["part"] or "").lower(), "paragraphs "), words)
    words = CARDINAL.sub(lambda m: str(EN_CARDINALS[m.group().lower()]), words)
    if part and not NAMES_PART.search(words):
        words = _with_part(words, part)
    chinese = bool(CJK_RE.search(words))
    targets, rest, end = [], [], 0
    for match in (ZH_REFERENCE_RE if chinese else EN_REFERENCE_RE).finditer(words):
        rest.append(words[end : match.start()])
        end = match.end()
        targets += _zh_targets(match) if chinese else _en_targets(match)
    rest.append(words[end:])
    left = (ZH_AROUND if chinese else EN_AROUND).sub("", "".join(rest))
    if left or not targets or any(target.number is None for target in targets):
        return None
    return list(dict.fromkeys(targets))


def _with_part(words: str, part: str) -> str:
    """A list that names no part, with `part` named: "ninth" → "ninth preambular paragraph",
    "3 and 5" → "preambular paragraphs 3 and 5", "第五段" → "序言部分第五段"."""
    if words.startswith("第"):
        return {PREAMBULAR: "序言部分", OPERATIVE: "执行部分"}[part] + words
    if words[:1].isdigit():
        return f"{part} paragraphs {words}"
    if match := PARAGRAPH_WORD.match(words):
        return f"{part} {words[match.start('word') :]}"
    if match := ORDINALS_ALONE.match(words):
        after = words[match.end() :].strip()
        if not after:
            return f"{words} {part} paragraphs"
        said = PARAGRAPH_WORD.match(after)
        if said and said.start("word") == 0:  # "the ninth paragraph"
            return f"{words[: match.end()]} {part} {after}"
    return words


# Words that change nothing an instruction says, taken out of its shape.
EN_FILLERS = [
    (re.compile(r"\bthe (?:words?|phrases?|text|expression|sentence) (?=Q\b)"), ""),
    (re.compile(r"\b(with|by) the following(?: (?:text|wording|language))?\b"), r"\1"),
    (
        re.compile(
            r"\b(?:reading|which reads|to read(?: as follows)?|(?:worded )?as follows|in its entirety)\b"
        ),
        "",
    ),
    (re.compile(r"\bthe following(?: (?:text|wording))?\b"), ""),
    (re.compile(r"\band renumber\b.*$"), ""),
    (re.compile(r"\bthe chapeau of\b"), ""),
]
ZH_FILLERS = [
    (re.compile(r"(?<=Q)(?:一语|一词|字样|等字|等词|这一短语|措辞)"), ""),
    (re.compile(r"(?:内容|案文)?如下$"), ""),
    (re.compile(r"(?:并|其后|随后|以下)[^Q]*?重新编号$"), ""),
]


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern
    scope: str = ""
    position: str = ""  # fixed, else read from the `where` group
    body: str = ""  # the field the instruction's text fills: "old", "new" or "paragraphs"


def _rules(kind: str, scope: str, body: str, *patterns: str, position: str = "") -> list[Rule]:
    return [Rule(kind, re.compile(p), scope, position, body) for p in patterns]


INSERTING = r"(?:insert|add)"  # either word, for words and for new paragraphs
EN_RULES = [
    *_rules(DELETE, PARAGRAPHS, "old", r"delete (?P<t>T)(?: (?P<old>Q))?"),
    *_rules(DELETE, WORDS, "", r"in (?P<t>T) delete (?P<old>Q)", r"delete (?P<old>Q) (?:in |from )?(?P<t>T)"),
    *_rules(
        INSERT,
        WORDS,
        "new",
        rf"in (?P<t>T) (?P<where>after|before) (?P<at>Q) {INSERTING}(?: (?P<new>Q))?",
        rf"in (?P<t>T) {INSERTING} (?P<new>Q) (?P<where>after|before) (?P<at>Q)",
        rf"{INSERTING} (?P<new>Q) (?P<where>after|before) (?P<at>Q) in (?P<t>T)",
        rf"(?P<where>after|before) (?P<at>Q) in (?P<t>T) {INSERTING} (?P<new>Q)",
    ),
    *_rules(
        INSERT,
        WORDS,
        "new",
        rf"at the end of (?P<t>T) {INSERTING}(?: (?P<new>Q))?",
        rf"in (?P<t>T) at the end {INSERTING}(?: (?P<new>Q))?",
        rf"{INSERTING} (?P<new>Q) at the end of (?P<t>T)",
        position=END,
    ),
    *_rules(
        INSERT,
        WORDS,
        "new",
        rf"at the beginning of (?P<t>T) {INSERTING}(?: (?P<new>Q))?",
        rf"in (?P<t>T) at the beginning {INSERTING}(?: (?P<new>Q))?",
        position=START,
    ),
    *_rules(
        REPLACE,
        WORDS,
        "new",
        r"in (?P<t>T) replace (?P<old>Q) (?:with|by)(?: (?P<new>Q))?",
        r"replace (?P<old>Q) (?:with|by) (?P<new>Q) (?:in )?(?P<t>T)",
        r"in (?P<t>T) substitute (?P<new>Q) for (?P<old>Q)",
    ),
    *_rules(
        REPLACE,
        PARAGRAPHS,
        "paragraphs",
        r"replace (?P<t>T)(?: (?:with|by))?(?: (?P<n>N))?(?: (?P<text>Q))?",
        r"amend (?P<t>T)",
        r"(?P<t>T) (?:shall|should|would|will) read",
    ),
    *_rules(
        ADD,
        "",
        "paragraphs",
        rf"(?P<where>after|before) (?P<t>T) {INSERTING} (?P<n>N)(?: (?P<text>Q))?",
        rf"{INSERTING} (?P<n>N) (?P<where>after|before) (?P<t>T)(?: (?P<text>Q))?",
        rf"{INSERTING} (?P<n>N)(?: (?P<text>Q))?",
    ),
]
ZH_INSERTING = r"(?:插入|添加|增加|加入|增列|增添|加上|新增)"
ZH_REPLACING = r"(?:改为|替换为|修改为|改成|换成|更改为|代之以)"
ZH_RULES = [
    *_rules(DELETE, PARAGRAPHS, "old", r"(?:删除|删去)(?P<t>T)(?P<old>Q)?", r"将(?P<t>T)(?:删除|删去)"),
    *_rules(
        DELETE,
        WORDS,
        "",
        r"在(?P<t>T)中?(?:删除|删去)(?P<old>Q)",
        r"(?:删除|删去)(?P<t>T)中的(?P<old>Q)",
        r"将(?P<t>T)中的(?P<old>Q)(?:删除|删去)",
    ),
    *_rules(
        INSERT, WORDS, "new", rf"在(?P<t>T)中?在?(?P<at>Q)(?P<where>之后|后|之前|前){ZH_INSERTING}(?P<new>Q)?"
    ),
    *_rules(
        INSERT,
        WORDS,
        "new",
        rf"在(?P<t>T)的?(?:末尾|结尾|句末|最后)处?{ZH_INSERTING}(?P<new>Q)?",
        position=END,
    ),
    *_rules(INSERT, WORDS, "new", rf"在(?P<t>T)的?(?:开头|句首)处?{ZH_INSERTING}(?P<new>Q)?", position=START),
    *_rules(
        REPLACE,
        WORDS,
        "new",
        rf"在(?P<t>T)中?将(?P<old>Q){ZH_REPLACING}(?P<new>Q)?",
        rf"将(?P<t>T)中的(?P<old>Q){ZH_REPLACING}(?P<new>Q)?",
        r"在(?P<t>T)中?以(?P<new>Q)(?:取代|替换|代替)(?P<old>Q)",
        r"以(?P<new>Q)(?:取代|替换|代替)(?P<t>T)中的(?P<old>Q)",
    ),
    *_rules(
        REPLACE,
        PARAGRAPHS,
        "paragraphs",
        rf"将(?P<t>T){ZH_REPLACING}(?:下列|以下|下述)?(?:案文|内容|文字)?(?P<n>N)?(?P<text>Q)?",
        r"(?:以|用)(?:下列|以下|下述)?(?:案文|文字|内容)?(?:取代|替换|代替)(?P<t>T)",
        rf"(?P<t>T)应?{ZH_REPLACING}(?:下列|以下)?(?:案文)?",
    ),
    *_rules(
        ADD, "", "paragraphs", rf"在(?P<t>T)(?P<where>之后|后|之前|前){ZH_INSERTING}(?P<n>N)?(?P<text>Q)?"
    ),
]
WHERE = {"after": AFTER, "before": BEFORE, "之后": AFTER, "后": AFTER, "之前": BEFORE, "前": BEFORE}


def read_instruction(instruction: Instruction, index: int = 0) -> Operation:
    """The operation an instruction makes, or an UNREAD one saying why not."""
    sentence = instruction.sentence()
    whole = "\n".join([sentence, *instruction.body])
    if len(instruction.head) > MAX_HEAD:
        return _unread(whole, index, TOO_LONG)
    shape = shape_of(instruction.head, instruction.quotes)
    for rule in ZH_RULES if CJK_RE.search(instruction.head) else EN_RULES:
        match = rule.pattern.fullmatch(shape.text)
        if match:
            operation, left_over = _build(rule, match, shape, instruction.body)
            operation.sentence, operation.paragraph = sentence, index
            return _checked(operation, whole, left_over)
    return _unread(whole, index, UNKNOWN_FORM)


def _build(rule: Rule, match: re.Match, shape: Shape, body: list[str]) -> tuple[Operation, bool]:
    """The operation a rule's match says, its text from the quotations or the body; and
    whether text of the body is left that it does not take."""
    groups = match.groupdict()
    position = rule.position or WHERE.get(groups.get("where") or "", "")
    operation = Operation(rule.kind, scope=rule.scope, position=position)
    t = shape.nth("T", match, "t")
    operation.targets = list(shape.targets[t]) if t is not None else []
    quoted = {
        name: shape.quotes[n]
        for name in ("at", "old", "new", "text")
        if (n := shape.nth("Q", match, name)) is not None
    }
    operation.placed_by, operation.old, operation.new = (
        quoted.get(name, "") for name in ("at", "old", "new")
    )
    operation.paragraphs = [quoted["text"]] if "text" in quoted else []
    n = shape.nth("N", match, "n")
    new = shape.new[n] if n is not None else None
    taken = _take_body(operation, rule, body, new)
    if rule.kind == ADD:
        _place_new(operation, new)
    return operation, bool(body) and not taken


def _take_body(operation: Operation, rule: Rule, body: list[str], new: NewParagraphs | None) -> bool:
    """The text after the instruction fills what the rule says it holds, unless a
    quotation did; say whether it was taken."""
    if not body or not rule.body or getattr(operation, rule.body):
        return False
    if rule.body == "paragraphs":
        operation.paragraphs = _split_to(body, new.count if new else None)
    else:
        setattr(operation, rule.body, "\n".join(body))
    return True


def _split_to(body: list[str], count: int | None) -> list[str]:
    """New paragraphs: one a line, or one paragraph cut at the clauses' ends when the
    instruction announces more than the lines hold ("two new paragraphs: …; …;")."""
    if count and len(body) == 1 and count > 1:
        parts = re.split(r"(?<=;)\s+(?=[A-Z])|(?<=；)", body[0])
        if len(parts) == count:
            return [p.strip() for p in parts]
    return list(body)


def _place_new(operation: Operation, new: NewParagraphs | None) -> None:
    """Where new paragraphs go and which part they join ("a new operative paragraph 4 bis": after OP 4)."""
    target = operation.targets[0] if operation.targets else None
    if not operation.targets and new is not None and new.after is not None:
        target = Target(new.part or OPERATIVE, new.after)
        operation.targets, operation.position = [target], AFTER
    operation.new_part = (new.part if new and new.part else "") or (target.part if target else "")


def _checked(operation: Operation, whole: str, left_over: bool) -> Operation:
    """The operation, or an unread one when what it needs is missing or text is left over."""
    if left_over:
        return _unread(whole, operation.paragraph, LEFT_OVER)
    if not operation.targets:
        return _unread(whole, operation.paragraph, UNKNOWN_FORM)
    if _missing_text(operation):
        return _unread(whole, operation.paragraph, NO_TEXT)
    return operation


def _missing_text(operation: Operation) -> bool:
    if operation.kind == INSERT:
        return not operation.new
    if operation.kind == ADD or (operation.kind == REPLACE and operation.scope == PARAGRAPHS):
        return not operation.paragraphs
    if operation.kind == REPLACE:
        return not (operation.old and operation.new)
    return operation.scope == WORDS and not operation.old


def _read_paragraph(text: str, index: int) -> list[Operation]:
    found = instructions(text)
    if found is None:
        return [_unread(text, index, UNCLOSED_QUOTE)]
    return [read_instruction(instruction, index) for instruction in found]
