"""Agenda items as a filter and a facet (`agenda:107`, `agenda:80/72(a)`).

An item is written one way here, whichever way it was typed or published: "72 (a)",
"72(a)", "72(A)" and "72 a" are "72(a)"; "18(e)(i)" keeps both levels. Items belong to a
session: item 107 of the 74th session is not item 107 of the 80th. The index files a
paragraph under its document's items with the session ("80/72(a)") and without it
("72(a)"), and under the items they are part of ("80/72", "72"): `agenda:72` finds the
documents of item 72 and of 72 (a)–(e), in any session; `agenda:80/72` only the 80th's.
The facet counts the terms with a session, one entry per item of a session.

Pure: the titles are read from the database by `agenda_titles`.
"""

from __future__ import annotations

import re

MAX_ITEMS = 10  # items a document is filed under (a heading naming more is not an agenda item)
# An item: its number and up to two levels of sub-items, letters or roman numerals.
ITEM = re.compile(r"(\d{1,3})\s*((?:\(\s*[a-z]{1,4}\s*\)\s*){0,2})", re.I)
# "72 a", "72a": a sub-item typed without its parentheses.
BARE_SUB_ITEM = re.compile(r"(\d{1,3})\s*([a-z]{1,2})", re.I)
QUALIFIED = re.compile(r"(?P<session>\d{1,4})/(?P<item>.+)")


def normal_item(text: str) -> str | None:
    """ "72 (a)" → "72(a)"; None when the text is not one agenda item."""
    text = text.strip()
    if match := ITEM.fullmatch(text):
        subs = re.findall(r"[a-z]+", match[2].lower())
        return match[1].lstrip("0") + "".join(f"({s})" for s in subs) if match[1].strip("0") else None
    if match := BARE_SUB_ITEM.fullmatch(text):
        return f"{match[1].lstrip('0')}({match[2].lower()})"
    return None


def items_in(text: str) -> list[str]:
    """The items a heading names: "134 and 145" → ["134", "145"], "72 (a)" → ["72(a)"]."""
    found = (normal_item(m.group(0)) for m in ITEM.finditer(text or ""))
    return list(dict.fromkeys(item for item in found if item))[:MAX_ITEMS]


def parents(item: str) -> list[str]:
    """The items an item is part of, itself last: "72(e)(i)" → ["72", "72(e)", "72(e)(i)"]."""
    levels = re.findall(r"^\d+|\([a-z]+\)", item)
    return ["".join(levels[: n + 1]) for n in range(len(levels))]


def index_terms(session: str, items: list[str]) -> list[str]:
    """What the index files a document of these items under: each item and the items it
    is part of, with the session ("80/72(a)", "80/72") and without ("72(a)", "72")."""
    terms: list[str] = []
    for item in items:
        for level in parents(item):
            terms += ([f"{session}/{level}"] if session else []) + [level]
    return list(dict.fromkeys(terms))


def filter_term(value: str) -> str:
    """A typed value as the index holds it: "80/72 (a)" → "80/72(a)", "107" → "107"; a
    value that is no item is kept (lower-cased), and finds nothing."""
    value = value.strip()
    qualified = QUALIFIED.fullmatch(value)
    item = normal_item(qualified["item"] if qualified else value)
    if item is None:
        return value.lower()
    return f"{int(qualified['session'])}/{item}" if qualified else item


def split_term(term: str) -> tuple[str, str]:
    """ "80/72(a)" → ("80", "72(a)"); ("", "72(a)") for a term without a session."""
    qualified = QUALIFIED.fullmatch(term)
    return (qualified["session"], qualified["item"]) if qualified else ("", term)


def is_facet_term(term: str) -> bool:
    """The facet lists an item of a session: the terms with one."""
    return QUALIFIED.fullmatch(term) is not None


def shown_item(item: str) -> str:
    """An item as the UN writes it: "72(a)" → "72 (a)", "18(e)(i)" → "18 (e) (i)"."""
    return re.sub(r"\(", " (", item)


def item_order(term: str) -> tuple:
    """Sessions newest first, then items in the agenda's order: 9, 72, 72 (a), 99 (z),
    99 (aa), 107."""
    session, item = split_term(term)
    levels = re.findall(r"\d+|[a-z]+", item)
    return (-int(session or 0), int(levels[0]) if levels else 0, [(len(s), s) for s in levels[1:]])


def document_items(heading: list[str], proceedings: list[str]) -> list[str]:
    """A document's items: those its heading names, each replaced by the proceedings' item
    below it when they give one ("99" and "99(kk)": the heading's reading stopped at the
    number); the proceedings' when the heading names none."""
    if not heading:
        return proceedings
    found = []
    for item in heading:
        below = [other for other in proceedings if item in parents(other)[:-1]]
        found += below or [item]
    return list(dict.fromkeys(found))
