"""Served for real: two servers on loopback, each with its own index, one database.

A publish through one server is found through the other, because every serving
process applies the database's change log to its own index.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import chromium
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread


def database_env() -> dict:
    """The environment that points a server at the test database, SQLite or PostgreSQL."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"DATABASE_PATH": str(db["NAME"])}
    return {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def two_nodes(live_corpus, settings, tmp_path):
    """Two development servers, each with its own copy of the corpus index."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "DATABASE_URL")}
    env |= database_env() | {
        "DEBUG": "1",
        "SECRET_KEY": "test-" * 10,
        "DJANGO_SETTINGS_MODULE": "search.settings",
    }
    nodes, processes = [], []
    for name in ("a", "b"):
        folder = tmp_path / f"node-{name}"
        shutil.copytree(settings.INDEX_DIR, folder, symlinks=True)
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env | {"INDEX_DIR": str(folder)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        nodes.append(f"http://127.0.0.1:{port}")
    try:
        for url in nodes:
            for _ in range(200):
                try:
                    if get(f"{url}/?q=%E8%B4%A9%E8%BF%90")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            else:
                pytest.fail(f"{url} did not start")
        yield nodes
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


RESOLUTION = """Resolution adopted by the General Assembly on 1 December 2026
80/999. Protection of the quokka
The General Assembly,
Recalling its earlier resolutions on the protection of wildlife,
1. Decides to protect the habitat of the quokka;
2. Requests the Secretary-General to report on the quokka at its eighty-first session.
"""


def test_a_publish_through_one_server_is_found_through_the_other(two_nodes, tmp_path):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    first, second = two_nodes
    upload = tmp_path / "quokka.txt"
    upload.write_text(RESOLUTION, encoding="utf-8")
    assert json.loads(get(f"{second}/api/search?q=quokka")[1])["total"] == 0
    # Hashed as the servers, which run the production settings, hash passwords.
    password = make_password("a-long-password", hasher="pbkdf2_sha256")
    User.objects.create(username="editor", password=password, is_staff=True, is_superuser=True)

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{first}/admin/search/upload/add/")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("a-long-password")
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("File").set_input_files(str(upload))
        page.get_by_label("Language").select_option("en")
        page.get_by_role("button", name="Upload and review").click()
        page.get_by_role("button", name="Publish").click()
        expect(page.locator(".messagelist")).to_contain_text("Published quokka.txt as A/RES/80/999 (en)")
        published = time.monotonic()

    # The first server applied its own change; the second applies the log within seconds.
    assert json.loads(get(f"{first}/api/search?q=quokka")[1])["total"] == 2
    for _ in range(100):
        status, body = get(f"{second}/api/search?q=quokka")
        if status == 200 and json.loads(body)["total"]:
            break
        time.sleep(0.1)
    waited = time.monotonic() - published
    hits = json.loads(body)["hits"]
    assert sorted((h["resolution"], h["anchor"]) for h in hits) == [
        ("A/RES/80/999", "op1"),
        ("A/RES/80/999", "op2"),
    ]
    assert all("<mark>quokka</mark>" in h["snippet"] for h in hits)
    print(f"found through the second server {waited:.2f} s after the publish")
