"""Footnote marks: which numbers in a paragraph are marks, taken out in document order."""

from __future__ import annotations

import re

from .documents import FOOTNOTE_UNREFERENCED, FOOTNOTES_UNREFERENCED, ParsedParagraph
from .text import CJK, EN_MONTHS, MARK, MARK_RE

# Words after which a number is never a footnote mark ("paragraph 5").
EN_STOP = {
    "paragraph",
    "paragraphs",
    "article",
    "articles",
    "resolution",
    "resolutions",
    "chapter",
    "no.",
    "vol.",
    "section",
    "annex",
    "rule",
    "para.",
    "item",
    "goal",
    "target",
    "page",
    "decision",
    "and",
    "of",
    "to",
    "from",
    "than",
    "the",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "or",
    "between",
    "over",
    "under",
    "about",
    "some",
    "session",
    "meeting",
    "committee",
    "principle",
    "part",
    "level",
    "a",
}


# Where a number may be a mark: after a Chinese character or closing punctuation,
# before a space, the end, a character or opening punctuation.
ZH_CANDIDATE = re.compile(
    r"(?<=[" + CJK + r"，。；：、》”）)」’])(\d{1,3})(?=\s|$|[" + CJK + r"《“(（，。；：、])"
)
# " 5" after a word or punctuation, or glued to punctuation: ",5".
EN_CANDIDATE = re.compile(r"(?:(?<=[A-Za-z0-9,.;:)”’\"]) |(?<=[,;:)”’\"]))(\d{1,3})(?=\s|$|[,;.])")
# A Chinese number followed by one of these counts something ("5年", "第5段", "5%").
ZH_COUNTED = re.compile(r"^[年月日号届次卷条段款章节%个名项票岁至\-/.]")
# An English number followed by one of these is a date or a quantity ("5 June", "5 per cent").
EN_COUNTED = re.compile(r"^(" + "|".join(EN_MONTHS) + r"|per\b|%)", re.I)
# A word that one of these ends does not count the number after it ("the Convention, 5").
PUNCTUATION_BEFORE_MARK = (",", ";", ":", ")", "”", "’")


# How much of the text before a number is read for the word before it.
WORD_WINDOW = 80


class MarkFinder:
    """Take footnote marks out of paragraph text, in document order."""

    def __init__(self, notes: dict[int, str], language: str, explicit: bool):
        self.notes_by_number = notes
        self.language = language
        self.explicit = explicit
        self.expected = min(notes) if notes else None
        self.used: set[int] = set()
        self.notes: list[str] = []  # other things a reviewer should look at

    def clean(self, text: str, paragraph: ParsedParagraph) -> str:
        """Take the marks out of a paragraph's text and add their numbers to its footnotes."""
        if not self.explicit and self.notes_by_number:
            text = self._mark_numbers(text)
        for number in map(int, MARK_RE.findall(text)):
            self._count(number)
            if number not in paragraph.footnotes:
                paragraph.footnotes.append(number)
        return re.sub(r"[ \t]+", " ", self._without_marks(text)).strip()

    def _count(self, number: int) -> None:
        """Count a mark as used: the one expected next comes after it."""
        self.used.add(number)
        if self.expected is not None and number >= self.expected:
            self.expected = number + 1

    def _without_marks(self, text: str) -> str:
        if self.language == "zh":
            text = MARK_RE.sub("", text)
            # Spaces the extractor left between Chinese characters and marks.
            return re.sub(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])", "", text)
        return re.sub(r"\s*\u27e6\d+\u27e7", "", text)

    def _mark_numbers(self, text: str) -> str:
        """Write the numbers of the text that are footnote marks as marks."""
        candidates = ZH_CANDIDATE if self.language == "zh" else EN_CANDIDATE
        out = []
        last = 0
        for match in candidates.finditer(text):
            number = int(match.group(1))
            if self._is_mark(text, match, number):
                out += [text[last : match.start(1)], MARK.format(number)]
                last = match.end(1)
                self._count(number)
        out.append(text[last:])
        return "".join(out)

    def _is_mark(self, text: str, match: re.Match, number: int) -> bool:
        """Is this number a mark: a footnote's number, in order, that counts nothing?"""
        return number in self.notes_by_number and not self._counts(text, match) and self._in_order(number)

    def _in_order(self, number: int) -> bool:
        """Is it the mark expected next, or one referred to again (the Convention, 5)?"""
        return number == self.expected or number in self.used and number < (self.expected or 0)

    def _counts(self, text: str, match: re.Match) -> bool:
        """Is the number part of the text: a date, a quantity, a paragraph's number?"""
        after = text[match.end(1) : match.end(1) + 4].lstrip()
        if self.language == "zh":
            return ZH_COUNTED.match(after) is not None
        # The word before is all that is read of the text before: a window, so that a
        # paragraph of many numbers costs time in proportion to its length.
        return _en_counts(text[max(0, match.start(1) - WORD_WINDOW) : match.start(1)], after)

    def warnings(self) -> list[str]:
        missing = sorted(set(self.notes_by_number) - self.used)
        if not missing:
            return list(self.notes)
        listed = ", ".join(str(n) for n in missing)
        unreferenced = FOOTNOTE_UNREFERENCED if len(missing) == 1 else FOOTNOTES_UNREFERENCED
        return self.notes + [unreferenced.format(numbers=listed)]


def _en_counts(before: str, after: str) -> bool:
    word = _word_before(before)
    return _in_list_of_numbers(before, word) or _counted_by(word) or EN_COUNTED.match(after) is not None


def _word_before(before: str) -> str:
    word = re.search(r"(\S+)\s?$", before)
    return word.group(1).lower() if word else ""


def _in_list_of_numbers(before: str, word: str) -> bool:
    """Is the number glued to a number before it: "paragraphs 1,2 and 3"?"""
    return not before.endswith(" ") and re.search(r"\d", word) is not None


def _counted_by(word: str) -> bool:
    """Does the word before the number count it ("paragraph 5", "resolution 70/1 5",
    "June 5") with no punctuation between them?"""
    if word[-1:] in PUNCTUATION_BEFORE_MARK:
        return False
    after_number = re.search(r"\d", word) is not None and not re.fullmatch(r"\d{4}", word)
    return after_number or word in EN_STOP or word in EN_MONTHS
