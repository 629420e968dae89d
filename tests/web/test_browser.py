"""The site as a person uses it, in Debian's Chromium driven by Playwright.

Chromium missing is a failure, never a skip: `.ci/run` installs it.
"""

import os
import re
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import import_ods, paragraphs_containing
from playwright.sync_api import expect

from search.engine.searching import search_paragraphs

# Playwright's sync API runs an event loop in this thread; the ORM work of the
# fixtures (loading the corpus, flushing the database) is still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"
MARKED = "rgb(255, 246, 214)"  # --target in site.css


@pytest.fixture
def site(live_server, live_corpus):
    return live_server.url


@pytest.fixture
def searchable_site(site):
    return site


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    yield context.new_page()
    context.close()


def test_it_scrolls_to_and_marks_a_deep_linked_paragraph(site, page):
    page.goto(f"{site}/r/A/RES/71/322/?lang=en#op3b")

    row = page.locator("#op3b")
    expect(row).to_have_class(re.compile(r"\bis-target\b"))
    expect(row.locator(".para")).to_have_css("background-color", MARKED)
    expect(page.locator("#op3a .para")).not_to_have_css("background-color", MARKED)
    box = row.bounding_box()
    assert 0 <= box["y"] < 100, box  # scrolled to the top of the viewport

    page.goto(f"{site}/r/A/RES/71/322/?lang=en#op5")  # another anchor on the same page
    expect(page.locator("#op5")).to_have_class(re.compile(r"\bis-target\b"))
    expect(page.locator("#op3b")).to_have_class("row")


def test_it_copies_a_paragraphs_citation(site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/71/322/?lang=en")

    page.locator("#op3b summary").click()
    page.locator("#op3b").get_by_role("button", name="Copy citation").click()

    expect(page.locator(".copied")).to_have_text("Copied")
    clipboard = page.evaluate("navigator.clipboard.readText()")
    assert clipboard == f"General Assembly resolution 71/322, para. 3 (b) {site}/r/A/RES/71/322/?lang=en#op3b"
    context.close()


def test_it_says_when_it_cannot_copy_and_selects_the_citation_instead(site, browser):
    context = browser.new_context()
    # A browser without the clipboard API (or one that refuses it).
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/71/322/?lang=en")

    page.locator("#op3b summary").click()
    page.locator("#op3b").get_by_role("button", name="Copy citation").click()

    expect(page.locator(".copied")).to_have_text(
        "Could not copy: the citation is selected, copy it with Ctrl+C (⌘C)."
    )
    selected = page.evaluate("window.getSelection().toString()")
    citation = "General Assembly resolution 71/322, para. 3 (b)"
    assert selected.split() == [*citation.split(" "), f"{site}/r/A/RES/71/322/?lang=en#op3b"]
    context.close()


def test_it_toggles_side_by_side_with_paragraphs_aligned(site, page):
    page.goto(f"{site}/r/A/RES/71/322/?lang=en")
    page.get_by_role("link", name="Side by side").click()

    expect(page).to_have_url(f"{site}/r/A/RES/71/322/?view=both")
    zh, en = page.locator("#op3b > .para").all()
    assert zh.get_attribute("class") == en.get_attribute("class")
    expect(zh.locator("> p")).to_have_attribute("lang", "zh-Hans")
    expect(en.locator("> p")).to_have_attribute("lang", "en")
    zh_box, en_box = zh.bounding_box(), en.bounding_box()
    assert zh_box["x"] + zh_box["width"] <= en_box["x"]  # Chinese left, English right
    assert zh_box["y"] == en_box["y"]  # on one row

    page.get_by_role("link", name="English", exact=True).click()
    expect(page.locator("#op3b > .para")).to_have_count(1)


def test_it_stacks_side_by_side_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/71/322/?view=both")

    zh, en = (p.bounding_box() for p in page.locator("#op3b > .para").all())
    assert en["y"] >= zh["y"] + zh["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    context.close()


def test_it_labels_a_chinese_draft_beside_its_english_adopted_resolution(site, page):
    page.goto(f"{site}/r/draft-A-C.3-74-trafficking-coordination-zh/")
    page.get_by_role("link", name="Read both side by side").click()

    expect(page.locator(".pair")).to_have_text("Chinese: draft; English: adopted resolution A/RES/74/176")
    expect(page.locator("#op1 > .para")).to_have_count(2)


def test_it_switches_the_interface_language(site, page):
    page.goto(f"{site}/r/A/RES/71/322/?lang=en")
    expect(page.get_by_role("link", name="Side by side")).to_be_visible()

    page.get_by_role("button", name="简体中文").click()

    expect(page).to_have_url(f"{site}/r/A/RES/71/322/?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("link", name="中英对照")).to_be_visible()
    expect(page.get_by_role("button", name="简体中文")).to_have_attribute("aria-pressed", "true")
    # The document stays in the language the reader chose.
    expect(page.locator("h1")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Side by side")).to_be_visible()


def test_it_follows_the_browsers_language_at_first(site, browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/71/322/")

    expect(page.locator("h1")).to_have_text(
        "加强和促进关于器官捐献和移植的有效措施和国际合作，防止和打击为摘除器官贩运人口行为和贩运人体器官行为"
    )
    expect(page.get_by_role("link", name="跳到正文")).to_be_attached()
    context.close()


def test_it_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/")
    # Older sessions are folded: <details> opens without JavaScript.
    page.locator("summary", has_text="71st session").click()
    page.locator('a[href="/r/A/RES/71/322/"]').click()

    page.get_by_role("link", name="Side by side").click()
    expect(page.locator("#op3b > .para")).to_have_count(2)

    # A deep link is still marked, by CSS alone.
    page.goto(f"{site}/r/A/RES/71/322/?view=both#op3b")
    expect(page.locator("#op3b .para").first).to_have_css("background-color", MARKED)

    # The citation is there to select; the copy buttons need JavaScript and stay hidden.
    page.locator("#op3b .para").last.locator("summary").click()
    expect(
        page.locator("#op3b").get_by_text("General Assembly resolution 71/322, para. 3 (b)")
    ).to_be_visible()
    expect(page.locator("#op3b").get_by_role("button", name="Copy citation")).to_be_hidden()

    # Footnote marks and back-links are plain links.
    page.goto(f"{site}/r/A/RES/71/322/?lang=en")
    page.locator("#fnref-en-op3-9").click()
    expect(page).to_have_url(f"{site}/r/A/RES/71/322/?lang=en#fn-en-9")
    page.locator("#fn-en-9 a.back").click()
    expect(page).to_have_url(f"{site}/r/A/RES/71/322/?lang=en#fnref-en-op3-9")

    # The language switcher is a plain form.
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    context.close()


def test_it_shows_a_friendly_page_for_an_unknown_resolution(site, page):
    response = page.goto(f"{site}/r/A/RES/00/0/")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("This page does not exist")
    page.get_by_role("link", name="Search or browse the resolutions").click()
    expect(page).to_have_url(f"{site}/")


def test_it_lets_the_keyboard_skip_to_the_text(site, page):
    page.goto(f"{site}/r/A/RES/71/322/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_it_finds_a_chinese_query_as_you_type_and_opens_the_marked_paragraph(searchable_site, page):
    site = searchable_site
    page.goto(f"{site}/")
    box = page.get_by_label("Search paragraphs")
    box.press_sequentially("organ", delay=20)
    box.fill("")
    box.press_sequentially("器官移植", delay=50)  # newer results replace older ones

    total = paragraphs_containing("器官移植")
    expect(page.locator("#count")).to_have_text(re.compile(rf"^{total} paragraphs found in \d+ documents$"))
    expect(page).to_have_url(f"{site}/?q={quote('器官移植')}")
    first = page.locator(".hit").first
    expect(first.locator("mark").first).to_have_text("器官移植")

    best = search_paragraphs("器官移植", per_page=1)["hits"][0]  # what the page lists first
    assert best["symbol"] == "A/RES/71/322"
    first.locator("a.hit-label").click()
    expect(page).to_have_url(re.compile(rf"/r/A/RES/71/322/\?lang=zh&q=.+#{best['anchor']}$"))
    expect(page.locator(f"#{best['anchor']}")).to_have_class(re.compile(r"\bis-target\b"))
    expect(page.locator(f"#{best['anchor']} mark").first).to_have_text("器官移植")

    page.go_back()  # the results page is in the history, query and all
    expect(page.get_by_label("Search paragraphs")).to_have_value("器官移植")
    expect(page.locator(".hit").first.locator("mark").first).to_have_text("器官移植")


def test_it_searches_without_javascript(searchable_site, browser):
    site = searchable_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/")
    page.get_by_label("Search paragraphs").fill("trafficking")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(f"{site}/?q=trafficking")
    page.get_by_role("link", name="English").first.click()
    expect(page).to_have_url(f"{site}/?q=trafficking+lang%3Aen")
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#count")).to_contain_text("page 2 of")
    page.locator(".hit details summary").first.click()
    expect(page.locator(".hit details p").first).to_be_visible()
    context.close()


def test_staff_upload_a_resolution_publish_it_and_find_it_with_the_search_box(
    live_server, transactional_db, page
):
    from django.contrib.auth.models import User

    User.objects.create_user("editor", password="a-long-password", is_staff=True, is_superuser=True)
    site = live_server.url
    page.goto(f"{site}/admin/search/upload/add/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("File").set_input_files(
        str(Path(__file__).resolve().parents[2] / "corpus/en/A_RES_72_1.txt")
    )
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Upload and review").click()

    # The review shows what the file will become; nothing is stored yet.
    expect(page.get_by_role("heading", name=re.compile(r"29 paragraphs"))).to_be_visible()
    expect(page.get_by_label("Key")).to_have_value("A/RES/72/1")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("Published A_RES_72_1.txt as A/RES/72/1 (en)")

    page.goto(f"{site}/")
    page.get_by_role("searchbox").fill("heinous crime")
    hit = page.locator("li.doc").first
    expect(hit).to_contain_text("A/RES/72/1")
    expect(hit.locator("mark").first).to_have_text(re.compile("heinous", re.I))


def test_it_downloads_a_document_as_a_translation_memory(site, page):
    page.goto(f"{site}/r/A/RES/71/322/?view=both")
    with page.expect_download() as download:
        page.get_by_role("link", name="TMX").click()
    assert download.value.suggested_filename == "A_RES_71_322.tmx"
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.count("<tu ") == 44 and 'tuid="A/RES/71/322#op3b"' in content


def test_it_groups_hits_sorts_them_and_removes_a_filter_chip(searchable_site, page):
    site = searchable_site
    page.goto(f"{site}/?q=trafficking+year%3A2010..2019+lang%3Aen")
    documents = page.locator("li.doc")
    expect(documents.first).to_be_visible()
    # One entry per document, at most three paragraphs under each.
    for i in range(documents.count()):
        assert documents.nth(i).locator("li.hit").count() <= 3
    names = documents.locator(".doc-head strong").all_inner_texts()
    assert len(names) == len(set(names))
    expect(page.locator(".more").first).to_contain_text("more match")

    page.get_by_label("Sort").select_option("oldest")
    page.get_by_label("Per page").select_option("10")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(page).to_have_url(re.compile(r"per_page=10"))
    assert page.locator("li.hit").count() <= 10
    dates = [d for d in page.locator(".doc-head .meta").all_inner_texts() if re.search(r"\d{4}-\d\d-\d\d", d)]
    years = [int(re.search(r"(\d{4})-\d\d-\d\d", d).group(1)) for d in dates]
    assert years == sorted(years)

    chips = page.locator("ul.chips li")
    expect(chips).to_have_count(2)
    page.get_by_role("link", name="Remove the filter Year: 2010–2019").click()
    expect(chips).to_have_count(1)
    expect(page.get_by_label("Search paragraphs")).to_have_value("trafficking lang:en")
    expect(page).to_have_url(re.compile(r"sort=oldest"))  # the sort stays
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#count")).to_contain_text("page 2 of")


def test_the_results_page_reads_in_both_interface_languages_and_on_a_phone(
    searchable_site, browser, tmp_path
):
    site = searchable_site
    sizes = []
    for locale, viewport in (("en-GB", (1280, 900)), ("zh-CN", (1280, 900)), ("en-GB", (390, 844))):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale=locale)
        page = context.new_page()
        response = page.goto(f"{site}/?q=trafficking")
        sizes.append(len(response.body()))
        expect(page.locator("li.doc").first).to_be_visible()
        if locale == "zh-CN":
            expect(page.locator("#count")).to_contain_text("份文件")
            expect(page.get_by_label("排序")).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling on a phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], (locale, viewport, width)
        page.screenshot(path=tmp_path / f"results-{locale}-{viewport[0]}.png", full_page=False)
        context.close()
    # The first page of results as transferred (gzip, as browsers ask): under 40 KB.
    request = urllib.request.Request(f"{site}/?q=trafficking", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        transferred = len(response.read())
    assert transferred < 40_000, (transferred, sizes)
    assert min(sizes) > transferred  # it was compressed


def test_a_cited_resolution_opens_from_the_paragraph_that_cites_it_and_lists_its_citers(site, page):
    page.goto(f"{site}/r/A/RES/74/176/?lang=en")
    page.get_by_role("link", name="71/322", exact=True).first.click()
    expect(page).to_have_url(f"{site}/r/A/RES/71/322/")
    page.get_by_role("link", name=re.compile(r"^Cited in \d+ paragraphs? of other documents")).click()
    expect(page).to_have_url(re.compile(r"#cited-by$"))
    section = page.locator("#cited-by")
    expect(section).to_be_in_viewport()
    citing = section.locator("li").filter(has_text="A/RES/74/176")
    expect(citing.locator("p.citing")).to_contain_text("Recalling also its resolutions 71/322")
    citing.locator("a.label").first.click()
    expect(page).to_have_url(re.compile(r"/r/A/RES/74/176/\?lang=en#pp\d+$"))
    expect(page.locator(".row.is-target")).to_contain_text("71/322 of 8 September 2017")


def test_cited_by_turns_its_pages_in_place(site, page, monkeypatch):
    from search.web import reading

    monkeypatch.setattr(reading, "CITED_BY_PAGE", 1)  # its two citing paragraphs: two pages
    page.goto(f"{site}/r/A/RES/71/322/?lang=en#cited-by")
    section = page.locator("#cited-by")
    expect(section).to_contain_text("Paragraphs 1–1 of 2")
    first = section.locator("p.citing").inner_text()
    page.evaluate("window.notReloaded = true")

    section.get_by_role("link", name="Next page").click()

    expect(section).to_contain_text("Paragraphs 2–2 of 2")
    expect(section.locator("p.citing")).not_to_have_text(first)
    expect(page).to_have_url(f"{site}/r/A/RES/71/322/?lang=en&cited=2#cited-by")
    assert page.evaluate("window.notReloaded") is True  # the section alone was fetched
    section.get_by_role("link", name="Previous page").click()
    expect(section.locator("p.citing")).to_have_text(first)


def test_a_paragraphs_agreed_language_opens_under_it_and_on_a_page_of_its_own(site, browser):
    # Each publish traces its paragraphs once committed.
    import_ods("A_RES_78_219.pdf", "A_RES_80_221.pdf")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/80/221/?lang=en#op30")
    wording = page.locator("#op30 details.wording")
    expect(wording.locator("summary")).to_have_text("Same wording in 1 other paragraph")
    wording.locator("summary").click()  # htmx fetches the list into the open details
    expect(wording.locator(".sentence")).to_have_text(
        "First agreed in A/RES/78/219, OP 21 (2023); used again in 1 resolution."
    )
    expect(wording.locator("li.use")).to_have_count(2)
    wording.locator("li.use").first.get_by_role("link", name="OP 21").click()
    expect(page).to_have_url(re.compile(r"/r/A/RES/78/219/\?lang=en#op21$"))
    expect(page.locator("#op21")).to_have_class(re.compile(r"\bis-target\b"))
    context.close()

    # Without JavaScript the count is a link to the list's own page.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/r/A/RES/80/221/?lang=en#op27")
    page.locator("#op27 details.wording summary").click()
    page.locator("#op27").get_by_role("link", name="Where this wording comes from").click()
    expect(page.locator("h1")).to_have_text("Where the wording of A/RES/80/221, OP 27 comes from")
    expect(page.locator(".sentence")).to_contain_text("changed in 2025")
    expect(page.locator("li.use").first.locator("del, ins").first).to_be_visible()
    context.close()


def test_what_changed_from_a_draft_reads_without_javascript(site, browser):

    import_ods("A_C.3_80_L.2.pdf", "A_RES_80_192.pdf")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site}/r/A/C.3/80/L.2/")
    page.get_by_role("link", name="What changed").click()
    expect(page.locator("h1")).to_have_text("A/C.3/80/L.2 and A/RES/80/192")
    added = page.locator("tr.added")
    expect(added).to_have_count(1)
    expect(added).to_contain_text("Notes with alarm that the Russian Federation")
    expect(page.locator("tr.changed del, tr.changed ins").first).to_be_visible()
    added.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/r/A/RES/80/192/\?lang=en#op4$"))
    context.close()


def test_staff_confirm_a_draft_match_and_readers_see_whose_word_it_is(live_server, transactional_db, page):
    from django.contrib.auth.models import User

    import_ods("A_C.3_80_L.2.pdf", "A_RES_80_192.pdf")
    User.objects.create_user("editor", password="a-long-password", is_staff=True, is_superuser=True)
    site = live_server.url
    page.goto(f"{site}/r/A/C.3/80/L.2/")
    relation = page.locator(".relations li").filter(has_text="This draft was adopted as")
    expect(relation).to_contain_text(
        re.compile(r"same symbol series and title; the content agrees, confidence 1\.00")
    )

    page.goto(f"{site}/admin/search/draftmatch/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    row = page.locator("#result_list tbody tr").filter(has_text="A/C.3/80/L.2")
    expect(row).to_contain_text("A/RES/80/192")
    expect(row.locator("td.field-by_content")).to_contain_text("A/RES/80/192 (100")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Confirm the selected matches")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 matches confirmed.")

    page.goto(f"{site}/r/A/C.3/80/L.2/")
    expect(relation).to_contain_text("(confirmed by staff)")
    page.goto(f"{site}/r/A/RES/80/192/")
    expect(page.locator(".relations li").filter(has_text="Adopted from the draft")).to_contain_text(
        "(confirmed by staff)"
    )
