import re
from urllib.parse import quote

import pytest
from conftest import paragraphs_containing
from django.utils.html import escape

from search.engine.searching import search_paragraphs
from search.web.results import EXAMPLES, search_url


@pytest.fixture
def indexed_corpus(corpus):
    pass


def html_of(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_it_finds_a_chinese_query_and_marks_the_hits(client, indexed_corpus):
    html = html_of(client, "/?q=器官移植")

    total = paragraphs_containing("器官移植")
    assert total == 18  # read from the stored texts, not from the search
    assert f"{total} paragraphs found" in html
    assert "<mark>器官移植</mark>" in html
    # Labels in the interface language only, the UN way.
    url = "/r/A/RES/71/322/?lang=zh&amp;q=%E5%99%A8%E5%AE%98%E7%A7%BB%E6%A4%8D#op3"
    assert f'<a class="hit-label" href="{url}">para. 3</a>' in html
    assert "执行部分第3段" not in html
    zh = client.get("/?q=器官移植", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert ">第3段</a>" in zh and ">para. 3</a>" not in zh
    assert f'href="/r/A/RES/71/322/?lang=zh&amp;q={quote("器官移植")}#op3"' in html
    assert 'href="https://undocs.org/ch/A/RES/71/322"' in html
    # A draft without a symbol is named by what it is, not by its internal key.
    assert "Draft resolution 4 in the General Assembly report, 79th session, agenda item 107" in html
    assert "report-79-third-committee-item-107/draft-4 (" not in html


def test_it_offers_the_same_paragraph_in_the_other_language(client, indexed_corpus):
    html = html_of(client, "/?q=器官移植")

    assert "The same paragraph in English" in html
    assert "Urges Member States to consider adopting the following measures" in html
    assert 'href="/r/A/RES/71/322/?lang=en#op3"' in html


def test_it_offers_facets_with_counts_and_pages(client, indexed_corpus):
    html = html_of(client, "/?q=trafficking")

    assert f'href="/?q={quote("trafficking lang:en").replace("%20", "+")}"' in html
    assert "Preambular" in html and "Operative" in html
    assert 'href="/?q=trafficking&amp;page=2" rel="next"' in html

    html = html_of(client, "/?q=trafficking&page=2")
    assert 'href="/?q=trafficking" rel="prev"' in html
    assert "page 2 of" in html


def test_it_narrows_by_a_facet(client, indexed_corpus):
    html = html_of(client, "/?q=trafficking+lang:en")

    assert '<span aria-current="true">English</span>' in html
    assert '<p class="snippet" lang="en">' in html
    assert '<p class="snippet" lang="zh-Hans">' not in html


def test_it_returns_only_the_results_to_htmx(client, indexed_corpus):
    response = client.get("/?q=organ", HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert "<html" not in html
    assert '<p id="count" hx-swap-oob="innerHTML">' in html
    assert "<mark>organ" in html.lower()
    assert "HX-Request" in response["Vary"]

    # A boosted link or a history restore needs the whole page.
    assert "<html" in html_of(client, "/?q=organ", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert "<html" in html_of(
        client, "/?q=organ", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )


def test_it_works_as_a_plain_form_with_links(client, indexed_corpus):
    html = html_of(client, "/")

    assert '<form id="search-form" class="search" role="search" action="/" method="get"' in html
    assert '<label for="q">Search paragraphs</label>' in html
    assert 'hx-push-url="true"' in html and 'hx-sync="this:replace"' in html
    assert 'role="status" aria-live="polite"' in html


def test_it_offers_examples_that_find_something(client, indexed_corpus):
    html = html_of(client, "/")

    for example in EXAMPLES:
        assert f'href="{escape(search_url(example))}"' in html
        assert search_paragraphs(example)["total"] > 0, example
    assert "A/RES/71/322" in html  # the list of resolutions


def test_it_explains_no_results_and_offers_what_finds_something(client, indexed_corpus):
    html = html_of(client, "/?q=xyzzy+organ+lang:zh")

    assert "0 paragraphs found" in html
    assert "No paragraph matches “xyzzy organ lang:zh”" in html
    # Without the filter, the paragraphs with most of the words: those with "organ".
    assert 'Without the filters: <a href="/?q=xyzzy+organ"' in html
    assert 'Fewer words: <a href="/?q=organ"' in html
    assert 'href="/?q=xyzzy"' not in html


def test_it_escapes_the_query_everywhere(client, indexed_corpus):
    html = html_of(client, "/?q=<script>alert(1)</script>+organ")

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; organ" in html


ODD = ["page=x", "page=-3&q=organ", "page=99999&q=organ", "q=" + "组织" * 400, "q=%22"]
# 100 kB (longer than a server's request line allows: only the test client sends it),
# a NUL, bytes that are not UTF-8, control characters.
ODD += [
    "q=" + "组织" * 50_000,
    "q=%00organ",
    "q=%FF%FE%C3",
    "q=%01%02%1B%7F贩运",
    "q=lang:zz+year:-1+kind:%22",
]


@pytest.mark.parametrize("query", ODD)
def test_it_never_fails_on_odd_input(client, indexed_corpus, query):
    assert client.get(f"/?{query}").status_code == 200
    assert client.get(f"/r/A/RES/71/322/?{query}").status_code == 200
    assert client.get(f"/api/search?{query}").status_code in (200, 400)


def test_it_speaks_chinese_to_a_chinese_browser(client, indexed_corpus):
    html = html_of(client, "/?q=器官移植", HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert "检索段落" in html
    assert f"找到 {paragraphs_containing('器官移植')} 段" in html
    assert "同一段的英文文本" in html


def test_it_offers_page_numbers_and_shows_the_last_page_past_the_end(client, indexed_corpus):
    total = search_paragraphs("贩运人口")["total"]  # and its words in the other order
    assert total > paragraphs_containing("贩运人口")
    pages = -(-total // 20)
    assert pages >= 5
    html = html_of(client, "/?q=贩运人口&page=3")
    numbers = re.findall(r'<a href="/\?q=[^"]*page=(\d+)">\d+</a>|<a href="/\?q=[^"&]*">(1)</a>', html)
    offered = sorted({int(a or b) for a, b in numbers})
    assert offered == sorted({1, 2, 4, 5, pages})
    assert '<span aria-current="page">3</span>' in html

    html = html_of(client, "/?q=贩运人口&page=999")
    assert f"page {pages} of {pages}" in html
    assert f'<span aria-current="page">{pages}</span>' in html
    assert 'rel="next"' not in html


def test_the_api_gives_links_to_the_other_pages(client, indexed_corpus):
    last = -(-search_paragraphs("贩运人口")["total"] // 20)
    data = client.get("/api/search", {"q": "贩运人口", "page": "2"}).json()
    base = "http://testserver/api/search?q=%E8%B4%A9%E8%BF%90%E4%BA%BA%E5%8F%A3&page="
    assert data["links"] == {
        "first": base + "1",
        "previous": base + "1",
        "next": base + "3",
        "last": base + str(last),
    }
    assert client.get("/api/search", {"q": "贩运人口"}).json()["links"]["previous"] is None


def test_it_says_an_unknown_filter_is_not_one_and_names_the_filters(client, indexed_corpus):
    html = html_of(client, "/?q=trafficking+doctype:resolution")
    assert "“doctype:” is not a filter, so it was searched as words." in html
    names = (
        "lang:, kind:, year:, body:, session:, committee:, agenda:, type:, wording:, symbol:, vote:,"
        " contested: and sponsor:"
    )
    assert f"The filters are {names}." in html
    assert "Without the filters" in html  # and the search without it is offered
    assert "is not a filter" not in html_of(client, "/?q=trafficking+lang:en")
    data = client.get("/api/search", {"q": "trafficking doctype:resolution"}).json()
    assert data["unknown_filters"] == ["doctype"]


def test_a_hit_in_a_draft_names_what_it_became_and_pairs_the_other_language(client, indexed_corpus):
    from search.models import Paragraph

    draft = "draft-A-C.3-74-trafficking-coordination-zh"
    # The draft has no date of its own: its year is its resolution's (A/RES/74/176, 2019).
    in_2019 = Paragraph.objects.filter(version__language="zh", text__contains="贩运人口").filter(
        version__resolution__key=draft
    ) | Paragraph.objects.filter(
        version__language="zh", text__contains="贩运人口", version__resolution__adopted_on__year=2019
    )
    html = html_of(client, '/?q="贩运人口"+lang:zh+year:2019')  # in quotes: literally
    assert f"{in_2019.count()} paragraphs found" in html and in_2019.count() == 57
    assert 'Adopted as <a href="/r/A/RES/74/176/?lang=zh#' in html and "A/RES/74/176</a> (2019-12-18)" in html
    # The English paragraph comes from the adopted resolution, aligned by anchor.
    assert "The same paragraph in English" in html
    assert re.search(r'<a href="/r/A/RES/74/176/\?lang=en#(pp|op)\d+">Read in context</a>', html)


def test_it_groups_hits_by_document_and_names_a_repeated_paragraph_once(client, indexed_corpus):
    from search.models import Paragraph

    declaration = {p.text: p for p in Paragraph.objects.filter(version__resolution__key="A/RES/72/1")}
    repeated = [
        p for p in Paragraph.objects.filter(version__resolution__key="A/RES/71/319") if p.text in declaration
    ]
    assert repeated  # 71/319's annex and 72/1 share paragraphs word for word
    text = repeated[0].text
    q = f'"{" ".join(text.split()[:8])}"'
    html = html_of(client, search_url(q))
    # The paragraph is shown once, under one document, and the other is named beside it.
    assert html.count('<li class="hit">') == 1
    assert html.count('<li class="doc">') == 1
    assert "Same wording in <a " in html
    assert {"A/RES/71/319", "A/RES/72/1"} <= set(re.findall(r"A/RES/7[12]/3?19|A/RES/72/1", html))
    assert "2 paragraphs found in 2 documents" in html


def test_it_shows_a_few_paragraphs_a_document_and_says_how_many_more(client, indexed_corpus):
    html = html_of(client, search_url("trafficking", per_page=50))
    groups = re.findall(
        r'<li class="doc">(.*?)</li>\s*(?=<li class="doc">|</ol>\s*<p class="export")', html, re.S
    )
    assert len(groups) > 1
    for group in groups:
        assert group.count('<li class="hit">') <= 3
    more = re.findall(r"(\d+) more match(?:es)? in this document", html)
    assert more  # a document with more matches than it shows says so
    total = search_paragraphs("trafficking")["total"]
    documents = search_paragraphs("trafficking")["documents"]
    assert f"{total} paragraphs found in {documents} documents" in html


def test_it_sorts_pages_and_sizes_results_as_asked_and_keeps_it_across_pages(client, indexed_corpus):
    html = html_of(client, "/?q=trafficking&sort=newest&per_page=10")
    assert '<option value="newest" selected>' in html
    assert '<option value="10" selected>' in html
    assert html.count('<li class="hit">') <= 10
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html).group(1)
    assert "sort=newest" in next_link and "per_page=10" in next_link
    facet = re.search(r'href="(/\?q=trafficking\+lang%3Aen[^"]*)"', html).group(1)
    assert "sort=newest" in facet
    response = client.get("/api/search", {"q": "trafficking", "sort": "sideways"})
    assert response.status_code == 400 and "sort" in response.json()["error"]
    response = client.get("/api/search", {"q": "trafficking", "per_page": "7"})
    assert response.status_code == 400
    data = client.get("/api/search", {"q": "trafficking", "sort": "oldest", "per_page": "10"}).json()
    assert len(data["hits"]) == 10 and "sort=oldest" in data["links"]["next"]
    # A bad sort on the page is ignored, not an error page.
    assert client.get("/?q=trafficking&sort=sideways").status_code == 200


def test_active_filters_are_chips_that_remove_themselves(client, indexed_corpus):
    html = html_of(client, search_url("trafficking lang:en year:2014..2019 committee:c3"))
    chips = re.findall(r'<ul class="chips".*?</ul>', html, re.S)[0]
    assert (
        "Language: English" in chips and "Year: 2014–2019" in chips and "Committee: Third Committee" in chips
    )
    removes = dict(re.findall(r'<li>([^<]+?) <a href="([^"]+)"', chips))
    assert removes["Language: English"] == escape(search_url("trafficking year:2014..2019 committee:c3"))
    assert removes["Committee: Third Committee"] == escape(search_url("trafficking lang:en year:2014..2019"))


def test_the_controls_show_the_defaults_when_nothing_was_asked(client, indexed_corpus):
    html = html_of(client, "/?q=trafficking")
    assert '<option value="relevance" selected>' in html
    assert '<option value="20" selected>' in html
    assert html.count(" selected>") == 2


def test_it_says_when_the_paragraphs_shown_have_most_of_the_words_in_both_languages(client, indexed_corpus):
    html = html_of(client, "/?q=organ+trafficking+xyzzy")
    zh = html_of(client, "/?q=organ+trafficking+xyzzy", HTTP_ACCEPT_LANGUAGE="zh-Hans")

    total = search_paragraphs("organ trafficking xyzzy")["total"]
    assert "No paragraph has every word; these have most of them." in html
    assert f"{total} paragraphs with most of the words" in html
    assert "没有段落包含全部词语；以下段落包含其中大部分。" in zh
    assert f"{total} 段包含大部分词语" in zh
    assert "these have most of them" not in html_of(client, "/?q=organ+trafficking")
    # A few have every word: they come first, and the page says so.
    few = html_of(client, "/?q=where+are+refugees+in+Africa%3F", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert "1 段包含全部词语，排在前面；其余段落包含其中大部分。" in few


def test_it_names_each_sessions_agenda_item_by_its_title_in_chinese(client, indexed_corpus):
    # Item 106 of the 74th session: "Crime prevention and criminal justice" under A/RES/74/176's
    # heading, 预防犯罪和刑事司法 under its Chinese draft's (corpus/zh/002_…); item 106 of the
    # 71st: A/RES/71/319 and 71/322 give no title under it.
    found = search_paragraphs("agenda:74/106")
    assert found["agenda_items"] == {
        "74/106": {"en": "Crime prevention and criminal justice", "zh": "预防犯罪和刑事司法"}
    }
    assert set(search_paragraphs("agenda:106")["facets"]["agenda"]) == {"74/106", "71/106"}
    html = html_of(client, "/?q=agenda:106", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "106 预防犯罪和刑事司法（第74届会议）" in html
    assert "106（第71届会议）" in html
    assert "106 Crime prevention and criminal justice (74th session)" in html_of(client, "/?q=agenda:106")
