"""What a paragraph cites is found once, when it is published, and stored as spans; pages
link those spans and never read a text for citations again; "Cited by" comes a page at a
time, however many paragraphs cite a document."""

import contextlib
import io
import re
import time
from html import escape
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.ingest.store import ingest
from search.models import Citation, Paragraph, Resolution
from search.parsing import Cited, ParsedDocument, ParsedParagraph, parse_document
from search.parsing import citations as finder
from search.web import reading
from search.web.citing import link_citations, link_spans

CORPUS = Path(settings.BASE_DIR) / "corpus"


@contextlib.contextmanager
def finding_forbidden():
    """Make any run of the citation finder fail the test (every way in goes through it)."""

    def refuse(*args, **kwargs):
        raise AssertionError("citations were looked for in a text during the page view")

    with mock.patch.object(finder, "_Numbers", refuse):
        yield


def publish(key: str, text: str, language: str = "en", anchor: str = "op1") -> Paragraph:
    paragraph = ParsedParagraph(anchor, "operative", "OP 1", "执行部分第1段", text, "1")
    parsed = ParsedDocument(language=language, title="Test", paragraphs=[paragraph])
    ingest(parsed, text.encode(), f"{key.replace('/', '_')}.txt", key=key, symbol=key)
    return Paragraph.objects.get(version__resolution__key=key, anchor=anchor)


def paragraph_html(html: str, anchor: str) -> str:
    """The rendered text of one paragraph of a document page."""
    row = html[html.index(f'id="{anchor}"') :]
    text = row[row.index("</details></div>") :]
    return text[: text.index("</p>")]


def test_a_publish_stores_each_citation_where_it_stands(db):
    text = "Recalling resolution 71/322 & A/80/537, and resolutions 71/322 and 73/189 <again>"
    paragraph = publish("A/RES/80/1", text)

    stored = list(paragraph.citations.order_by("start").values_list("start", "end", "symbol"))
    assert [(text[s:e], symbol) for s, e, symbol in stored] == [
        ("71/322", "A/RES/71/322"),
        ("A/80/537", "A/80/537"),
        ("71/322", "A/RES/71/322"),
        ("73/189", "A/RES/73/189"),
    ]

    # A new version of the text replaces them.
    paragraph = publish("A/RES/80/1", "Recalling decision 77/548")
    assert list(paragraph.citations.values_list("start", "end", "symbol")) == [(19, 25, "A/DEC/77/548")]
    assert Citation.objects.count() == 1


def test_the_page_links_the_stored_citations_and_reads_no_text_for_them(client, corpus):
    with finding_forbidden():
        with pytest.raises(AssertionError):  # the trap is set: finding citations now fails
            link_citations("resolution 71/322", "en", {})
        html = client.get("/r/A/RES/74/176/?lang=en").content.decode()
        marked = client.get("/r/A/RES/74/176/?lang=en&q=September").content.decode()
        found = client.get('/r/A/RES/74/176/?lang=en&q="71/322"').content.decode()
        cited = client.get("/r/A/RES/71/322/?lang=zh").content.decode()

    # "Recalling also its resolutions 71/322 of 8 September 2017 and 73/189 of …"
    assert 'resolutions <a class="cited" href="/r/A/RES/71/322/">71/322</a> of 8 September 2017' in html
    assert '<a class="cited" href="https://undocs.org/en/A/RES/73/189">73/189</a>' in html

    # With the search's marks: a citation that a mark does not cut is linked.
    assert '<a class="cited" href="/r/A/RES/71/322/">71/322</a> of 8 <mark>September</mark> 2017' in marked
    assert 'resolutions <mark><a class="cited" href="/r/A/RES/71/322/">71/322</a></mark> of 8' in found
    assert 'id="cited-by"' in cited and '<a class="cited" href="/r/A/RES/71/322/">71/322</a>' in cited


def test_stored_spans_are_linked_in_escaped_text_and_a_mark_that_cuts_one_leaves_it():
    text = "<b> resolution 71/322 & resolution 73/189"
    spans = [Cited(15, 21, "A/RES/71/322"), Cited(35, 41, "A/RES/73/189")]
    here = {"A/RES/71/322": "/r/A/RES/71/322/"}

    assert link_spans(escape(text), spans, "zh", here) == (
        '&lt;b&gt; resolution <a class="cited" href="/r/A/RES/71/322/">71/322</a> &amp; resolution '
        '<a class="cited" href="https://undocs.org/ch/A/RES/73/189">73/189</a>'
    )
    marked = "&lt;b&gt; resolution 7<mark>1/32</mark>2 &amp; <mark>resolution 73/189</mark>"
    assert link_spans(marked, spans, "en", here) == (
        "&lt;b&gt; resolution 7<mark>1/32</mark>2 &amp; "
        '<mark>resolution <a class="cited" href="https://undocs.org/en/A/RES/73/189">73/189</a></mark>'
    )


def symbol_lookups(queries) -> list[dict]:
    return [q for q in queries if re.search(r'FROM "search_resolution" WHERE .*"symbol" IN', q["sql"])]


def test_known_documents_come_from_the_stored_symbols_in_one_query(client, corpus):
    with CaptureQueriesContext(connection) as queries:
        client.get("/r/A/RES/74/176/?lang=en")
    # Which of the documents the page cites are here: one query for its text, one for the
    # page of "Cited by" (a paragraph of its Chinese draft cites it), each on the symbols
    # the page's citations already read: no second pass over the citations.
    lookups = symbol_lookups(queries)
    assert len(lookups) == 2
    assert not any("search_citation" in q["sql"] or "search_paragraph" in q["sql"] for q in lookups)


def test_a_page_citing_thousands_of_documents_looks_them_up_in_bounded_batches(client, corpus):
    # One paragraph citing 1,201 different resolutions, one of them here.
    numbers = [f"{session}/{n}" for session in range(1, 80) for n in range(1, 17)][:1200] + ["71/322"]
    text = "Recalls its resolutions " + ", ".join(numbers)
    paragraph = ParsedParagraph("op1", "operative", "OP 1", "执行部分第1段", text, "1")
    parsed = ParsedDocument(language="en", title="Many", paragraphs=[paragraph])
    ingest(parsed, b"many", "many.txt", key="A/RES/99/1", symbol="A/RES/99/1", adopted_on="2099-01-01")

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/r/A/RES/99/1/?lang=en").content.decode()
    lookups = symbol_lookups(queries)
    # 1,201 symbols, 500 a query at most.
    assert len(lookups) == 3
    assert [len(re.findall(r"'A/RES/[^']+'", q["sql"])) for q in lookups] == [500, 500, 201]
    # Each linked: those here to their page, the others to the official text.
    here = Resolution.objects.filter(symbol__in=[f"A/RES/{n}" for n in numbers]).values_list("key", flat=True)
    assert "A/RES/71/322" in here
    assert html.count('<a class="cited"') == 1201
    for key in here:
        assert html.count(f'<a class="cited" href="/r/{key}/') == 1
    assert html.count('<a class="cited" href="https://undocs.org/') == 1201 - len(here)


def cited_by_section(html: str) -> str:
    start = html.index('<section class="cited-by"')
    return html[start : html.index("</section>", start)]


def listed(section: str) -> list[str]:
    return re.findall(r'<p class="citing" lang="[^"]+"><a class="label" href="([^"]+)">', section)


def next_page(section: str) -> str:
    following = re.search(r'<a href="\?([^"#]+)#cited-by"[^>]* rel="next">', section)
    return "?" + following.group(1).replace("&amp;", "&") if following else ""


def test_cited_by_comes_a_page_at_a_time_with_plain_links_and_htmx(
    client, corpus, monkeypatch, results_cache
):
    everything = listed(cited_by_section(client.get("/r/A/RES/71/322/?lang=en").content.decode()))
    assert len(everything) == 2  # A/RES/74/176 and its Chinese draft cite it
    monkeypatch.setattr(reading, "CITED_BY_PAGE", 1)
    results_cache.clear()  # pages built with the other page size

    seen, query = [], "?lang=en"
    while query:
        html = client.get("/r/A/RES/71/322/" + query).content.decode()
        section = cited_by_section(html)
        # The count stays the total on every page.
        assert "Cited in 2 paragraphs of other documents (2)" in html
        assert f"Paragraphs {len(seen) + 1}–{len(seen) + 1} of 2" in section
        seen += listed(section)
        # Every hx-get has its plain twin, the same page.
        links = re.findall(r'<a href="([^"]+)" hx-get="([^"]+)"', section)
        assert links and all(href == get + "#cited-by" for href, get in links)
        assert section.count("hx-get=") == len(links)
        query = next_page(section)
    assert seen == everything  # each once, in order

    # htmx asking for a page gets the section alone, the same as the page's own.
    part = client.get("/r/A/RES/71/322/?lang=en&cited=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="cited-by")
    assert part.content.decode().startswith('<section class="cited-by" id="cited-by"')
    assert "HX-Target" in part["Vary"]
    assert listed(part.content.decode()) == everything[1:]
    assert 'href="?lang=en&amp;cited=1#cited-by"' in part.content.decode()

    # A page out of range or not a number: the nearest one, never an error.
    last = client.get("/r/A/RES/71/322/?lang=en&cited=999").content.decode()
    assert listed(cited_by_section(last)) == everything[1:]
    first = client.get("/r/A/RES/71/322/?cited=x&lang=en").content.decode()
    assert listed(cited_by_section(first)) == everything[:1]


def test_a_document_cited_in_thousands_of_paragraphs_lists_them_a_page_at_a_time(client, corpus):
    # A text of 2,000 paragraphs, each citing A/RES/71/322, newer than any in the corpus.
    paragraphs = [
        ParsedParagraph(
            f"op{n}", "operative", f"OP {n}", f"执行部分第{n}段", f"Recalls resolution 71/322 ({n})", str(n)
        )
        for n in range(1, 2001)
    ]
    parsed = ParsedDocument(language="en", title="Many", paragraphs=paragraphs)
    ingest(parsed, b"many", "many.txt", key="A/RES/99/1", symbol="A/RES/99/1", adopted_on="2099-01-01")

    counts = []
    for page in (1, 20, 41):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/r/A/RES/71/322/?lang=en&cited={page}").content.decode()
        counts.append(len(queries))
        section = cited_by_section(html)
        assert "Cited in 2002 paragraphs of other documents (3)" in html
        shown = listed(section)
        if page == 1:  # the newest first
            assert shown == [f"/r/A/RES/99/1/?lang=en#op{n}" for n in range(1, 51)]
        if page == 41:  # the last: the corpus's own two
            assert len(shown) == 2 and "/r/A/RES/74/176/?lang=en#pp10" in shown
        # One page of paragraphs read, never all of them.
        assert len([q for q in queries if re.search(r'FROM "search_paragraph" .*LIMIT 50\b', q["sql"])]) == 1
    # The same queries whichever the page.
    assert counts[0] == counts[1] == counts[2]


ZH_SOURCE = (CORPUS / "zh" / "000_9c40344d96047766.txt").read_text(encoding="utf-8")
# 10,000 different resolution numbers ("1/1" … "10/1000"; a number has 4 digits at most).
NUMBERS = [f"{i // 1000 + 1}/{i % 1000 + 1}" for i in range(10_000)]
LISTS = {
    # The text of the issue: 24 items, no 决议: no citation (it cost 3 s a page view).
    "24 items": ("第1/2号" + "和1号" * 23, 0),
    "10,000 items after one number": ("第1/2号" + "和1号" * 9_999 + "决议", 1),
    "10,000 numbers": ("第" + "、".join(f"{n}号" for n in NUMBERS) + "决议", 10_000),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", LISTS)
def test_a_chinese_list_of_any_length_is_published_traced_and_shown_linked(client, name):
    words, count = LISTS[name]
    # The resolution as its Chinese text is read, with one paragraph more.
    source = ZH_SOURCE.replace("2017 年 9 月 8 日", f" 14. 回顾{words}。 \n\n2017 年 9 月 8 日")
    started = time.process_time()
    parsed = parse_document(source, "zh")
    assert parsed.paragraphs[-1].anchor == "op14"
    ingest(parsed, source.encode(), "71_322_zh.txt", key="A/RES/71/322", symbol="A/RES/71/322")
    paragraph = Paragraph.objects.get(version__resolution__key="A/RES/71/322", anchor="op14")
    assert paragraph.new_wording is not None  # traced once the publish committed
    # As if the process had stopped before tracing it: make run traces it at start-up.
    Paragraph.objects.filter(pk=paragraph.pk).update(new_wording=None)
    call_command("trace_wording", "--if-needed", stdout=io.StringIO())
    assert Paragraph.objects.get(pk=paragraph.pk).new_wording is not None
    assert paragraph.citations.count() == count
    # Only against catastrophic time (an exponential pattern took hours at this size).
    assert time.process_time() - started < 120

    with finding_forbidden():
        html = client.get("/r/A/RES/71/322/?lang=zh").content.decode()

    shown = paragraph_html(html, "op14")
    assert shown.count('<a class="cited"') == count
    if count:
        assert '第<a class="cited" href="https://undocs.org/ch/A/RES/1/' in shown
