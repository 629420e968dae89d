"""What amendments do, on the pages: beside the draft's paragraphs they target, on the
amendment's own page, on the comparison of the draft with its resolution; in English
and Chinese, escaped, in a bounded number of queries. Expectations read from the PDFs
(the amendments' words) and corpus/proceedings/80/c3-proposals.json (their votes)."""

import re

import pytest
from conftest import import_ods, session_stored
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.models import AmendmentOperation, Resolution, Text
from search.web.amendments import WITHHELD, Outcome, outcome_text, outcomes_of

PDFS = (
    "A_C.3_80_L.56.pdf",  # amends A/C.3/80/L.2; adopted 63–41–52
    "A_C.3_80_L.58.pdf",  # amends A/C.3/80/L.50; not adopted 17–87–45
    "A_C.3_80_L.57.pdf",  # amends A/C.3/80/L.3/Rev.1, which is not here; adopted 68–51–29
    "A_C.3_80_L.65.pdf",  # amends A/C.3/80/L.24; the proceedings give no vote
    "A_C.3_80_L.2.pdf",
    "A_RES_80_192.pdf",  # what A/C.3/80/L.2 became
    "A_C.3_80_L.50.pdf",
    "A_C.3_80_L.24.pdf",
)
L56 = (
    "Notes with alarm that the Russian Federation has sought to justify its territorial aggression against"
    " Ukraine on the purported basis of eliminating neo-Nazism, and underlines that the pretextual use of"
    " neo-Nazism to justify territorial aggression seriously undermines genuine attempts to combat"
    " neo-Nazism;"
)
L58 = (
    "and recalling the relevant provisions of the Rome Statute of the International Criminal Court*"
    " that define the deportation or forcible transfer of population as a crime against humanity"
    " and the unlawful deportation, transfer or ordering of the displacement of the civilian"
    " population as war crimes,"
)


@pytest.fixture(scope="module")
def session_rows(django_db_setup, django_db_blocker):
    """The amendments (before the drafts they amend), the drafts and the proceedings, stored
    once for the module in a transaction rolled back at its end."""
    with session_stored(django_db_blocker, *PDFS):
        yield


@pytest.fixture
def session(session_rows, db):
    pass


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def page(client, url, language="en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, name: str) -> str:
    return re.search(rf'<section[^>]* id="{name}"[^>]*>(.*?)</section>', html, re.S).group(1)


def row(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"')[1].split('<div class="row')[0]


def notes(html: str) -> list[str]:
    return [words(n) for n in re.findall(r'<p class="amendment-note">(.*?)</p>', html, re.S)]


def test_the_drafts_page_shows_the_amendment_beside_the_paragraph_it_adds_one_after(client, session):
    html = page(client, "/r/A/C.3/80/L.2/")

    assert notes(row(html, "op3")) == [
        "Amendment A/C.3/80/L.56 (Albania, Australia, Japan and 5 others): add a new paragraph after OP 3:"
        f" “{L56}” — adopted 63–41–52"
    ]
    assert notes(row(html, "op2")) == notes(row(html, "op4")) == []
    assert '<a href="/r/A/C.3/80/L.56/">Amendment A/C.3/80/L.56</a>' in row(html, "op3")
    listed = section(html, "amendments")
    assert words(listed).startswith(
        "Amendments proposed to this draft Amendment A/C.3/80/L.56 (Albania, Australia, Japan and 5 others)"
        " — adopted 63–41–52 add a new paragraph after OP 3"
    )


def test_it_says_an_amendment_was_rejected_beside_the_words_it_would_have_deleted(client, session):
    html = page(client, "/r/A/C.3/80/L.50/")

    assert notes(row(html, "pp28")) == [
        f"Amendment A/C.3/80/L.58 (Russian Federation): in PP 28, delete “{L58}” — rejected 17–87–45"
    ]
    assert notes(row(html, "pp27")) == []


def test_it_says_outcome_not_recorded_where_the_proceedings_give_none(client, session):
    html = page(client, "/r/A/C.3/80/L.24/")

    expected = (
        "Amendment A/C.3/80/L.65 (Bulgaria, Chile, Croatia and 17 others): delete PP 3 and OP 2"
        " — outcome not recorded"
    )
    assert notes(row(html, "pp3")) == notes(row(html, "op2")) == [expected]


def test_the_amendments_page_lists_its_operations_linked_to_the_drafts_paragraphs(client, session):
    html = page(client, "/r/A/C.3/80/L.56/")
    does = section(html, "operations")

    assert words(does).startswith(
        "What this amendment does Outcome: adopted 63–41–52 add a new paragraph after OP 3"
    )
    assert '<a href="/r/A/C.3/80/L.2/?lang=en#op3">OP 3</a>' in does
    # Beside the amendment's own paragraph, what it was read as.
    assert words(row(html, "para1")).count("add a new paragraph after OP 3") == 1


def test_an_amendment_to_a_draft_not_here_says_so_and_links_nothing(client, session):
    html = page(client, "/r/A/C.3/80/L.57/")
    does = section(html, "operations")

    assert "The draft it amends, A/C.3/80/L.3/Rev.1, is not loaded here" in words(does)
    assert "Outcome: adopted 68–51–29" in words(does)
    assert (
        "in OP 64, after “to strengthen their efforts in preventing” insert “and combating child pornography”"
        in words(does)
    )
    assert 'href="/r/A/C.3/80/L.3' not in does


def test_the_comparison_says_which_amendment_inserted_a_paragraph(client, session):
    html = page(client, "/compare/?from=A/C.3/80/L.2&to=A/RES/80/192&lang=en")
    added, note = re.search(
        r'(<tr class="added">.*?</tr>)\s*(<tr class="amendment-notes">.*?</tr>)', html, re.S
    ).groups()

    assert L56 in words(added)
    assert (
        words(note)
        == "Inserted by amendment A/C.3/80/L.56 (Albania, Australia, Japan and 5 others), adopted 63–41–52"
    )
    assert html.count('class="amendment-notes"') == 1


def test_it_shows_them_in_chinese(client, session):
    html = page(client, "/r/A/C.3/80/L.2/", "zh-hans")

    assert notes(row(html, "op3")) == [
        f"修正案A/C.3/80/L.56（阿尔巴尼亚、澳大利亚、日本及其他5国）：在执行部分第3段之后增加1个新段落：“{L56}”"
        "——以63票赞成、41票反对、52票弃权获得通过"
    ]
    rejected = page(client, "/r/A/C.3/80/L.50/", "zh-hans")
    assert notes(row(rejected, "pp28")) == [
        f"修正案A/C.3/80/L.58（俄罗斯联邦）：在序言部分第28段中删除“{L58}”——以17票赞成、87票反对、45票弃权被否决"
    ]
    compared = page(client, "/compare/?from=A/C.3/80/L.2&to=A/RES/80/192&lang=en", "zh-hans")
    assert (
        "由修正案A/C.3/80/L.56（阿尔巴尼亚、澳大利亚、日本及其他5国）插入，以63票赞成、41票反对、52票弃权获得通过"
        in words(compared)
    )


def amendment(draft: str, symbol: str, sponsors: list[str], **operation) -> Resolution:
    work = Resolution.objects.create(key=symbol, symbol=symbol, doc_type="amendment", amends=draft)
    text = Text.objects.create(resolution=work, language="en", title="t", sponsors=sponsors)
    AmendmentOperation.objects.create(version=text, order=1, paragraph=1, sentence="s", **operation)
    return work


def test_it_escapes_what_an_amendment_says(client, session):
    hostile = "<script>alert(1)</script>"
    amendment(
        "A/C.3/80/L.2",
        "A/C.3/80/L.999",
        [f"<b>{hostile}</b>"],
        kind="replace",
        scope="words",
        targets=["op2"],
        old=hostile,
        new='" onmouseover="x',
    )
    html = page(client, "/r/A/C.3/80/L.2/")

    assert "<script>alert" not in html and "<b>" not in html
    (note,) = re.findall(r'<p class="amendment-note">(.*?)</p>', row(html, "op2"), re.S)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in note
    assert '<span lang="en">&quot; onmouseover=&quot;x</span>' in note


def test_a_page_costs_the_same_queries_however_many_amendments_it_shows(client, session):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            page(client, url)
        return len(captured)

    one = queries("/r/A/C.3/80/L.2/")
    for n in range(5):
        amendment(
            "A/C.3/80/L.2",
            f"A/C.3/80/L.9{n}",
            ["Japan"],
            kind="delete",
            scope="paragraphs",
            targets=[f"op{n + 1}"],
        )
    caches["results"].clear()  # the page is built again
    six = queries("/r/A/C.3/80/L.2/")

    assert six == one
    assert len(notes(page(client, "/r/A/C.3/80/L.2/"))) == 6


@pytest.mark.parametrize(
    ("vote", "said"),
    [
        (("recorded", 63, 41, 52, "ADOPTED"), "adopted 63–41–52"),
        (("recorded", 17, 87, 45, "NOT-ADOPTED"), "rejected 17–87–45"),
        (("recorded", 100, 60, 5, "NOT-ADOPTED"), "rejected 100–60–5"),  # short of two thirds
        (("none", None, None, None, "ADOPTED"), "adopted without a vote"),
        (("recorded", 14, 84, 47, ""), "voted 14–84–47, outcome not recorded"),
        (("", None, None, None, ""), "outcome not recorded"),
        (("", None, None, None, "", WITHHELD), "outcome not shown: its record contradicts itself"),
    ],
)
def test_it_says_what_became_of_an_amendment_only_where_the_record_holds_together(vote, said):
    assert outcome_text(Outcome(*vote)) == said


def test_it_reads_the_plenary_amendments_outcomes_from_the_proceedings(session):
    # c5-proposals.json: A/80/L.29 135–3–24 ADOPTED; A/80/L.19 14–84–47 with no outcome;
    # A/80/L.38 113–51–2 NOT-ADOPTED and A/80/L.40 74–74–18 ADOPTED, which cannot both hold.
    found = outcomes_of(["A/80/L.29", "A/80/L.19", "A/80/L.38", "A/80/L.40", "A/C.6/80/L.24"])
    assert found == {
        "A/80/L.29": Outcome("recorded", 135, 3, 24, "ADOPTED"),
        "A/80/L.19": Outcome("recorded", 14, 84, 47, ""),
        "A/80/L.38": Outcome(record=WITHHELD),
        "A/80/L.40": Outcome(record=WITHHELD),
    }


def test_an_amendment_to_every_paragraph_of_a_part_shows_on_its_page_and_the_drafts(client, db):
    # A/80/L.28 (Ukraine, to A/80/L.3) and A/80/L.35 (Belarus, to A/80/L.27) each open with
    # "Replace “Chernobyl” with “Chornobyl” in the title, the preambular paragraphs and the
    # operative paragraphs" (the other way round in L.35): no paragraph numbered.
    import_ods("A_80_L.28.pdf", "A_80_L.35.pdf", "A_80_L.3.pdf", "A_80_L.27.pdf")
    replacing = (("A/80/L.28", "Chernobyl", "Chornobyl"), ("A/80/L.35", "Chornobyl", "Chernobyl"))
    for symbol, old, new in replacing:
        first = words(section(page(client, f"/r/{symbol}/"), "operations")).split(" 2. ")[0]
        assert f"“{old}”" in first and f"“{new}”" in first, first
        operations = client.get("/api/proceedings", {"key": symbol}).json()["amendment"]["operations"]
        assert [target["part"] for target in operations[0]["targets"]] == ["title", "preambular", "operative"]
    for draft in ("A/80/L.3", "A/80/L.27"):
        assert "amendment" in words(section(page(client, f"/r/{draft}/"), "amendments")).lower()
