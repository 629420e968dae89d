"""The "Due at" page in Debian's Chromium, on a phone: what the 81st session is owed,
grouped by who owes it, each entry a link to its paragraph, which shows what it asks.
Saves a phone screenshot (var/screenshots/due-81-phone.png).

Chromium missing is a failure, never a skip."""

import os
import re
from pathlib import Path

import pytest
from conftest import import_ods
from django.conf import settings
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def site(live_server, transactional_db):
    # Published one by one and committed: each traced once committed, as a publish is.
    import_ods("A_RES_78_134.pdf", "A_RES_80_121.pdf", "A_RES_80_192.pdf")
    return live_server.url


def test_an_analyst_on_a_phone_reads_what_the_81st_session_is_owed_in_english_and_chinese(site, browser):
    context = browser.new_context(locale="en-GB", **PHONE)
    page = context.new_page()
    page.goto(f"{site}/")
    page.get_by_role("link", name="Due at a session").click()
    page.get_by_role("link", name="81st session").click()
    expect(page).to_have_url(re.compile(r"/due/81/$"))
    expect(page.locator("h1")).to_have_text("Due at the General Assembly’s 81st session")

    rapporteur = page.locator("section.due-group", has=page.locator("h2", has_text="Special Rapporteur"))
    expect(rapporteur.locator("li")).to_have_count(1)
    expect(rapporteur.locator("li .deliverable")).to_have_text("a report")
    secretary = page.locator("section.due-group", has=page.locator("h2", has_text="Secretary-General"))
    renewed = secretary.locator("li", has=page.locator("a", has_text="A/RES/80/121, OP 46"))
    expect(renewed.locator(".given")).to_contain_text(
        "renewed: asked before in 1 resolution here, first in A/RES/78/134"
    )

    # Nothing wider than the phone: the page scrolls down, never sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "due-81-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000

    rapporteur.get_by_role("link", name="A/RES/80/192, OP 69").click()
    expect(page).to_have_url(re.compile(r"/r/A/RES/80/192/\?lang=en#op69$"))
    asked = page.locator("#op69 .mandates li").first
    expect(asked).to_be_in_viewport()
    expect(asked).to_have_text(
        re.compile(
            r"requests\s+Special Rapporteur:\s+a report \(due General Assembly, 81st session; "
            r"Human Rights Council, 62nd session\)"
        )
    )
    expect(page.locator("#op70 .mandates")).to_have_count(0)
    summary = page.locator("details.asks")
    expect(summary.locator("dt", has_text="Special Rapporteur")).to_have_count(1)
    context.close()

    # A Chinese reader sees it the Chinese way (one import of the documents for both).
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(f"{site}/due/81/")
    expect(page.locator("h1")).to_have_text("大会第81届会议应交付事项")
    expect(page.locator("section.due-group h2", has_text="特别报告员")).to_have_count(1)
    expect(page.locator("section.due-group h2", has_text="秘书长")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
