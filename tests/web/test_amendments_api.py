"""The API gives what amendments do, the facts the pages show: for an amendment its
operations (kind, target paragraphs and draft, quoted words, outcome and vote, withheld
where the record contradicts itself); for a draft, the amendments that target each of its
paragraphs. Expectations read from the PDFs of corpus/ods (the amendments' words) and
corpus/proceedings/80 (their votes)."""

import pytest
from conftest import session_stored
from django.db import connection
from django.test.utils import CaptureQueriesContext

PDFS = (
    "A_C.3_80_L.56.pdf",  # adds a paragraph after OP 3 of A/C.3/80/L.2; adopted 63–41–52
    "A_C.3_80_L.2.pdf",
    "A_C.3_80_L.58.pdf",  # deletes words of PP 28 of A/C.3/80/L.50; not adopted 17–87–45
    "A_C.3_80_L.50.pdf",
    "A_80_L.19.pdf",  # deletes PP 38 of A/80/L.18; 14–84–47, no outcome recorded
    "A_80_L.20.pdf",  # deletes OP 9 of A/80/L.18; 15–83–47, no outcome recorded
    "A_80_L.18.pdf",
    "A_80_L.31.pdf",  # inserts words in OP 68 of A/80/L.25 (not here); no vote recorded
    "A_80_L.38.pdf",  # 113–51–2 NOT-ADOPTED: the import withholds it
)
L56 = (
    "Notes with alarm that the Russian Federation has sought to justify its territorial aggression against"
    " Ukraine on the purported basis of eliminating neo-Nazism, and underlines that the pretextual use of"
    " neo-Nazism to justify territorial aggression seriously undermines genuine attempts to combat"
    " neo-Nazism;"
)


@pytest.fixture(scope="module")
def session_rows(django_db_setup, django_db_blocker):
    """The amendments, the drafts and the proceedings, stored once for the module in a
    transaction rolled back at its end."""
    with session_stored(django_db_blocker, *PDFS):
        yield


@pytest.fixture
def session(session_rows, db):
    pass


def api(client, key, language="en", **params):
    response = client.get("/api/proceedings", {"key": key, **params}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


def test_it_gives_an_amendments_operation_target_and_vote(client, session):
    data = api(client, "A/C.3/80/L.56")
    found = data["amendment"]

    assert (found["symbol"], found["amends"], found["language"]) == ("A/C.3/80/L.56", "A/C.3/80/L.2", "en")
    assert found["draft"] == {
        "key": "A/C.3/80/L.2",
        "symbol": "A/C.3/80/L.2",
        "url": "http://testserver/r/A/C.3/80/L.2/",
    }
    assert found["sponsors"][:3] == ["Albania", "Australia", "Japan"] and len(found["sponsors"]) == 8
    assert found["outcome"] == {
        "record": "given",
        "result": "ADOPTED",
        "voting": "recorded",
        "yes": 63,
        "no": 41,
        "abstain": 52,
        "text": "adopted 63–41–52",
    }
    (operation,) = found["operations"]
    assert (operation["kind"], operation["position"], operation["new_part"]) == ("add", "after", "operative")
    assert operation["targets"] == [
        {
            "anchor": "op3",
            "part": "operative",
            "label": "OP 3",
            "document": "A/C.3/80/L.2",
            "url": "http://testserver/r/A/C.3/80/L.2/#op3",
        }
    ]
    assert operation["paragraphs"] == [L56]
    assert operation["description"] == f"add a new paragraph after OP 3: “{L56}”"
    assert data["amendments"] is None  # nothing amends an amendment


def test_it_gives_the_words_an_amendment_deletes_and_that_it_was_rejected(client, session):
    found = api(client, "A/C.3/80/L.58")["amendment"]

    (operation,) = found["operations"]
    assert (operation["kind"], operation["scope"]) == ("delete", "words")
    assert [t["anchor"] for t in operation["targets"]] == ["pp28"]
    assert operation["old"].startswith("and recalling the relevant provisions of the Rome Statute")
    assert operation["old"].endswith("of the civilian population as war crimes,")
    assert (found["outcome"]["result"], found["outcome"]["yes"], found["outcome"]["no"]) == (
        "NOT-ADOPTED",
        17,
        87,
    )
    assert found["outcome"]["text"] == "rejected 17–87–45"


def test_it_gives_a_plenary_amendments_words_where_its_draft_is_not_here(client, session):
    found = api(client, "A/80/L.31")["amendment"]

    assert (found["amends"], found["draft"]) == ("A/80/L.25", None)
    (operation,) = found["operations"]
    assert (operation["kind"], operation["position"]) == ("insert", "after")
    assert operation["targets"] == [
        {"anchor": "op68", "part": "operative", "label": "OP 68", "document": "A/80/L.25", "url": None}
    ]
    assert operation["placed_by"] == "including sexual and reproductive health"
    assert operation["new"] == (
        "in accordance with the Programme of Action of the International Conference on Population and"
        " Development and its review outcomes as adopted by the General Assembly,"
    )
    # c5-proposals.json lists A/80/L.31 with no vote and no outcome.
    assert found["outcome"]["record"] == "not_recorded"
    assert found["outcome"]["text"] == "outcome not recorded"


def test_it_gives_counts_recorded_without_an_outcome_as_such(client, session):
    found = api(client, "A/80/L.19")["amendment"]

    (operation,) = found["operations"]
    assert (operation["kind"], operation["scope"]) == ("delete", "paragraphs")
    assert operation["targets"][0]["anchor"] == "pp38"
    assert operation["targets"][0]["url"] == "http://testserver/r/A/80/L.18/#pp38"
    # c5-proposals.json: VoteY 14, VoteN 84, VoteAbstain 47 and no Outcome.
    assert found["outcome"] == {
        "record": "given",
        "result": None,
        "voting": "recorded",
        "yes": 14,
        "no": 84,
        "abstain": 47,
        "text": "voted 14–84–47, outcome not recorded",
    }


def test_it_withholds_a_vote_whose_record_contradicts_itself(client, session):
    # c5-proposals.json: A/80/L.38 113 in favour, 51 against, yet NOT-ADOPTED.
    found = api(client, "A/80/L.38")["amendment"]

    assert found["outcome"] == {
        "record": "withheld",
        "result": None,
        "voting": None,
        "yes": None,
        "no": None,
        "abstain": None,
        "text": "outcome not shown: its record contradicts itself",
    }
    (operation,) = found["operations"]
    assert operation["kind"] == "delete"
    assert [t["label"] for t in operation["targets"]] == ["PP 21", "OP 35", "OP 38", "OP 39"]


def test_it_gives_a_draft_the_amendments_that_target_each_paragraph(client, session):
    data = api(client, "A/80/L.18")

    assert data["amendment"] is None
    assert [a["symbol"] for a in data["amendments"]] == ["A/80/L.19", "A/80/L.20"]
    assert data["amendments_by_paragraph"] == {
        "pp38": [{"amendment": "A/80/L.19", "operation": 1}],
        "op9": [{"amendment": "A/80/L.20", "operation": 1}],
    }
    l20 = data["amendments"][1]
    assert l20["operations"][0]["description"] == "delete OP 9"
    assert (l20["outcome"]["yes"], l20["outcome"]["no"], l20["outcome"]["abstain"]) == (15, 83, 47)
    other = api(client, "A/C.3/80/L.2")["amendments_by_paragraph"]
    assert other == {"op3": [{"amendment": "A/C.3/80/L.56", "operation": 1}]}


def test_it_says_it_in_chinese_where_the_interface_is(client, session):
    found = api(client, "A/C.3/80/L.58", "zh-hans")["amendment"]

    assert found["sponsors"] == ["俄罗斯联邦"]
    assert found["outcome"]["text"] == "以17票赞成、87票反对、45票弃权被否决"
    assert found["operations"][0]["targets"][0]["label"] == "序言部分第28段"
    assert found["language"] == "en"  # the only version here: its words are English


def test_it_reads_the_version_asked_for_where_here_and_refuses_an_unknown_language(client, session):
    # Only the English version of A/C.3/80/L.56 is here: asked for Chinese, its words stay English.
    found = api(client, "A/C.3/80/L.56", lang="zh")["amendment"]
    assert found["language"] == "en" and found["operations"][0]["paragraphs"] == [L56]
    response = client.get("/api/proceedings", {"key": "A/C.3/80/L.56", "lang": "fr"})
    assert response.status_code == 400
    assert response.json() == {"error": "lang must be en or zh, not 'fr'"}


def test_its_queries_do_not_grow_with_the_amendments(client, session):
    def queries(key):
        with CaptureQueriesContext(connection) as captured:
            api(client, key)
        return len(captured)

    # A/C.3/80/L.2 has one amendment, A/80/L.18 two.
    assert queries("A/80/L.18") == queries("A/C.3/80/L.2")
