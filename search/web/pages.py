"""The pages a reader opens: a resolution with its versions side by side."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from search.models import Resolution
from search.web.reading import build_reading


@require_GET
def resolution(request: HttpRequest, key: str) -> HttpResponse:
    resolution = get_object_or_404(
        Resolution.objects.select_related("became", "contained_in", "annex_adopted_as").prefetch_related(
            "texts", "drafts__texts", "became__texts", "contained__texts", "annex_of"
        ),
        key=key,
    )
    reading = build_reading(
        resolution,
        lang=request.GET.get("lang"),
        view=request.GET.get("view"),
        q=request.GET.get("q", ""),
        interface=request.LANGUAGE_CODE,
        base_url=request.build_absolute_uri("/")[:-1],
    )
    return render(request, "search/resolution.html", {"resolution": resolution, "reading": reading})
