"""Shared by the stages: character classes, patterns and word lists.

Also the three readings of a line that layout, assembly and structure all make:
does it start with a paragraph number, does it end a sentence, how does it join
the next. Layout needs them to pair footnotes, so they cannot live in assembly.
"""

from __future__ import annotations

import re

from .symbols import BODIES

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# A footnote mark that the layout stage has recognised for certain.
MARK = "\u27e6{}\u27e7"
MARK_RE = re.compile("\u27e6(\\d+)\u27e7")

# Operative and report paragraph numbers: "1." "12." "1000." (Chinese PDFs write
# "1. " with a space, Markdown "**1.**", Chinese web pages "1.敦促" with none).
NUMBER_START = re.compile(f"^(\\d+)\\.(?:\\s+|$|(?=[{CJK}]))")
# A number this long that starts a line is more often a year ("2030.") than a
# paragraph, unless it is the number due or a few beyond (a paragraph may be missing).
LONG_NUMBER = 4
LONG_SKIP = 10
# Letters "(a)" … "(z)", "(aa)" … and roman numerals "(i)" … "(xviii)".
LETTER_START = re.compile(f"^\\(([a-z]{{1,2}}|[ivx]{{3,5}})\\)(?:\\s+|$|(?=[{CJK}]))")
CN_ROMAN = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
CN_ROMAN_START = re.compile(f"^([{CN_ROMAN}])\\s*")
ROMANS = [
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "vii",
    "viii",
    "ix",
    "x",
    "xi",
    "xii",
    "xiii",
    "xiv",
    "xv",
    "xvi",
    "xvii",
    "xviii",
    "xix",
    "xx",
]

FORMULA = re.compile(
    rf"^\s*(?:The\s+({'|'.join(en for en, _ in BODIES.values())})\s*,?"
    rf"|({'|'.join(zh for _, zh in BODIES.values())})\s*，)\s*$"
)
SYMBOL_NUMBER_LINE = re.compile(r"^\s*\**\s*(\d{1,4}/\d{1,4})\.\s*(.*?)\**\s*$")
EN_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
ZH_MEETING = re.compile(r"^\s*第\s*(\d+)\s*次(?:（续）|\(续\))?全体会议(?:（续）|\(续\))?\s*$")
EN_MEETING = re.compile(r"^\s*(\d+)(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting\s*$", re.I)

TERMINAL = "。；，：！？.;,:!?"
CLOSERS = "”’\"')）」』》】"


def number_at_start(text: str, due: int | None = None) -> tuple[str, str, int, str] | None:
    """Return (number, printed, level, rest) if the text starts with a number.

    A number of LONG_NUMBER digits or more is a paragraph number only where the
    paragraphs before it lead up to it: `due` is the next number in sequence.
    """
    match = NUMBER_START.match(text)
    if match and (
        len(match.group(1)) < LONG_NUMBER or due is not None and 0 <= int(match.group(1)) - due < LONG_SKIP
    ):
        return match.group(1), match.group(0).strip(), 0, text[match.end() :]
    match = CN_ROMAN_START.match(text)
    if match:
        return ROMANS[CN_ROMAN.index(match.group(1))], match.group(1), 2, text[match.end() :]
    match = LETTER_START.match(text)
    if match:
        return match.group(1), f"({match.group(1)})", 1, text[match.end() :]
    return None


def next_letter(letter: str) -> str:
    """Return the sub-paragraph letter after this one: (b) after (a), (aa) after (z), (bb) after (aa)."""
    if not letter:
        return "a"
    if letter[-1] == "z":
        return "a" * (len(letter) + 1)
    return chr(ord(letter[-1]) + 1) * len(letter)


def ends_sentence(text: str) -> bool:
    text = MARK_RE.sub("", text).rstrip()
    text = re.sub(r"\s*\d{1,3}$", "", text) if text[-1:].isdigit() else text
    return bool(text) and text.rstrip(CLOSERS)[-1:] in TERMINAL


def join_lines(left: str, right: str, language: str) -> str:
    """Join two wrapped lines the way the typesetter broke them."""
    if not left:
        return right
    if not right:
        return left
    if language == "zh":
        a, b = left[-1], right[0]
        if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
            return left + " " + right
        if a in ",;" and b.isascii() and b.isalpha():
            return left + " " + right
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[0].islower():
        return left + "\u00ad" + right  # decided once the whole text is known
    return left + " " + right


# "first" … "nineteenth": sessions are written in words, paragraphs cited in them.
EN_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_EN_UNITS, _EN_TEENS = EN_ORDINALS[:9], EN_ORDINALS[9:]
_EN_TENS = ["twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]  # + "y" or "ieth"
_ZH_DIGITS = "零一二三四五六七八九"


def session_number(session: str) -> str:
    """Return a session as its number: "Seventy-eighth session", "第七十八届会议" and "78"
    give "78"; an ECOSOC session ("2013 年实质性会议", "2013 session") its year; "" if unknown."""
    text = session.strip().lower()
    if match := re.fullmatch(r"(\d{1,4})(?:st|nd|rd|th)?(?:\s*session)?", text):
        return str(int(match.group(1)))
    if match := re.match(r"(\d{4})(?:\b|\s*年)", text):  # "2013 substantive", "2013 年实质性会议"
        return match.group(1)
    if match := re.match(r"第([零一二三四五六七八九十百]+)届", text):
        return str(_zh_number(match.group(1)) or "")
    words = re.match(r"([a-z]+)(?:-([a-z]+))?\s+session", text)
    if not words:
        return ""
    first, second = words.groups()
    tens = next((10 * (i + 2) for i, t in enumerate(_EN_TENS) if first in (t + "y", t + "ieth")), None)
    if second:
        return str(tens + _EN_UNITS.index(second) + 1) if tens and second in _EN_UNITS else ""
    if tens:
        return str(tens)
    if first in _EN_UNITS:
        return str(_EN_UNITS.index(first) + 1)
    return str(_EN_TEENS.index(first) + 10) if first in _EN_TEENS else ""


def _zh_number(text: str) -> int | None:
    """Read a Chinese numeral up to 999: 七十八 → 78, 十五 → 15, 一百零三 → 103."""
    total, current = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS.index(ch)
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current or None
