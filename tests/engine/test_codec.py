"""The mapped postings (search.engine.codec) give Whoosh's own answers.

The same documents are indexed twice, with Whoosh's `whoosh3` codec and with ours; every
term's documents and frequencies, and every phrase's documents, must be the same, after
deletions, in several segments and after Whoosh merges them, through the numpy path
the engine reads and through Whoosh's own query API on our files.
"""

import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Phrase, Term

from search.engine import building, codec, docsets
from search.engine import whoosh_internals as internals

# (not stop words nor single letters, which the stock analyzer drops)
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]


def schema(mapped: bool) -> Schema:
    body = TEXT(stored=True, phrase=True)
    if mapped:
        body.format = codec.MappedPositions()
    return Schema(id=ID(stored=True, unique=True), body=body, tag=ID)


def texts(seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    # Up to 400 words: positions past 255 (two-byte positions) and gaps of every size.
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 300))) for _ in range(400)]


def build(path, mapped: bool):
    ix = whoosh_index.create_in(str(path), schema(mapped))
    # As the index writes them: separate files, the postings file mapped.
    options = {"codec": codec.MappedCodec(), "compound": False} if mapped else {}
    docs = texts()
    with ix.writer(**options) as writer:
        for i, text in enumerate(docs[:300]):
            writer.add_document(id=str(i), body=text, tag=str(i % 7))
    writer = ix.writer(**options)
    for i in range(0, 300, 5):
        writer.delete_by_term("id", str(i))
    for i, text in enumerate(docs[300:], 300):
        writer.add_document(id=str(i), body=text, tag=str(i % 7))
    writer.commit(merge=False)
    return ix


@pytest.fixture
def both(tmp_path):
    (tmp_path / "w3").mkdir()
    (tmp_path / "mapped").mkdir()
    return build(tmp_path / "w3", False), build(tmp_path / "mapped", True)


def phrases(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(WORDS) for _ in range(rng.randint(2, 4))] for _ in range(count)]


def test_segments_are_read_through_the_mapped_files(both):
    _, mapped = both
    with mapped.searcher() as searcher:
        terms = [type(leaf._terms) for leaf, _ in searcher.reader().leaf_readers()]
    assert terms == [codec.MappedTermsReader, codec.MappedTermsReader]


def test_every_term_has_whooshs_documents_and_frequencies(both):
    w3, mapped = both
    with w3.searcher() as theirs, mapped.searcher() as ours:
        for fieldname, word in [("body", w) for w in [*WORDS, "absent"]] + [("tag", "3"), ("id", "301")]:
            expected = docsets.term_postings(theirs.reader(), fieldname, word)
            found = docsets.term_postings(ours.reader(), fieldname, word)
            assert found[0].tolist() == expected[0].tolist(), word
            assert found[1].tolist() == expected[1].tolist(), word
        assert len(docsets.term_docs(ours.reader(), "body", "alpha")) > 300  # one-byte deltas and beyond


@pytest.mark.parametrize("looked_up", [0, 10**9])  # candidates always masked; always looked up
def test_phrases_are_found_where_whoosh_finds_them(both, monkeypatch, looked_up):
    monkeypatch.setattr(docsets, "LOOKED_UP", looked_up)
    w3, mapped = both
    with w3.searcher() as theirs, mapped.searcher() as ours:
        narrower = 0
        for terms in phrases(2, 60):
            expected = sorted(Phrase("body", terms).docs(theirs))
            candidates = docsets.intersect([docsets.term_docs(ours.reader(), "body", t) for t in set(terms)])
            found = docsets.phrase_docs(ours.reader(), "body", terms, candidates)
            assert found.tolist() == expected, terms
            # Without candidates: every document, less the deleted ones (a fifth of the first segment's).
            assert docsets.phrase_docs(ours.reader(), "body", terms).tolist() == expected, terms
            # Whoosh's own phrase matcher on our files agrees too.
            assert sorted(Phrase("body", terms).docs(ours)) == expected, terms
            narrower += 0 < len(expected) < len(candidates)
        assert narrower > 20  # phrases found in some of the documents holding their words


def test_whooshs_own_queries_read_our_files(both):
    w3, mapped = both
    with w3.searcher() as theirs, mapped.searcher() as ours:
        for word in WORDS:
            expected = [(h["id"], round(h.score, 4)) for h in theirs.search(Term("body", word), limit=20)]
            found = [(h["id"], round(h.score, 4)) for h in ours.search(Term("body", word), limit=20)]
            assert found == expected, word


@pytest.mark.parametrize("streaming", [False, True])  # Whoosh's writer; ours, which copies arrays
def test_a_merge_keeps_every_posting_and_position(both, streaming):
    w3, mapped = both
    options = {"codec": codec.MappedCodec(), "compound": False}
    writer = building.StreamingWriter(mapped, **options) if streaming else mapped.writer(**options)
    writer.commit(optimize=True)  # the deleted documents (a fifth of the first segment) go
    with w3.searcher() as theirs, mapped.searcher() as ours:
        assert len(list(ours.reader().leaf_readers())) == 1 and not ours.reader().has_deletions()
        assert ours.doc_count() == theirs.doc_count()
        for word in WORDS:
            mine, own = (postings_by_id(s, word) for s in (ours, theirs))
            assert mine == own, word
        for terms in phrases(3, 40):
            candidates = docsets.intersect([docsets.term_docs(ours.reader(), "body", t) for t in set(terms)])
            found = docsets.phrase_docs(ours.reader(), "body", terms, candidates)
            ids = sorted(ours.stored_fields(d)["id"] for d in found)
            assert ids == sorted(theirs.stored_fields(d)["id"] for d in Phrase("body", terms).docs(theirs))


def postings_by_id(searcher, word: str) -> list[tuple[str, float]]:
    ids, tfs = docsets.term_postings(searcher.reader(), "body", word)
    return sorted((searcher.stored_fields(int(d))["id"], float(t)) for d, t in zip(ids, tfs, strict=True))


def test_postings_are_stored_in_the_narrowest_width():
    assert codec.encode_ids([3, 4, 200, 455])[0] == codec.ID_DELTA_U1
    assert codec.encode_ids([3, 60_000])[0] == codec.ID_U2
    assert codec.encode_ids([3, 70_000])[0] == codec.ID_U4
    assert codec.encode_weights([1.0, 255.0]) == (codec.WIDTH_U1, bytes([1, 255]))
    assert codec.encode_weights([1.0, 256.0])[0] == codec.WIDTH_U2
    assert codec.encode_weights([1.5])[0] == codec.FLOAT32
    record = codec.encode_record([5, 70_000], [1.0, 2.0], codec.MappedPositions().encode([1, 2, 70_000]))
    n, id_code, weight_code, pos_code, count = codec.RECORD.unpack_from(record)
    assert (n, id_code, weight_code, pos_code, count) == (2, codec.ID_U4, codec.WIDTH_U1, codec.WIDTH_U4, 3)
    assert len(record) == codec.RECORD.size + 2 * 4 + 2 * 1 + 3 * 4


def test_large_positions_and_ids_read_back(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), schema(True))
    with ix.writer(codec=codec.MappedCodec()) as writer:
        for i in range(3):
            writer.add_document(id=str(i), body="xray " * 70_000 + "alpha bravo")
    with ix.searcher() as searcher:
        leaf = next(iter(searcher.reader().leaf_readers()))[0]
        ids, freqs, positions = internals.positions(leaf, "body", "bravo")
        assert ids.tolist() == [0, 1, 2] and freqs.tolist() == [1, 1, 1]
        assert positions.tolist() == [70_001] * 3 and positions.dtype == np.dtype("<u4")
        found = docsets.phrase_docs(searcher.reader(), "body", ["xray", "alpha", "bravo"], np.arange(3))
        assert found.tolist() == [0, 1, 2]


def test_a_truncated_postings_file_reads_as_damage(both, tmp_path):
    _, mapped = both
    for path in (tmp_path / "mapped").glob("*" + codec.MAP_EXT):
        path.write_bytes(path.read_bytes()[:200])
    with mapped.searcher() as searcher, pytest.raises(EOFError):
        for leaf, _ in searcher.reader().leaf_readers():
            internals.postings(leaf, "body", "hotel")
    for path in (tmp_path / "mapped").glob("*" + codec.MAP_EXT):
        path.write_bytes(b"")
    with pytest.raises(OSError):
        mapped.searcher()
