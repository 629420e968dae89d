from unittest import mock

from django.db import OperationalError
from django.test import override_settings


def test_it_answers_200_with_the_database_and_the_index_serving(client, corpus):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    index = body["index"]
    assert index["serving"] is True
    assert index["error"] is None
    assert isinstance(index["applied"], int)
    assert isinstance(index["latest"], int)
    assert index["lag"] >= 0


def test_it_answers_503_when_the_index_folder_is_empty(client, db, index_dir):
    assert not any(index_dir.iterdir())

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["index"]["serving"] is False
    assert body["index"]["applied"] is None
    assert body["index"]["error"]


def test_it_answers_503_with_the_error_class_when_the_database_fails(client, corpus):
    broken = mock.Mock()
    broken.cursor.side_effect = OperationalError("connection refused")

    with mock.patch("search.web.health.connection", broken):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"


def test_it_answers_503_when_the_index_status_cannot_be_read(client, corpus):
    with mock.patch("search.web.health.index_status", side_effect=OperationalError("gone")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["index"] == {
        "serving": False,
        "applied": None,
        "latest": None,
        "lag": None,
        "error": "OperationalError",
    }


def test_it_answers_only_get(client, db):
    assert client.post("/healthz").status_code == 405


@override_settings(SECURE_SSL_REDIRECT=True)
def test_it_answers_plain_http_probes_where_pages_redirect_to_https(client, db):
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code in (200, 503)
