"""The issue's two questions, on the resolutions that answer them (two official PDFs of
corpus/ods/ beside the manifest corpus): both find what the resolutions say."""

import re

import pytest
from conftest import corpus_and_pdfs, read_index

from search.engine.searching import search_paragraphs

# A/RES/80/211 on internally displaced persons; A/RES/80/183 on child, early and forced
# marriage; A/RES/80/188 on assistance to refugees in Africa; A/RES/80/212 on the
# Centre for Human Rights and Democracy in Central Africa.
PDFS = ["A_RES_80_211.pdf", "A_RES_80_183.pdf", "A_RES_80_188.pdf", "A_RES_80_212.pdf"]


@pytest.fixture(scope="module")
def questions_index(django_db_setup, django_db_blocker, tmp_path_factory):
    with corpus_and_pdfs(django_db_blocker, tmp_path_factory.mktemp("questions-index"), PDFS) as path:
        yield path


@pytest.fixture
def questions_corpus(db, questions_index, settings):
    read_index(settings, questions_index)


def plain(hit):
    return re.sub(r"</?mark>", "", hit["snippet"])


def test_it_answers_how_states_can_protect_internally_displaced_persons(questions_corpus):
    result = search_paragraphs("How can States protect internally displaced persons?")

    assert not result["partial"] and result["complete"] >= 3
    # Those with every word come first (those with most of them follow).
    complete = result["hits"][: result["complete"]]
    assert all(h["symbol"] == "A/RES/80/211" for h in complete)
    assert all("internally displaced persons" in plain(h) for h in complete)


def test_it_answers_what_the_general_assembly_says_about_child_marriage(questions_corpus):
    result = search_paragraphs("what does the General Assembly say about child marriage?")

    assert result["hits"]
    # Its paragraphs on child, early and forced marriage are among the first.
    assert any(
        "early and forced marriage" in plain(h) for h in result["hits"][:3] if h["symbol"] == "A/RES/80/183"
    )


def test_most_of_the_words_rank_by_how_well_they_match_not_by_the_rarest_words_alone(questions_corpus):
    result = search_paragraphs("how are refugees in Africa assisted?")

    # Few paragraphs have refugees, Africa and assist: those with two of them follow,
    # ranked by BM25 scaled by the share of the query they hold. Ordering them by that
    # share alone put "assist all countries in Central Africa" (A/RES/80/212: Africa and
    # assist, a little rarer) above the resolution on refugees in Africa.
    assert result["complete"] < 5
    first = [h["symbol"] for h in result["hits"][:5]]
    assert first.count("A/RES/80/188") >= 4 and first.count("A/RES/80/212") <= 1
