"""The names of the main sponsors as the proceedings publish them (in capitals), shown and
filed by their UN names (search.engine.state_names). Expectations: the UNTERM names of the
shared table (../shared/countries/un-names.csv), of the two rows kept apart
(state_names_added.csv: Côte d'Ivoire, Türkiye) and the spellings of
corpus/proceedings/80/*.json."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from search.engine.state_names import (
    ADDED_NAMES,
    ON_BEHALF,
    STATE_NAMES,
    proper_case,
    sponsor_name,
    sponsor_terms,
    state_name,
)
from search.parsing import parse_proceedings

SESSION = Path(settings.BASE_DIR) / "corpus" / "proceedings" / "80"


@pytest.mark.parametrize(
    ("published", "english", "chinese"),
    [
        ("CÔTE D'IVOIRE", "Côte d'Ivoire", "科特迪瓦"),
        ("TÜRKİYE", "Türkiye", "土耳其"),
        (
            "UNITED KINGDOM",
            "United Kingdom of Great Britain and Northern Ireland",
            "大不列颠及北爱尔兰联合王国",
        ),
        ("BOLIVIA (PLURINATIONAL STATE OF)", "Bolivia (Plurinational State of)", "多民族玻利维亚国"),
    ],
)
def test_it_names_the_states_the_proceedings_write_in_capitals(published, english, chinese):
    assert (state_name(published, "en"), state_name(published, "zh")) == (english, chinese)


def test_every_main_sponsor_of_the_80th_session_has_its_un_names():
    unnamed = set()
    for path in sorted(SESSION.glob("c*-proposals.json")):
        proposals, _ = parse_proceedings(path.read_bytes(), path.name)
        for name in (n for p in proposals for n in p.sponsors):
            state = ON_BEHALF.match(name)["state"] if ON_BEHALF.match(name) else name
            if state_name(state, "zh") == proper_case(state):  # not found: shown as published
                unnamed.add(state)
    assert unnamed == set()


def test_a_state_no_table_knows_is_shown_as_published_in_proper_case_in_both_languages():
    assert state_name("REPUBLIC OF ATLANTIS (THE)", "en") == "Republic of Atlantis (the)"
    assert state_name("REPUBLIC OF ATLANTIS (THE)", "zh") == "Republic of Atlantis (the)"
    assert proper_case("Côte d'Ivoire") == "Côte d'Ivoire"  # small letters: as it is


def test_sponsor_filters_find_them_by_either_name():
    assert {"côte d'ivoire", "科特迪瓦"} <= set(sponsor_terms("CÔTE D'IVOIRE"))
    assert {"türkiye", "土耳其"} <= set(sponsor_terms("TÜRKİYE"))
    assert {"united kingdom", "大不列颠及北爱尔兰联合王国"} <= set(sponsor_terms("UNITED KINGDOM"))
    assert sponsor_name("UNITED KINGDOM", "zh") == "大不列颠及北爱尔兰联合王国"


def test_the_rows_kept_apart_are_those_the_shared_table_lacks():
    def codes(path):
        with path.open(encoding="utf-8", newline="") as rows:
            return [row["ISO3166-1-Alpha-3"] for row in csv.DictReader(rows)]

    assert codes(ADDED_NAMES) == ["CIV", "TUR"]
    assert not set(codes(ADDED_NAMES)) & set(codes(STATE_NAMES))
