"""Start-up: the checks that stop a server with a message, and workers ready before they serve."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from test_serving import database_env, free_port

from search import checks

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
MANIFEST = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def ids(messages) -> list[str]:
    return [m.id for m in messages]


# --- the collected static files -----------------------------------------------------


@pytest.fixture
def production_static(settings, tmp_path):
    """Settings as without DEBUG: pages name static files through collectstatic's manifest."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    return settings.STATIC_ROOT


def test_it_stops_a_server_whose_static_files_are_not_collected(production_static):
    [error] = checks.check_collected_static()

    assert error.id == "search.E004"
    assert error.msg.startswith(
        f"Static files are not collected: {production_static}/staticfiles.json is missing, so without DEBUG"
    )
    assert error.hint == "Run `manage.py collectstatic --noinput` with these settings (make serve does)."


def test_it_names_a_static_file_added_since_they_were_collected(production_static, settings, tmp_path):
    call_command("collectstatic", interactive=False, verbosity=0)
    assert checks.check_collected_static() == []

    added = tmp_path / "added"
    (added / "js").mkdir(parents=True)
    (added / "js" / "new.js").write_text("// a script pages now name\n")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, added]
    [error] = checks.check_collected_static()

    assert error.id == "search.E005"
    assert error.msg == (
        f"Static files are missing from those collected in {production_static} (1 in all: js/new.js): "
        "pages that name them would fail."
    )


def test_it_names_a_collected_file_that_has_gone(production_static):
    call_command("collectstatic", interactive=False, verbosity=0)
    for hashed in (production_static / "css").glob("site.*.css"):
        hashed.unlink()
    [error] = checks.check_collected_static()

    assert error.id == "search.E005" and "(1 in all: css/site.css)" in error.msg


def test_with_debug_on_the_source_files_are_served_and_nothing_is_checked(settings, tmp_path):
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path / "nothing-collected"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    assert checks.check_collected_static() == []


# --- the index folder ----------------------------------------------------------------


def test_it_stops_a_server_whose_index_folder_cannot_be_written(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    settings.INDEX_DIR = blocker / "index"  # a folder that can never be made
    [error] = checks.check_index_folder()
    assert error.id == "search.E001"
    assert error.msg == (
        f"The search index folder {blocker}/index cannot be written ({blocker}: not a folder): "
        "searches could not be answered and publishing could not update the index."
    )
    assert "set INDEX_DIR to a folder that is" in error.hint

    settings.INDEX_DIR = blocker  # a file where the folder should be
    assert ids(checks.check_index_folder()) == ["search.E001"]


def test_a_folder_that_can_be_made_or_written_passes_and_is_not_made_by_the_check(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "not" / "yet"
    assert checks.check_index_folder() == []
    assert not (tmp_path / "not").exists()

    settings.INDEX_DIR = tmp_path
    assert checks.check_index_folder() == []
    assert list(tmp_path.iterdir()) == []  # the file that tried it is gone


# --- the language data ---------------------------------------------------------------


def test_it_stops_a_server_without_jiebas_dictionary(monkeypatch, tmp_path):
    assert checks.check_language_data() == []  # the installed one

    missing = tmp_path / "jieba" / "dict.txt"
    monkeypatch.setattr(checks, "jieba_dictionary", lambda: missing)
    [error] = checks.check_language_data()
    assert error.id == "search.E002"
    assert error.msg == (
        f"jieba's dictionary is missing ({missing}): Chinese text could be neither indexed nor searched."
    )

    missing.parent.mkdir()
    missing.write_bytes(b"")  # an empty file is no dictionary either
    assert ids(checks.check_language_data()) == ["search.E002"]


def test_it_stops_a_server_without_the_traditional_to_simplified_conversion(monkeypatch):
    import opencc

    def broken(config):
        raise RuntimeError(f"{config}.json: no such file")

    monkeypatch.setattr(opencc, "OpenCC", broken)
    [error] = checks.check_language_data()
    assert error.id == "search.E003"
    assert "(t2s.json: no such file)" in error.msg


# --- the warm-up ---------------------------------------------------------------------


def test_a_worker_without_an_index_yet_starts_and_says_so(db, monkeypatch, caplog, settings, tmp_path):
    from search.engine import index
    from search.models import Paragraph, Resolution, Text
    from search.warmup import warm_up

    version = Text.objects.create(resolution=Resolution.objects.create(key="A/RES/99/1"), language="en")
    Paragraph.objects.create(version=version, order=1, anchor="op1", kind="operative", text="quokka")
    settings.INDEX_DIR = tmp_path / "no-index-yet"
    rebuilds = []
    monkeypatch.setattr(index, "_rebuild_in_background", lambda force=False: rebuilds.append(force))

    took = warm_up()

    assert list(took) == ["language data", "index and a search", "templates"]
    assert rebuilds == [False]  # the rebuild a first request would have started
    said = "the first search failed (there is no search index yet; it is being built); serving anyway"
    assert f"warming up: {said}" in caplog.text


# --- the commands and servers that run them ------------------------------------------


def server_env(**env: str) -> dict:
    """A production environment on plain HTTP, with these variables."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "search.settings",
        "SECRET_KEY": "startup-" * 8,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    } | env


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=server_env(**env), capture_output=True, text=True, timeout=120)


def test_check_deploy_and_runserver_refuse_with_the_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {"DEBUG": "0", "STATIC_ROOT": str(tmp_path / "static"), "INDEX_DIR": str(blocker / "index")}

    deploy = run(sys.executable, "manage.py", "check", "--deploy", env=env)
    assert deploy.returncode == 1
    assert "(search.E001) The search index folder" in deploy.stderr
    assert "(search.E004) Static files are not collected" in deploy.stderr

    server = run(sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{free_port()}", env=env)
    assert server.returncode == 1
    assert "(search.E001) The search index folder" in server.stderr


def test_gunicorn_refuses_to_start_without_collected_static_files_and_says_why(tmp_path):
    port = free_port()
    env = {"DEBUG": "0", "STATIC_ROOT": str(tmp_path / "static"), "INDEX_DIR": str(tmp_path / "index")}
    conf = ("-c", "python:search.gunicorn_conf")
    result = run(str(GUNICORN), *conf, "search.wsgi", "--bind", f"127.0.0.1:{port}", env=env)

    assert result.returncode == 1
    assert "Error: The server cannot start:\n?: (search.E004) Static files are not collected" in result.stderr
    assert "Run `manage.py collectstatic --noinput`" in result.stderr
    assert "Booting worker" not in result.stderr  # stopped before any worker
    with socket.socket() as s:  # and before it listened
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    result = run(str(GUNICORN), "-c", "python:search.gunicorn_conf", "search.wsgi", env={"SECRET_KEY": ""})

    assert result.returncode == 1
    assert "Error: SECRET_KEY is not set." in result.stderr


# --- a real server: ready before it serves, bodies refused unread --------------------


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, tmp_path_factory):
    """`make serve`'s gunicorn (its config, DEBUG off, static files collected), one worker,
    on a public port and the probes' port, on the (empty) test database: (public port,
    log, probes' port). One for the module's tests: each only reads."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    port, probes = free_port(), free_port()
    env = {"DEBUG": "0", "STATIC_ROOT": str(tmp_path / "static"), "INDEX_DIR": str(tmp_path / "index")}
    env |= database_env() | {"PROBE_BIND": f"127.0.0.1:{probes}"}
    collected = run(sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
    assert collected.returncode == 0, collected.stderr
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "python:search.gunicorn_conf", "search.wsgi", "--workers", "1"]
            + ["--bind", f"127.0.0.1:{port}", "--bind", f"127.0.0.1:{probes}"],
            cwd=ROOT,
            env=server_env(**env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(600):
            if "ready to serve" in log.read_text():
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        else:
            pytest.fail("the worker did not get ready: " + log.read_text())
        yield port, log, probes
    finally:
        process.terminate()
        process.wait(30)


def exchange(port: int, head: str, body: bytes = b"") -> str:
    """Send a request's head and the start of its body; return the response's status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head.encode() + body)
        return s.recv(65536).decode(errors="replace").split("\r\n", 1)[0]


def test_a_worker_loads_what_a_first_search_needs_before_it_serves(gunicorn):
    port, log, _ = gunicorn
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/?q=%E8%B4%A9%E8%BF%90%E4%BA%BA%E5%8F%A3") as page:
        assert page.status == 200

    served = '"GET /?q=%E8%B4%A9%E8%BF%90%E4%BA%BA%E5%8F%A3 HTTP/1.1" 200'
    for _ in range(100):  # the access log line follows the response
        text = log.read_text()
        if served in text:
            break
        time.sleep(0.05)
    ready = text.index("search.warmup: ready to serve: language data")
    assert ready < text.index(served)
    assert "index and a search" in text[ready:].splitlines()[0]


def test_the_server_refuses_a_body_of_unknown_length_without_reading_it(gunicorn):
    port, _, _ = gunicorn
    head = "POST /i18n/setlang/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    # The first chunk of a body that never ends: the answer comes without waiting for it.
    assert exchange(port, head, b"100000\r\n" + b"x" * 4096) == "HTTP/1.1 411 Length Required"


def test_the_server_refuses_a_large_body_before_it_arrives(gunicorn):
    port, _, _ = gunicorn
    head = (
        "POST /admin/search/upload/add/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {100 * 1024 * 1024}\r\n\r\n"
    )
    assert exchange(port, head, b"--x\r\n") == "HTTP/1.1 413 Request Entity Too Large"


def test_the_server_refuses_an_overlong_request_line_and_too_many_headers(gunicorn):
    port, _, _ = gunicorn
    assert exchange(port, f"GET /?q={'x' * 9000} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").split(" ")[1] == "414"
    headers = "".join(f"X-Filler-{n}: {n}\r\n" for n in range(60))
    assert exchange(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n").split(" ")[1] == "431"
    assert exchange(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").split(" ")[1] == "200"


def test_a_probe_is_taken_before_the_public_requests_queued_before_it(gunicorn):
    port, log, probes = gunicorn
    # The one worker's queue: 40 searches sent whole, then one probe.
    queued = []
    for n in range(40):
        connection = socket.create_connection(("127.0.0.1", port), timeout=30)
        connection.sendall(
            f"GET /?q=queued{n} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        queued.append(connection)
    with urllib.request.urlopen(f"http://127.0.0.1:{probes}/healthz", timeout=30) as probe:
        assert probe.status == 200
    for connection in queued:
        with connection:
            assert connection.recv(64).startswith(b"HTTP/1.1 200")

    # Served in the order of the access log: on one address the probe would come last.
    for _ in range(100):
        served = re.findall(r'"GET (/healthz|/\?q=queued\d+) HTTP/1.1" 200', log.read_text())
        if len(served) == 41:
            break
        time.sleep(0.05)
    after = len(served) - 1 - served.index("/healthz")
    assert after >= 20, served


def test_the_probes_address_answers_health_probes_only(gunicorn):
    port, _, probes = gunicorn
    assert exchange(probes, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").split(" ")[1] == "200"
    # Whatever the Host header says: the port is the one the connection reached.
    for head in (
        "GET /?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        f"GET /?q=x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n",
        "GET /admin/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    ):
        assert exchange(probes, head).split(" ")[1] == "404"
    assert exchange(port, "GET /?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").split(" ")[1] == "200"
