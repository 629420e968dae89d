"""What the search page and the API show around `search_paragraphs`: links, labels in both
languages, the same paragraph in the other language, facet links and what to try instead."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from search.engine.searching import search_paragraphs
from search.models import (
    BODY_NAMES,
    COMMITTEE_NAMES,
    DOC_TYPE_NAMES,
    KIND_NAMES,
    LANGUAGE_NAMES,
    WORDING_NAMES,
    Paragraph,
    Resolution,
    document_path,
    html_lang,
    language_name,
    session_label,
)
from search.parsing import official_url, session_number
from search.web.citing import un_label

# Searches that find something in the corpus, offered on the empty page.
EXAMPLES = ["器官移植", "trafficking in persons", '"organ removal"', "贩运人口 lang:zh", "A/RES/71/322"]
FILTER = re.compile(r'(?:^|\s)-?[a-z]+:(?:"[^"]*"|\S+)', re.I)
FACET_FILTERS = {
    "language": "lang",
    "body": "body",
    "session": "session",
    "committee": "committee",
    "year": "year",
    "doc_type": "type",
    "kind": "kind",
    "wording": "wording",
}


def search_url(q: str, page: int = 1, **options) -> str:
    """Link to a search; `options` (sort, per_page) are those that differ from the defaults."""
    params = {"q": q}
    if page > 1:
        params["page"] = page
    params |= {name: value for name, value in options.items() if value}
    return f"{reverse('home')}?{urlencode(params)}"


def paragraph_url(key: str, anchor: str, **params) -> str:
    """Return the link to a paragraph on its resolution's page, with query parameters."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{document_path(key)}{query}#{anchor}"


def page_links(q: str, page: int, pages: int, **options) -> list[dict | None]:
    """Return the pages to offer: the first, the last and two on each side of this one.

    None stands where pages are left out.
    """
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[dict | None] = []
    for number in shown:
        if links and number > links[-1]["number"] + 1:
            links.append(None)
        links.append({"number": number, "url": search_url(q, number, **options), "current": number == page})
    return links if pages > 1 else []


def api_links(request, q: str, found: dict, **options) -> dict:
    """Absolute links to the first, previous, next and last pages of an API answer (None if none)."""
    page, pages = found["page"], max(1, -(-found["total"] // found["per_page"]))

    def link(number: int) -> str:
        params = {"q": q, "page": number} | options
        return request.build_absolute_uri(f"{reverse('api_search')}?{urlencode(params)}")

    return {
        "first": link(1),
        "previous": link(page - 1) if 1 < page <= pages + 1 else None,
        "next": link(page + 1) if page < pages else None,
        "last": link(pages),
    }


def document_names(hits: list[dict]) -> dict[str, str]:
    """Name the documents of these hits as people cite them: the symbol, or what it is."""
    keys = {h["resolution"] for h in hits}
    found = Resolution.objects.filter(key__in=keys).select_related("contained_in")
    names = {r.key: str(r) for r in found}
    return {h["resolution"]: names.get(h["resolution"], h["symbol"] or h["resolution"]) for h in hits}


def api_hits(request, hits: list[dict]) -> list[dict]:
    """Add to each hit its document's name, its absolute link here and the official document's."""
    names = document_names(hits)
    return [
        hit
        | {
            "document": names[hit["resolution"]],
            "url": request.build_absolute_uri(paragraph_url(hit["resolution"], hit["anchor"])),
            "source_url": official_url(hit["symbol"], hit["language"]),
        }
        for hit in hits
    ]


def present_hits(hits: list[dict], q: str) -> list[dict]:
    """Add both labels, a link that keeps the query marked, the document's name, what a
    draft became, and the same paragraph in the other language (from the draft or the
    adopted resolution of the pair when this document has only one language)."""
    documents, pairs = _documents_and_pairs({h["resolution"] for h in hits})
    found = (
        Paragraph.objects.filter(
            version__resolution__key__in={k for ks in pairs.values() for k in ks},
            anchor__in={h["anchor"] for h in hits},
        )
        .order_by()  # looked up by key: the model's ordering would only sort them
        .values("version__resolution__key", "version__language", "anchor", "label", "label_zh", "text")
    )
    by_key = {(p["version__resolution__key"], p["version__language"], p["anchor"]): p for p in found}
    return [_present(hit, q, documents.get(hit["resolution"]), pairs, by_key) for hit in hits]


def _documents_and_pairs(keys: set[str]) -> tuple[dict[str, Resolution], dict[str, list[str]]]:
    """The hits' documents by key, and where each one's other language may be: the
    document itself, what it became, its drafts."""
    documents = {
        r.key: r
        for r in Resolution.objects.filter(key__in=keys)
        .select_related("contained_in", "became")
        .prefetch_related("drafts")
    }
    pairs = {key: [key] for key in keys}
    for key, document in documents.items():
        pairs[key] += [document.became.key] if document.became else []
        pairs[key] += [draft.key for draft in document.drafts.all()]
    return documents, pairs


def _present(hit: dict, q: str, document: Resolution | None, pairs: dict, by_key: dict) -> dict:
    key, language, anchor = hit["resolution"], hit["language"], hit["anchor"]
    own = by_key.get((key, language, anchor), {})
    other_language = "en" if language == "zh" else "zh"
    other_key = next((k for k in pairs.get(key, [key]) if (k, other_language, anchor) in by_key), None)
    other = by_key.get((other_key, other_language, anchor)) if other_key else None
    became = document.became if document and document.became_id else None
    return hit | {
        # Escaped by the engine's highlighter: only its own <mark> is markup.
        "snippet_html": mark_safe(hit["snippet"]),
        "lang": html_lang(language),
        "language_name": language_name(language),
        "label_en": own.get("label") or hit["label"],
        "label_zh": own.get("label_zh") or hit["label"],
        "page_url": paragraph_url(key, anchor, lang=language, q=q),
        "text_key": own.get("text") or hit["snippet"],
        "source_url": official_url(hit["symbol"], language),
        # Never the internal key: the symbol, or what the document is.
        "document": str(document) if document else hit["symbol"] or key,
        "described": _described(document),
        "became": became
        and {
            "name": str(became),
            "date": became.adopted_on,
            "url": paragraph_url(became.key, anchor, lang=language),
        },
        "other": other
        and {
            "text": other["text"],
            "lang": html_lang(other_language),
            "name": language_name(other_language),
            "url": paragraph_url(other_key, anchor, lang=other_language),
            "from_pair": other_key != key,
        },
    }


SHOWN_PER_DOCUMENT = 3


def group_hits(presented: list[dict], q: str) -> list[dict]:
    """One entry per document, in the order of its best paragraph, with its paragraphs of
    this page beneath (at most three, then "N more in this document"); a paragraph whose
    very words a document above already showed is named under that one ("also in …")."""
    interface = "zh" if (get_language() or "").startswith("zh") else "en"
    groups: dict[str, dict] = {}
    first_with_text: dict[str, dict] = {}
    for hit in presented:
        key = hit["resolution"]
        earlier = first_with_text.get(hit["text_key"])
        if earlier is not None and earlier["resolution"] != key:
            earlier["also_in"].append({"document": hit["document"], "url": hit["page_url"]})
            continue
        first_with_text.setdefault(hit["text_key"], hit)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "document": hit["document"],
                "described": hit["described"],
                "date": hit["date"],
                "title": hit["title"],
                "lang": hit["lang"],
                "became": hit["became"],
                "url": paragraph_url(key, "", q=q).rstrip("#"),
                "hits": [],
                "matches": hit["in_document"],
            }
        hit["label"] = re.sub(r"^执行部分", "", hit["label_zh"]) if interface == "zh" else un_label(hit)
        hit["also_in"] = []
        if len(group["hits"]) < SHOWN_PER_DOCUMENT:
            group["hits"].append(hit)
    for group in groups.values():
        group["more"] = max(0, group["matches"] - len(group["hits"]))
        group["more_url"] = group["url"]
    return list(groups.values())


def _described(document: Resolution | None) -> str:
    """ "General Assembly resolution · Third Committee" for the line under a document's name."""
    if document is None:
        return ""
    kind = str(DOC_TYPE_NAMES.get(document.doc_type, document.doc_type))
    parts = [f"{BODY_NAMES[document.body]} {kind.lower()}" if document.body in BODY_NAMES else kind]
    if document.committee_name():
        parts.append(document.committee_name())
    return " · ".join(parts)


def _facet_names() -> dict:
    """What each facet (and filter) is called, in the interface language."""
    return {
        "language": _("Language"),
        "body": _("Body"),
        "session": _("Session"),
        "committee": _("Committee"),
        "year": _("Year"),
        "doc_type": _("Document type"),
        "kind": _("Paragraph kind"),
        "wording": _("Wording"),
    }


VALUE_LABELS = LANGUAGE_NAMES | DOC_TYPE_NAMES | KIND_NAMES | BODY_NAMES | COMMITTEE_NAMES | WORDING_NAMES


def facet_links(facets: dict, q: str, **options) -> list[dict]:
    """Return each facet's values with counts, linked to the query narrowed by that value."""
    names = _facet_names()
    values = VALUE_LABELS
    groups = []
    for name, counts in facets.items():
        if not counts or name not in names:
            continue
        prefix = FACET_FILTERS.get(name)
        items = list(counts.items())
        if name in ("session", "year"):  # newest first, as a reader looks them up
            # (An Economic and Social Council session is a year: after the Assembly's.)
            items.sort(
                key=lambda item: (int(item[0]) >= 1946, -int(item[0])) if str(item[0]).isdigit() else (2, 0)
            )
        if name == "wording":  # "only paragraphs with new wording" first; untraced ones unnamed
            items = sorted((item for item in items if item[0]), key=lambda item: item[0] != "new")
        links = [_facet_value(name, prefix, value, count, q, values, options) for value, count in items]
        groups.append({"name": names[name], "values": links})
    return groups


def _facet_value(name, prefix, value, count: int, q: str, labels: dict, options: dict) -> dict:
    return {
        "label": session_label(str(value)) if name == "session" else labels.get(str(value), str(value)),
        "count": count,
        "url": search_url(f"{q} {prefix}:{value}", **options) if prefix else None,
        "active": bool(prefix) and f"{prefix}:{value}".lower() in q.lower().split(),
    }


def filter_chips(q: str, **options) -> list[dict]:
    """The filters of a query as chips: what each says, and the search without it."""
    names = {v: k for k, v in FACET_FILTERS.items()} | {"symbol": "symbol"}
    titles = _facet_names() | {"symbol": _("Symbol")}
    labels = VALUE_LABELS
    chips = []
    for match in FILTER.finditer(q):
        token = match.group(0).strip()
        negative, (prefix, _sep, value) = token.startswith("-"), token.lstrip("-").partition(":")
        name = names.get(prefix.lower())
        if name is None:
            continue  # not a filter: searched as words, and said so elsewhere
        value = value.strip('"')
        shown = labels.get(value.upper() if name in ("body", "committee") else value.lower())
        if name == "session":
            shown = session_label(session_number(value) or value)
        elif name == "year" and re.fullmatch(r"(?:\d{4})?(?:\.\.|-|–)(?:\d{4})?", value):
            shown = value.replace("..", "–")
        without = (q[: match.start()] + " " + q[match.end() :]).strip()
        chips.append(
            {
                "label": f"{titles[name]}: {'− ' if negative else ''}{shown or value}",
                "remove_url": search_url(re.sub(r"\s+", " ", without), **options),
            }
        )
    return chips


def suggestions(q: str) -> list[dict]:
    """Return searches derived from `q` that do find something, with their counts."""
    without_filters = FILTER.sub(" ", q).strip()
    candidates = []
    if without_filters and without_filters != q.strip():
        candidates.append((_("Without the filters"), without_filters))
    if '"' in q:
        candidates.append((_("Without quotes"), q.replace('"', "")))
    words = without_filters.replace('"', " ").split()
    if len(words) > 1:
        candidates += [(_("Fewer words"), word) for word in words[:5]]
    found = []
    for label, candidate in candidates:
        total = search_paragraphs(candidate, per_page=1)["total"]
        if total and candidate not in (f["q"] for f in found):
            found.append({"label": label, "q": candidate, "total": total, "url": search_url(candidate)})
    return found
