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
        if _heads_a_group(piece, kind, language):
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
        if piece.level == 2 or self._letter_reads_as_roman(piece):
            self.roman = piece.number
            return 2
        if piece.level == 1:
            self.letter, self.roman = piece.number, ""
        return piece.level

    def _letter_reads_as_roman(self, piece: Piece) -> bool:
        """Is "(i)", "(v)", "(x)" … a roman numeral under a letter? After "(h)" it is the
        next letter, and before any letter the first of a list."""
        number, letter = piece.number, self.letter
        return piece.level == 1 and number in ROMANS and bool(letter) and next_letter(letter) != number

    def parts(self, kind: str, level: int, number: str, single: bool) -> list[str]:
        """The parts of the paragraph's name: its top number, then letter and numeral."""
        if level > 0:
            return [str(self.top), self.letter] + ([self.roman] if level == 2 else [])
        if kind == PREAMBULAR:
            return self._new_top(self.top + 1)  # preambular paragraphs are counted
        if level == 0:
            return self._new_top(int(number))  # an operative one is numbered
        if single or (kind == OPERATIVE and self.top == 0):
            self.top += 1  # the one paragraph of a text, or the first of its operative part
            return [str(self.top)]
        return self._unnumbered_parts()

    def _new_top(self, top: int) -> list[str]:
        self.top, self.letter, self.roman = top, "", ""
        return [str(top)]

    def _unnumbered_parts(self) -> list[str]:
        """Name a paragraph without a number u1, u2 … after the number it follows, if any."""
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


def _heads_a_group(piece: Piece, kind: str, language: str) -> bool:
    """Is the piece a heading over the paragraphs that follow it? Operative parts have none."""
    rule = {ANNEX: is_heading, REPORT: is_heading, PREAMBULAR: _preamble_heading}.get(kind)
    return rule is not None and rule(piece, language)


def _preamble_heading(piece: Piece, language: str) -> bool:
    """A subheading among preambular paragraphs ("Countries in special situations"): a
    heading that is no clause; a preambular paragraph opens with a participle and holds
    commas, and a line broken off one ("Recalling …, entitled") is no heading."""
    if not is_heading(piece, language):
        return False
    text = MARK_RE.sub("", piece.text).strip()  # not empty: it is a heading
    return _zh_no_clause(text) if language == "zh" else _en_no_clause(text)


def _zh_no_clause(text: str) -> bool:
    return not re.search(r"[，、；]", text) and not text.endswith(("的", "和", "及"))


def _en_no_clause(text: str) -> bool:
    first = text.split()[0].lower()
    return not re.search(r"[,;]", text) and not first.endswith(("ing", "ed")) and text[:1].isupper()


ZH_NUMERALS = "一二三四五六七八九十"


def paragraph_names(kind: str, parts: list[str]) -> tuple[str, str, str]:
    """The anchor and the English and Chinese labels of the paragraph of a resolution's
    part that `parts` number ("5", "b", "ii": OP 5 (b) (ii)), as the parser names it."""
    return _anchor(kind, parts), _label_en(kind, parts, True), _label_zh(kind, parts, True)


def _anchor(kind: str, parts: list[str], annex_part: int = 0) -> str:
    # Annexes I, II, III each number their paragraphs from 1: "annex2-3" is para. 3 of annex II.
    annex = f"annex{annex_part}-" if annex_part else "annex-"
    prefix = {PREAMBULAR: "pp", OPERATIVE: "op", ANNEX: annex, REPORT: "para"}[kind]
    anchor = prefix + parts[0] + "".join(parts[1:2])
    if len(parts) > 2:
        anchor += "-" + parts[2]
    return anchor


# How each kind of part names a paragraph: "PP 3", "OP 3 (b)", "para. 3";
# "序言部分第3段", "执行部分第3(b)段", "第3段". An annex's name may come before.
EN_LABEL = {PREAMBULAR: "PP ", OPERATIVE: "OP ", ANNEX: "para. ", REPORT: "para. "}
ZH_LABEL = {PREAMBULAR: "序言部分", OPERATIVE: "执行部分", ANNEX: "", REPORT: ""}


def _label_en(kind: str, parts: list[str], annex_label: bool, annex_part: int = 0) -> str:
    tail = "".join(f" ({p})" for p in parts[1:])
    annex = _annex_en(annex_part) if kind == ANNEX and annex_label else ""
    return f"{annex}{EN_LABEL[kind]}{parts[0]}{tail}"


def _label_zh(kind: str, parts: list[str], annex_label: bool, annex_part: int = 0) -> str:
    tail = "".join(f"({p})" for p in parts[1:])
    annex = _annex_zh(annex_part) if kind == ANNEX and annex_label else ""
    return f"{annex}{ZH_LABEL[kind]}第{parts[0]}{tail}段"


def _annex_en(annex_part: int) -> str:
    """ "annex II, " of the second of several annexes, "annex, " of the only one."""
    return f"annex {ROMANS[annex_part - 1].upper()}, " if annex_part else "annex, "


def _annex_zh(annex_part: int) -> str:
    return "附件" + (ZH_NUMERALS[annex_part - 1] if 0 < annex_part <= 10 else "")


# An English label as _label_en makes it: "PP 5", "OP 3 (b) (ii)", "annex II, para. 11 (a)";
# its prefix tells the kind of part, but "para. " an annex's from a report's only by the
# annex's name before it.
EN_PREFIX_KINDS = {"PP ": PREAMBULAR, "OP ": OPERATIVE}
EN_LABEL_RE = re.compile(
    r"(?P<annex>annex(?: (?P<roman>[IVX]+))?, )?"
    r"(?P<prefix>PP |OP |para\. )(?P<number>\w+)(?P<tail>(?: \(\w+\))*)"
)


def chinese_label(label: str) -> str:
    """Name in Chinese the paragraph an English label names ("OP 3 (b)": "执行部分第3(b)段"),
    as the parser does; a text that is no label stays as it is. (A warning names a paragraph
    by its English label.)"""
    match = EN_LABEL_RE.fullmatch(label)
    if match is None:
        return label
    kind = EN_PREFIX_KINDS.get(match["prefix"], ANNEX if match["annex"] else REPORT)
    annex_part = ROMANS.index(match["roman"].lower()) + 1 if match["roman"] else 0
    parts = [match["number"], *re.findall(r"\((\w+)\)", match["tail"])]
    return _label_zh(kind, parts, bool(match["annex"]), annex_part)
