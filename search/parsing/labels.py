"""Naming: the anchor and the English and Chinese citation labels of each paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .assembly import Piece, is_heading
from .documents import ANNEX, JOINED_UNNUMBERED, OPERATIVE, PREAMBULAR, REPORT, ParsedParagraph
from .marks import MarkFinder
from .text import MARK_RE, ROMANS, join_lines, next_letter


def name_paragraphs(
    pieces: list[Piece],
    kind: str,
    marker: MarkFinder,
    language: str,
    single: bool = False,
    annex_label: bool = True,
    annex_part: int = 0,
) -> list[ParsedParagraph]:
    """Give each piece its anchor and labels and the heading it stands under; take its marks out."""
    out: list[ParsedParagraph] = []
    numbering = _Numbering()
    heading = ""
    held = ParsedParagraph("", kind, "", "", "")  # the marks of a heading, for the paragraph under it
    for piece in pieces:
        text = piece.text.strip()
        if DIVIDER.fullmatch(MARK_RE.sub("", text)):
            # "* * *" (or what Markdown leaves of it) between groups of paragraphs: no
            # paragraph, and the group's heading ends.
            heading = ""
            continue
        if (kind in (ANNEX, REPORT) and is_heading(piece, language)) or (
            kind == PREAMBULAR and _preamble_heading(piece, language)
        ):
            # A heading's footnote marks ("Associate members of regional commissions¹⁷")
            # go with the first paragraph under it, where the heading is shown.
            heading = marker.clean(text, held)
            continue
        level = numbering.level_of(piece)
        if level == -1 and _continues(kind, out, single, numbering.top):
            _join_to_last(out[-1], text, kind, marker, language)
            continue
        parts = numbering.parts(kind, level, piece.number, single)
        paragraph = ParsedParagraph(
            anchor=_anchor(kind, parts, annex_part),
            kind=kind,
            label=_label_en(kind, parts, annex_label, annex_part),
            label_zh=_label_zh(kind, parts, annex_label, annex_part),
            text="",
            number=piece.printed,
            level=max(level, 0),
            heading=heading,
        )
        paragraph.footnotes = held.footnotes
        held.footnotes = []
        paragraph.text = marker.clean(text, paragraph)
        out.append(paragraph)
    return out


@dataclass
class _Numbering:
    """Where the numbering stands: the top number (a preambular count, or the last
    operative number), the letter and roman numeral under it, and how many paragraphs
    without a number came so far."""

    top: int = 0
    letter: str = ""
    roman: str = ""
    unnumbered: int = 0

    def level_of(self, piece: Piece) -> int:
        """The piece's level (0 a number, 1 a letter, 2 a roman numeral, -1 none)."""
        level, number = piece.level, piece.number
        if level == 2 or (
            level == 1 and number in ROMANS and self.letter and next_letter(self.letter) != number
        ):
            # (i) after (h) is a letter; after anything else it is a roman numeral.
            self.roman = number
            return 2
        if level == 1:
            self.letter, self.roman = number, ""
        return level

    def parts(self, kind: str, level: int, number: str, single: bool) -> list[str]:
        """The parts of the paragraph's name: its top number, then letter and numeral."""
        if level > 0:
            return [str(self.top), self.letter] + ([self.roman] if level == 2 else [])
        if kind == PREAMBULAR or level == 0:
            # Preambular paragraphs are counted; an operative one is numbered.
            self.top = self.top + 1 if kind == PREAMBULAR else int(number)
            self.letter = self.roman = ""
            return [str(self.top)]
        if single or (kind == OPERATIVE and self.top == 0):
            self.top += 1  # the one paragraph of a text, or the first of its operative part
            return [str(self.top)]
        self.unnumbered += 1
        return [f"{self.top}", f"u{self.unnumbered}"] if self.top else [f"u{self.unnumbered}"]


def _continues(kind: str, out: list[ParsedParagraph], single: bool, top: int) -> bool:
    """Whether text without a number continues the paragraph before it."""
    return bool(out) and (kind == REPORT or (kind == OPERATIVE and not single and bool(top)))


def _join_to_last(last: ParsedParagraph, text: str, kind: str, marker: MarkFinder, language: str) -> None:
    if kind == REPORT:
        last.text += "\n" + marker.clean(text, last)
        return
    # Operative paragraphs are all numbered: text without a number continues the one
    # before (a break the layout put there).
    last.text = join_lines(last.text, marker.clean(text, last), language)
    marker.notes.append(JOINED_UNNUMBERED.format(label=last.label))


DIVIDER = re.compile(r"\s*(?:[*＊]\s*){2,}|\s*[-–—_]{3,}\s*")


def _preamble_heading(piece: Piece, language: str) -> bool:
    """A subheading among preambular paragraphs ("Countries in special situations"): a
    heading that is no clause; a preambular paragraph opens with a participle and holds
    commas, and a line broken off one ("Recalling …, entitled") is no heading."""
    if not is_heading(piece, language):
        return False
    text = MARK_RE.sub("", piece.text).strip()
    if language == "zh":
        return not re.search(r"[，、；]", text) and not text.endswith(("的", "和", "及"))
    first = text.split()[0].lower() if text.split() else ""
    return not re.search(r"[,;]", text) and not first.endswith(("ing", "ed")) and text[:1].isupper()


ZH_NUMERALS = "一二三四五六七八九十"


def _anchor(kind: str, parts: list[str], annex_part: int = 0) -> str:
    # Annexes I, II, III each number their paragraphs from 1: "annex2-3" is para. 3 of annex II.
    annex = f"annex{annex_part}-" if annex_part else "annex-"
    prefix = {PREAMBULAR: "pp", OPERATIVE: "op", ANNEX: annex, REPORT: "para"}[kind]
    anchor = prefix + parts[0] + "".join(parts[1:2])
    if len(parts) > 2:
        anchor += "-" + parts[2]
    return anchor


def _label_en(kind: str, parts: list[str], annex_label: bool, annex_part: int = 0) -> str:
    tail = "".join(f" ({p})" for p in parts[1:])
    if kind == PREAMBULAR:
        return f"PP {parts[0]}{tail}"
    if kind == OPERATIVE:
        return f"OP {parts[0]}{tail}"
    if kind == ANNEX:
        annex = f"annex {ROMANS[annex_part - 1].upper()}, " if annex_part else "annex, "
        return f"{annex if annex_label else ''}para. {parts[0]}{tail}"
    return f"para. {parts[0]}{tail}"


def _label_zh(kind: str, parts: list[str], annex_label: bool, annex_part: int = 0) -> str:
    tail = "".join(f"({p})" for p in parts[1:])
    number = f"第{parts[0]}{tail}段"
    if kind == PREAMBULAR:
        return "序言部分" + number
    if kind == OPERATIVE:
        return "执行部分" + number
    if kind == ANNEX and annex_label:
        return "附件" + (ZH_NUMERALS[annex_part - 1] if 0 < annex_part <= 10 else "") + number
    return number
