from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from search.engine.query import MAX_QUERY, search_paragraphs
from search.models import Resolution
from search.web.results import EXAMPLES, facet_links, present_hits, search_url, suggestions


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Search paragraphs; with no query, offer examples and the list of resolutions."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    page = _page_number(request.GET.get("page"))
    context = {"q": q, "examples": [{"q": e, "url": search_url(e)} for e in EXAMPLES]}
    if q:
        found = search_paragraphs(q, page=page)
        pages = max(1, -(-found["total"] // found["per_page"]))
        context |= {
            "found": found,
            "hits": present_hits(found["hits"], q),
            "facets": facet_links(found["facets"], q),
            "suggestions": [] if found["total"] else suggestions(q),
            "previous_url": search_url(q, page - 1) if page > 1 else None,
            "next_url": search_url(q, page + 1) if page < pages else None,
            "pages": pages,
        }
    else:
        context["resolutions"] = Resolution.objects.filter(contained_in=None).prefetch_related(
            "texts", "contained__texts"
        )
    # Typing asks for the results alone; boosted links and history restores need the page.
    partial = request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request)
    response = render(request, "search/_results.html" if partial else "search/home.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 1000)
    except ValueError:
        return 1


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("q", "")
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    return JsonResponse(search_paragraphs(q, page=page), json_dumps_params={"ensure_ascii": False})
