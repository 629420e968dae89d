"""Function views: bind the search form, call the engine or a presenter, render."""

import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from search.engine.index import IndexUnavailable
from search.engine.query import parse_query
from search.engine.searching import search_paragraphs
from search.models import Paragraph, Resolution, interface_language
from search.web import agreed_language, amendments, comparing, exports, mandates, proceedings
from search.web.browse import browse
from search.web.caching import cached_part
from search.web.forms import DEFAULTS, PER_PAGE_CHOICES, SORT_CHOICES, SearchForm
from search.web.reading import build_reading, cited_by
from search.web.results import (
    EXAMPLES,
    api_hits,
    api_links,
    facet_links,
    filter_chips,
    group_hits,
    page_links,
    present_hits,
    search_url,
)
from search.web.suggesting import suggestions


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Search paragraphs; with no query, offer examples and the list of resolutions."""
    form = SearchForm(request.GET)
    q, page = form.values()
    context = {"q": q, "examples": [{"q": e, "url": search_url(e)} for e in EXAMPLES]}
    if q:
        try:
            return _results(request, context, q, page, form.options())
        except IndexUnavailable:
            return render(request, "search/unavailable.html", context, status=503)
    context["sessions"] = browse()
    return _render_search(request, context)


def _results(request: HttpRequest, context: dict, q: str, page: int, options: dict) -> HttpResponse:
    query = parse_query(q)  # read once: the engine and every presenter take it as read
    found = search_paragraphs(query, page=page, **options)
    pages = max(1, -(-found["wordings"] // found["per_page"]))  # a wording shown once
    if page > pages:  # past the last page (an old link, a typed number): show the last
        page = pages
        found = search_paragraphs(query, page=page, **options)
    context |= {
        "found": found,
        "hits": group_hits(present_hits(found["hits"], q), q),
        "facets": facet_links(found["facets"], query, found["agenda_items"], **options),
        "chips": filter_chips(query, found["agenda_items"], **options),
        "options": options,
        # What the sort and page size controls show: the defaults where none was asked for.
        "order": {
            "sort": options.get("sort", DEFAULTS["sort"]),
            "per_page": options.get("per_page", DEFAULTS["per_page"]),
            "sorts": SORT_CHOICES,
            "sizes": PER_PAGE_CHOICES,
        },
        "suggestions": suggestions(query, found),
        "previous_url": search_url(q, page - 1, **options) if page > 1 else None,
        "next_url": search_url(q, page + 1, **options) if page < pages else None,
        "pages": pages,
        "page_links": page_links(q, page, pages, **options),
    }
    return _render_search(request, context)


def _render_search(request: HttpRequest, context: dict) -> HttpResponse:
    return _render_page_or_part(request, "search/home.html", "search/_results.html", context)


def _render_page_or_part(request: HttpRequest, page: str, part: str, context: dict) -> HttpResponse:
    # htmx asking for a part gets it alone; boosted links and history restores need the page.
    partial = request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request)
    response = render(request, part if partial else page, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    """The search as JSON; parameters that are not valid get a 400 saying why."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.error_text()}, status=400)
    q, page = form.values()
    options = form.options()
    try:
        found = search_paragraphs(q, page=page, **options)
    except IndexUnavailable as error:
        return JsonResponse({"error": f"search is unavailable: {error}; try again in a minute"}, status=503)
    found["hits"] = api_hits(request, found["hits"])
    found["links"] = api_links(request, q, found, **options)
    return JsonResponse(found, json_dumps_params={"ensure_ascii": False})


@require_GET
def export_results(request: HttpRequest) -> HttpResponse:
    """The results of a query as CSV."""
    q, _ = SearchForm(request.GET).values()
    try:
        body = exports.results_csv(request, q)
    except IndexUnavailable:
        return render(request, "search/unavailable.html", {"q": q}, status=503)
    return _download(body.encode(), "text/csv; charset=utf-8", "results.csv")


@require_GET
def export_document(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """A document's two languages side by side, as CSV or TMX."""
    if fmt not in ("csv", "tmx"):
        raise Http404("no such format")
    resolution = get_object_or_404(_documents(), key=key)
    reading = build_reading(
        resolution,
        lang=None,
        view="both",
        query=parse_query(""),
        interface=request.LANGUAGE_CODE,
        base_url=request.build_absolute_uri("/")[:-1],
    )
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", resolution.symbol or resolution.key)
    if fmt == "csv":
        return _download(exports.document_csv(reading).encode(), "text/csv; charset=utf-8", f"{name}.csv")
    return _download(exports.document_tmx(reading, resolution), "application/x-tmx+xml", f"{name}.tmx")


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _documents():
    return Resolution.objects.select_related("became", "contained_in", "annex_adopted_as").prefetch_related(
        "texts", "drafts__texts", "became__texts", "contained__texts", "annex_of"
    )


@require_GET
def resolution(request: HttpRequest, key: str) -> HttpResponse:
    """One document: a language version, or both side by side, with the query's matches marked;
    a page of what cites it alone for htmx (its "Cited by" pages)."""
    q, _ = SearchForm(request.GET).values()
    lang, view, page = (request.GET.get(name) for name in ("lang", "view", "cited"))
    if _asks_for_part(request, "cited-by"):
        part = cited_by(get_object_or_404(Resolution, key=key), page, lang=lang, view=view, q=q)
        response = render(request, "search/_cited_by.html", {"cited_by": part})
    else:
        base_url = request.build_absolute_uri("/")[:-1]

        def build() -> dict:
            resolution = get_object_or_404(_documents(), key=key)
            reading = build_reading(
                resolution,
                lang=lang,
                view=view,
                query=parse_query(q),
                interface=request.LANGUAGE_CODE,
                base_url=base_url,
                cited_page=page,
            )
            context = {"resolution": resolution, "reading": reading}
            return {"title": str(resolution), "document": render_to_string("search/_document.html", context)}

        # Without a query the page is a function of stored rows: built once per state of
        # the data. A query's marks come from the index: built each time.
        parts = (key, lang, view, page, request.LANGUAGE_CODE, base_url)
        page_parts = build() if q else cached_part("document", parts, build)
        response = render(request, "search/resolution.html", page_parts)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _asks_for_part(request: HttpRequest, target: str) -> bool:
    # Boosted links and history restores need the whole page.
    htmx = request.htmx
    return bool(htmx) and htmx.target == target and not (htmx.boosted or htmx.history_restore_request)


def _paragraph(request: HttpRequest) -> Paragraph | None:
    """The paragraph ?key=<document key>&lang=en|zh&anchor=<anchor> names, if it is here."""
    return (
        Paragraph.objects.select_related("version__resolution")
        .filter(
            version__resolution__key=request.GET.get("key", ""),
            version__language=request.GET.get("lang", ""),
            anchor=request.GET.get("anchor", ""),
        )
        .first()
    )


@require_GET
def agreed_language_page(request: HttpRequest) -> HttpResponse:
    """Where a paragraph's wording comes from, a page of uses at a time; the list alone for
    htmx (the resolution page). A page past the last shows the last."""
    paragraph = _paragraph(request)
    if paragraph is None:
        return render(request, "search/agreed_language.html", {"problem": "missing"}, status=404)
    found = agreed_language.cached_agreed_language(paragraph)
    number, _ = agreed_language.page_number(request.GET.get("page"), found)
    page = agreed_language.cached_page(found, number)
    context = {"agreed_language": found, "page": page, "resolution": paragraph.version.resolution}
    return _render_page_or_part(
        request, "search/agreed_language.html", "search/_agreed_language.html", context
    )


@require_GET
def api_agreed_language(request: HttpRequest) -> JsonResponse:
    """A paragraph's agreed language as JSON, a page of uses at a time: ?key=&lang=&anchor=[&page=]."""
    paragraph = _paragraph(request)
    if paragraph is None:
        return JsonResponse({"error": "no such paragraph: give key, lang (en or zh) and anchor"}, status=404)
    found = agreed_language.cached_agreed_language(paragraph)
    number, wrong = agreed_language.page_number(request.GET.get("page"), found)
    if wrong:
        return JsonResponse({"error": wrong}, status=400)
    data = agreed_language.api_data(
        agreed_language.cached_page(found, number), request.build_absolute_uri("/")[:-1]
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _document_asked(request: HttpRequest) -> tuple[Resolution, str] | JsonResponse:
    """The document ?key= names and the language ?lang= asks for (else the interface's), or
    the answer that says which is wrong."""
    resolution = Resolution.objects.filter(key=request.GET.get("key", "")).first()
    if resolution is None:
        return JsonResponse({"error": "no such document: give key, e.g. A/RES/80/192"}, status=404)
    language = request.GET.get("lang") or interface_language()
    if language not in ("en", "zh"):
        return JsonResponse({"error": f"lang must be en or zh, not {language[:20]!r}"}, status=400)
    return resolution, language


@require_GET
def api_proceedings(request: HttpRequest) -> JsonResponse:
    """A document's proceedings as JSON (?key=[&lang=en|zh]): how it was adopted, its main
    sponsors, its stages with their votes, and the separate votes by paragraph anchor; what
    it does when it is an amendment, and the amendments proposed to it when it is a draft,
    each read in `lang` (else the interface's) where that version is here; null when none."""
    asked = _document_asked(request)
    if isinstance(asked, JsonResponse):
        return asked
    resolution, language = asked
    base_url = request.build_absolute_uri("/")[:-1]
    data = {
        "key": resolution.key,
        "symbol": resolution.symbol,
        "url": request.build_absolute_uri(resolution.get_absolute_url()),
        "proceedings": proceedings.api_data(proceedings.proceedings_of(resolution)),
    }
    data |= amendments.api_data(resolution, language, base_url)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Two versions side by side, paired by wording: ?from=<key>&to=<key>[&lang=en|zh]."""
    first = Resolution.objects.filter(key=request.GET.get("from", "")).first()
    second = Resolution.objects.filter(key=request.GET.get("to", "")).first()
    if first is None or second is None:
        return render(request, "search/compare.html", {"problem": "missing"}, status=404)
    texts = [{t.language: t for t in r.texts.all()} for r in (first, second)]
    shared = [language for language in ("en", "zh") if language in texts[0] and language in texts[1]]
    asked = request.GET.get("lang") or ("zh" if request.LANGUAGE_CODE.startswith("zh") else "en")
    context = {"first": first, "second": second, "shared": shared}
    if not shared:
        return render(request, "search/compare.html", context | {"problem": "no_language"})
    language = asked if asked in shared else shared[0]
    comparison = comparing.cached_compare(texts[0][language], texts[1][language])
    context |= {"language": language, "comparison": comparison, "pairs": comparison.pairs}
    # Beside each pair, what the amendments proposed to the first (a draft) did there.
    notes = amendments.beside_comparison(first, texts[1][language], language, comparison.pairs)
    context["rows"] = list(zip(comparison.pairs, notes, strict=True))
    return render(request, "search/compare.html", context | {"counts": comparison.counts})


@require_GET
def due_page(request: HttpRequest, session: str = "") -> HttpResponse:
    """Every report and agenda item adopted resolutions ask for a session of the General
    Assembly, grouped by addressee (/due/81/); /due/ lists the sessions something is due at."""
    if not session:
        sessions = cached_part("due-sessions", (request.LANGUAGE_CODE,), mandates.due_sessions)
        return render(request, "search/due.html", {"sessions": sessions})
    number = mandates.session_in_range(session)
    if number is None:
        context = {"problem": session[:40], "first": mandates.FIRST_SESSION, "last": mandates.LAST_SESSION}
        return render(request, "search/due.html", context, status=404)
    due = cached_part("due", (number, request.LANGUAGE_CODE), lambda: mandates.due_at(number))
    return render(request, "search/due.html", {"due": due})


@require_GET
def api_asks(request: HttpRequest) -> JsonResponse:
    """What a document asks, paragraph by paragraph, as JSON (?key=[&lang=en|zh]): each
    mandate with its action, addressee, deliverable, due date, clause and where it was
    first given, read from its `lang` version (else the interface's) where that is here."""
    asked = _document_asked(request)
    if isinstance(asked, JsonResponse):
        return asked
    resolution, language = asked
    texts = {text.language: text for text in resolution.texts.all()}
    text = texts.get(language) or next(iter(texts.values()), None)
    base_url = request.build_absolute_uri("/")[:-1]
    data = {"key": resolution.key, "symbol": resolution.symbol, "language": text.language if text else None}
    parts = (resolution.key, language, request.LANGUAGE_CODE, base_url)
    data["mandates"] = (
        cached_part("api-asks", parts, lambda: mandates.text_asks(text, base_url)) if text else []
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def export_due(request: HttpRequest, session: str) -> HttpResponse:
    """What is due at a session as CSV (/due/81/export.csv), as the page lists it."""
    number = mandates.session_in_range(session)
    if number is None:
        raise Http404("no such session")
    due = cached_part("due", (number, request.LANGUAGE_CODE), lambda: mandates.due_at(number))
    return _download(exports.due_csv(request, due).encode(), "text/csv; charset=utf-8", f"due-{number}.csv")


@require_GET
def api_due(request: HttpRequest) -> JsonResponse:
    """What is due at a session of the General Assembly as JSON (?session=81[&lang=en|zh]):
    the same groups as /due/81/, each entry with an absolute link to its paragraph."""
    number = mandates.session_in_range(request.GET.get("session"))
    if number is None:
        wrong = str(request.GET.get("session", ""))[:40]
        message = (
            "session must be a session of the General Assembly, a whole number from "
            f"{mandates.FIRST_SESSION} to {mandates.LAST_SESSION}, not '{wrong}'"
        )
        return JsonResponse({"error": message}, status=400)
    language = request.GET.get("lang") or interface_language()
    if language not in ("en", "zh"):
        return JsonResponse({"error": f"lang must be en or zh, not '{language[:20]}'"}, status=400)
    # Names in the interface's language, texts in `lang`'s: both in the key.
    parts = (number, language, request.LANGUAGE_CODE)
    due = cached_part("api-due", parts, lambda: mandates.due_at(number, language))
    base = request.build_absolute_uri("/")[:-1]
    groups = [
        {
            "addressee": group["key"],
            "name": group["name"],
            "items": [
                {k: v for k, v in item.items() if k not in ("url", "first_given_url")}
                | {
                    "url": base + item["url"],
                    "first_given_url": base + item["first_given_url"] if item["first_given_url"] else None,
                }
                for item in group["items"]
            ],
        }
        for group in due["groups"]
    ]
    data = {
        "session": number,
        "label": str(due["label"]),
        "items": due["items"],
        "resolutions": due["resolutions"],
        "truncated": due["truncated"],
        "groups": groups,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
