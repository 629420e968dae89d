"""Amendments on the pages in Debian's Chromium: the note beside the draft's paragraph,
the way to the amendment and back to the paragraph, the comparison's "inserted by", in
English and Chinese. Expectations read from the PDFs and corpus/proceedings/80.

Chromium missing is a failure, never a skip."""

import os
import re

import pytest
from conftest import import_session
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

NEW_PARAGRAPH = (
    "Notes with alarm that the Russian Federation has sought to justify its territorial aggression against"
    " Ukraine on the purported basis of eliminating neo-Nazism, and underlines that the pretextual use of"
    " neo-Nazism to justify territorial aggression seriously undermines genuine attempts to combat"
    " neo-Nazism;"
)


@pytest.fixture
def site(live_server, transactional_db):
    import_session("A_C.3_80_L.56.pdf", "A_C.3_80_L.2.pdf", "A_RES_80_192.pdf")
    return live_server.url


def test_a_reader_sees_the_amendment_beside_the_paragraph_and_follows_it_there_and_back(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{site}/r/A/C.3/80/L.2/?lang=en#op3")

    note = page.locator("#op3 .amendment-note")
    expect(note).to_have_text(
        "Amendment A/C.3/80/L.56 (Albania, Australia, Japan and 5 others): add a new paragraph after OP 3:"
        f" “{NEW_PARAGRAPH}” — adopted 63–41–52"
    )
    expect(note).to_be_in_viewport()  # opened at OP 3, the note is there beside it
    text, beside = page.locator("#op3 .para > p").first.bounding_box(), note.bounding_box()
    assert 0 <= beside["y"] - (text["y"] + text["height"]) < 40, (text, beside)  # right under the paragraph
    expect(page.locator("#op2 .amendment-note")).to_have_count(0)
    expect(page.locator("#amendments h3")).to_have_text(
        "Amendment A/C.3/80/L.56 (Albania, Australia, Japan and 5 others) — adopted 63–41–52"
    )

    note.get_by_role("link", name="Amendment A/C.3/80/L.56").click()
    expect(page).to_have_url(re.compile(r"/r/A/C\.3/80/L\.56/$"))
    operations = page.locator("#operations")
    expect(operations.locator(".outcome")).to_have_text("Outcome: adopted 63–41–52")
    expect(operations.locator("li")).to_have_count(1)

    operations.get_by_role("link", name="OP 3").click()
    expect(page).to_have_url(re.compile(r"/r/A/C\.3/80/L\.2/\?lang=en#op3$"))
    expect(page.locator("#op3 .amendment-note")).to_be_in_viewport()
    context.close()


def test_the_comparison_says_which_amendment_inserted_a_paragraph_in_chinese_too(site, browser):
    for locale, inserted in (
        (
            "en-GB",
            "Inserted by amendment A/C.3/80/L.56 (Albania, Australia, Japan and 5 others), adopted 63–41–52",
        ),
        (
            "zh-CN",
            "由修正案A/C.3/80/L.56（阿尔巴尼亚、澳大利亚、日本及其他5国）插入，以63票赞成、41票反对、52票弃权获得通过",
        ),
    ):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        page = context.new_page()
        page.goto(f"{site}/compare/?from=A/C.3/80/L.2&to=A/RES/80/192&lang=en")

        added = page.locator("tr.added", has_text=NEW_PARAGRAPH)
        expect(added).to_have_count(1)
        note = page.locator("tr.added + tr.amendment-notes")
        expect(note).to_have_text(inserted)
        added_box, note_box = added.bounding_box(), note.bounding_box()
        assert 0 <= note_box["y"] - (added_box["y"] + added_box["height"]) < 5, (added_box, note_box)
        note.get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/r/A/C\.3/80/L\.56/$"))
        context.close()


def test_a_chinese_reader_sees_the_note_the_chinese_way(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site}/r/A/C.3/80/L.2/?lang=en#op3")

    expect(page.locator("#op3 .amendment-note")).to_have_text(
        f"修正案A/C.3/80/L.56（阿尔巴尼亚、澳大利亚、日本及其他5国）：在执行部分第3段之后增加1个新段落：“{NEW_PARAGRAPH}”"
        "——以63票赞成、41票反对、52票弃权获得通过"
    )
    expect(page.locator("#amendments h2")).to_have_text("对本草案提出的修正案")
    context.close()
