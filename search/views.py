from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from search.models import Resolution
from search.query import search_paragraphs


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    resolutions = Resolution.objects.filter(contained_in=None).prefetch_related(
        "texts", "contained__texts"
    )
    return render(request, "search/home.html", {"resolutions": resolutions})


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("q", "")
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    return JsonResponse(search_paragraphs(q, page=page), json_dumps_params={"ensure_ascii": False})
