"""A lineage's pages in Debian's Chromium: the list under a paragraph pages in place (htmx).

Chromium missing is a failure, never a skip: `.ci/run` installs it.
"""

import os
import re
from pathlib import Path

import pytest
from conftest import chromium, import_ods
from django.core.cache import caches
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the fixtures' ORM work is synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"


@pytest.fixture
def page():
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        yield context.new_page()


def test_the_list_under_a_paragraph_pages_in_place(live_server, live_corpus, page, monkeypatch):
    import search.web.agreed_language as presenting

    monkeypatch.setattr(presenting, "PER_PAGE", 1)  # the paragraph has two uses: two pages
    caches["results"].clear()
    import_ods("A_RES_78_219.pdf", "A_RES_80_221.pdf")  # traced once committed
    address = f"{live_server.url}/r/A/RES/80/221/?lang=en#op30"
    page.goto(address)
    wording = page.locator("#op30 details.wording")
    wording.locator("summary").click()  # htmx fetches the list into the open details

    expect(wording.locator(".count")).to_have_text("Uses 1–1 of 2, earliest first.")
    expect(wording.locator("li.use strong")).to_have_text(["A/RES/78/219"])
    wording.get_by_role("link", name="Next page").click()
    expect(wording.locator(".count")).to_have_text("Uses 2–2 of 2, earliest first.")
    expect(wording.locator("li.use strong")).to_have_text(["A/RES/80/221"])  # this paragraph
    expect(wording.locator(".sentence")).to_have_text(
        "First agreed in A/RES/78/219, OP 21 (2023); used again in 1 resolution."
    )
    assert page.url == address  # in place: the resolution page stays where it was
    wording.get_by_role("link", name="Previous page").click()
    expect(wording.locator("li.use strong")).to_have_text(["A/RES/78/219"])
    expect(page.locator(".agreed-language-list")).to_have_count(1)
    assert re.search(r"#op30$", page.url)
