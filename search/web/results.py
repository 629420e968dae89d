"""What the search page and the API show around `search_paragraphs`: links, labels in both
languages, the same paragraph in the other language, and facet links."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search.engine.agenda import filter_term, shown_item, split_term
from search.engine.query import FILTER_NAMES, ParsedQuery, TypedFilter, filter_value
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
    interface_language,
    language_name,
    session_label,
)
from search.parsing import official_url, session_number
from search.web.citing import un_label
from search.web.mandates import addressee_label, addressee_names, deliverable_label, due_label

# Searches that find something in the corpus, offered on the empty page.
EXAMPLES = ["器官移植", "trafficking in persons", '"organ removal"', "贩运人口 lang:zh", "A/RES/71/322"]


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
    page, pages = found["page"], max(1, -(-found["wordings"] // found["per_page"]))  # a wording a hit

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
            "same_wording": [
                other
                | {"url": request.build_absolute_uri(paragraph_url(other["resolution"], other["anchor"]))}
                for other in hit["same_wording"]
            ],
        }
        for hit in hits
    ]


def present_hits(hits: list[dict], q: str) -> list[dict]:
    """Add both labels, a link that keeps the query marked, the document's name, what a
    draft became, and the same paragraph in the other language (from the draft or the
    adopted resolution of the pair when this document has only one language)."""
    documents, pairs = _documents_and_pairs({h["resolution"] for h in hits})
    by_key = _stored_paragraphs(hits, pairs)
    names = document_names([other for hit in hits for other in hit.get("same_wording", [])])
    return [
        _present(hit, q, documents.get(hit["resolution"]), pairs, by_key) | _same_wording(hit, q, names)
        for hit in hits
    ]


def _same_wording(hit: dict, q: str, names: dict[str, str]) -> dict:
    """The matching paragraphs of other documents with this one's wording, which the search
    shows once (here): each linked, and how many more there are."""
    listed = hit.get("same_wording", [])
    also = [
        {
            "document": names[other["resolution"]],
            "label": other["label"],
            "url": paragraph_url(other["resolution"], other["anchor"], lang=other["language"], q=q),
        }
        for other in listed
    ]
    return {"also_in": also, "also_more": hit.get("same_wording_count", 0) - len(listed)}


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


def _stored_paragraphs(hits: list[dict], pairs: dict[str, list[str]]) -> dict[tuple, dict]:
    """The paragraphs at the hits' anchors in the hits' documents and their pairs, by
    (document key, language, anchor)."""
    found = (
        Paragraph.objects.filter(
            version__resolution__key__in={k for ks in pairs.values() for k in ks},
            anchor__in={h["anchor"] for h in hits},
        )
        .order_by()  # looked up by key: the model's ordering would only sort them
        .values("version__resolution__key", "version__language", "anchor", "label", "label_zh", "text")
    )
    return {(p["version__resolution__key"], p["version__language"], p["anchor"]): p for p in found}


def _present(hit: dict, q: str, document: Resolution | None, pairs: dict, by_key: dict) -> dict:
    key, language, anchor = hit["resolution"], hit["language"], hit["anchor"]
    own = by_key.get((key, language, anchor), {})
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
        "document": _document_name(document, hit),
        "described": _described(document),
        "became": _became(document, anchor, language),
        "other": _in_other_language(hit, pairs, by_key),
    }


def _document_name(document: Resolution | None, hit: dict) -> str:
    """Never the internal key: the symbol, or what the document is."""
    if document is None:
        return hit["symbol"] or hit["resolution"]
    return str(document)


def _became(document: Resolution | None, anchor: str, language: str) -> dict | None:
    """The resolution a draft became, linked at the same paragraph."""
    became = document.became if document and document.became_id else None
    if became is None:
        return None
    return {
        "name": str(became),
        "date": became.adopted_on,
        "url": paragraph_url(became.key, anchor, lang=language),
    }


def _in_other_language(hit: dict, pairs: dict[str, list[str]], by_key: dict) -> dict | None:
    """The same paragraph in the other language: the document's own, else its pair's."""
    key, anchor = hit["resolution"], hit["anchor"]
    language = "en" if hit["language"] == "zh" else "zh"
    other_key = next((k for k in pairs.get(key, [key]) if (k, language, anchor) in by_key), None)
    if other_key is None:
        return None
    return {
        "text": by_key[(other_key, language, anchor)]["text"],
        "lang": html_lang(language),
        "name": language_name(language),
        "url": paragraph_url(other_key, anchor, lang=language),
        "from_pair": other_key != key,
    }


SHOWN_PER_DOCUMENT = 3


def group_hits(presented: list[dict], q: str) -> list[dict]:
    """One entry per document, in the order of its best paragraph, with its paragraphs of
    this page beneath (at most three, then "N more in this document"); a paragraph whose
    very words a document above already showed is named under that one ("also in …")."""
    interface = interface_language()
    groups: dict[str, dict] = {}
    first_with_text: dict[str, dict] = {}
    for hit in presented:
        key = hit["resolution"]
        earlier = first_with_text.setdefault(hit["text_key"], hit)
        if earlier["resolution"] != key:
            earlier["also_in"].append({"document": hit["document"], "label": "", "url": hit["page_url"]})
            continue
        if key not in groups:
            groups[key] = _document_group(hit, q)
        group = groups[key]
        hit["label"] = re.sub(r"^执行部分", "", hit["label_zh"]) if interface == "zh" else un_label(hit)
        if len(group["hits"]) < SHOWN_PER_DOCUMENT:
            group["hits"].append(hit)
    for group in groups.values():
        group["more"] = max(0, group["matches"] - len(group["hits"]))
    return list(groups.values())


def _document_group(hit: dict, q: str) -> dict:
    """A document's entry in the results, from its best paragraph; its hits are added after."""
    url = paragraph_url(hit["resolution"], "", q=q).rstrip("#")
    return {
        "document": hit["document"],
        "described": hit["described"],
        "date": hit["date"],
        "title": hit["title"],
        "lang": hit["lang"],
        "became": hit["became"],
        "url": url,
        "hits": [],
        "matches": hit["in_document"],
        "more_url": url,
    }


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
        "vote": _("Adopted"),
        "contested": _("Separate vote"),
        "sponsor": _("Main sponsor"),
        "agenda": _("Agenda item"),
        "asks": _("Asks"),
        "deliverable": _("Deliverable"),
        "due": _("Due"),
    }


# The proceedings' facets (engine.index): how a resolution was adopted, a paragraph put to a vote.
PROCEEDINGS_NAMES = {
    "recorded": gettext_lazy("by a recorded vote"),
    "none": gettext_lazy("without a vote"),
    "yes": gettext_lazy("put to a separate vote"),
}
VALUE_LABELS = (
    LANGUAGE_NAMES
    | DOC_TYPE_NAMES
    | KIND_NAMES
    | BODY_NAMES
    | COMMITTEE_NAMES
    | WORDING_NAMES
    | PROCEEDINGS_NAMES
)


def session_order(session: str) -> tuple:
    """Sort the Assembly's sessions newest first, then Economic and Social Council
    sessions (years), newest first, then the rest."""
    if session.isdigit():
        return (int(session) >= 1946, -int(session))
    return (2,)


def facet_links(facets: dict, query: ParsedQuery, titles: dict | None = None, **options) -> list[dict]:
    """Return each facet's values with counts, linked to the query narrowed by that value;
    `titles` are the agenda items' (search_paragraphs' "agenda_items")."""
    names = _facet_names()
    sessions = {split_term(term)[0] for term in facets.get("agenda", {})}
    labels = {"agenda": lambda term: agenda_label(term, titles or {}, len(sessions) > 1)}
    asked = addressee_names(facets.get("asks", {}))
    labels |= {"asks": asked.get, "deliverable": deliverable_label, "due": due_label}
    return [
        {
            "name": names[name],
            "values": [
                _facet_value(name, value, count, query, options, labels.get(name))
                for value, count in _ordered(name, counts)
            ],
        }
        for name, counts in facets.items()
        if counts and name in names
    ]


def _ordered(name: str, counts: dict) -> list[tuple]:
    """A facet's (value, count) in the order a reader looks them up: sessions and years
    newest first; "only paragraphs with new wording" first and untraced ones unnamed;
    the rest by count (agenda items as the engine ordered them: by count)."""
    items = list(counts.items())
    if name in ("session", "year"):
        return sorted(items, key=lambda item: session_order(str(item[0])))
    if name == "wording":
        return sorted((item for item in items if item[0]), key=lambda item: item[0] != "new")
    if name in ("vote", "contested"):  # documents the proceedings do not name: unnamed
        return sorted((item for item in items if item[0]), key=lambda item: -item[1])
    return items


def _facet_value(name: str, value, count: int, query: ParsedQuery, options: dict, label=None) -> dict:
    prefix = FILTER_NAMES[name]
    if label:
        shown = label(str(value))
    elif name == "session":
        shown = session_label(str(value))
    else:
        shown = VALUE_LABELS.get(str(value), str(value))
    return {
        "label": shown,
        "count": count,
        "url": search_url(f"{query.typed} {prefix}:{value}", **options),
        "active": query.narrows_by(prefix, str(value)),
    }


def agenda_label(term: str, titles: dict, with_session: bool = True) -> str:
    """ "107 Crime prevention and criminal justice (80th session)" for "80/107": the item as
    the UN writes it, its title in the interface language (else the English), its session."""
    session, item = split_term(term)
    title = titles.get(term, {})
    title = (title.get("zh") or title.get("en", "")) if interface_language() == "zh" else title.get("en", "")
    label = f"{shown_item(item)} {title}".strip()
    if not (session and with_session):
        return label
    return _("%(item)s (%(session)s)") % {"item": label, "session": session_label(session)}


def filter_chips(query: ParsedQuery, titles: dict | None = None, **options) -> list[dict]:
    """The filters of a query as chips: what each says, and the search without it."""
    names = _facet_names() | {"symbol_forms": _("Symbol")}
    return [
        {
            "label": f"{names[typed.field]}: {'− ' if typed.excluded else ''}{_chip_value(typed, titles)}",
            "remove_url": search_url(query.without(typed), **options),
        }
        for typed in query.typed_filters
        if typed.field  # not a filter: searched as words, and said so elsewhere
    ]


def _chip_value(typed: TypedFilter, titles: dict | None) -> str:
    """A filter's value as a chip says it: "Chinese", "74th session", "2014–2019", "107
    Crime prevention and criminal justice (80th session)"."""
    value = typed.value.strip('"')
    if typed.field == "session":
        return session_label(session_number(value) or value)
    if typed.is_year_range:
        return value.replace("..", "–")
    if typed.field == "agenda":
        return agenda_label(filter_term(value), titles or {})
    if typed.field in ("asks", "deliverable", "due"):
        term = filter_value(typed.name, value)
        return {"asks": addressee_label, "deliverable": deliverable_label, "due": due_label}[typed.field](
            term
        )
    return VALUE_LABELS.get(value.upper() if typed.field in ("body", "committee") else value.lower()) or value
