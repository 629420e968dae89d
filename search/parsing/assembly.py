"""Stage 2: paragraphs from logical lines.

`assemble` joins wrapped lines into pieces, telling a paragraph number from a
number that starts a wrapped line and, in English, a new preambular paragraph
from a continued one. `repair_words` first undoes the extractor's word splits;
`resolve_soft_hyphens` settles line-end hyphens once paragraphs are named.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .layout import Block, Line
from .text import (
    CJK,
    CLOSERS,
    MARK_RE,
    ROMANS,
    TERMINAL,
    ends_sentence,
    join_lines,
    next_letter,
    number_at_start,
)

# After a line ending in "," or ";", a new English preambular paragraph starts with one
# of these words, an operative verb, or a capitalised word in -ing or -ed, but never
# with one of NOT_OPENERS (places and words that only look like openers).
PREAMBLE_OPENERS = {
    "also",
    "aware",
    "bearing",
    "cognizant",
    "concerned",
    "conscious",
    "convinced",
    "deeply",
    "desiring",
    "desirous",
    "determined",
    "emphasizing",
    "encouraged",
    "fully",
    "further",
    "gravely",
    "guided",
    "having",
    "keeping",
    "mindful",
    "noting",
    "alarmed",
    "seriously",
    "taking",
    "acknowledging",
    "affirming",
    "reaffirming",
    "recalling",
    "recognizing",
    "reiterating",
    "stressing",
    "underlining",
    "welcoming",
    "expressing",
    "considering",
    "appreciating",
    "believing",
    "confident",
    "declaring",
    "emphasising",
    "recognising",
    "underscoring",
    "viewing",
    "whereas",
    "observing",
    "regretting",
    "deploring",
    "commending",
    "highlighting",
    "re-emphasizing",
    "pursuant",
    # More openers of the session's preambles (the adverbs and the participles that
    # follow "-ing" and "-ed" into a list once a wrapped line can start with them).
    "encouraging",
    "condemning",
    "strongly",
    "calling",
    "urging",
    "looking",
    "wishing",
    "recommitting",
    "supporting",
    "inviting",
    "committed",
    "sharing",
    "firmly",
    "continuing",
    "honouring",
    "resolved",
    "trusting",
    "striving",
    "realizing",
    "confirming",
    "reconfirming",
    "renewing",
    "unequivocally",
    "solemnly",
    "remaining",
    "disappointed",
    "seized",
    "ever",
    "understanding",
    "commemorating",
    "marking",
}
NOT_OPENERS = {"beijing", "nanjing", "kunming", "wellington", "reading", "during"}

OPERATIVE_VERBS = {
    "decides",
    "adopts",
    "requests",
    "urges",
    "calls",
    "invites",
    "encourages",
    "welcomes",
    "takes",
    "notes",
    "reaffirms",
    "stresses",
    "emphasizes",
    "recognizes",
    "expresses",
    "approves",
    "endorses",
    "acknowledges",
    "affirms",
    "recommends",
    "proclaims",
    "declares",
    "condemns",
    "authorizes",
    "appeals",
    "demands",
    "reiterates",
    "transmits",
    "commends",
    "underlines",
    "underscores",
    "designates",
    "elects",
}


@dataclass
class Piece:
    """A paragraph as assembled from lines, before it is named."""

    text: str
    number: str = ""  # "3", "a", "ii", "" (as a key; printed form below)
    printed: str = ""  # "3.", "(a)", "(ii)"
    level: int = -1  # -1 unnumbered, 0 numbered, 1 letter, 2 roman
    line_index: int = 0
    end_index: int = 0


def assemble(lines: list[Line], language: str, sequential: bool = True) -> list[Piece]:
    """Group lines into paragraphs."""
    pieces: list[Piece] = []
    due = _Due(sequential)
    for index, line in enumerate(lines):
        start = _start(line.text, pieces, due)
        if start:
            due.advance(start)
            number, printed, level, rest = start
            pieces.append(Piece(rest.strip(), number, printed, level, index, index))
        elif _unnumbered_start(line.text, pieces, language, due):
            pieces.append(Piece(line.text, line_index=index, end_index=index))
        else:
            pieces[-1].text = join_lines(pieces[-1].text, line.text, language)
            pieces[-1].end_index = index
        if line.ends:
            pieces[-1].end_index = -1
    for piece in pieces:
        piece.end_index = max(piece.end_index, piece.line_index)
    return pieces


@dataclass
class _Due:
    """What may come next: the operative number (None in the preamble), and the last
    sub-paragraph letter and roman numeral since the last number. In a document's head
    (title, sponsors), not `sequential`, no number in particular is due."""

    sequential: bool
    number: int | None = None
    letter: str = ""
    roman: str = ""

    @property
    def expected(self) -> int | None:
        """The paragraph number due next, where numbers run in sequence."""
        return self.number if self.sequential else None

    def advance(self, start: tuple) -> None:
        number, _printed, level, _rest = start
        if level == 0:
            self.number = int(number) + 1
            self.letter = self.roman = ""
        elif level == 1 and number in ("a", next_letter(self.letter)):
            self.letter, self.roman = number, ""
        elif level == 1:
            self.roman = number

    def out_of_turn(self, number: int) -> bool:
        """Is this paragraph number neither the one due nor a 1 that starts anew?"""
        return self.expected is not None and number not in (self.expected, 1)

    def letter_due(self, number: str) -> bool:
        """Does "(number)" start a sub-paragraph: the first letter or numeral, or the next one?"""
        if number in ("a", "i", next_letter(self.letter)):
            return True
        roman = self.roman
        return number in ROMANS and roman in ROMANS and ROMANS.index(number) == ROMANS.index(roman) + 1


def _start(text: str, pieces: list[Piece], due: _Due) -> tuple | None:
    """The number that starts this line (number, printed, level, rest), when it starts a
    paragraph; None when the line has none or its number is one a wrapped line begins with."""
    previous_ends = bool(pieces) and ends_sentence(pieces[-1].text)
    start = _line_number(text, due, previous_ends)
    if start is None or not pieces:
        return start
    return start if _starts_paragraph(start, due, previous_ends) else None


def _line_number(text: str, due: _Due, previous_ends: bool) -> tuple | None:
    """The number the line starts with, or after a full sentence the number due with
    its full stop left out ("25 Condemns …"): a misprint."""
    start = number_at_start(text, due=due.expected)
    if start is None and previous_ends:
        return _number_without_stop(text, due.expected)
    return start


def _number_without_stop(text: str, due: int | None) -> tuple | None:
    if not due:
        return None
    bare = re.match(rf"{due}\s+(?=[A-Z]|[{CJK}])", text)
    return (str(due), str(due), 0, text[bare.end() :]) if bare else None


def _starts_paragraph(start: tuple, due: _Due, previous_ends: bool) -> bool:
    """Does the number a line starts with start a paragraph, after the line before?"""
    number, _printed, level, _rest = start
    if level == 0:
        # A number out of turn after an unfinished sentence: one a wrapped line starts with.
        return previous_ends or not due.out_of_turn(int(number))
    # A letter or numeral, only after a full sentence and when it is due: not the "(ii)"
    # of "including (i) …; (ii) …" that a line happens to start with.
    return previous_ends and (level == 2 or due.letter_due(number))


def _unnumbered_start(text: str, pieces: list[Piece], language: str, due: _Due) -> bool:
    """Does a line without a number start a paragraph: the first line, one after a line
    that ended a paragraph, or in an English preamble a new clause?"""
    if not pieces or pieces[-1].end_index == -1:
        return True
    return language == "en" and due.number is None and _preamble_break(pieces[-1].text, text)


def _preamble_break(previous: str, following: str) -> bool:
    """English: does a new preambular paragraph start with `following`?"""
    if not _ends_clause(previous):
        return False
    word = re.match(r"^([A-Z][A-Za-z\-]+)", following)
    return bool(word) and opens_preamble(word.group(1).lower())


def _ends_clause(text: str) -> bool:
    """Does the text end with a comma or semicolon, before its footnote marks?"""
    text = MARK_RE.sub("", text).rstrip()
    text = re.sub(r"(?<=[,;])\d{1,3}$|\s+\d{1,3}$", "", text)
    return text[-1:] in (",", ";")


def opens_preamble(word: str) -> bool:
    """Does this word (capitalised, after a clause) open an English preambular paragraph?"""
    if word in NOT_OPENERS:
        return False
    return word in PREAMBLE_OPENERS or word in OPERATIVE_VERBS or word.endswith(("ing", "ed"))


def is_heading(piece: Piece, language: str) -> bool:
    """Is this a heading: short unnumbered text that does not end as a sentence does?"""
    text = MARK_RE.sub("", piece.text).strip()
    if piece.level >= 0 or not text:
        return False
    limit = 60 if language == "zh" else 160
    return len(text) <= limit and text.rstrip(CLOSERS)[-1:] not in TERMINAL


def repair_words(block: Block, language: str) -> None:
    """Undo line-end hyphenation and extractor splits, where that is certain."""
    if language != "en":
        return
    counts, pairs = _count_words(" ".join(line.text for line in block.lines))
    # Line-end hyphens become soft hyphens when lines are joined, later: keep the words for them.
    _keep_vocabulary(block, counts)

    def is_word(part: str, split_pair: tuple[str, str]) -> bool:
        # A fragment that occurs only where it is split off is no word.
        return (len(part) > 1 or part in "ai") and counts[part] > pairs[split_pair]

    def repair(text: str) -> str:
        # "health -care" never has a space before a joining hyphen.
        text = re.sub(r"(?<=[A-Za-z]) -(?=[a-z])", "-", text)
        out: list[str] = []
        for token in text.split(" "):
            core = token.rstrip(",.;:”’)")
            if out and core.isalpha() and core.islower():
                left = out[-1].lstrip("“‘(")
                if left.isalpha():
                    key = (left.lower(), core)
                    joined = left.lower() + core
                    # "T he", "p olicy"; but "decision 77/548 B of" keeps its letter.
                    lone_letter = (
                        len(out[-1]) == 1 and out[-1] not in "aAI" and (out[-1].islower() or counts[joined])
                    )
                    if lone_letter or counts[joined] and not (is_word(key[0], key) and is_word(core, key)):
                        out[-1] = out[-1] + token
                        continue
            out.append(token)
        return " ".join(out)

    for line in block.lines:
        line.text = repair(line.text)


def _count_words(text: str) -> tuple[Counter, Counter]:
    """Count each word of the text (lower-cased), and each word followed by a space and
    a lower-case word: how often the two occur split apart."""
    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)
    counts = Counter(w.lower() for w in words)
    pairs = Counter(
        (a.lower(), b.lower()) for a, b in re.findall(r"(?<![\w\-])([A-Za-z]+) (?=([a-z]+)(?![\w\-]))", text)
    )
    return counts, pairs


def _keep_vocabulary(block: Block, counts: Counter) -> None:
    block.vocabulary = {w for w in counts if len(w) > 1} | {"a", "i"}
    block.hyphenated = {w for w in counts if "-" in w}


def resolve_soft_hyphens(text: str, block: Block) -> str:
    """Keep a line-end hyphen or drop it, as the rest of the text spells the word."""

    def resolve(match: re.Match) -> str:
        left, right = match.group(1), match.group(2)
        if f"{left}-{right}".lower() in block.hyphenated:
            return f"{left}-{right}"
        if (left + right).lower() in block.vocabulary:
            return left + right
        return f"{left}-{right}"

    return re.sub(r"([A-Za-z]+)-\u00ad([A-Za-z]+)", resolve, text)
