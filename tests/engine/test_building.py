"""The streaming writer (search.engine.building) writes what Whoosh's own writer writes:
the same documents, postings and positions, in segments cut to a budget, on several
processes; a process that fails stops the build with its error."""

import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from search.engine import building, codec, docsets

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
OPTIONS = {"codec": codec.MappedCodec(), "compound": False}


def schema() -> Schema:
    body = TEXT(stored=True, phrase=True)
    body.format = codec.MappedPositions()
    return Schema(id=ID(stored=True, unique=True), body=body, tag=KEYWORD(commas=True))


def documents(count: int = 300) -> list[dict]:
    rng = random.Random(4)
    return [
        {
            "id": str(i),
            "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 120))),
            "tag": ",".join(rng.sample(WORDS, 2)),
        }
        for i in range(count)
    ]


def whooshs_own(path):
    """The same documents through Whoosh's own writer (one segment, its pool and codec)."""
    ix = whoosh_index.create_in(str(path), schema())
    with ix.writer(**OPTIONS) as writer:
        for document in documents():
            writer.add_document(**document)
    return ix


def by_id(searcher, docs: np.ndarray) -> list[str]:
    return sorted(searcher.stored_fields(int(d))["id"] for d in docs)


def postings_by_id(searcher, fieldname: str, word: str) -> list[tuple[str, float]]:
    ids, tfs = docsets.term_postings(searcher.reader(), fieldname, word)
    return sorted((searcher.stored_fields(int(d))["id"], float(t)) for d, t in zip(ids, tfs, strict=True))


def assert_same_index(ours, theirs):
    with ours.searcher() as mine, theirs.searcher() as own:
        assert mine.doc_count() == own.doc_count() == 300
        for word in WORDS:
            assert postings_by_id(mine, "body", word) == postings_by_id(own, "body", word), word
            assert postings_by_id(mine, "tag", word) == postings_by_id(own, "tag", word), word
        for terms in (["alpha", "bravo"], ["golf", "golf", "hotel"], ["echo", "delta", "charlie"]):
            found = [
                by_id(s, docsets.phrase_docs(s.reader(), "body", terms, docsets.live_docs(s.reader())))
                for s in (mine, own)
            ]
            assert found[0] == found[1] and 0 < len(found[0]) < 300, terms
        assert mine.idf("body", "alpha") == pytest.approx(own.idf("body", "alpha"))
        # What BM25 reads: each document's length of the field, by its id.
        assert _lengths(mine) == _lengths(own)


def _lengths(searcher) -> list[float]:
    """The field's length in each document, in the order of their ids."""
    docs = docsets.live_docs(searcher.reader())
    lengths = docsets.field_lengths(searcher.reader(), "body")[docs]
    ids = [searcher.stored_fields(int(d))["id"] for d in docs]
    return [length for _, length in sorted(zip(ids, lengths.tolist(), strict=True))]


def test_segments_cut_to_a_budget_hold_what_one_writer_writes(tmp_path):
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ours"), schema())
    segments = building.write_segments(ix, documents(), 40_000, OPTIONS)
    assert len(segments) >= 3  # cut several times
    building.list_segments(ix, segments, OPTIONS)
    assert_same_index(whoosh_index.open_dir(str(tmp_path / "ours")), whooshs_own(tmp_path / "theirs"))
    assert not list((tmp_path / "ours").glob("*.tmp"))  # nothing left behind: no sort runs


def test_several_processes_write_the_same_index(tmp_path):
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ours"), schema())
    segments = building.build_segments(ix, iter(documents()), 2, 60_000, OPTIONS)
    assert len(segments) >= 2
    building.list_segments(ix, segments, OPTIONS)
    assert_same_index(whoosh_index.open_dir(str(tmp_path / "ours")), whooshs_own(tmp_path / "theirs"))


def test_a_process_that_fails_stops_the_build_with_its_error(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), schema())
    broken = [*documents(50), {"id": "x", "no_such_field": "alpha"}]
    with pytest.raises(RuntimeError, match="no_such_field"):
        building.build_segments(ix, iter(broken), 2, 60_000, OPTIONS)


def test_a_merge_through_the_streaming_writer_keeps_every_posting(tmp_path):
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ours"), schema())
    building.list_segments(ix, building.write_segments(ix, documents(), 40_000, OPTIONS), OPTIONS)
    writer = building.StreamingWriter(ix, **OPTIONS)
    writer.commit(optimize=True)  # every segment read back and written as one
    merged = whoosh_index.open_dir(str(tmp_path / "ours"))
    with merged.searcher() as searcher:
        assert len(list(searcher.reader().leaf_readers())) == 1
    assert_same_index(merged, whooshs_own(tmp_path / "theirs"))
