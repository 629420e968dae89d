"""Naming paragraphs as the UN cites them, in English and in Chinese."""

from __future__ import annotations

import re

from search.models import Paragraph, Resolution
from search.parsing.text import EN_ORDINALS

ORDINALS = EN_ORDINALS
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def ordinal(n: int) -> str:
    """Spell an ordinal as UN documents do: 6 → "sixth", 23 → "twenty-third"."""
    if 1 <= n < 20:
        return ORDINALS[n - 1]
    if 20 <= n < 100:
        tens, unit = divmod(n, 10)
        return TENS[tens - 2][:-1] + "ieth" if unit == 0 else f"{TENS[tens - 2]}-{ORDINALS[unit - 1]}"
    return f"{n}th"


def un_label(hit: dict) -> str:
    """Name a paragraph in English as the UN cites it: "sixth preambular paragraph",
    "para. 3 (b)", "annex, para. 11 (a)"."""
    match = re.fullmatch(r"pp(\d+)([a-z]*)(?:-([ivx]+))?", hit["anchor"])
    if match:
        name = f"{ordinal(int(match.group(1)))} preambular paragraph"
        subs = "".join(f" ({part})" for part in match.groups()[1:] if part)
        return f"{name}, subparagraph{subs}" if subs else name
    label = hit["label_en"]
    return re.sub(r"^OP ", "para. ", label)


BODIES = {
    "GA": ("General Assembly", "大会"),
    "ECOSOC": ("Economic and Social Council", "经济及社会理事会"),
    "SC": ("Security Council", "安全理事会"),
    "HRC": ("Human Rights Council", "人权理事会"),
}


def cite(resolution: Resolution, paragraph: Paragraph, language: str) -> str:
    """Cite a paragraph the UN way: "General Assembly resolution 71/322, para. 3 (b)",
    "大会第71/322号决议第3(b)段"; a document with no resolution number by its name
    ("A/C.3/80/L.7, para. 2")."""
    match = re.fullmatch(r"(?:A|E|S|A/HRC)/RES/(.+)", resolution.symbol or "")
    body = BODIES.get(resolution.body or "")
    label = {"anchor": paragraph.anchor, "label_en": paragraph.label}
    if language == "zh":
        # In Chinese an operative paragraph is cited by its number alone: 第3(b)段.
        own = re.sub(r"^执行部分", "", paragraph.label_in("zh"))
        if match and body:
            return f"{body[1]}第{match.group(1)}号决议{own}"
        return f"{resolution}，{own}"
    if match and body:
        return f"{body[0]} resolution {match.group(1)}, {un_label(label)}"
    return f"{resolution}, {un_label(label)}"
