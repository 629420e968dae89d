import gzip
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from search.engine.index import index_versions
from search.management.commands.compile_translations import compile_translations
from search.models import Footnote, Paragraph, Resolution, Text

PO = Path(settings.BASE_DIR) / "search" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


class Rows(HTMLParser):
    """Collect, for every paragraph row (div.row with an id), the lang of its paragraph texts."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.stack: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("div", "p", "h2", "h3", "section", "details", "span", "a", "sup", "mark", "li", "ol"):
            row = attrs.get("id") if tag == "div" and "row" in (attrs.get("class") or "").split() else None
            self.stack.append(row)
            current = next((r for r in reversed(self.stack) if r), None)
            if tag == "p" and current and attrs.get("lang"):
                self.rows[current].append(attrs["lang"])
            if row:
                self.rows[row] = []

    def handle_endtag(self, tag):
        if tag in ("div", "p", "h2", "h3", "section", "details", "span", "a", "sup", "mark", "li", "ol"):
            self.stack.pop()


def rows_of(response) -> dict[str, list[str]]:
    parser = Rows()
    parser.feed(response.content.decode())
    return parser.rows


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_it_shows_every_paragraph_with_its_anchor_and_label(client, corpus):
    html = page(client, "/r/A/RES/71/322/?lang=en")

    anchors = Paragraph.objects.filter(
        version__resolution__key="A/RES/71/322", version__language="en"
    ).values_list("anchor", flat=True)
    assert len(anchors) == 44
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    assert '<a class="label" href="#op3b" lang="en">OP 3 (b)</a>' in html
    assert '<span class="num">(b)</span> Adopting appropriate legislative measures' in html
    assert "General Assembly resolution 71/322, para. 3 (b)" in html  # the UN way
    assert "http://testserver/r/A/RES/71/322/?lang=en#op3b" in html
    assert '<h1 lang="en">Strengthening and promoting effective measures' in html


def test_it_indents_subparagraphs_by_level(client, corpus):
    html = page(client, "/r/A/RES/71/322/?lang=en")

    assert re.search(r'id="op3"[^>]*>\s*<div class="cell para level-0 operative">', html)
    assert re.search(r'id="op3b"[^>]*>\s*<div class="cell para level-1 operative">', html)


def test_it_links_footnotes_both_ways(client, corpus):
    html = page(client, "/r/A/RES/71/322/?lang=en")

    # OP 2 refers to notes 5 and 6, which PP 5 refers to as well.
    assert '<a href="#fn-en-5" id="fnref-en-op2-5">5</a>' in html
    assert 'id="fn-en-5" value="5"' in html
    assert 'href="#fnref-en-pp5-5"' in html
    assert 'href="#fnref-en-op2-5"' in html
    assert "United Nations, Treaty Series, vol. 2225" in html


def test_it_shows_the_chinese_version_when_asked(client, corpus):
    html = page(client, "/r/A/RES/71/322/?lang=zh")

    assert '<a class="label" href="#op3b" lang="zh-Hans">执行部分第3(b)段</a>' in html
    assert "大会第71/322号决议第3(b)段" in html
    # The Chinese citation links to the Chinese text, whatever the reader's interface.
    assert '<a href="http://testserver/r/A/RES/71/322/?lang=zh#op3b">' in html
    assert "加强和促进关于器官捐献和移植的有效措施" in html
    assert "Adopting appropriate legislative measures" not in html


def test_it_picks_the_version_in_the_interface_language(client, corpus):
    html = page(client, "/r/A/RES/71/322/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert '<h1 lang="zh-Hans">加强和促进' in html
    assert '<html lang="zh-Hans">' in html


def test_it_escapes_paragraph_text_and_marks_only_with_its_own_markup(client, db):
    resolution = Resolution.objects.create(key="A/RES/99/1", symbol="A/RES/99/1", doc_type="resolution")
    text = Text.objects.create(resolution=resolution, language="en", title="<b>Title</b>")
    Paragraph.objects.create(
        version=text,
        order=1,
        anchor="op1",
        kind="operative",
        label="OP 1",
        label_zh="执行部分第1段",
        text='<script>alert("x")</script> & <img src=x onerror=alert(1)>',
        footnotes=[1],
    )
    Footnote.objects.create(version=text, number=1, text="<i>note</i>")
    index_versions([text.pk])

    html = page(client, "/r/A/RES/99/1/?q=script+img")

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>Title</b>" not in html and "<i>note</i>" not in html
    assert (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "&lt;<mark>img</mark> src=x onerror=alert(1)&gt;"
    ) in html
    assert "&lt;b&gt;Title&lt;/b&gt;" in html


def test_it_marks_the_query_in_the_page_coming_from_search(client, corpus):
    html = page(client, "/r/A/RES/71/322/?lang=zh&q=器官捐献")

    assert "<mark>器官捐献</mark>" in html
    assert "paragraphs match “器官捐献”" in html
    assert 'href="/?q=%E5%99%A8%E5%AE%98%E6%8D%90%E7%8C%AE"' in html


def test_it_shows_both_languages_aligned_row_by_row(client, corpus):
    response = client.get("/r/A/RES/71/322/?view=both")
    rows = rows_of(response)

    paragraphs = [a for a in rows if a != "main"]
    assert len(paragraphs) == 44
    assert all(rows[a] == ["zh-Hans", "en"] for a in paragraphs), rows
    html = response.content.decode()
    op3b = html[html.index('id="op3b"') :]
    op3b = op3b[: op3b.index('<div class="row"', 10)]
    assert "采取适当、必要的立法措施" in op3b and "Adopting appropriate legislative measures" in op3b


def test_it_says_which_language_is_missing_and_links_the_official_text(client, corpus):
    html = page(client, "/r/E/RES/2013/41/?view=both")

    assert "No English text of this document is loaded here." in html
    assert 'href="https://undocs.org/en/E/RES/2013/41"' in html
    assert "Not in this version." in html

    html = page(client, "/r/E/RES/2013/41/?lang=en")
    assert "No English text of this document is loaded here." in html
    assert 'href="https://undocs.org/en/E/RES/2013/41"' in html
    assert "执行《联合国打击人口贩运全球行动计划》" in html


def test_it_pairs_a_chinese_draft_with_its_english_adopted_resolution(client, corpus):
    for url in (
        "/r/draft-A-C.3-74-trafficking-coordination-zh/?view=both",
        "/r/A/RES/74/176/?view=both",
    ):
        response = client.get(url)
        html = response.content.decode()

        assert "Chinese: draft; English: adopted resolution A/RES/74/176" in html
        rows = rows_of(response)
        assert rows["op1"] == ["zh-Hans", "en"]
        assert sum(1 for langs in rows.values() if langs == ["zh-Hans", "en"]) == 72


def test_it_links_a_draft_and_the_resolution_it_became(client, corpus):
    html = page(client, "/r/draft-A-C.3-74-trafficking-coordination-zh/")
    assert 'This draft was adopted as <a href="/r/A/RES/74/176/">A/RES/74/176</a>' in html
    # Named by what it is, never by its internal key.
    assert "General Assembly draft resolution, 74th session, agenda item 106 · symbol unknown" in html
    assert "General Assembly draft resolution, 74th session, agenda item 106，第1段" in html
    # Only in links (its page, its paragraphs' lineage), never in what is shown.
    assert "draft-A-C.3-74" not in re.sub(r"[^\s\"]*(?:/r/|key=)draft-A-C\.3-74[^\s\"<]*", "", html)
    # A Chinese draft and an English resolution share no language: nothing to compare.
    assert "What changed" not in html
    html_zh = page(client, "/r/draft-A-C.3-74-trafficking-coordination-zh/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "大会第74届会议决议草案（议程项目106）" in html_zh
    assert "No official link: the symbol of this document is unknown." in html

    html = page(client, "/r/A/RES/74/176/?lang=zh")
    assert 'href="/r/draft-A-C.3-74-trafficking-coordination-zh/"' in html
    assert "No Chinese text of this document is loaded here." in html
    assert 'href="/r/draft-A-C.3-74-trafficking-coordination-zh/?lang=zh"' in html
    assert 'href="https://undocs.org/ch/A/RES/74/176"' in html


def test_it_lists_a_reports_paragraphs_and_its_drafts(client, corpus):
    html = page(client, "/r/report-79-third-committee-item-107/")

    assert 'id="para37"' in html
    assert "A. 决议草案 A/C.3/79/L.3" in html  # section heading
    for n in range(1, 7):
        assert f'href="/r/report-79-third-committee-item-107/draft-{n}/"' in html

    html = page(client, "/r/report-79-third-committee-item-107/draft-2/")
    assert "Draft resolution 2 of the report" in html
    assert 'href="/r/report-79-third-committee-item-107/"' in html


def test_it_shows_an_annex_with_its_headings_and_where_it_was_adopted(client, corpus):
    html = page(client, "/r/A/RES/71/319/?lang=en")
    assert '<h2 class="cell annex-title" lang="en">Annex</h2>' in html
    assert "Political declaration on the implementation of the" in html
    assert 'id="annex-11a"' in html
    assert 'Its annex was adopted as <a href="/r/A/RES/72/1/">A/RES/72/1</a>' in html

    html = page(client, "/r/A/RES/72/1/")
    assert 'Adopts the annex of <a href="/r/A/RES/71/319/">A/RES/71/319</a>' in html


def test_it_links_the_official_text_in_each_language(client, corpus):
    html = page(client, "/r/A/RES/71/322/")

    assert 'href="https://undocs.org/ch/A/RES/71/322"' in html
    assert 'href="https://undocs.org/en/A/RES/71/322"' in html


def test_it_answers_an_unknown_key_with_a_friendly_404(client, db):
    response = client.get("/r/A/RES/00/0/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html
    assert 'href="/"' in html

    response = client.get("/r/<script>x</script>/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert "此页面不存在" in response.content.decode()
    assert "<script>x" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["lang=xx&view=nope", "q=((([\\", "q=" + "x" * 5000, "lang=zh&view=both&q=%00", "view=both&lang="],
)
def test_it_never_fails_on_odd_parameters(client, corpus, query):
    assert client.get(f"/r/A/RES/71/322/?{query}").status_code == 200
    assert client.get(f"/r/E/RES/2013/41/?{query}").status_code == 200


def test_it_shows_an_empty_resolution_named_by_a_relation(client, db):
    Resolution.objects.create(key="A/RES/80/1", symbol="A/RES/80/1", doc_type="resolution")

    html = page(client, "/r/A/RES/80/1/?view=both")

    assert "The text of this document is not loaded yet." in html


def test_it_switches_the_interface_language(client, corpus):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/r/A/RES/71/322/"})
    assert response.status_code == 302
    assert response["Location"] == "/r/A/RES/71/322/"

    html = page(client, "/r/A/RES/71/322/")
    assert "跳到正文" in html
    assert "通过日期" in html
    assert '<h1 lang="zh-Hans">' in html


def test_it_uses_accept_language_by_default(client, corpus):
    assert "跳到正文" in page(client, "/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert "Skip to content" in page(client, "/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")


def test_it_has_chinese_for_every_interface_string():
    catalog = {entry.msgid: entry for entry in polib.pofile(str(PO))}
    missing = [msgid for msgid in interface_strings() if not _translated(catalog.get(msgid))]
    assert missing == []
    assert len(catalog) >= 50


def test_it_compiles_translations_without_gettext(tmp_path):
    po_dir = tmp_path / "zh_Hans" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    (po_dir / "django.po").write_bytes(PO.read_bytes())

    assert compile_translations([tmp_path]) == [po_dir / "django.mo"]
    mo = polib.mofile(str(po_dir / "django.mo"))
    assert {e.msgid: e.msgstr for e in mo}["Skip to content"] == "跳到正文"
    assert compile_translations([tmp_path]) == []  # up to date: nothing written


def test_it_keeps_the_first_page_under_60_kb_transferred(client, corpus):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert "js/htmx.min.js" in assets and "css/site.css" in assets

    # Static files come through WhiteNoise and the gzip middleware, as Django sends them.
    sizes = {}
    for name in assets:
        asset = client.get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip")
        assert asset.status_code == 200 and asset["Content-Encoding"] == "gzip", name
        sizes[name] = len(b"".join(asset.streaming_content) if asset.streaming else asset.content)
    total = len(response.content) + sum(sizes.values())
    assert total <= 60 * 1024, (total, sizes)
    assert sizes["js/htmx.min.js"] < len(Path(finders.find("js/htmx.min.js")).read_bytes()) / 2


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_favicon_ico(client, corpus):
    for address in ("/", "/r/A/RES/71/322/", "/lineage/?key=nothing&lang=en&anchor=op1"):
        html = client.get(address).content.decode()
        icon = re.search(r'<link rel="icon" href="/static/([^"]+)" type="image/svg\+xml">', html)
        assert icon, address
    assert client.get(f"/static/{icon.group(1)}").status_code == 200


def test_it_serves_htmx_from_static_and_no_cdn(client, corpus):
    html = page(client, "/")

    assert "/static/js/htmx.min.js" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    assert b"htmx" in Path(finders.find("js/htmx.min.js")).read_bytes()[:2000]


def interface_strings() -> list[str]:
    """Every msgid our templates and page modules ask to translate."""
    translate = re.compile(r"""\{%\s*translate\s+(?:"([^"]*)"|'([^']*)')""")
    block = re.compile(r"\{%\s*blocktranslate\b[^%]*%\}(.*?)\{%\s*(?:plural|endblocktranslate)\s*%\}", re.S)
    call = re.compile(r"""\b_\(\s*(?:"([^"]*)"|'([^']*)')""")
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        if "admin" in path.parts:
            continue
        source = path.read_text()
        found += [a or b for a, b in translate.findall(source)]
        found += [re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body) for body in block.findall(source)]
    # Every module that can put a string on a page: the web layer and the models' choices.
    modules = [
        *(Path(settings.BASE_DIR) / "search" / "web").glob("*.py"),
        Path(settings.BASE_DIR) / "search" / "models.py",
    ]
    for path in modules:
        found += [a or b for a, b in call.findall(path.read_text())]
    assert len(found) >= 50
    return found


def _translated(entry) -> bool:
    return entry is not None and bool(entry.msgstr or any(entry.msgstr_plural.values()))


def paragraph_html(html: str, anchor: str) -> str:
    """Return the rendered text of one paragraph (its <p lang> after the tools)."""
    row = re.search(rf'<div class="row[^"]*" id="{anchor}">(.*?)</div>\s*</div>', html, re.S).group(1)
    return re.search(
        r'<p lang="[^"]+">(?:<span class="num">[^<]*</span> )?(.*?)</p>',
        row.split("</details></div>")[1],
        re.S,
    ).group(1)


def test_it_marks_whole_words_and_counts_what_the_search_finds_in_the_page(client, corpus):
    html = page(client, "/r/A/RES/72/1/?lang=en&q=trafficking+in+persons")

    # Read from the text: every paragraph with a form of each of the two words that carry
    # meaning; "in" is neither required nor marked.
    texts = Paragraph.objects.filter(version__resolution__key="A/RES/72/1", version__language="en")
    words = [r"\btraffick(?:ing|ed|ers?)?\b", r"\bpersons?\b"]
    found = [p for p in texts if all(re.search(w, p.text, re.I) for w in words)]
    assert len(found) == 27 and len(texts) == 29
    assert "27 paragraphs match “trafficking in persons”." in html
    marks = sum(len(re.findall("|".join(words), p.text, re.I)) for p in found)
    assert html.count("<mark>") == marks
    assert not re.search(r"\w<mark>|</mark>\w", html)  # never inside "business", "including"
    assert paragraph_html(html, "annex-9") == (
        "We commit to intensify our efforts to prevent and address, with a view to eliminating, the demand "
        "that fosters <mark>trafficking</mark>, especially of women and girls, for all forms of "
        "exploitation, and in this regard to put in place or to enhance "
        "preventive measures, including legislative and punitive measures, to deter exploiters of "
        "<mark>trafficked</mark> <mark>persons</mark>, as well as ensure their accountability."
    )


def test_it_does_not_mark_organ_in_organized_crime(client, corpus):
    html = page(client, "/r/A/RES/72/1/?lang=en&q=organ")

    assert "2 paragraphs match “organ”." in html
    assert html.count("<mark>") == 3
    assert paragraph_html(html, "annex-23") == (
        "We reaffirm that the crime of trafficking in persons for the purpose of <mark>organ</mark> removal "
        "constitutes a form of exploitation and an offence against the human dignity of the victims, and "
        "condemn the involvement of criminal groups and unethical medical personnel in trafficking in "
        "persons for the purpose of <mark>organ</mark> removal."
    )
    assert "Organized Crime" in paragraph_html(html, "annex-5")
    assert "<mark>" not in paragraph_html(html, "annex-5")


def test_it_marks_a_phrase_only_where_its_words_stand_together_in_the_page(client, corpus):
    html = page(client, '/r/A/RES/72/1/?lang=en&q="trafficking+in+persons"')

    texts = Paragraph.objects.filter(version__resolution__key="A/RES/72/1", version__language="en")
    phrase = r"\btrafficking in persons\b"
    assert sum(1 for p in texts if re.search(phrase, p.text, re.I)) == 26
    assert "26 paragraphs match “&quot;trafficking in persons&quot;”." in html
    assert html.count("<mark>") == sum(len(re.findall(phrase, p.text, re.I)) for p in texts)
    assert "<mark>in</mark>" not in html


def test_it_finds_within_a_document_and_links_each_match_to_the_next(client, corpus):
    html = page(client, "/r/A/RES/72/1/?lang=en&q=organ")
    assert '<input id="find-q" type="search" name="q" value="organ">' in html
    assert '<input type="hidden" name="lang" value="en">' in html
    # The two paragraphs the search finds, linked to each other in document order.
    assert re.findall(r'<div class="row matched" id="([^"]+)">', html) == ["annex-7", "annex-23"]
    assert '<a href="#annex-23" rel="next">Next match</a>' in html
    assert '<a href="#annex-7" rel="prev">Previous match</a>' in html
    assert html.count('rel="next">Next match') == 1 and html.count('rel="prev">Previous match') == 1

    both = page(client, "/r/A/RES/72/1/?view=both&q=organ")
    assert '<input type="hidden" name="view" value="both">' in both


def test_what_a_paragraph_cites_links_to_the_document_here_or_to_the_official_text(client, corpus):
    html = client.get("/r/A/RES/74/176/?lang=en").content.decode()
    # "Recalling also its resolutions 71/322 of 8 September 2017 and 73/189 of …"
    assert 'resolutions <a class="cited" href="/r/A/RES/71/322/">71/322</a> of 8 September 2017' in html
    assert '<a class="cited" href="https://undocs.org/en/A/RES/73/189">73/189</a>' in html


def test_a_resolution_lists_what_cites_it_paragraph_by_paragraph(client, corpus):
    call_command("trace_wording", stdout=io.StringIO())  # what each publish does once committed
    html = client.get("/r/A/RES/71/322/?lang=en").content.decode()
    cited = re.search(r'<a href="([^"]+)">Cited in (\d+) paragraphs? of other documents \((\d+)\)</a>', html)
    assert cited, "no cited-by line"
    assert cited.group(1) == "#cited-by"
    # Every paragraph of another document that has "71/322" cites it ("resolutions 71/322 …",
    # "第71/322号…决议"): the list holds what the search finds, each one linked.
    found = client.get("/api/search", {"q": "71/322 -symbol:71/322", "per_page": 100}).json()
    section = html[html.index('id="cited-by"') :]
    listed = re.findall(r'<p class="citing" lang="[^"]+"><a class="label" href="([^"]+)">', section)
    assert int(cited.group(2)) == len(listed) == found["total"] > 0
    assert set(listed) == {f"/r/{h['resolution']}/?lang={h['language']}#{h['anchor']}" for h in found["hits"]}
    assert "/r/A/RES/74/176/?lang=en#pp10" in listed
    assert '<a href="/?q=71%2F322+-symbol%3A71%2F322">Search them</a>' in section


def test_citations_are_read_the_un_way_in_both_languages():
    from search.web.citing import link_citations

    def links(text, language="en"):
        return re.findall(r'href="([^"]+)">([^<]+)</a>', link_citations(text, language, {}))

    assert links("its decision 77/548 B of 18 April 2023 and resolution 78/1") == [
        ("https://undocs.org/en/A/DEC/77/548", "77/548"),
        ("https://undocs.org/en/A/RES/78/1", "78/1"),
    ]
    assert links(
        "Economic and Social Council resolution 2013/41 and Human Rights Council resolution 32/3"
    ) == [
        ("https://undocs.org/en/E/RES/2013/41", "2013/41"),
        ("https://undocs.org/en/A/HRC/RES/32/3", "32/3"),
    ]
    assert links("see A/80/537 and E/2014/30; a 2/3 majority; 50/50 parity") == [
        ("https://undocs.org/en/A/80/537", "A/80/537"),
        ("https://undocs.org/en/E/2014/30", "E/2014/30"),
    ]
    assert links("回顾大会第71/322号决议和第77/548号决定，见A/68/256。", "zh") == [
        ("https://undocs.org/ch/A/RES/71/322", "71/322"),
        ("https://undocs.org/ch/A/DEC/77/548", "77/548"),
        ("https://undocs.org/ch/A/68/256", "A/68/256"),
    ]
    # Another body's numbering has no symbol of this form: left as text.
    assert links("Commission on Crime Prevention and Criminal Justice resolution 27/2 of 18 May 2018") == []
    assert links("回顾预防犯罪和刑事司法委员会第27/2号决议", "zh") == []
    # Escaped text stays escaped; a citation a search mark cuts in two stays as it is.
    assert link_citations("&lt;b&gt; resolution 7<mark>1/32</mark>2", "en", {}) == (
        "&lt;b&gt; resolution 7<mark>1/32</mark>2"
    )
