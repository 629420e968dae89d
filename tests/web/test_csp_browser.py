"""Under the Content-Security-Policy and the Permissions-Policy, in Debian's Chromium: the
public pages and the admin do everything they did, and the browser reports no violation."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# What Chromium says when a policy refuses something, or cannot read one.
REFUSALS = re.compile(r"Content Security Policy|Permissions[- ]Policy|Refused to", re.I)


@pytest.fixture
def watched(browser):
    """A page, and the list of what the policies refused on it (and on the pages after it)."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], locale="en-GB")
    refused = []
    context.expose_function("reportViolation", lambda violation: refused.append(violation))
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.reportViolation("
        "[location.pathname, e.violatedDirective, e.blockedURI, e.sample].join(' ')))"
    )
    page = context.new_page()
    page.on("console", lambda m: refused.append(f"{page.url}: {m.text}") if REFUSALS.search(m.text) else None)
    yield page, refused
    context.close()


def test_the_public_pages_work_and_break_none_of_the_policies_rules(live_server, live_corpus, watched):
    from search.models import SharedWording

    call_command("trace_wording", stdout=io.StringIO())
    shared = SharedWording.objects.select_related("first__version__resolution").first()
    assert shared is not None, "the corpus has paragraphs with shared wording"
    page, refused = watched
    site = live_server.url

    # The search page, a query typed (htmx asks as one types), a result opened.
    page.goto(f"{site}/")
    page.get_by_label("Search paragraphs").press_sequentially("器官移植", delay=50)
    expect(page).to_have_url(re.compile(r"\?q=%E5%99%A8"))
    expect(page.locator(".hit").first.locator("mark").first).to_have_text("器官移植")
    page.locator(".hit a.hit-label").first.click()
    expect(page.locator(".row.is-target")).to_be_visible()

    # A resolution page, its citation copied, side by side.
    page.goto(f"{site}/r/A/RES/71/322/?lang=en")
    page.locator("#op3b summary").first.click()
    page.locator("#op3b").get_by_role("button", name="Copy citation").click()
    expect(page.locator(".copied")).to_have_text("Copied")
    page.get_by_role("link", name="Side by side").click()
    expect(page).to_have_url(f"{site}/r/A/RES/71/322/?view=both")

    # A paragraph's shared wording, opened (htmx fetches it into the details).
    paragraph = shared.first
    resolution = paragraph.version.resolution
    page.goto(f"{site}/r/{resolution.key}/?lang={paragraph.version.language}#{paragraph.anchor}")
    wording = page.locator(f"#{paragraph.anchor} details.wording")
    wording.locator("summary").click()
    expect(wording.locator("li.use").first).to_be_visible()

    # A comparison, a page that does not exist, the interface in Chinese.
    page.goto(f"{site}/compare/?from=A/RES/71/322&to=A/RES/74/176")
    expect(page.locator("h1")).to_contain_text("A/RES/71/322")
    page.goto(f"{site}/nowhere/")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    assert refused == []


def test_the_admin_works_and_breaks_none_of_the_policies_rules(live_server, transactional_db, watched):
    from django.contrib.auth.models import User

    User.objects.create_user("editor", password="a-long-password", is_staff=True, is_superuser=True)
    page, refused = watched
    site = live_server.url

    page.goto(f"{site}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()

    # Two files staged, then published together from the staged list (the button's
    # name must reach the server although the script disables the button).
    page.goto(f"{site}/admin/search/upload/add/")
    page.get_by_label("Files").set_input_files(
        [str(CORPUS / "en" / "A_RES_72_1.txt"), str(CORPUS / "en" / "A_RES_71_319.txt")]
    )
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Upload and review").click()
    expect(page.locator(".messagelist")).to_contain_text("2 of 2 files staged for review.")
    page.get_by_role("link", name="Review").first.click()
    expect(page.locator(".review-paragraphs")).to_be_visible()  # the page with its own <style>
    page.go_back()
    page.get_by_role("button", name=re.compile(r"Publish all without warnings")).click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    editor = User.objects.get(username="editor").pk
    lists = ("/admin/", "/admin/search/upload/", "/admin/search/draftmatch/")
    for url in (*lists, f"/admin/auth/user/{editor}/change/"):
        page.goto(f"{site}{url}")
        expect(page.locator("#content")).to_be_visible()

    assert refused == []
