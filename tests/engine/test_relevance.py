"""The relevance set on real documents (bench/relevance.toml): each query's must-have in the top five.

The index holds the manifest corpus and only the official PDFs the set's must-haves
are in (corpus/ods/), so rankings here can differ from those of `python -m bench.relevance`
over all 228 PDFs: the README gives those.
"""

from pathlib import Path

import pytest
from conftest import corpus_and_pdfs, read_index
from django.conf import settings

from bench.relevance import load_set, top_five
from search.models import Paragraph

ODS = Path(settings.BASE_DIR) / "corpus" / "ods"

# The documents holding at least one must-have of every query the manifest corpus cannot
# answer, and those whose paragraphs outrank a must-have over all 228 PDFs (78/207, 80/226
# and the drafts L.8 and L.27), so that the misses below are those of the real corpus.
PDFS = [
    "A_C.3_80_L.8.pdf",
    "A_C.3_80_L.27.pdf",
    "A_C.3_80_L.28.pdf",
    "A_RES_78_73.pdf",
    "A_RES_78_204.pdf",
    "A_RES_78_207.pdf",
    "A_RES_78_216.pdf",
    "A_RES_80_177.pdf",
    "A_RES_80_185.pdf",
    "A_RES_80_201.pdf",
    "A_RES_80_209.pdf",
    "A_RES_80_216.pdf",
    "A_RES_80_217.pdf",
    "A_RES_80_226.pdf",
    "A_RES_80_229.pdf",
]

# Must-haves the current ranking leaves out of the top five: reported, not hidden.
MISSED = {
    "enforced disappearance": (
        "short preambular paragraphs repeating the words (80/201 pp3, pp12) outrank the"
        " Convention's operative paragraphs"
    ),
    "贩运人口": (
        "paragraphs on trafficking for organ removal, which repeat the words, outrank those on"
        " trafficking in persons as a whole"
    ),
}

QUERIES = load_set()


def _case(query):
    marks = [pytest.mark.xfail(strict=True, reason=MISSED[query.q])] if query.q in MISSED else []
    return pytest.param(query, marks=marks, id=query.q)


@pytest.fixture(scope="module")
def relevance_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the corpus and the set's PDFs once, index them, and roll the rows back after the module.

    The module's tests run inside this transaction (each in a savepoint of its own), so
    they see these rows with the ids the index was built with.
    """
    with corpus_and_pdfs(django_db_blocker, tmp_path_factory.mktemp("relevance-index"), PDFS) as path:
        yield path


@pytest.fixture
def relevance_corpus(db, relevance_index, settings):
    """The module's corpus and index, for a test that only reads."""
    read_index(settings, relevance_index)


@pytest.mark.parametrize("query", [_case(q) for q in QUERIES])
def test_it_ranks_a_paragraph_an_analyst_wants_in_the_top_five(relevance_corpus, query):
    stored = {
        (key, language, anchor)
        for key, language, anchor in Paragraph.objects.values_list(
            "version__resolution__key", "version__language", "anchor"
        )
    }
    assert query.expected & stored, "no must-have of this query is in the test corpus"
    assert query.expected & set(top_five(query.q))
