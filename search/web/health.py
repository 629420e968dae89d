"""The health check that load balancers and monitors ask: can this worker answer searches?"""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search.engine.index import index_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the database and the index both work, 503 otherwise, with the index's lag."""
    database = _database_state()
    index = _index_state()
    serving = database == "ok" and index["serving"]
    body = {
        "status": "ok" if serving else "unavailable",
        "database": database,
        "index": {key: index[key] for key in ("serving", "applied", "latest", "lag", "error")},
    }
    return JsonResponse(body, status=200 if serving else 503)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    # A health check reports every failure, by its class, instead of answering 500.
    except Exception as error:
        return type(error).__name__
    return "ok"


def _index_state() -> dict:
    try:
        return index_status()
    except Exception as error:
        return {"serving": False, "applied": None, "latest": None, "lag": None, "error": type(error).__name__}
