"""The numpy side of search gives Whoosh's own answers: the same documents, counts and ranking."""

import numpy as np
import pytest
from whoosh import sorting
from whoosh.query import Or, Phrase, Term

from search.engine import docsets, ranking
from search.engine.index import get_searcher
from search.engine.searching import search_paragraphs
from search.models import Paragraph, Text

TERMS = [
    ("content", "贩运"),
    ("content", "traffick"),
    ("content", "会员国"),
    ("literal", "贩运"),
    ("literal", "会"),
    ("language", "zh"),
    ("kind", "operative"),
    ("content", "absent-term"),
]


@pytest.fixture
def changed_index(indexed_corpus_copy):
    """The corpus indexed, then one version edited: deletions and a second segment."""
    # A version loaded late: its documents stand in the middle of the postings.
    text = Text.objects.get(resolution__key="A/RES/71/319", language="zh")
    paragraph = text.paragraphs.get(anchor="op1")
    paragraph.text = "决定打击贩运人口行为，并审查新的措施。"
    paragraph.save()
    # What index_versions does on a large index, where the big segment is not merged
    # away by a small update: its old documents stay, marked deleted.
    from whoosh import index as whoosh_index

    from search.engine.index import WRITER_OPTIONS, _current, index_root, paragraph_document, writer_lock

    with writer_lock():
        ix = whoosh_index.open_dir(str(_current(index_root())))
        writer = ix.writer(**WRITER_OPTIONS)
        writer.delete_by_term("version", str(text.pk))
        for p in text.paragraphs.select_related("version__resolution"):
            writer.add_document(**paragraph_document(p))
        writer.commit(merge=False)
        ix.close()
    searcher = get_searcher()
    leaves = list(searcher.reader().leaf_readers())
    assert len(leaves) == 2 and leaves[0][0].has_deletions()
    return searcher


def whoosh_ids(searcher, query):
    return sorted(searcher.search(query, limit=None).docs())


def test_documents_of_terms_and_phrases_are_whooshs_own_after_an_update(changed_index):
    reader = changed_index.reader()
    for fieldname, text in TERMS:
        found = docsets.term_docs(reader, fieldname, text)
        assert found.tolist() == whoosh_ids(changed_index, Term(fieldname, text)), (fieldname, text)
    # The edited version's old documents are deleted in the first segment, its new
    # ones are in the second: only the new ones count.
    version = str(Text.objects.get(resolution__key="A/RES/71/319", language="zh").pk)
    assert len(docsets.term_docs(reader, "version", version)) == 31
    assert docsets.term_docs(reader, "version", version).tolist() == whoosh_ids(
        changed_index, Term("version", version)
    )
    phrase = Phrase("literal", ["打击", "击贩", "贩运", "运人", "人口"])
    expected = whoosh_ids(changed_index, phrase)
    candidates = docsets.intersect([docsets.term_docs(reader, "literal", t) for t in phrase.words])
    assert docsets.phrase_docs(reader, "literal", phrase.words, candidates).tolist() == expected
    assert docsets.phrase_docs(reader, "literal", phrase.words).tolist() == expected
    assert len(expected) < len(candidates)
    assert len(docsets.live_docs(reader)) == reader.doc_count()


def test_bm25_in_numpy_ranks_as_whoosh_does(changed_index):
    words = ["贩运", "人口", "器官"]
    query = Or([Term("content", w) for w in words])
    docs = np.array(whoosh_ids(changed_index, query), dtype=np.int64)
    best, scored = ranking.bm25_top(changed_index, "content", words, docs, 15)
    expected = changed_index.search(query, limit=None)
    ranked = sorted((-round(h.score, 4), h.docnum) for h in expected)
    assert best.tolist() == [d for _, d in ranked[:15]]
    assert sorted(scored.tolist()) == docs.tolist()


def test_facet_counts_match_whoosh_after_an_update(changed_index):
    query = Phrase("literal", ["贩运", "运人", "人口"])
    facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in ("language", "kind", "year")}
    results = changed_index.search(query, limit=None, groupedby=facets)
    result = search_paragraphs('"贩运人口"')  # in quotes: the literal match only, not other word orders
    assert result["total"] == len(results)
    for name in facets:
        assert result["facets"][name] == {k: n for k, n in results.groups(name).items() if k}


def test_an_edited_paragraph_is_found_by_its_new_words_and_not_its_old_ones(changed_index):
    hits = search_paragraphs('"审查新的措施"')["hits"]
    assert [(h["resolution"], h["anchor"]) for h in hits] == [("A/RES/71/319", "op1")]
    assert not search_paragraphs('"决定转递本决议附件中" lang:zh symbol:71/319')["hits"]
    assert Paragraph.objects.filter(text__contains="审查新的措施").count() == 1


def test_what_is_kept_per_segment_and_per_reader_state_follows_a_rebuild(changed_index):
    # One rebuild of the whole corpus (most of this test's time) for both caches.
    from search.engine.index import rebuild_index

    def stored_languages(searcher):
        reader = searcher.reader()
        codes, names = docsets.codes(reader, "language")
        live = docsets.live_docs(reader)
        return [names[codes[d] - 1] for d in live], [searcher.stored_fields(int(d))["language"] for d in live]

    def segment_arrays():
        return {key[0] for key in docsets._segment_cache} | {key[0] for key in docsets.POSTINGS.items}

    # A field's codes are merged once per reader state, and nobody may write to them.
    shown, stored = stored_languages(changed_index)
    assert shown == stored and {"zh", "en"} <= set(shown)
    reader = changed_index.reader()
    assert docsets.codes(reader, "language") is docsets.codes(reader, "language")
    with pytest.raises(ValueError):  # shared between searches: nobody may write to it
        docsets.codes(reader, "language")[0][0] = 0
    search_paragraphs("贩运人口")  # fills the caches for the current segments
    before = segment_arrays()
    assert before
    old = {segment for key in docsets._merged for segment, _ in key[0]}

    rebuild_index()

    # The arrays of segments that are gone are forgotten; the codes follow the new ones.
    search_paragraphs("贩运人口")
    after = segment_arrays()
    assert after and not (before & after)
    searcher = get_searcher()
    shown, stored = stored_languages(searcher)
    assert shown == stored
    assert not old & {segment for key in docsets._merged for segment, _ in key[0]}


def test_union_and_intersection_of_sorted_sets_are_the_sets_of_python():
    import random

    from search.engine.docsets import EMPTY, intersect, union

    rng = random.Random(4)
    for _ in range(300):
        sets = [set(rng.sample(range(200), rng.randint(0, 60))) for _ in range(rng.randint(1, 4))]
        arrays = [np.array(sorted(s), dtype=np.int64) for s in sets]
        assert union(arrays).tolist() == sorted(set().union(*sets))
        assert intersect(arrays).tolist() == sorted(set.intersection(*sets))
    assert union([]) is EMPTY and union([EMPTY, EMPTY]) is EMPTY
    assert intersect([np.array([1, 5, 9]), EMPTY]).tolist() == []
    assert intersect([np.array([9]), np.array([1, 5])]).tolist() == []  # past the other's end


def test_bm25_adds_up_the_same_over_every_document_as_over_the_matches(changed_index, monkeypatch):
    """Past ranking.DENSE_FROM matches, scores are added in an array over every document."""
    reader = changed_index.reader()
    words = ["贩运", "人口", "器官"]
    docs = docsets.union([docsets.term_docs(reader, "content", w) for w in words])
    monkeypatch.setattr(ranking, "DENSE_FROM", 10**9)
    aligned = ranking.bm25_scores(changed_index, "content", words, docs)
    monkeypatch.setattr(ranking, "DENSE_FROM", 0)
    dense = ranking.bm25_scores(changed_index, "content", words, docs)
    assert len(docs) > 100 and (aligned > 0).all()
    assert np.array_equal(aligned, dense)


@pytest.mark.parametrize("seed", range(5))
def test_counting_values_of_several_a_document_reads_its_slots_or_the_pairs_alike(seed):
    rng = np.random.default_rng(seed)
    documents, depth, values = 2000, 6, 40
    slots = np.zeros((depth, documents), dtype=np.int32)
    had = rng.integers(0, depth + 1, documents)  # how many values each document has
    for d in range(documents):
        slots[: had[d], d] = rng.choice(np.arange(1, values + 1), had[d], replace=False)
    pairs = docsets.slot_pairs(slots)
    assert pairs.shape[1] == had.sum()
    for docs in (
        np.array([], dtype=np.int64),
        np.sort(rng.choice(documents, 30, replace=False)),
        np.arange(documents),
    ):
        expected = [sum(int(v in slots[:, d]) for d in docs) for v in range(1, values + 1)]
        by_slots = docsets.count_slots(slots, pairs, docs, values, by_pairs=False)
        by_pairs = docsets.count_slots(slots, pairs, docs, values, by_pairs=True)
        assert by_slots.tolist() == by_pairs.tolist() == expected
