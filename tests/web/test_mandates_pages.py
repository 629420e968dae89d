"""What resolutions ask, stored, searched and shown: mandates read when a text is
published, where each was first given, the `asks:` `deliverable:` `due:` filters and
facets, a resolution's "What this resolution asks", the "Due at" page and its API.

Expectations read from the documents: A/RES/80/192 OP 69 asks the Special Rapporteur for
reports to the General Assembly at its 81st session and to the Human Rights Council at
its 62nd; its OP 70 only mentions a report. A/RES/80/121 OP 46 (International trade and
development, 2025) asks the Secretary-General for the report its 2023 resolution,
A/RES/78/134, asked in OP 35 in the same words, and puts the item on the agenda again."""

import csv
import io
import re

import pytest
from conftest import corpus_and_pdfs, read_index
from django.core.management import call_command

from search.engine.searching import search_paragraphs
from search.ingest.mandates import save_mandates
from search.models import Mandate, Paragraph, Text
from search.web.mandates import Asked, quoted

PDFS = ["A_RES_80_192.pdf", "A_RES_78_134.pdf", "A_RES_80_121.pdf"]


@pytest.fixture(scope="module")
def asked_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """The manifest corpus and these PDFs loaded, traced and indexed once for the module;
    rolled back after it (conftest's WHOLE_MODULES sends the module to one worker)."""
    with corpus_and_pdfs(
        django_db_blocker, tmp_path_factory.mktemp("mandates-index"), PDFS, trace=True
    ) as path:
        yield path


@pytest.fixture
def asked(db, asked_index, settings):
    read_index(settings, asked_index)


def stored(key, anchor, language="en"):
    rows = Mandate.objects.filter(
        paragraph__version__resolution__key=key,
        paragraph__version__language=language,
        paragraph__anchor=anchor,
    )
    return [(m.action, m.addressee, m.deliverable, m.due_body, m.due_session, m.due) for m in rows]


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def row(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"')[1].split('<div class="row')[0]


def test_publishing_stores_what_80_192_op_69_asks_and_that_op_70_asks_nothing(asked):
    assert stored("A/RES/80/192", "op69") == [
        ("requests", "special-rapporteur", "report", "general-assembly", 81, "81"),
        ("requests", "special-rapporteur", "report", "human-rights-council", 62, "hrc-62"),
        ("encourages", "special-rapporteur", "", "", None, ""),
    ]
    assert stored("A/RES/80/192", "op70") == []


def test_the_chinese_text_of_71_322_asks_what_the_english_asks(asked):
    def asks(language):
        rows = Mandate.objects.filter(
            paragraph__version__resolution__key="A/RES/71/322", paragraph__version__language=language
        )
        return {(m.paragraph.anchor, m.action, m.addressee, m.deliverable, m.due) for m in rows}

    chinese = asks("zh")
    assert chinese == asks("en")
    assert ("op10", "requests", "who", "recommendations", "") in chinese
    assert len({anchor for anchor, *_ in chinese}) == 27


def test_a_mandate_says_where_it_was_first_given(asked):
    renewed = Mandate.objects.get(
        paragraph__version__resolution__key="A/RES/80/121",
        paragraph__anchor="op46",
        action="requests",
        addressee="secretary-general",
        due="81",
    )
    first = renewed.first_given
    assert (first.version.resolution.key, first.anchor, renewed.given_before) == ("A/RES/78/134", "op35", 1)
    # The 2023 request is where it starts; the same formula in a resolution on another
    # subject (80/192's reports, its agenda item) is no renewal of it.
    assert Mandate.objects.filter(paragraph=first, first_given__isnull=False).count() == 0
    for key in ("A/RES/80/192",):
        given = Mandate.objects.filter(paragraph__version__resolution__key=key, first_given__isnull=False)
        assert not given.filter(first_given__version__resolution__key="A/RES/78/134").exists()


def test_reading_again_writes_nothing_when_nothing_changed(asked):
    text = Text.objects.get(resolution__key="A/RES/80/192", language="en")
    assert save_mandates(text) is False
    out = io.StringIO()
    call_command("read_mandates", stdout=out)
    assert "versions written: 0" in out.getvalue()


def test_reading_again_repairs_rows_an_older_reader_left(asked):
    text = Text.objects.get(resolution__key="A/RES/80/192", language="en")
    before = stored("A/RES/80/192", "op69")
    Mandate.objects.filter(paragraph__version=text, paragraph__anchor="op69").update(addressee="someone-else")
    out = io.StringIO()
    call_command("read_mandates", stdout=out)
    assert "versions written: 1" in out.getvalue()
    assert stored("A/RES/80/192", "op69") == before


def paragraphs_asking(**where) -> int:
    """The oracle: how many paragraphs have a mandate with these values."""
    return Paragraph.objects.filter(**{f"mandates__{k}": v for k, v in where.items()}).distinct().count()


@pytest.mark.parametrize(
    "query, where",
    [
        ("asks:secretary-general", {"addressee": "secretary-general"}),
        ("asks:秘书长", {"addressee": "secretary-general"}),
        ('asks:"the Special Rapporteur"', {"addressee": "special-rapporteur"}),
        ("asks:UNODC", {"addressee": "unodc"}),
        ('asks:"United Nations Office on Drugs and Crime"', {"addressee": "unodc"}),
        ("deliverable:report", {"deliverable": "report"}),
        ("deliverable:agenda", {"deliverable": "agenda-item"}),
        ("due:81", {"due": "81"}),
        ("due:81st", {"due": "81"}),
        ("due:hrc-62", {"due": "hrc-62"}),
        ('due:"HRC 62"', {"due": "hrc-62"}),
    ],
)
def test_a_filter_finds_every_paragraph_that_asks_it(asked, query, where):
    expected = paragraphs_asking(**where)
    assert expected > 0
    assert search_paragraphs(query)["total"] == expected


def test_the_filters_combine_with_each_other_and_with_words(asked):
    found = search_paragraphs("asks:special-rapporteur due:81 deliverable:report lang:en")
    assert found["total"] == 1
    assert (found["hits"][0]["resolution"], found["hits"][0]["anchor"]) == ("A/RES/80/192", "op69")
    expected = (
        Paragraph.objects.filter(
            version__language="en", mandates__addressee="secretary-general", mandates__due="81"
        )
        .filter(text__icontains="report")
        .distinct()
        .count()
    )
    assert search_paragraphs("report asks:secretary-general due:81 lang:en")["total"] == expected
    assert search_paragraphs("asks:secretary-general -due:81")["total"] == paragraphs_asking(
        addressee="secretary-general"
    ) - paragraphs_asking(addressee="secretary-general", due="81")


def test_the_facets_count_what_the_matches_ask(client, asked):
    data = client.get("/api/search", {"q": "session:80 lang:en"}).json()
    due_81 = Paragraph.objects.filter(version__language="en", mandates__due="81").distinct()
    expected = sum(
        p.version.resolution.session_number() == "80" for p in due_81.select_related("version__resolution")
    )
    assert expected > 0 and data["facets"]["due"]["81"] == expected
    data = client.get("/api/search", {"q": "symbol:A/RES/80/192"}).json()
    asking = Paragraph.objects.filter(
        version__resolution__key="A/RES/80/192", mandates__addressee="special-rapporteur"
    )
    assert data["facets"]["asks"]["special-rapporteur"] == asking.distinct().count() == 1
    html = client.get("/", {"q": "symbol:A/RES/80/192"}).content.decode()
    assert "<h2>Asks</h2>" in html
    link = '<a href="/?q=symbol%3AA%2FRES%2F80%2F192+asks%3Aspecial-rapporteur">Special Rapporteur</a>'
    assert link in html
    assert 'href="/?q=symbol%3AA%2FRES%2F80%2F192+due%3A81">General Assembly, 81st session</a>' in html
    html = client.get("/", {"q": "session:80 due:81"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "大会第81届会议" in words(html)  # the chip says the due date the Chinese way


def test_a_resolution_page_says_what_it_asks_and_beside_each_paragraph(client, asked):
    html = client.get("/r/A/RES/80/192/").content.decode()
    summary = words(html.split('class="asks"')[1].split("</details>")[0])
    assert "What this resolution asks" in summary
    assert (
        "Special Rapporteur a report (due General Assembly, 81st session; Human Rights Council, "
        "62nd session ) ( OP 69 ) encourages ( OP 69 )" in summary
    )
    assert '<a href="#op69">OP 69</a>' in html
    beside = words(row(html, "op69"))
    assert (
        "requests Special Rapporteur : a report (due General Assembly, 81st session; Human Rights Council,"
        " 62nd session )" in beside
    )
    assert 'class="mandates"' not in row(html, "op70")


def test_a_renewed_mandate_links_where_it_was_first_given(client, asked):
    beside = row(client.get("/r/A/RES/80/121/").content.decode(), "op46")
    assert "renewed: asked before in 1 resolution here, first in" in words(beside)
    assert '<a href="/r/A/RES/78/134/?lang=en#op35">A/RES/78/134, OP 35</a> (2023)' in beside


def test_a_chinese_reader_reads_it_in_chinese(client, asked):
    html = client.get("/r/A/RES/71/322/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "本决议的要求" in html
    summary = words(html.split('class="asks"')[1].split("</details>")[0])
    # OP 3 urges Member States; its sub-paragraphs (a)–(i), which carry it, are in it
    assert "敦促 ( 执行部分第1段 , 执行部分第2段 , 执行部分第3段 , 执行部分第9段 )" in summary
    beside = words(row(html, "op10"))
    assert "请 世界卫生组织 ： 建议" in beside


def test_the_due_page_lists_every_report_and_agenda_item_of_the_session_by_addressee(client, asked):
    html = client.get("/due/81/").content.decode()
    expected = (
        Mandate.objects.filter(
            due_body="general-assembly",
            due_session=81,
            deliverable__in=["report", "oral-update", "agenda-item"],
            paragraph__version__resolution__doc_type="resolution",
            paragraph__version__language="en",
        )
        .values_list(
            "paragraph__version__resolution__key", "paragraph__anchor", "addressee", "action", "deliverable"
        )
        .distinct()
        .count()
    )
    assert expected >= 3
    assert html.count('<li>\n      <span class="deliverable">') == expected
    rapporteur = html.split(">Special Rapporteur <")[1].split("</section>")[0]
    assert (
        '<a href="/r/A/RES/80/192/?lang=en#op69">A/RES/80/192, <span lang="en">OP 69</span></a>' in rapporteur
    )
    assert "a report" in rapporteur
    secretary = html.split(">Secretary-General <")[1].split("</section>")[0]
    assert "/r/A/RES/80/121/?lang=en#op46" in secretary
    assert "renewed: asked before in 1 resolution here, first in" in words(secretary)
    assistant = html.split(">General Assembly <")[1].split("</section>")[0]
    assert (
        "an agenda item" in assistant
    )  # "Decides to include in the provisional agenda of its eighty-first session"


def test_the_api_gives_the_same(client, asked):
    data = client.get("/api/due", {"session": "81"}).json()
    html = client.get("/due/81/").content.decode()
    assert data["session"] == 81 and data["items"] == html.count('<li>\n      <span class="deliverable">')
    names = [group["name"] for group in data["groups"]]
    assert names == [words(h) for h in re.findall(r'<h2 id="due-\d+">(.*?) <span class="count">', html)]
    rapporteur = next(g for g in data["groups"] if g["addressee"] == "special-rapporteur")
    item = rapporteur["items"][0]
    assert (item["document"], item["label"], item["deliverable_key"]) == ("A/RES/80/192", "OP 69", "report")
    assert item["url"] == "http://testserver/r/A/RES/80/192/?lang=en#op69"
    assert item["clause"].startswith("Requests the Special Rapporteur to prepare, for submission")


def test_the_csv_lists_what_the_page_lists(client, asked):
    response = client.get("/due/81/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="due-81.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["addressee", "deliverable", "document"]
    html = client.get("/due/81/").content.decode()
    assert len(rows) - 1 == html.count('<li>\n      <span class="deliverable">')
    rapporteur = [r for r in rows if r[0] == "Special Rapporteur"]
    assert rapporteur == [
        [
            "Special Rapporteur",
            "a report",
            "A/RES/80/192",
            "OP 69",
            "en",
            rapporteur[0][5],
            rapporteur[0][6],
            "",
            "0",
            "http://testserver/r/A/RES/80/192/?lang=en#op69",
        ]
    ]
    assert rapporteur[0][6].startswith("Requests the Special Rapporteur to prepare")
    assert client.get("/due/x/export.csv").status_code == 404


@pytest.mark.parametrize("session", ["x", "0", "9999", "81.5", "-1", "' OR 1=1", "81" * 300])
def test_a_session_that_is_none_is_told_in_words(client, asked, session):
    response = client.get("/api/due", {"session": session})
    assert response.status_code == 400
    assert "session must be a session of the General Assembly" in response.json()["error"]
    page = client.get(f"/due/{session}/")
    assert page.status_code == 404
    assert "is not a session of the General Assembly" in words(page.content.decode())


def test_a_language_that_is_none_is_told_in_words(client, asked):
    response = client.get("/api/due", {"session": "81", "lang": "fr"})
    assert (response.status_code, response.json()) == (400, {"error": "lang must be en or zh, not 'fr'"})
    # The names are in the interface's language; `lang` chooses the language version read
    # (these documents have only their English: that one).
    chinese = client.get("/api/due", {"session": "81", "lang": "zh"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert "特别报告员" in [group["name"] for group in chinese["groups"]]
    assert {item["language"] for group in chinese["groups"] for item in group["items"]} == {"en"}
    english = client.get("/api/due", {"session": "81", "lang": "zh"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Special Rapporteur" in [group["name"] for group in english["groups"]]  # not the cached Chinese


def test_a_session_typed_with_full_width_digits_or_an_ordinal_is_that_session(client, asked):
    numbers = [client.get("/api/due", {"session": s}).json()["session"] for s in ("８１", "81st", " 81 ")]
    assert numbers == [81, 81, 81]


def test_the_sessions_page_links_each_session_something_is_due_at(client, asked):
    html = client.get("/due/").content.decode()
    assert '<a href="/due/81/">81st session</a>' in html
    assert (
        client.get("/due/81/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
        .count("大会第81届会议应交付事项")
        >= 1
    )


def test_text_from_a_document_is_escaped_on_the_due_page(client, asked):
    paragraph = Paragraph.objects.get(
        version__resolution__key="A/RES/80/192", version__language="en", anchor="op69"
    )
    Paragraph.objects.filter(pk=paragraph.pk).update(
        text="Requests the <script>alert(1)</script> Special Rapporteur to report to the General Assembly "
        "at its eighty-first session;"
    )
    call_command("read_mandates", stdout=io.StringIO())
    html = client.get("/due/81/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_quoted_clause_says_where_it_was_cut():
    text = "Requests the Secretary-General to report, and decides to include the item in the agenda;"
    at = text.index("decides")
    assert quoted(text, at, len(text)) == "…decides to include the item in the agenda"
    assert quoted(text, 0, at) == "Requests the Secretary-General to report…"
    assert quoted(text, 0, len(text)) == text.rstrip(";")


def test_the_api_says_what_a_resolution_asks_paragraph_by_paragraph(client, asked):
    data = client.get("/api/asks", {"key": "A/RES/80/192"}).json()
    assert (data["key"], data["language"]) == ("A/RES/80/192", "en")
    op69 = [m for m in data["mandates"] if m["anchor"] == "op69"]
    assert [(m["action"], m["addressee"], m["deliverable"], m["due"], m["due_label"]) for m in op69] == [
        ("requests", "special-rapporteur", "report", "81", "General Assembly, 81st session"),
        ("requests", "special-rapporteur", "report", "hrc-62", "Human Rights Council, 62nd session"),
        ("encourages", "special-rapporteur", None, None, None),
    ]
    assert op69[0]["url"] == "http://testserver/r/A/RES/80/192/?lang=en#op69"
    assert not [m for m in data["mandates"] if m["anchor"] == "op70"]
    assert (
        len(data["mandates"])
        == Mandate.objects.filter(paragraph__version__resolution__key="A/RES/80/192").count()
    )
    renewed = client.get("/api/asks", {"key": "A/RES/80/121"}).json()["mandates"]
    given = next(m for m in renewed if m["anchor"] == "op46" and m["addressee"] == "secretary-general")
    assert given["first_given"] == {
        "document": "A/RES/78/134",
        "label": "OP 35",
        "year": 2023,
        "url": "http://testserver/r/A/RES/78/134/?lang=en#op35",
    }
    chinese = client.get("/api/asks", {"key": "A/RES/71/322", "lang": "zh"}).json()
    assert chinese["language"] == "zh" and chinese["mandates"][0]["clause"].startswith("敦促会员国")
    assert client.get("/api/asks", {"key": "A/RES/0/0"}).status_code == 404
    wrong = client.get("/api/asks", {"key": "A/RES/80/192", "lang": "fr"})
    assert (wrong.status_code, wrong.json()) == (400, {"error": "lang must be en or zh, not 'fr'"})


def test_what_a_paragraph_asks_is_escaped_however_its_names_read():
    asked = Asked(
        action="requests",
        addressee="<script>alert(1)</script>",
        deliverables=[{"key": "report", "name": "a report", "dues": ['<img src=x onerror="y">']}],
    )
    html = asked.html()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;y&quot;&gt;" in html
    assert html.startswith('<span class="action">requests</span> <span class="addressee">')
