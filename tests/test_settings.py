"""Settings read from the environment, each defaulting to its safe value."""

import os
import re
import runpy
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.utils import get_random_secret_key
from django.test import override_settings

SETTINGS_FILE = settings.BASE_DIR / "search" / "settings.py"

# docs/serving.md, "A production node": `manage.py check --deploy` finds nothing to say.
PRODUCTION = {
    "SECRET_KEY": get_random_secret_key(),
    "ALLOWED_HOSTS": "search.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://search.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "DATABASE_URL": "postgres://un_search:secret@db.example.org:5432/un_search",
    "INDEX_DIR": "/srv/un-search/index",
    "STATIC_ROOT": "/srv/un-search/static",
}

READ = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_PATH",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "USE_X_FORWARDED_FOR",
    "PROBE_BIND",
]


@pytest.fixture
def load(monkeypatch):
    """Return a function that evaluates search/settings.py afresh with only the given variables."""

    def load_settings(**env: str) -> dict:
        for name in READ:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load_settings


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(load):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        load()


def test_it_turns_debug_on_only_when_the_environment_says_so(load):
    assert load(SECRET_KEY="k")["DEBUG"] is False
    development = load(DEBUG="1")
    assert development["DEBUG"] is True
    assert development["SECRET_KEY"].startswith("dev-insecure")


def test_it_refuses_an_on_off_value_it_cannot_read(load):
    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture': use 1 or 0"):
        load(DEBUG="ture")


def test_it_uses_https_without_debug_and_plain_http_with_it(load):
    production = load(**PRODUCTION)
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["ALLOWED_HOSTS"] == ["search.example.org"]
    assert production["CSRF_TRUSTED_ORIGINS"] == ["https://search.example.org"]

    development = load(DEBUG="1")
    assert development["SECURE_SSL_REDIRECT"] is False
    assert development["SESSION_COOKIE_SECURE"] is False
    assert development["SECURE_HSTS_SECONDS"] == 0
    assert "SECURE_PROXY_SSL_HEADER" not in development
    assert development["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_it_locks_sign_ins_out_after_five_failures_for_fifteen_minutes_unless_told_otherwise(load):
    default = load(SECRET_KEY="k")
    assert default["AXES_FAILURE_LIMIT"] == 5
    assert default["AXES_COOLOFF_TIME"] == timedelta(minutes=15)
    assert default["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert default["USE_X_FORWARDED_FOR"] is False

    chosen = load(
        SECRET_KEY="k", LOGIN_FAILURE_LIMIT="3", LOGIN_COOLOFF_MINUTES="60", USE_X_FORWARDED_FOR="1"
    )
    assert chosen["AXES_FAILURE_LIMIT"] == 3
    assert chosen["AXES_COOLOFF_TIME"] == timedelta(hours=1)
    assert chosen["USE_X_FORWARDED_FOR"] is True


@pytest.mark.parametrize("value", ["0", "five", "-1", "2.5"])
def test_it_refuses_a_count_it_cannot_read(load, value):
    with pytest.raises(
        ImproperlyConfigured,
        match=f"LOGIN_COOLOFF_MINUTES='{re.escape(value)}': use a whole number, 1 or more",
    ):
        load(SECRET_KEY="k", LOGIN_COOLOFF_MINUTES=value)


def test_it_reads_the_probes_port_from_their_address_and_refuses_one_without_a_port(load):
    assert load(SECRET_KEY="k")["PROBE_PORT"] == ""  # no probes' address: every port serves all
    assert load(SECRET_KEY="k", PROBE_BIND="0.0.0.0:8001")["PROBE_PORT"] == "8001"
    with pytest.raises(ImproperlyConfigured, match="PROBE_BIND='127.0.0.1': use host:port"):
        load(SECRET_KEY="k", PROBE_BIND="127.0.0.1")


def test_it_refuses_a_proxy_header_it_cannot_read(load):
    with pytest.raises(ImproperlyConfigured, match="HTTP_X_FORWARDED_PROTO,https"):
        load(SECRET_KEY="k", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https")


def test_it_uses_sqlite_with_its_locking_options_by_default(load):
    database = load(SECRET_KEY="k")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == settings.BASE_DIR / "db.sqlite3"
    assert database["OPTIONS"] == {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    assert database["TEST"]["NAME"].endswith(f"un-search-test-{os.getpid()}.sqlite3")

    elsewhere = load(SECRET_KEY="k", DATABASE_PATH="/tmp/x.sqlite3")["DATABASES"]["default"]
    assert elsewhere["NAME"] == "/tmp/x.sqlite3"


def test_it_reads_postgresql_from_database_url_without_the_sqlite_options(load):
    url = "postgres://u:p%40ss@db.example.org:6432/un"
    database = load(SECRET_KEY="k", DATABASE_URL=url)["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.example.org", 6432, "un")
    assert (database["USER"], database["PASSWORD"]) == ("u", "p@ss")
    assert database["CONN_MAX_AGE"] == 600
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "transaction_mode" not in database.get("OPTIONS", {})
    assert "NAME" not in database.get("TEST", {})


def test_it_refuses_both_a_database_url_and_a_database_path(load):
    with pytest.raises(ImproperlyConfigured, match="both set"):
        load(SECRET_KEY="k", DATABASE_URL="postgres://u:p@h/n", DATABASE_PATH="/tmp/x.sqlite3")


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "search.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_finds_no_issue_in_the_production_environment(tmp_path):
    # The node's own folders: static files collected as `make serve` does, an index folder.
    env = PRODUCTION | {"STATIC_ROOT": str(tmp_path / "static"), "INDEX_DIR": str(tmp_path / "index")}
    collected = _manage("collectstatic", "--noinput", "-v", "0", env=env)
    assert collected.returncode == 0, collected.stderr

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in result.stderr


def test_the_server_does_not_start_without_a_secret_key():
    result = _manage("check", env={"DEBUG": "0"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


LOGS = """
import logging
import django

django.setup()
logging.getLogger("search.engine.index").info("applied 3 changes")
logging.getLogger("search.engine.index").debug("not shown")
logging.getLogger("django.request").warning("Not Found: /nowhere")
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("django.request").error("Internal Server Error: /", exc_info=True)
"""


def test_it_logs_errors_with_tracebacks_and_the_index_to_stderr_in_a_plain_format():
    result = subprocess.run(
        [sys.executable, "-c", LOGS],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "search.settings", "SECRET_KEY": "k"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    time = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    lines = result.stderr.splitlines()
    assert re.fullmatch(rf"{time} INFO search\.engine\.index: applied 3 changes", lines[0])
    assert re.fullmatch(rf"{time} ERROR django\.request: Internal Server Error: /", lines[1])
    assert lines[2] == "Traceback (most recent call last):"
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert "not shown" not in result.stderr
    assert "Not Found" not in result.stderr
    assert result.stdout == ""


def test_it_serves_collected_static_files_by_hashed_name_and_gzipped(client, db, tmp_path):
    manifest = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)
        page = client.get("/").content.decode()
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, page
        response = client.get(stylesheet[1], HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]
