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
    """Return (number, printed, level, rest) if the text starts with a paragraph number
    ("12."), a sub-paragraph letter or roman numeral ("(a)", "(iv)") or a Chinese one ("㈣")."""
    return _number_start(text, due) or _cn_roman_start(text) or _letter_start(text)


def _number_start(text: str, due: int | None) -> tuple[str, str, int, str] | None:
    match = NUMBER_START.match(text)
    if match and _may_number_a_paragraph(match.group(1), due):
        return match.group(1), match.group(0).strip(), 0, text[match.end() :]
    return None


def _may_number_a_paragraph(digits: str, due: int | None) -> bool:
    """A number of LONG_NUMBER digits or more is a paragraph number only where the
    paragraphs before it lead up to it: `due` is the next number in sequence."""
    return len(digits) < LONG_NUMBER or due is not None and 0 <= int(digits) - due < LONG_SKIP


def _cn_roman_start(text: str) -> tuple[str, str, int, str] | None:
    match = CN_ROMAN_START.match(text)
    if match:
        return ROMANS[CN_ROMAN.index(match.group(1))], match.group(1), 2, text[match.end() :]
    return None


def _letter_start(text: str) -> tuple[str, str, int, str] | None:
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
    if not left or not right:
        return left or right
    return left + _line_break_joint(left, right, language) + right


# Chinese runs on across a line break, except between two Latin words (letters or
# digits) and after a Latin comma or semicolon before a letter.
SPACED_IN_CHINESE = re.compile(r"[A-Za-z0-9]{2}|[,;][A-Za-z]")


def _line_break_joint(left: str, right: str, language: str) -> str:
    """Return what stands where a line broke: a space, nothing, or a soft hyphen."""
    if language == "zh":
        return " " if SPACED_IN_CHINESE.fullmatch(left[-1] + right[0]) else ""
    if _word_broken_at_hyphen(left, right):
        return "\u00ad"  # kept or dropped once the whole text is known
    return " "


def _word_broken_at_hyphen(left: str, right: str) -> bool:
    """Does a hyphen after a letter end the left line and a lower-case letter start the right?"""
    return left.endswith("-") and left[-2:-1].isalpha() and right[0].islower()


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
_EN_TENS = ["twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]  # + "y" or "ieth"


def _en_session_words() -> dict[str, int]:
    """Map a session's number in words to the number: "first" … "nineteenth", then
    "twentieth" or "twenty" and "twenty-first" … "ninety-ninth"."""
    numbers = {word: n for n, word in enumerate(EN_ORDINALS, 1)}
    for n, stem in enumerate(_EN_TENS, 2):
        for tens in (stem + "ieth", stem + "y"):
            numbers[tens] = 10 * n
            numbers |= {f"{tens}-{unit}": 10 * n + u for u, unit in enumerate(EN_ORDINALS[:9], 1)}
    return numbers


EN_SESSIONS = _en_session_words()
_EN_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"]
_EN_TEENS += ["eighteen", "nineteen"]


def _en_cardinal_words() -> dict[str, int]:
    """Map "one" … "ninety-nine" to their numbers: paragraphs are sometimes named so."""
    numbers = {word: n for n, word in enumerate(_EN_UNITS + _EN_TEENS, 1)}
    for n, stem in enumerate(_EN_TENS, 2):
        numbers[stem + "y"] = 10 * n
        numbers |= {f"{stem}y-{unit}": 10 * n + u for u, unit in enumerate(_EN_UNITS, 1)}
    return numbers


EN_CARDINALS = _en_cardinal_words()
_ZH_DIGITS = "零一二三四五六七八九"
_ZH_MULTIPLIERS = {"十": 10, "百": 100}


def session_number(session: str) -> str:
    """Return a session as its number: "Seventy-eighth session", "第七十八届会议" and "78"
    give "78"; an ECOSOC session ("2013 年实质性会议", "2013 session") its year; "" if unknown."""
    text = session.strip().lower()
    if match := re.fullmatch(r"(\d{1,4})(?:st|nd|rd|th)?(?:\s*session)?", text):
        return str(int(match.group(1)))
    if match := re.match(r"(\d{4})(?:\b|\s*年)", text):  # "2013 substantive", "2013 年实质性会议"
        return match.group(1)
    if match := re.match(r"第([零一二三四五六七八九十百]+)届", text):
        return str(zh_number(match.group(1)) or "")
    if match := re.match(r"([a-z]+(?:-[a-z]+)?)\s+session", text):
        return str(EN_SESSIONS.get(match.group(1), ""))
    return ""


def zh_number(text: str) -> int | None:
    """Read a Chinese numeral up to 999: 七十八 → 78, 十五 → 15, 一百零三 → 103."""
    total, current = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS.index(ch)
        elif ch in _ZH_MULTIPLIERS:
            total += (current or 1) * _ZH_MULTIPLIERS[ch]
            current = 0
        else:
            return None
    return total + current or None
