"""Pin what search.engine.whoosh_internals reads from Whoosh's private structures.

Each test compares our array reading with Whoosh's own public answer on an index
with several posting blocks, two segments and deletions. A Whoosh release that
changes its codec fails here, and nowhere else.
"""

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from search.engine import whoosh_internals as internals


@pytest.fixture
def segments(tmp_path):
    """Two segments; 300 documents so that a common term spans several blocks; deletions."""
    ix = whoosh_index.create_in(
        str(tmp_path), Schema(id=ID(stored=True, unique=True), body=TEXT(stored=True))
    )
    with ix.writer() as writer:
        for i in range(300):
            writer.add_document(id=str(i), body=" ".join(["common"] * (1 + i % 7) + ["rare"] * (i % 50 == 0)))
    writer = ix.writer()
    for i in range(0, 300, 3):
        writer.delete_by_term("id", str(i))
    for i in range(300, 340):
        writer.add_document(id=str(i), body="common " + "word " * (i % 11))
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        yield searcher


def leaves(searcher):
    return [leaf for leaf, _ in searcher.reader().leaf_readers()]


def test_it_reads_the_whoosh_release_it_was_written_for():
    assert internals.whoosh_version() == internals.WHOOSH_VERSION == (2, 7, 5)


def public_postings(leaf, term):
    """Whoosh's own answer, one document at a time: (id, frequency) of live documents."""
    if ("body", term) not in leaf:
        return []
    matcher, found = leaf.postings("body", term), []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight()))
        matcher.next()
    return found


def test_postings_less_deletions_are_whooshs_ids_and_frequencies(segments):
    assert len(leaves(segments)) == 2
    for leaf in leaves(segments):
        for term in ("common", "rare", "word", "absent"):
            ids, tfs = internals.postings(leaf, "body", term)
            keep = ~np.isin(ids, internals.deleted_docs(leaf))
            found = list(zip(ids[keep].tolist(), tfs[keep].tolist(), strict=True))
            assert found == public_postings(leaf, term), term
    big = leaves(segments)[0]
    assert len(internals.postings(big, "body", "common")[0]) > 128  # several posting blocks


def test_postings_hold_deleted_documents_too(segments):
    # Cached per segment, they must not depend on what was deleted when first read.
    for leaf in leaves(segments):
        for term in ("common", "rare", "word"):
            expected = [
                d for d in range(leaf.doc_count_all()) if term in leaf.stored_fields(d)["body"].split()
            ]
            assert internals.postings(leaf, "body", term)[0].tolist() == expected, term
    assert any(leaf.has_deletions() for leaf in leaves(segments))


def test_deleted_documents_are_whooshs(segments):
    for leaf in leaves(segments):
        expected = [d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)]
        assert sorted(internals.deleted_docs(leaf).tolist()) == expected
    assert sum(len(internals.deleted_docs(leaf)) for leaf in leaves(segments)) == 100


def test_field_lengths_are_what_bm25_reads(segments):
    for leaf in leaves(segments):
        lengths = internals.field_lengths(leaf, "body")
        assert lengths.tolist() == [leaf.doc_field_length(d, "body", 0) for d in range(leaf.doc_count_all())]


def test_each_segment_has_an_id_of_its_own(segments):
    ids = [internals.segment_id(leaf) for leaf in leaves(segments)]
    assert len(set(ids)) == 2 and all(isinstance(i, str) and i for i in ids)


def test_stored_fields_read_from_the_segment_are_whooshs(segments):
    from search.engine import docsets

    reader = segments.reader()
    docs = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    assert len(leaves(segments)) == 2 and len(docs) == 240
    assert docsets.stored_fields(reader, docs) == [segments.stored_fields(d) for d in docs]
    assert docsets.stored_fields(reader, docs[::-1]) == [segments.stored_fields(d) for d in docs[::-1]]
