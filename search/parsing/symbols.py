"""UN document symbols, and the names of the bodies that issue them.

A symbol is a series, then parts joined by "/": ``A/RES/80/215`` (the Assembly's
resolution 215 of its 80th session), ``A/C.3/80/L.17/Rev.1`` (the Third Committee's
limited document 17, revised), ``E/RES/2013/41`` (the Economic and Social Council
numbers by year), ``S/RES/2331 (2016)``. The pieces of that grammar are written once
here; each pattern the other modules use is built from them and named for what it
finds, because they differ on purpose: anchored or in running text, resolutions or
drafts only, a file's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

# The bodies whose resolutions are stored, by the code the store keeps for them: their
# names in English and in Chinese.
BODIES = {
    "GA": ("General Assembly", "大会"),
    "ECOSOC": ("Economic and Social Council", "经济及社会理事会"),
    "SC": ("Security Council", "安全理事会"),
    "HRC": ("Human Rights Council", "人权理事会"),
}
# Names a text may give a body besides its own: the Chinese texts' short name of the
# Economic and Social Council.
SHORT_NAMES = {"经社理事会": "ECOSOC"}
BODY_BY_NAME = {name: code for code, names in BODIES.items() for name in names} | SHORT_NAMES
# The series each body's resolutions and decisions are numbered in (A/HRC/RES/32/3).
SERIES = {"GA": "A", "ECOSOC": "E", "SC": "S", "HRC": "A/HRC"}
# The Assembly's six Main Committees by the ordinal in their names: "Third Committee",
# "第三委员会"; the same number is in their symbols (A/C.3/80/L.17).
COMMITTEE_NUMBERS = {"First": 1, "Second": 2, "Third": 3, "Fourth": 4, "Fifth": 5, "Sixth": 6}
ZH_COMMITTEE_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
# The Main Committees by the code a document's `committee` holds ("C3"), in both languages.
MAIN_COMMITTEES = {
    f"C{number}": (f"{ordinal} Committee", f"第{zh}委员会")
    for (ordinal, number), zh in zip(COMMITTEE_NUMBERS.items(), ZH_COMMITTEE_NUMBERS, strict=True)
}

# The pieces of a symbol.
RESOLUTION_SERIES = "|".join(SERIES.values())  # A|E|S|A/HRC
# Those cited by a number "n/n": the Security Council numbers by year, "2331 (2016)".
NUMBERED_SERIES = "|".join(SERIES[body] for body in ("GA", "ECOSOC", "HRC"))
# Series a document refers to besides: conferences, programmes, the Secretariat (ST).
REFERENCED_SERIES = "A|E|S|CTOC|CAC|UNEP|HRC|TD|ST"
COMMITTEE = r"C\.(?P<committee>[1-6])"
SESSION = r"(?P<session>\d+)"
LIMITED = r"L\.\d+"  # a draft or other limited document: A/80/L.19
REVISION = r"/Rev\.(?P<revision>\d+)"
SUFFIXES = r"(?:/(?:Rev|Add|Corr)\.\d+)*"  # revision, addendum, corrigendum
# A part after a slash: letters, digits, the dots of "C.3" and "L.17", hyphens.
PART = r"[A-Za-z0-9.\-]"
# In running text a symbol never ends with the sentence's full stop or a hyphen.
NO_TRAILING_STOP = r"(?<![.\-])"

# A symbol in running text, of any series documents refer to: a report's, a reference's.
SYMBOL_IN_TEXT = re.compile(rf"\b(?:{REFERENCED_SERIES})(?:/[A-Z0-9]{PART}*)+{NO_TRAILING_STOP}")
# A symbol cited in a paragraph, of the series of the bodies' resolutions. No hyphen:
# the possessive match takes the whole run and the caller cuts a trailing "." or "/"
# (no backtracking; a Chinese character is a word character, hence no "\b").
CITED_SYMBOL = re.compile(
    rf"(?<![A-Za-z0-9/.])(?:{RESOLUTION_SERIES})/[A-Z0-9][A-Za-z0-9.]*+(?:/[A-Za-z0-9.]++)*+"
)
# The symbol in a typeset PDF's masthead: any series of capitals.
MASTHEAD_SYMBOL = re.compile(rf"\b[A-Z]{{1,5}}(?:/[A-Za-z0-9]{PART}*)+{NO_TRAILING_STOP}")
# A line holding only a symbol (the running header of later pages): capitals, two parts or more.
SYMBOL_ONLY_LINE = re.compile(r"^\s*[A-Z]{1,6}(/[A-Z0-9.\-]+){2,}\s*$")
# An adopted resolution's symbol on a line of its own: A/RES/78/189, S/RES/2331 (2016).
RESOLUTION_LINE = re.compile(rf"\s*(?:{RESOLUTION_SERIES})/RES/[0-9/]+(?: \(\d{{4}}\))?\s*")
# Whatever staff may give as a symbol: a series in capitals, then parts.
ANY_SYMBOL = re.compile(rf"^[A-Z]{{1,10}}(/{PART}+)+$")
# The Assembly's resolutions and its drafts, by session: A/RES/80/215 (the number may be
# followed by more: A/RES/60/1A); A/C.3/80/L.28/Rev.1 (committee 3, session 80, base
# A/C.3/80/L.28, revision 1), A/80/L.19 (a plenary draft).
GA_RESOLUTION_SYMBOL = re.compile(rf"^A/RES/{SESSION}/\d+")
GA_DRAFT_SYMBOL = re.compile(rf"^(?P<base>A/(?:{COMMITTEE}/)?{SESSION}/{LIMITED})(?:{REVISION})?$")
COMMITTEE_SERIES = re.compile(rf"A/{COMMITTEE}/")
# A symbol typed in the search box: 71/322, A/RES/71/322, E/RES/2013/41, the Chinese
# citation 第71/322号决议; drafts and papers too: A/C.3/80/L.28, A/80/L.4/Rev.1,
# A/C.3/80/L.1/Add.1. In any case: the index keys on lower case.
QUERY_SYMBOL = re.compile(
    rf"^(?:第\s*)?(?P<symbol>(?:[a-z][a-z0-9.]*/)*\d+/(?:\d+|{LIMITED}){SUFFIXES})(?:\s*号(?:决议)?)?$",
    re.I,
)
# A file named after its symbol, "/" written as "_": A_RES_78_123.pdf, A_C.3_80_L.37_Rev.1.pdf,
# E_RES_2013_41.txt; a language code may follow (A_RES_71_322_zh.pdf).
SYMBOL_FILENAME = re.compile(rf"^([A-Z]{{1,2}}(?:_{PART}+)+?)(?:_(?:zh|en|ch|fr|es|ru|ar))?$")
# A link to an official document (as PDFs print them in their footnotes), its symbol in group 1.
OFFICIAL_LINK = re.compile(r"https?://undocs\.org/(?:[a-z]{2}/)?(\S+)")


def symbols_in(text: str) -> list[str]:
    """Return the symbols written in a text, in order."""
    return SYMBOL_IN_TEXT.findall(text)


def is_symbol(text: str) -> bool:
    """Tell whether a text (spaces around it aside) is one symbol and nothing else."""
    return SYMBOL_IN_TEXT.fullmatch(text.strip()) is not None


def typed_symbol(text: str) -> str | None:
    """Return the symbol a query is, as the index keys it ("第71/322号决议" → "71/322"), or None."""
    match = QUERY_SYMBOL.match(unicodedata.normalize("NFKC", text))
    return match.group("symbol").lower() if match else None


def symbol_from_filename(filename: str) -> str | None:
    """Return the symbol a file is named after ("A_RES_78_123.pdf" → "A/RES/78/123"), or None."""
    match = SYMBOL_FILENAME.match(PurePath(filename).stem)
    if not match or not re.search(r"\d", match.group(1)):
        return None
    return match.group(1).replace("_", "/")


def resolution_symbol(body: str, number: str) -> str:
    """Return the symbol of a body's resolution: ("GA", "71/322") → "A/RES/71/322"."""
    return f"{SERIES[body]}/RES/{number}"


def numbered_by_year(number: str) -> bool:
    """Is "2013/41" numbered by year, as the Economic and Social Council numbers its
    resolutions (the Assembly's "78/123" by session)?"""
    return re.match(r"\d{4}/", number) is not None


def resolution_number(symbol: str | None) -> str | None:
    """Return the number a resolution is cited by: "A/RES/71/322" → "71/322",
    "S/RES/2331 (2016)" → "2331 (2016)"; None for any other document."""
    match = re.fullmatch(rf"(?:{RESOLUTION_SERIES})/RES/(.+)", symbol or "")
    return match.group(1) if match else None


def citation_number(symbol: str) -> str | None:
    """Return the "n/n" a paragraph cites a resolution or decision by (A/DEC/77/548 →
    "77/548"), or None."""
    match = re.fullmatch(rf"(?:{NUMBERED_SERIES})/(?:RES|DEC)/(\d+/\d+)", symbol)
    return match.group(1) if match else None


def body_of_symbol(symbol: str | None) -> str | None:
    """Return the organ a symbol's series belongs to: A/C.3/80/L.57 → "GA"."""
    # The longest series first: A/HRC/… is the Council's, not the Assembly's.
    for body, series in sorted(SERIES.items(), key=lambda item: -len(item[1])):
        if (symbol or "").startswith(series + "/"):
            return body
    return None


def committee_of_symbol(symbol: str | None) -> str:
    """Return the Main Committee whose document this is: A/C.3/80/L.30 → "C3"."""
    match = COMMITTEE_SERIES.match(symbol or "")
    return f"C{match['committee']}" if match else ""


def official_url(symbol: str | None, language: str) -> str | None:
    """Return the official undocs.org link of a symbol in one language."""
    if not symbol:
        return None
    return f"https://undocs.org/{'ch' if language == 'zh' else 'en'}/{symbol}"


# A symbol as the proceedings publish it (e-deleGATE): "A/C.3/80/L.2", " a/c.3/80/l.2 ",
# "A./C.3/80/L.2", "A/80/545 DR 18" (a committee report and its draft resolution's
# number; "DD" a draft decision), "80/192" or "80/191 A" (the Assembly's resolution or
# decision, a part of it). The Assembly numbers its decisions from 401 in each session.
PUBLISHED_REPORT_DRAFT = re.compile(
    r"^(?P<report>A/\d+/\d+(?:/Add\.\d+)?)\s*(?P<kind>DR|DD)\s*(?P<number>\d+)?$"
)
PUBLISHED_ADOPTED = re.compile(r"^(?P<session>\d+)/(?P<number>\d+)(?:\s+(?P<part>[A-Z]))?$")
PUBLISHED_DOCUMENT = re.compile(rf"^A/(?:{COMMITTEE}/)?\d+/L\.\d+{SUFFIXES}$")
FIRST_DECISION = 401


@dataclass(frozen=True)
class PublishedSymbol:
    """What a symbol of the proceedings names: a document's symbol, and for a committee
    report the number of its draft ("DR 18") or for a resolution the part ("A")."""

    symbol: str
    draft_number: int | None = None
    draft_kind: str = ""  # "DR" a draft resolution of the report, "DD" a draft decision
    part: str = ""


def published_symbol(raw: str) -> PublishedSymbol | None:
    """Read a symbol as the proceedings spell it; None when it is none ("_", a title)."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw)).strip().upper()
    text = re.sub(r"^A\./", "A/", text).replace("/REV.", "/Rev.").replace("/ADD.", "/Add.")
    text = text.replace("/CORR.", "/Corr.")
    if match := PUBLISHED_ADOPTED.match(text):
        series = "DEC" if int(match["number"]) >= FIRST_DECISION else "RES"
        return PublishedSymbol(f"A/{series}/{match['session']}/{match['number']}", part=match["part"] or "")
    if match := PUBLISHED_REPORT_DRAFT.match(text):
        number = int(match["number"]) if match["number"] else None
        return PublishedSymbol(match["report"], number, match["kind"])
    if PUBLISHED_DOCUMENT.match(text):
        return PublishedSymbol(text)
    return None
