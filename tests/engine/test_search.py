import random
import re
import threading
import time

import pytest
from conftest import all_hits
from django.db import connection

from search.engine.analysis import CJK_RUN, normalize
from search.engine.highlight import snippet
from search.engine.index import CURRENT, index_versions, rebuild_index, writer_lock
from search.engine.query import parse_query
from search.engine.searching import ranked_paragraphs, search_paragraphs
from search.ingest.store import ingest
from search.models import Paragraph
from search.parsing import ParsedDocument, ParsedParagraph

DRAFT = "draft-A-C.3-74-trafficking-coordination-zh"
ENGLISH_WORD = re.compile(r"[^\W_]+")


# The shared corpus index needs the test database even when only index tests run.
pytestmark = pytest.mark.django_db


_paragraphs: list[tuple] = []


@pytest.fixture
def corpus_index(corpus):
    """The corpus indexed; returns (key, text, normalised text) of every paragraph. Every
    test's corpus is the same rows: normalised once a process (0.13 s a test)."""
    if not _paragraphs:
        _paragraphs.extend(
            ((p.version.resolution.key, p.version.language, p.anchor), p.text, normalize(p.text).text)
            for p in Paragraph.objects.select_related("version__resolution")
        )
    return list(_paragraphs)


def keys(hits):
    return {(h["resolution"], h["language"], h["anchor"]) for h in hits}


def test_an_export_lists_the_hits_of_every_page_in_their_order_with_their_whole_text(corpus_index):
    texts = {key: text for key, text, _ in corpus_index}
    for q in ("trafficking", "会员国", "trafficking OR 贩运"):
        pages = [(h["resolution"], h["language"], h["anchor"]) for h in all_hits(q)]
        assert len(pages) > 100, q  # more than one page of 100
        exported = ranked_paragraphs(q, 5000)
        assert [(h["resolution"], h["language"], h["anchor"]) for h in exported] == pages
        assert all(h["text"] == texts[(h["resolution"], h["language"], h["anchor"])] for h in exported)
        assert ranked_paragraphs(q, 150) == exported[:150]
    assert ranked_paragraphs("", 10) == ranked_paragraphs("-trafficking", 10) == []


def containing(paragraphs, needle):
    return {key for key, _, norm in paragraphs if needle in norm}


def test_it_finds_simplified_paragraphs_for_a_traditional_query(corpus_index):
    expected = containing(corpus_index, "贩运人口")
    assert len(expected) > 20
    hits = all_hits("販運人口")
    assert keys(hits) >= expected
    assert "<mark>贩运人口</mark>" in hits[0]["snippet"]


def test_it_reads_full_width_digits_as_digits(corpus_index):
    assert keys(all_hits("２０２５")) == keys(all_hits("2025")) != set()


def test_it_lets_english_inflections_meet(corpus_index):
    found = [keys(all_hits(word)) for word in ("trafficked", "traffickers", "trafficking")]
    assert found[0] == found[1] == found[2]
    assert found[0] >= containing(corpus_index, "traffickers")


def test_it_finds_a_phrase_across_a_page_break(corpus_index):
    for q in ('"到 2025 年终止一切形式的使用童工"', "到2025年终止一切形式的使用童工"):
        hits = all_hits(q)
        assert [h["resolution"] for h in hits] == [DRAFT]
        assert "<mark>到 2025 年终止一切形式的使用童工</mark>" in hits[0]["snippet"]


def test_it_finds_text_that_jieba_segments_differently_from_the_query(corpus_index):
    for needle in ("七十二届会议", "重要性", "大限度"):
        expected = containing(corpus_index, needle)
        assert expected
        assert keys(all_hits(needle)) >= expected


@pytest.mark.parametrize(
    "q, symbol",
    [
        ("71/322", "A/RES/71/322"),
        ("a/res/71/322", "A/RES/71/322"),
        ("第 71/322 号", "A/RES/71/322"),
        ("E/RES/2013/41", "E/RES/2013/41"),
    ],
)
def test_it_puts_a_resolution_typed_by_symbol_first(corpus_index, q, symbol):
    symbols = [h["symbol"] for h in all_hits(q)]
    own = symbols.count(symbol)
    assert own > 20
    assert symbols[:own] == [symbol] * own


def test_it_matches_a_symbol_among_other_words_by_the_resolution_and_by_citations(corpus_index):
    hits = all_hits("71/322 trafficking lang:en")
    symbols = {h["symbol"] for h in hits}
    assert "A/RES/71/322" in symbols and len(symbols) > 1


def test_it_lists_the_paragraphs_that_cite_a_symbol_after_its_own(corpus_index):
    hits = all_hits("71/322")
    assert any(h["symbol"] != "A/RES/71/322" and "<mark>" in h["snippet"] for h in hits)


@pytest.mark.parametrize(
    "q, expected",
    [
        ("World Day against Trafficking in Persons", ("A/RES/74/176", "en", "op6")),
        ("器官移植", ("A/RES/71/322", "zh", "op3")),
        ("organ removal", ("A/RES/71/322", "en", "op1")),
        ("联合国毒品和犯罪问题办公室 判例法", ("E/RES/2013/41", "zh", "op10")),
        ("sexual violence conflict", ("A/RES/74/176", "en", "op16")),
        ('"Global Plan of Action"', ("A/RES/74/176", "en", "pp8")),
    ],
)
def test_it_ranks_the_paragraph_an_analyst_wants_in_the_top_five(corpus_index, q, expected):
    top = [(h["resolution"], h["language"], h["anchor"]) for h in search_paragraphs(q)["hits"][:5]]
    assert expected in top


def test_it_filters_by_symbol_language_kind_year_and_body(corpus_index):
    hits = all_hits("symbol:71/322 lang:en kind:operative year:2017 body:ga organ")
    assert hits
    assert {(h["symbol"], h["language"], h["kind"]) for h in hits} == {("A/RES/71/322", "en", "operative")}


def test_it_excludes_words_after_a_minus(corpus_index):
    hits = all_hits("trafficking -organs")
    assert hits
    assert not any(re.search(r"\borgans?\b", h["snippet"], re.I) for h in hits)
    assert len(hits) < len(all_hits("trafficking"))


def test_it_ors_words(corpus_index):
    either = keys(all_hits("童工 OR 器官"))
    assert either == keys(all_hits("童工")) | keys(all_hits("器官"))


def test_it_counts_facets_over_all_matches(corpus_index):
    result = search_paragraphs("trafficking OR 贩运", per_page=5)
    assert len(result["hits"]) == 5
    assert sum(result["facets"]["language"].values()) == result["total"]
    assert set(result["facets"]["language"]) == {"zh", "en"}


@pytest.mark.parametrize("q", ["OR", "-", "lang:", "symbol:", "((", "*", "\\", "-lang:zh", "-器官", "  ", ""])
def test_it_finds_nothing_for_a_query_of_syntax_or_exclusions_only(corpus_index, q):
    result = search_paragraphs(q)
    assert (result["total"], result["hits"]) == (0, [])
    assert not any(result["facets"].values())


def test_it_reads_words_that_look_like_syntax_as_words(corpus_index):
    # AND and NOT are words here; OR between them makes either do.
    expected = {key for key, _, norm in corpus_index if re.search(r"\b(and|not)\b", norm)}
    assert keys(all_hits("AND OR NOT")) == expected and len(expected) > 100
    # An unknown filter is a word: "a:b:c" is the phrase "a b c".
    assert keys(all_hits("a:b:c")) == keys(all_hits('"a b c"'))


def test_it_reads_broken_syntax_literally(corpus_index):
    assert keys(all_hits('"贩运人口')) == keys(all_hits("贩运人口"))


def test_it_finds_every_paragraph_that_contains_the_query(corpus_index):
    """Recall against a substring oracle: 100 % is the bar."""
    rng = random.Random(322)
    zh = [norm for key, _, norm in corpus_index if key[1] == "zh"]
    en = [norm for key, _, norm in corpus_index if key[1] == "en"]
    queries = set()
    while len(queries) < 200:
        runs = [m.group() for m in CJK_RUN.finditer(rng.choice(zh)) if len(m.group()) >= 2]
        if runs:
            run = rng.choice(runs)
            size = rng.randint(2, min(8, len(run)))
            start = rng.randrange(len(run) - size + 1)
            queries.add(run[start : start + size])
    english = set()
    while len(english) < 100:
        words = ENGLISH_WORD.findall(rng.choice(en))
        size = rng.randint(1, 3)
        if len(words) >= size:
            start = rng.randrange(len(words) - size + 1)
            english.add(" ".join(words[start : start + size]))

    missed = []
    for q in queries:
        missing = containing(corpus_index, q) - keys(all_hits(q))
        if missing:
            missed.append((q, missing))
    for q in english:
        # A paragraph contains English words when it has them in a row, whole.
        pattern = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, q.split())) + r"(?![^\W_])")
        expected = {key for key, _, norm in corpus_index if pattern.search(norm)}
        missing = expected - keys(all_hits(q))
        if missing:
            missed.append((q, missing))
    assert missed == []


def test_it_ranks_whole_word_matches_first(corpus_index):
    hits = search_paragraphs("性暴力")["hits"]
    assert hits and "<mark>性暴力</mark>" in hits[0]["snippet"]
    assert search_paragraphs("Member States lang:en")["hits"][0]["language"] == "en"


def test_it_escapes_document_text_and_marks_only_matches():
    text = "<script>alert(1)</script> 贩运人口 & “quotes”"
    html = snippet(text, parse_query("販運人口").units)
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>贩运人口</mark> &amp; “quotes”"


def test_it_shows_a_window_of_a_long_paragraph_around_the_match():
    text = "前" * 300 + "贩运人口" + "后" * 300
    html = snippet(text, parse_query("贩运人口").units)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>贩运人口</mark>" in html
    assert len(html) < 260


@pytest.mark.django_db(transaction=True)
def test_it_indexes_a_document_when_its_ingest_commits():
    parsed = ParsedDocument(
        language="en",
        title="Test resolution",
        paragraphs=[
            ParsedParagraph(
                "op1", "operative", "OP 1", "执行部分第1段", "Condemns <script>alert(1)</script> zyxwv", "1"
            )
        ],
    )
    ingest(parsed, b"test bytes", "test.txt", key="test-resolution", body="GA")
    result = search_paragraphs("zyxwv")
    assert result["total"] == 1
    hit = result["hits"][0]
    assert hit["symbol"] is None
    assert (hit["resolution"], hit["anchor"], hit["label"]) == ("test-resolution", "op1", "OP 1")
    assert "&lt;script&gt;" in hit["snippet"] and "<script>" not in hit["snippet"]
    assert "<mark>zyxwv</mark>" in hit["snippet"]


@pytest.mark.django_db(transaction=True)
def test_it_replaces_a_version_in_the_index_when_it_is_loaded_again():
    def load(words):
        paragraph = ParsedParagraph("op1", "operative", "OP 1", "执行部分第1段", words, "1")
        parsed = ParsedDocument(language="zh", title="测试", paragraphs=[paragraph])
        ingest(parsed, words.encode(), "test.txt", key="test-resolution")

    load("旧的案文")
    load("新的案文")
    assert search_paragraphs("旧的")["total"] == 0
    assert search_paragraphs("案文")["total"] == 1


def test_it_serves_results_as_json(corpus_index, client):
    response = client.get("/api/search", {"q": '"販運人口" lang:zh', "page": "2"})
    assert response.status_code == 200
    data = response.json()
    expected = {key for key, _, norm in corpus_index if key[1] == "zh" and "贩运人口" in norm}
    assert (data["page"], data["per_page"], data["total"]) == (2, 20, len(expected))
    assert len(data["hits"]) == min(20, len(expected) - 20) and len(expected) > 20
    hit = data["hits"][0]
    assert (hit["resolution"], hit["language"], hit["anchor"]) in expected
    assert hit["url"] == f"http://testserver/r/{hit['resolution']}/#{hit['anchor']}"
    assert hit["source_url"] == (f"https://undocs.org/ch/{hit['symbol']}" if hit["symbol"] else None)
    facets = {
        "language",
        "body",
        "session",
        "committee",
        "year",
        "doc_type",
        "kind",
        "wording",
        "vote",
        "contested",
        "agenda",
        "asks",
        "deliverable",
        "due",
    }
    assert set(data["facets"]) == facets
    assert data["facets"]["language"] == {"zh": len(expected)}


def test_the_api_says_what_is_wrong_with_its_parameters(corpus_index, client):
    for page in ("x", "0", "1001"):
        response = client.get("/api/search", {"q": "贩运人口", "page": page})
        assert response.status_code == 400
        assert response.json()["error"].startswith("page: ")
    assert client.get("/api/search", {"q": ""}).json()["total"] == 0


@pytest.mark.django_db
def test_it_swaps_a_rebuilt_index_in_and_keeps_only_the_previous_one(index_dir):
    rebuild_index()
    first = (index_dir / CURRENT).resolve()
    rebuild_index()
    rebuild_index()
    assert (index_dir / CURRENT).resolve() != first
    assert len(list(index_dir.glob("gen-*"))) == 2


@pytest.mark.django_db
def test_it_makes_a_second_writer_wait_instead_of_failing(index_dir):
    rebuild_index()
    done = threading.Event()
    errors = []

    def write():
        try:
            index_versions([1])
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connection.close()
        done.set()

    with writer_lock():
        thread = threading.Thread(target=write)
        thread.start()
        time.sleep(0.3)
        assert not done.is_set()
    thread.join(10)
    assert done.is_set() and errors == []


def test_it_marks_a_phrase_or_a_symbol_where_its_words_stand_together(corpus_index):
    hit = next(h for h in search_paragraphs('"trafficking in persons" lang:en')["hits"])
    assert "<mark>trafficking in persons</mark>" in hit["snippet"].lower()
    assert "<mark>in</mark>" not in hit["snippet"] and "<mark>a</mark>" not in hit["snippet"]
    cited = search_paragraphs("A/RES/74/176")["hits"]
    assert cited and all("<mark>a</mark>" not in h["snippet"].lower() for h in cited)


def test_organ_does_not_find_the_world_health_organization(corpus_index):
    hits = all_hits("organ lang:en")
    assert hits
    assert all(re.search(r"\borgans?\b", h["snippet"], re.I) for h in hits)
    organization = keys(all_hits("organization lang:en"))
    only_organization = {
        k for k, _, norm in corpus_index if "organization" in norm and not re.search(r"\borgans?\b", norm)
    }
    assert only_organization and only_organization <= organization
    assert not only_organization & keys(hits)


def test_a_query_mixing_chinese_and_english_finds_paragraphs_with_both(corpus_index):
    hits = all_hits("决议草案 A/C.3/79/L.3")
    assert ("report-79-third-committee-item-107", "zh", "para8") in keys(hits)
    expected = {k for k, _, norm in corpus_index if "决议草案" in norm and "a/c.3/79/l.3" in norm}
    assert expected and expected <= keys(hits)


def test_it_filters_and_counts_by_session_committee_and_document_type(corpus_index):
    from search.models import Resolution
    from search.web.results import facet_links

    by_key = {r.key: r for r in Resolution.objects.all()}
    hits = all_hits("trafficking session:74th")
    assert hits and {by_key[h["resolution"]].session_number() for h in hits} == {"74"}
    hits = all_hits("trafficking committee:c3")
    assert hits and {by_key[h["resolution"]].committee for h in hits} == {"C3"}
    hits = all_hits("贩运 type:draft_resolution")
    assert hits and {h["resolution"] for h in hits} == {
        k for k, r in by_key.items() if r.doc_type == "draft_resolution"
    } & {h["resolution"] for h in all_hits("贩运")}
    result = search_paragraphs("trafficking OR 贩运")
    assert set(result["facets"]["session"]) <= {"71", "72", "74", "79", "2013"}
    groups = {
        g["name"]: g["values"] for g in facet_links(result["facets"], parse_query("trafficking OR 贩运"))
    }
    assert [v["label"] for v in groups["Session"]][:2] == ["79th session", "74th session"]
    committee = {v["label"]: v["url"] for v in groups["Committee"]}
    assert committee["Third Committee"].endswith("committee%3AC3")
    assert "Plenary, without reference to a Main Committee" in committee


def test_the_same_wording_ranks_adopted_resolutions_first_then_newer_before_older():
    wording = "Encourages Member States to strengthen qwertyuiop cooperation against trafficking in persons;"
    for key, doc_type, adopted_on in [
        ("draft-2024", "draft_resolution", None),  # its session's year: 2024
        ("A/RES/74/1", "resolution", "2019-12-18"),
        ("A/RES/78/1", "resolution", "2023-12-19"),
        ("report-2025", "report", "2025-01-10"),
    ]:
        paragraph = ParsedParagraph("op1", "operative", "OP 1", "执行部分第1段", wording, "1")
        parsed = ParsedDocument(language="en", title=key, paragraphs=[paragraph], body="GA", session="79")
        ingest(parsed, key.encode(), "t.txt", key=key, doc_type=doc_type, adopted_on=adopted_on)
    rebuild_index()
    ranked = [h["resolution"] for h in search_paragraphs("qwertyuiop cooperation")["hits"]]
    assert ranked == ["A/RES/78/1", "A/RES/74/1", "report-2025", "draft-2024"]
    assert [h["resolution"] for h in search_paragraphs("qwertyuiop", sort="oldest")["hits"]] == [
        "A/RES/74/1",
        "A/RES/78/1",
        "draft-2024",
        "report-2025",
    ]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_it_sorts_by_date_and_keeps_relevance_as_the_default(corpus_index, sort):
    from search.models import Resolution

    years = {r.key: r.year() or 0 for r in Resolution.objects.all()}
    hits = all_hits_sorted("trafficking OR 贩运", sort)
    seen = [years[h["resolution"]] for h in hits if years[h["resolution"]]]
    assert len(set(seen)) > 2
    assert seen == sorted(seen, reverse=sort == "newest")
    assert len(hits) == search_paragraphs("trafficking OR 贩运")["total"]


def all_hits_sorted(q, sort):
    hits, page = [], 1
    while True:
        result = search_paragraphs(q, page=page, per_page=100, sort=sort)
        hits += result["hits"]
        if page * 100 >= result["total"]:
            return hits
        page += 1


def test_it_filters_by_a_range_of_years(corpus_index):
    from search.models import Resolution

    years = {r.key: r.year() for r in Resolution.objects.all()}
    hits = all_hits("trafficking OR 贩运 year:2014..2017")
    assert hits and {years[h["resolution"]] for h in hits} <= {2014, 2015, 2016, 2017}
    assert keys(all_hits("trafficking OR 贩运 year:2017-2014")) == keys(hits)
    everything = all_hits("trafficking OR 贩运")
    assert len(hits) == sum(1 for h in everything if 2014 <= (years[h["resolution"]] or 0) <= 2017)


def test_a_year_range_is_kept_within_the_years_there_are_resolutions():
    from search.engine.query import parse_query

    assert len(parse_query("x year:9999..0000").filters["year"]) == 2100 - 1946 + 1
    assert parse_query("x year:1900..1920").filters["year"] == ["none"]  # finds nothing
