"""A resolution's page, a draft's page and the API show the proceedings: how it was
adopted, its main sponsors, its stages, a separate vote beside its paragraph; in English
and in Chinese. Expectations read from corpus/proceedings/80/c3-proposals.json and the PDFs."""

import io
import re

import pytest
from conftest import session_stored
from django.conf import settings
from django.core.management import call_command

PROCEEDINGS = f"{settings.BASE_DIR}/corpus/proceedings"


def import_proceedings(path=PROCEEDINGS):
    call_command("import_proceedings", str(path), stdout=io.StringIO())


@pytest.fixture(scope="module")
def session_rows(django_db_setup, django_db_blocker):
    """The documents and the proceedings, stored once for the module in a transaction
    rolled back at its end; each test runs in a savepoint inside it (conftest's
    WHOLE_MODULES sends the module to one worker)."""
    with session_stored(
        django_db_blocker, "A_C.3_80_L.2.pdf", "A_RES_80_192.pdf", "A_RES_80_191.pdf", "A_RES_80_196.pdf"
    ):
        yield


@pytest.fixture
def session(session_rows, db):
    pass


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def section(client, url, language="en") -> str:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return html.split('id="proceedings"')[1].split("</section>")[0]


def row(client, url, anchor, language="en") -> str:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return html.split(f'id="{anchor}"')[1].split('<div class="row')[0]


def test_it_shows_how_80_192_was_adopted_and_its_separate_vote_beside_op_4(client, session):
    shown = words(section(client, "/r/A/RES/80/192/"))
    assert (
        "Adopted on 15 December 2025 at the 62nd plenary meeting by a recorded vote of 119 to 51, with 10"
        " abstentions; in the Third Committee 114–52–12 on 14 November 2025 (44th meeting)." in shown
    )
    assert (
        "15 December 2025 · Adoption by the General Assembly · A/RES/80/192 · 62nd plenary meeting" in shown
    )
    vote = "Separate vote in plenary on 15 December 2025: retained, 64 in favour, 42 against, 54 abstentions"
    assert vote in words(row(client, "/r/A/RES/80/192/", "op4"))
    assert vote not in words(row(client, "/r/A/RES/80/192/", "op3"))
    assert vote not in words(row(client, "/r/A/RES/80/192/", "op5"))


def test_its_timeline_links_every_document_here_and_the_rest_to_undocs(client, session):
    html = section(client, "/r/A/RES/80/192/")
    assert '<a href="/r/A/C.3/80/L.2/">A/C.3/80/L.2</a>' in html
    assert '<a href="/r/A/RES/80/192/">A/RES/80/192</a>' in html
    assert '<a href="https://undocs.org/en/A/80/545" rel="external">A/80/545, draft resolution 18</a>' in html
    assert words(section(client, "/r/A/C.3/80/L.2/")) == words(html)  # the draft's page shows its stages


def test_it_shows_the_main_sponsors_by_their_un_names(client, session):
    assert "Main sponsors: Bolivia (Plurinational State of)" in words(section(client, "/r/A/RES/80/191/"))
    assert "主要提案国： 多民族玻利维亚国" in words(section(client, "/r/A/RES/80/191/", "zh-hans"))


def test_it_says_adopted_without_a_vote(client, session):
    assert (
        "Adopted on 18 December 2025 at the 69th plenary meeting without a vote; in the Third Committee"
        " without a vote on 18 November 2025 (46th meeting)." in words(section(client, "/r/A/RES/80/196/"))
    )


def test_the_same_in_chinese(client, session):
    shown = words(section(client, "/r/A/RES/80/192/", "zh-hans"))
    assert (
        "2025年12月15日在第62次全体会议上以119票赞成、51票反对、10票弃权的记录表决通过；"
        "第三委员会于2025年11月14日（第44次会议）以114票赞成、52票反对、12票弃权通过。" in shown
    )
    assert "2025年12月15日在全体会议上单独表决：以64票赞成、42票反对、54票弃权保留" in words(
        row(client, "/r/A/RES/80/192/", "op4", "zh-hans")
    )
    assert "2025年9月18日 · 提交 · A/C.3/80/L.2" in shown


def test_the_api_gives_the_same_facts(client, session):
    data = client.get("/api/proceedings", {"key": "A/RES/80/192"}).json()
    proceedings = data["proceedings"]
    plenary = proceedings["stages"][-1]
    assert (plenary["document"], plenary["voting"], plenary["yes"], plenary["no"], plenary["abstain"]) == (
        "A/RES/80/192",
        "recorded",
        119,
        51,
        10,
    )
    assert (plenary["date"], plenary["meeting"], plenary["outcome"]) == ("2025-12-15", 62, "ADOPTED")
    assert plenary["separate_votes"] == [
        {"anchors": ["op4"], "yes": 64, "no": 42, "abstain": 54, "outcome": "ADOPTED"}
    ]
    assert proceedings["adoption"].startswith("Adopted on 15 December 2025 at the 62nd plenary meeting")
    assert list(proceedings["separate_votes"]) == ["op4"]
    assert client.get("/api/proceedings", {"key": "A/RES/1/1"}).status_code == 404


def test_a_new_import_reaches_a_page_built_before(client, session, tmp_path):
    assert "119 to 51" in section(client, "/r/A/RES/80/192/")
    changed = (settings.BASE_DIR / "corpus/proceedings/80/c3-proposals.json").read_text(encoding="utf-8")
    (tmp_path / "80").mkdir()
    (tmp_path / "80" / "c3-proposals.json").write_text(changed.replace('"VoteY": 119', '"VoteY": 118'))
    import_proceedings(tmp_path)
    assert "118 to 51" in section(client, "/r/A/RES/80/192/")


def entry(html: str, stage: str) -> str:
    return next(item for item in html.split("<li>") if stage in item)


def test_a_committees_adoption_links_its_draft_and_resolution_when_the_report_is_not_here(client, session):
    # c3-proposals.json: L.2 submitted, adopted as "A/80/545 DR 18" (the report is not in
    # corpus/ods), then as 80/192.
    adopted = entry(section(client, "/r/A/RES/80/192/"), "Adoption by the Main Committee")
    assert (
        '<a href="https://undocs.org/en/A/80/545" rel="external">A/80/545, draft resolution 18</a>' in adopted
    )
    assert '<a href="/r/A/C.3/80/L.2/">A/C.3/80/L.2</a>' in adopted
    assert '<a href="/r/A/RES/80/192/">A/RES/80/192</a>' in adopted
    assert "the draft: A/C.3/80/L.2 became A/RES/80/192" in words(adopted)
    zh = entry(section(client, "/r/A/RES/80/192/", "zh-hans"), "主要委员会")
    assert "草案： A/C.3/80/L.2 通过为 A/RES/80/192" in words(zh)
    # 80/191's draft (A/C.3/80/L.22/Rev.1) is not here: its resolution alone.
    adopted = entry(section(client, "/r/A/RES/80/191/"), "Adoption by the Main Committee")
    assert "the draft:" not in adopted and "became A/RES/80/191" in words(adopted)
    data = client.get("/api/proceedings", {"key": "A/RES/80/192"}).json()["proceedings"]
    committee = next(e for e in data["timeline"] if e["symbol"] == "A/80/545, draft resolution 18")
    assert committee["draft"] == {"symbol": "A/C.3/80/L.2", "url": "/r/A/C.3/80/L.2/"}
    assert committee["became"] == {"symbol": "A/RES/80/192", "url": "/r/A/RES/80/192/"}


def test_the_plenarys_separate_vote_is_not_put_beside_a_draft_numbered_otherwise(client, session):
    # L.2 has 74 OPs, 80/192 75 (an amendment inserted OP 4): L.2's OP 4 was not voted on.
    assert "Separate vote" not in words(row(client, "/r/A/C.3/80/L.2/", "op4"))
