"""Suggestions: on no, few or partial hits, variants of the query that find every word
they ask for, each counted with one search; never a word such as "the" alone."""

from urllib.parse import quote

import pytest
from django.utils import translation

from search.engine.query import parse_query
from search.engine.searching import search_paragraphs
from search.web import suggesting
from search.web.suggesting import FEW, MAX_TRIED, suggestions

NOTHING = {"total": 0, "complete": 0, "partial": False}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def searched(monkeypatch):
    """Count each variant by its length; return the variants searched, in order."""
    queries = []

    def count_paragraphs(q):
        queries.append(q)
        return len(q), False

    monkeypatch.setattr(suggesting, "count_paragraphs", count_paragraphs)
    return queries


def offered(q: str, found: dict = NOTHING) -> list[tuple[str, str]]:
    return [(s["label"], s["q"]) for s in suggestions(parse_query(q), found)]


def test_it_drops_the_filters_and_the_quotes_then_offers_each_word(searched):
    assert offered('"organ removal" foo:bar lang:zh trade') == [
        ("Without the filters", '"organ removal" trade'),
        ("Without quotes", "organ removal foo:bar lang:zh trade"),
        ("Fewer words", "organ"),
        ("Fewer words", "removal"),
        ("Fewer words", "trade"),
    ]


def test_it_never_offers_a_stop_word_alone(searched):
    found = offered("How can the organ be removed? 如何")

    assert [q for label, q in found if label == "Fewer words"] == ["organ", "removed"]
    assert not {"How", "can", "the", "be", "如何"} & {q for _, q in found}


def test_it_offers_the_noun_phrase_of_a_question_in_quotes(searched):
    found = offered("How can States protect internally displaced persons?")

    assert found[:2] == [
        ("As a phrase", '"internally displaced persons"'),
        ("As a phrase", '"displaced persons"'),
    ]
    # A name is no question: neither cut to a phrase nor to its words.
    assert offered("Human Rights Council") == [("In Chinese", "人权理事会")]


def test_it_offers_the_other_word_order(searched):
    assert offered("人口贩运")[0] == ("Other word order", "贩运人口")
    assert ("Other word order", "人体器官贩卖") in offered("贩卖人体器官")
    assert ("Other word order", "打击人口贩运 lang:zh") in offered("打击贩运人口 lang:zh")
    assert ("Other word order", '"organ trafficking"') in offered('"trafficking in organs"')
    assert not [q for label, q in offered("大会第三委员会") if label == "Other word order"]
    # A name is not turned, but a run holding one is cut into its words.
    assert offered("缅甸罗兴亚人") == [("Fewer words", "缅甸"), ("Fewer words", "罗兴亚人")]


def test_it_names_states_and_bodies_in_the_other_language(searched):
    assert offered("缅甸") == [("In English", "Myanmar")]
    assert ("In English", '"Human Rights Council"') in offered("人权理事会")
    assert ("In Chinese", "伊朗伊斯兰共和国") in offered("Iran")
    assert ("In Chinese", "刚果民主共和国") in offered("the Democratic Republic of the Congo")
    assert ("In Chinese", "第三委员会 body:ga") in offered("Third Committee body:ga lang:en")
    # Only a query that is names: the World Health Assembly is not the General Assembly.
    assert not [q for label, q in offered("世界卫生大会") if label == "In English"]
    assert not [q for label, q in offered("Myanmar Rohingya") if label == "In Chinese"]


def test_it_counts_a_few_variants_at_most(searched):
    offered('What does the "General Assembly" say about States protecting victims of trafficking? lang:en')

    assert 0 < len(searched) <= MAX_TRIED


def test_it_offers_nothing_when_enough_paragraphs_have_every_word(searched):
    assert offered("organ removal trade", {"total": FEW, "complete": FEW, "partial": False}) == []
    assert searched == []
    assert offered(
        "organ removal trade", {"total": 500, "complete": 0, "partial": True}
    )  # only most of the words
    # A few have every word and most of the words fill the page below them.
    assert offered("organ removal trade", {"total": 500, "complete": FEW - 1, "partial": False})


def test_it_leaves_out_a_variant_made_here_that_finds_only_most_of_its_words(monkeypatch):
    monkeypatch.setattr(suggesting, "count_paragraphs", lambda q: (9, True))

    # The query's own words without the filter may find most of them (the page says so).
    without = ("Without the filters", "Human Rights Council Myanmar")
    assert offered("Human Rights Council Myanmar lang:en") == [without]
    assert offered("How can States protect internally displaced persons?") == []


def test_it_offers_the_words_of_a_chinese_run_with_their_counts_when_none_has_them_all(client, corpus):
    found = search_paragraphs("人体器官买卖")
    total = search_paragraphs("人体器官")["total"]
    html = client.get("/?q=人体器官买卖").content.decode()
    zh = client.get("/?q=人体器官买卖", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()

    assert found["partial"] and found["complete"] == 0 < total
    assert "Also try:" in html
    assert f'<a href="/?q={quote("人体器官")}" hx-boost="true">人体器官</a>' in html
    assert f"({total} paragraphs)" in html
    assert "也可以试试：" in zh and f"({total} 段)" in zh


def test_it_escapes_what_it_suggests(client, corpus):
    html = client.get("/?q=<organ>+lang:xx").content.decode()

    assert "No paragraph matches" in html
    assert 'href="/?q=%3Corgan%3E"' in html and ">&lt;organ&gt;</a>" in html
    assert "<organ>" not in html


def test_it_never_suggests_a_stop_word_alone_on_the_page(client, corpus):
    html = client.get("/?q=how+the+xyzzy+organ+lang:zh").content.decode()

    assert "No paragraph matches" in html
    assert 'href="/?q=organ"' in html
    assert 'href="/?q=the"' not in html and 'href="/?q=how"' not in html
