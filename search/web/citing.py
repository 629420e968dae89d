"""Naming paragraphs as the UN cites them, in English and in Chinese; and linking what a
paragraph cites, by the spans stored when it was published (search.parsing.citations
finds them): a page never reads a text for its citations."""

from __future__ import annotations

import re
from html import escape, unescape

from django.db.models import QuerySet

from search.models import Citation, Paragraph, Resolution
from search.parsing import BODIES, EN_ORDINALS, Cited, find_citations, official_url, resolution_number

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


def cite(resolution: Resolution, paragraph: Paragraph, language: str) -> str:
    """Cite a paragraph the UN way: "General Assembly resolution 71/322, para. 3 (b)",
    "大会第71/322号决议第3(b)段"; a document with no resolution number by its name
    ("A/C.3/80/L.7, para. 2")."""
    body = BODIES.get(resolution.body or "")
    # A resolution of a body named here is cited by its number, any other document by its symbol.
    number = resolution_number(resolution.symbol) if body else None
    if language == "zh":
        return _cite_in_chinese(resolution, paragraph, body, number)
    return _cite_in_english(resolution, paragraph, body, number)


def _cite_in_english(resolution: Resolution, paragraph: Paragraph, body: tuple, number: str | None) -> str:
    own = un_label({"anchor": paragraph.anchor, "label_en": paragraph.label})
    return f"{body[0]} resolution {number}, {own}" if number else f"{resolution}, {own}"


def _cite_in_chinese(resolution: Resolution, paragraph: Paragraph, body: tuple, number: str | None) -> str:
    # An operative paragraph is cited by its number alone: 第3(b)段.
    own = re.sub(r"^执行部分", "", paragraph.label_in("zh"))
    return f"{body[1]}第{number}号决议{own}" if number else f"{resolution}，{own}"


TAG_OR_TEXT = re.compile(r"<[^>]+>|[^<]+")


def link_spans(html: str, spans: list[Cited], language: str, known: dict[str, str]) -> str:
    """Make what a paragraph cites links: to the document here when `known` (symbol → its
    page) has it, else to the official text.

    `html` is the paragraph's text escaped, with only <mark> tags added (the highlighter's
    output); `spans` are its stored citations, offsets in the text itself. A citation that
    a mark cuts in two is left as it is. One pass over both.
    """
    out, at, spans = [], 0, iter(spans)
    span = next(spans, None)
    for piece in TAG_OR_TEXT.finditer(html):
        if piece.group(0).startswith("<"):
            out.append(piece.group(0))
            continue
        text = unescape(piece.group(0))  # the escaped text is exactly escape(text)
        inside = []
        while span is not None and span.start < at + len(text):
            inside.append(span)
            span = next(spans, None)
        out.append(_linked(text, at, inside, language, known))
        at += len(text)
    return "".join(out)


def _linked(text: str, at: int, spans: list[Cited], language: str, known: dict[str, str]) -> str:
    """A piece of text (`at` its offset in the paragraph) escaped, with the citations
    wholly inside it made links; one that runs past either end (a tag cuts it) stays text."""
    out, last = [], 0
    for span in spans:
        if span.start >= at and span.end <= at + len(text):
            url = escape(known.get(span.symbol) or official_url(span.symbol, language))
            start, stop = span.start - at, span.end - at
            out.append(escape(text[last:start]))
            out.append(f'<a class="cited" href="{url}">{escape(text[start:stop])}</a>')
            last = stop
    out.append(escape(text[last:]))
    return "".join(out)


def link_citations(html: str, language: str, known: dict[str, str]) -> str:
    """`link_spans` for a text whose citations are not stored, found in it now (pages have
    the stored ones and never call this)."""
    text = "".join(unescape(t.group(0)) for t in TAG_OR_TEXT.finditer(html) if not t.group(0).startswith("<"))
    return link_spans(html, find_citations(text), language, known)


# Symbols looked up per query: a page citing thousands of documents (a list of resolution
# numbers can run to thousands) asks in batches, never one parameter per symbol at once.
SYMBOLS_PER_QUERY = 500


def stored_citations(citations: QuerySet[Citation]) -> dict[int, list[Cited]]:
    """The stored citations of paragraphs, by paragraph id, each paragraph's in order."""
    found: dict[int, list[Cited]] = {}
    rows = citations.order_by("paragraph_id", "start").values_list("paragraph_id", "start", "end", "symbol")
    for paragraph, start, end, symbol in rows:
        found.setdefault(paragraph, []).append(Cited(start, end, symbol))
    return found


def documents_here(citations: dict[int, list[Cited]]) -> dict[str, str]:
    """Which documents these stored citations (`stored_citations`) name are here: symbol →
    its page. One query per SYMBOLS_PER_QUERY symbols already read, in the order they
    were read: no second pass over the citations (joined to their paragraphs, a planner
    with stale statistics took seconds over it), no parameter list without bound."""
    symbols = list(dict.fromkeys(cited.symbol for spans in citations.values() for cited in spans))
    here = {}
    for at in range(0, len(symbols), SYMBOLS_PER_QUERY):
        batch = symbols[at : at + SYMBOLS_PER_QUERY]
        for found in Resolution.objects.filter(symbol__in=batch).only("key", "symbol"):
            here[found.symbol] = found.get_absolute_url()
    return here
