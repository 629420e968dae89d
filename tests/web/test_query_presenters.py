"""The search page's presenters read the engine's parsed query, never the typed text again:
the chips, "remove this filter" links and facets say what the engine applies (suggestions:
test_suggestions.py)."""

import pytest
from django.utils import translation

from search.engine.query import parse_query
from search.web.results import facet_links, filter_chips, search_url


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def chips(q: str, **options) -> dict[str, str]:
    return {chip["label"]: chip["remove_url"] for chip in filter_chips(parse_query(q), **options)}


def test_it_shows_each_filter_as_a_chip_that_removes_itself():
    q = "organ -lang:zh session:74th body:ga committee:C3 year:..2000 type:draft_resolution symbol:71/322"
    assert chips(q, sort="newest") == {
        "Language: − Chinese": search_url(q.replace(" -lang:zh", ""), sort="newest"),
        "Session: 74th session": search_url(q.replace(" session:74th", ""), sort="newest"),
        "Body: General Assembly": search_url(q.replace(" body:ga", ""), sort="newest"),
        "Committee: Third Committee": search_url(q.replace(" committee:C3", ""), sort="newest"),
        "Year: –2000": search_url(q.replace(" year:..2000", ""), sort="newest"),
        "Document type: Draft resolution": search_url(q.replace(" type:draft_resolution", ""), sort="newest"),
        "Symbol: 71/322": search_url(q.replace(" symbol:71/322", ""), sort="newest"),
    }


def test_a_chip_shows_a_value_it_has_no_name_for_as_typed():
    assert list(chips("organ committee:plenary kind:x year:2019..2023")) == [
        "Committee: plenary",
        "Paragraph kind: x",
        "Year: 2019–2023",
    ]


def test_the_chips_are_the_filters_the_engine_applies():
    # A name that is no filter is searched as words: no chip.
    assert chips("organ foo:bar") == {}
    # Inside a phrase "lang:zh" is words: no chip, no filter.
    assert chips('"a lang:zh b"') == {} and parse_query('"a lang:zh b"').filters == {}
    # A full-width colon (typed with a Chinese input method) is read as a colon: a filter and its chip.
    assert parse_query("贩运人口 lang：zh").filters == {"language": ["zh"]}
    assert chips("贩运人口 lang：zh") == {"Language: Chinese": search_url("贩运人口")}


def test_a_facet_value_is_active_when_the_query_narrows_by_it():
    facets = {"language": {"en": 3, "zh": 2}, "body": {"GA": 1}}
    query = parse_query("organ LANG:EN -body:ga")
    linked = facet_links(facets, query, per_page=50)
    groups = {g["name"]: {v["label"]: v for v in g["values"]} for g in linked}
    assert groups["Language"]["English"]["active"] and not groups["Language"]["Chinese"]["active"]
    assert not groups["Body"]["General Assembly"]["active"]  # excluded, not narrowed to
    assert groups["Language"]["Chinese"]["url"] == search_url("organ LANG:EN -body:ga lang:zh", per_page=50)
