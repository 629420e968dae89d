"""The proceedings on a resolution's page in Debian's Chromium: the adoption, the
timeline's links and the separate vote beside its paragraph, in English and Chinese.

Chromium missing is a failure, never a skip."""

import os
import re

import pytest
from conftest import import_session
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def site(live_server, transactional_db):
    import_session("A_C.3_80_L.2.pdf", "A_RES_80_192.pdf")
    return live_server.url


def test_a_reader_sees_how_80_192_was_adopted_and_follows_it_to_its_draft(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/80/192/?lang=en#op4")

    proceedings = page.locator("#proceedings")
    expect(proceedings.locator(".adoption")).to_have_text(
        "Adopted on 15 December 2025 at the 62nd plenary meeting by a recorded vote of 119 to 51, with 10"
        " abstentions; in the Third Committee 114–52–12 on 14 November 2025 (44th meeting)."
    )
    expect(proceedings.locator(".timeline li")).to_have_count(3)
    beside = page.locator("#op4 .separate-vote")
    expect(beside).to_have_text(
        "Separate vote in plenary on 15 December 2025: retained, 64 in favour, 42 against, 54 abstentions"
    )
    expect(beside).to_be_in_viewport()  # opened at OP 4, the vote is there beside it
    text, vote = page.locator("#op4 .para > p").first.bounding_box(), beside.bounding_box()
    assert 0 <= vote["y"] - (text["y"] + text["height"]) < 40, (text, vote)  # right under the paragraph
    expect(page.locator("#op3 .separate-vote")).to_have_count(0)

    # The committee's adoption (its report A/80/545 is not here) links the draft it adopted.
    adopted = proceedings.locator(".timeline li").nth(1)
    expect(adopted.locator(".texts")).to_have_text("the draft: A/C.3/80/L.2 became A/RES/80/192")
    adopted.locator(".texts").get_by_role("link", name="A/C.3/80/L.2").click()
    expect(page).to_have_url(re.compile(r"/r/A/C\.3/80/L\.2/$"))
    expect(page.locator("#proceedings .adoption")).to_contain_text("Adopted on 15 December 2025")
    context.close()


def test_a_chinese_reader_sees_it_the_chinese_way(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/80/192/")
    expect(page.locator("#proceedings h2")).to_have_text("议事记录")
    expect(page.locator("#proceedings .adoption")).to_have_text(
        "2025年12月15日在第62次全体会议上以119票赞成、51票反对、10票弃权的记录表决通过；"
        "第三委员会于2025年11月14日（第44次会议）以114票赞成、52票反对、12票弃权通过。"
    )
    expect(page.locator("#op4 .separate-vote")).to_have_text(
        "2025年12月15日在全体会议上单独表决：以64票赞成、42票反对、54票弃权保留"
    )
    context.close()
