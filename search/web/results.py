"""What the search page shows around `search_paragraphs`: labels in both languages,
the same paragraph in the other language, facet links and what to try instead."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from search.engine.query import search_paragraphs
from search.models import Paragraph
from search.web.reading import html_lang, language_name

# Searches that find something in the corpus, offered on the empty page.
EXAMPLES = ["器官移植", "trafficking in persons", '"organ removal"', "贩运人口 lang:zh", "A/RES/71/322"]
FILTER = re.compile(r'(?:^|\s)-?[a-z]+:(?:"[^"]*"|\S+)', re.I)
FACET_FILTERS = {"language": "lang", "body": "body", "year": "year", "kind": "kind"}


def search_url(q: str, page: int = 1) -> str:
    params = {"q": q}
    if page > 1:
        params["page"] = page
    return "/?" + urlencode(params)


def present_hits(hits: list[dict], q: str) -> list[dict]:
    """Add both labels, a link that keeps the query marked, and the other language's text."""
    keys = {h["resolution"] for h in hits}
    anchors = {h["anchor"] for h in hits}
    found = Paragraph.objects.filter(version__resolution__key__in=keys, anchor__in=anchors).values(
        "version__resolution__key", "version__language", "anchor", "label", "label_zh", "text"
    )
    by_key = {(p["version__resolution__key"], p["version__language"], p["anchor"]): p for p in found}
    presented = []
    for hit in hits:
        own = by_key.get((hit["resolution"], hit["language"], hit["anchor"]), {})
        other_language = "en" if hit["language"] == "zh" else "zh"
        other = by_key.get((hit["resolution"], other_language, hit["anchor"]))
        presented.append(
            hit
            | {
                # Escaped by search_paragraphs: only its own <mark> is markup.
                "snippet_html": mark_safe(hit["snippet"]),
                "lang": html_lang(hit["language"]),
                "language_name": language_name(hit["language"]),
                "label_en": own.get("label") or hit["label"],
                "label_zh": own.get("label_zh") or hit["label"],
                "page_url": f"/r/{hit['resolution']}/?{urlencode({'lang': hit['language'], 'q': q})}#{hit['anchor']}",
                "other": other
                and {
                    "text": other["text"],
                    "lang": html_lang(other_language),
                    "name": language_name(other_language),
                    "url": f"/r/{hit['resolution']}/?lang={other_language}#{hit['anchor']}",
                },
            }
        )
    return presented


def facet_links(facets: dict, q: str) -> list[dict]:
    """Return each facet's values with counts, linked to the query narrowed by that value."""
    names = {
        "language": _("Language"),
        "body": _("Body"),
        "year": _("Year"),
        "doc_type": _("Document type"),
        "kind": _("Paragraph kind"),
    }
    values = {
        "zh": _("Chinese"),
        "en": _("English"),
        "resolution": _("Resolution"),
        "draft_resolution": _("Draft resolution"),
        "report": _("Report"),
        "preambular": _("Preambular"),
        "operative": _("Operative"),
        "annex": _("Annex"),
        "GA": _("General Assembly"),
        "ECOSOC": _("Economic and Social Council"),
    }
    groups = []
    for name, counts in facets.items():
        if not counts or name not in names:
            continue
        prefix = FACET_FILTERS.get(name)
        groups.append(
            {
                "name": names[name],
                "values": [
                    {
                        "label": values.get(str(value), str(value)),
                        "count": count,
                        # Document type cannot be a filter of the query language: counts only.
                        "url": search_url(f"{q} {prefix}:{value}") if prefix else None,
                        "active": bool(prefix) and f"{prefix}:{value}".lower() in q.lower().split(),
                    }
                    for value, count in counts.items()
                ],
            }
        )
    return groups


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
