from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from search.models import Resolution


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    resolutions = Resolution.objects.filter(contained_in=None).prefetch_related(
        "texts", "contained__texts"
    )
    return render(request, "search/home.html", {"resolutions": resolutions})
