"""The one highlighter: a parsed query and a text in, escaped text with <mark> out.

It decides what matches exactly as the search does, because it reads each unit of
the query through the same analyzer and field (`Unit.field`) and requires the same
thing a phrase query requires: the unit's terms at consecutive positions. So English
words match whole, with the same inflections folded ("traffickers" marks
"trafficking", "organ" never marks "Organization"); Chinese matches its literal
characters; a phrase is marked only where its words stand together. A snippet and a
whole paragraph differ only in the window.
"""

from __future__ import annotations

from html import escape

from search.engine.analysis import normalize
from search.engine.query import LITERAL, WORDS, Unit

SNIPPET = 200  # characters shown around the matches when a paragraph is longer
BEFORE = 40  # characters of context before the first match

_ANALYZERS = {"content": WORDS, "literal": LITERAL}


def match_spans(text: str, units: list[Unit]) -> list[tuple[int, int]]:
    """Return the merged spans of `text` that the query's units match, in order."""
    positions: dict[str, dict[int, dict[str, tuple[int, int]]]] = {}
    spans = []
    for unit in units:
        field = unit.field
        if field is None:
            continue
        fieldname, terms = field
        if fieldname not in positions:
            positions[fieldname] = _positions(fieldname, text)
        at = positions[fieldname]
        for pos, grams in at.items():
            if terms[0] not in grams:
                continue
            found = []
            for k, term in enumerate(terms):
                span = at.get(pos + k, {}).get(term)
                if span is None:
                    break
                found.append(span)
            else:
                spans.append((min(s for s, _ in found), max(e for _, e in found)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _positions(fieldname: str, text: str) -> dict[int, dict[str, tuple[int, int]]]:
    """Analyse text as the index does: each position's terms and their spans in `text`."""
    at: dict[int, dict[str, tuple[int, int]]] = {}
    for token in _ANALYZERS[fieldname](text, positions=True, chars=True, mode="index"):
        at.setdefault(token.pos, {}).setdefault(token.text, (token.startchar, token.endchar))
    return at


def highlight(text: str, units: list[Unit], window: int | None = None) -> str:
    """Return `text` escaped, its matches in <mark>; cut to `window` characters if given.

    The window is placed to show the most different matched words, starting a little
    before the first of them; "…" says where text was left out.
    """
    spans = match_spans(text, units)
    start, end = 0, len(text)
    if window is not None and len(text) > window:
        start = max(0, _best_window(text, spans, window) - BEFORE)
        end = min(len(text), start + window)
        start = max(0, min(start, end - window))
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


def snippet(text: str, units: list[Unit]) -> str:
    """Return the part of a paragraph shown in a hit, matches marked."""
    return highlight(text, units, window=SNIPPET)


def _best_window(text: str, spans: list[tuple[int, int]], window: int) -> int:
    """Return where the window showing the most different matched words begins."""
    best, best_start = -1, 0
    for i, (s, _) in enumerate(spans):
        seen = set()
        for s2, e2 in spans[i:]:
            if e2 > s + window - BEFORE:
                break
            seen.add(normalize(text[s2:e2]).text)
        if len(seen) > best:
            best, best_start = len(seen), s
    return best_start
