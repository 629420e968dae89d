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
        if not self.explicit and self.notes_by_number:
            text = self._mark_numbers(text)
        found = [int(n) for n in MARK_RE.findall(text)]
        for number in found:
            self.used.add(number)
            if number not in paragraph.footnotes:
                paragraph.footnotes.append(number)
            if self.expected is not None and number >= self.expected:
                self.expected = number + 1
        if self.language == "zh":
            text = MARK_RE.sub("", text)
            # Spaces the extractor left between Chinese characters and marks.
            text = re.sub(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])", "", text)
        else:
            text = re.sub(r"\s*\u27e6\d+\u27e7", "", text)
        return re.sub(r"[ \t]+", " ", text).strip()

    def _mark_numbers(self, text: str) -> str:
        if self.language == "zh":
            pattern = re.compile(
                r"(?<=[" + CJK + r"，。；：、》”）)」’])(\d{1,3})(?=\s|$|[" + CJK + r"《“(（，。；：、])"
            )
        else:
            # " 5" after a word or punctuation, or glued to punctuation: ",5".
            pattern = re.compile(r"(?:(?<=[A-Za-z0-9,.;:)”’\"]) |(?<=[,;:)”’\"]))(\d{1,3})(?=\s|$|[,;.])")
        out = []
        last = 0
        for match in pattern.finditer(text):
            number = int(match.group(1))
            if not self._is_mark(text, match, number):
                continue
            out.append(text[last : match.start(1)])
            out.append(MARK.format(number))
            last = match.end(1)
            if self.expected is not None and number >= self.expected:
                self.expected = number + 1
            self.used.add(number)
        out.append(text[last:])
        return "".join(out)

    def _is_mark(self, text: str, match: re.Match, number: int) -> bool:
        if number not in self.notes_by_number:
            return False
        after = text[match.end(1) : match.end(1) + 4].lstrip()
        if self.language == "zh":
            if re.match(r"^[年月日号届次卷条段款章节%个名项票岁至\-/.]", after):
                return False
        else:
            before_word = re.search(r"(\S+)\s?$", text[: match.start(1)])
            word = before_word.group(1).lower() if before_word else ""
            glued = not text[: match.start(1)].endswith(" ")
            if glued and re.search(r"\d", word):
                return False  # "paragraphs 1,2 and 3"
            if word[-1:] not in (",", ";", ":", ")", "”", "’"):
                if re.search(r"\d", word) and not re.fullmatch(r"\d{4}", word):
                    return False
                if word in EN_STOP or word in EN_MONTHS:
                    return False
            if re.match(r"^(" + "|".join(EN_MONTHS) + r"|per\b|%)", after, re.I):
                return False
        if number == self.expected:
            return True
        # A footnote referred to again keeps its number (the Convention, 5).
        return number in self.used and number < (self.expected or 0)

    def warnings(self) -> list[str]:
        missing = sorted(set(self.notes_by_number) - self.used)
        if not missing:
            return list(self.notes)
        listed = ", ".join(str(n) for n in missing)
        unreferenced = FOOTNOTE_UNREFERENCED if len(missing) == 1 else FOOTNOTES_UNREFERENCED
        return self.notes + [unreferenced.format(numbers=listed)]
