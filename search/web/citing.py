"""Naming paragraphs as the UN cites them, in English and in Chinese."""

from __future__ import annotations

import re

from search.models import Paragraph, Resolution
from search.parsing import official_url
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


# What a paragraph cites: "resolution 74/175", "resolutions 63/210 … and 67/263", "decision
# 77/548", "第74/175号决议", "第77/548号决定", and whole symbols ("A/80/537", "E/RES/2013/41").
# (ASCII classes: a Chinese character is a word character, and "第71/322号" cites.)
SYMBOL_CITED = re.compile(
    r"(?<![A-Za-z0-9/.])(?:A|E|S|A/HRC)/[A-Z0-9][A-Za-z0-9.]*(?:/[A-Za-z0-9.]+)*(?<![.])"
)
NUMBER_CITED = re.compile(r"(?<![A-Za-z0-9/.])(\d{1,4}/\d{1,4})(?![A-Za-z0-9/])")
# The last "resolution(s)" or "decision(s)" before a number, in the same clause.
KIND_BEFORE = re.compile(r".*\b(resolutions?|decisions?)\b[^.;:()]*$", re.I | re.S)
# "第71/322号决议", and each number of a list: "第71/322号和2018年12月17日第73/189号决议".
ZH_KIND_AFTER = re.compile(
    r"^\s*(?:[A-Z](?:\s*[和、至]\s*[A-Z])*)?\s*号(?:\s*(?:[和、及至]|以及)[^。；，]{0,40}?号)*\s*(决议|决定)"
)


def link_citations(html: str, language: str, known: dict[str, str]) -> str:
    """Make the symbols and the resolution and decision numbers that a paragraph cites
    links: to the document here when `known` (symbol → its page) has it, else to the
    official text. `html` is escaped text with only <mark> tags; a citation that a mark
    cuts in two is left as it is."""
    pieces = [(m.start(), m.group(0)) for m in re.finditer(r"<[^>]+>|[^<]+", html)]
    texts = [(at, text) for at, text in pieces if not text.startswith("<")]
    plain = "".join(text for _, text in texts)
    spans = _citations(plain)  # (start, end, symbol) in the plain text
    out, offset = [], 0
    for _at, text in pieces:
        if text.startswith("<"):
            out.append(text)
            continue
        end_of_piece = offset + len(text)
        inside = [(s, e, symbol) for s, e, symbol in spans if offset <= s and e <= end_of_piece]
        last = 0
        for start, end, symbol in inside:
            url = known.get(symbol) or official_url(symbol, language)
            out.append(text[last : start - offset])
            out.append(f'<a class="cited" href="{url}">{text[start - offset : end - offset]}</a>')
            last = end - offset
        out.append(text[last:])
        offset = end_of_piece
    return "".join(out)


def symbols_cited(text: str) -> list[str]:
    """The symbols a paragraph cites, once each, in the order it cites them."""
    return list(dict.fromkeys(symbol for _, _, symbol in _citations(text)))


def _citations(text: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), m.group(0)) for m in SYMBOL_CITED.finditer(text)]
    for match in NUMBER_CITED.finditer(text):
        if any(s <= match.start() < e for s, e, _ in spans):
            continue
        symbol = _number_symbol(match, text)
        if symbol:
            spans.append((match.start(), match.end(), symbol))
    return sorted(spans)


def _zh_kind(match: re.Match, text: str) -> re.Match | None:
    return ZH_KIND_AFTER.match(text[match.end() :])


# The name of a body right before "resolution": the Assembly's own or a Council with
# symbols of its own, or another (a commission, a conference, a board …).
OTHER_BODY = r"\b(?:Commission|Conference|Board|Council|Committee|Organization|Assembly)\b[^,;.]{0,60}\s$"
OWN_BODIES = r"\b(?:General Assembly|Human Rights Council|Economic and Social Council)\s$"


def _number_symbol(match: re.Match, text: str) -> str | None:
    """ "74/175" after "resolution(s)" is A/RES/74/175, after "decision(s)" A/DEC/74/175; in
    Chinese the word follows ("第74/175号决议"). A number with neither is no citation."""
    number = match.group(1)
    context = text[max(0, match.start() - 200) : match.start()]
    zh = _zh_kind(match, text)
    if zh:
        resolution = zh.group(1) == "决议"
        # "预防犯罪和刑事司法委员会第27/2号决议": another body's numbering, no link.
        if re.search(r"(?<!人权|社会)(?:委员会|理事会|会议)\s*第?\s*$", context):
            return None
        organ = re.search(r"(人权理事会|经济及社会理事会|经社理事会)[^。；]*$", context)
    else:
        kind = KIND_BEFORE.search(context)
        if not kind:
            return None
        # "Commission on Crime Prevention and Criminal Justice resolution 27/2": another
        # body's numbering, which has no symbol of this form.
        before = context[: kind.start(1)]
        if re.search(OTHER_BODY, before) and not re.search(OWN_BODIES, before):
            return None
        resolution = kind.group(1).lower().startswith("resolution")
        organ = re.search(r".*(Human Rights Council|Economic and Social Council)[^.;:]*$", context, re.S)
    series = "RES" if resolution else "DEC"
    named = organ.group(1) if organ else ""
    if named in ("Human Rights Council", "人权理事会"):
        return f"A/HRC/{series}/{number}"
    # The Economic and Social Council numbers its resolutions by year: 2013/41.
    if named or len(number.split("/")[0]) == 4:
        return f"E/{series}/{number}"
    return f"A/{series}/{number}"


def cited_symbols(texts) -> set[str]:
    """Every symbol the texts may cite, to look up once which are here."""
    found: set[str] = set()
    for text in texts:
        found.update(SYMBOL_CITED.findall(text))
        for number in NUMBER_CITED.findall(text):
            found.update(f"{s}/{number}" for s in ("A/RES", "A/DEC", "E/RES", "E/DEC", "A/HRC/RES"))
    return found
