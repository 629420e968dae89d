from django.contrib import admin
from django.urls import include, path

from search.web import health, protection, views

urlpatterns = [
    path("", views.home, name="home"),
    path("api/search", views.api_search, name="api_search"),
    # Keys contain slashes (A/RES/71/322, <report>/draft-1): `path` takes them whole.
    path("export.csv", views.export_results, name="export_results"),
    # Before the page itself: a key never ends in /export.csv or /export.tmx.
    path("r/<path:key>/export.<str:fmt>", views.export_document, name="export_document"),
    path("r/<path:key>/", views.resolution, name="resolution"),
    path("compare/", views.compare, name="compare"),
    # The addresses keep the word of their first links; the pages are about agreed language.
    path("lineage/", views.agreed_language_page, name="agreed_language"),
    path("api/lineage", views.api_agreed_language, name="api_agreed_language"),
    path("api/proceedings", views.api_proceedings, name="api_proceedings"),
    # What resolutions ask for a session of the General Assembly: /due/81/, /api/due?session=81
    path("due/", views.due_page, name="due_sessions"),
    path("due/<str:session>/", views.due_page, name="due"),
    path("due/<str:session>/export.csv", views.export_due, name="export_due"),
    path("api/due", views.api_due, name="api_due"),
    path("api/asks", views.api_asks, name="api_asks"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A request Django refuses to read (too many files or fields, a malformed form): which
# limit, in words, rather than a bare "Bad Request".
handler400 = protection.bad_request
