"""The index follows the database through the change log, whatever is killed and whenever."""

import io
import shutil
import threading
import tomllib

import pytest
from conftest import CORPUS, _Sink, corpus_bytes
from django.core.management import call_command
from django.db import connection

from search.engine import index
from search.engine.index import IndexUnavailable, apply_changes, index_status, rebuild_index, writer_lock
from search.engine.searching import search_paragraphs
from search.ingest.store import ingest
from search.models import IndexChange, Paragraph, Text
from search.parsing import ParsedDocument, ParsedParagraph

pytestmark = pytest.mark.django_db(transaction=True)


def publish(words: str, key: str = "test-resolution", language: str = "en"):
    paragraph = ParsedParagraph("op1", "operative", "OP 1", "执行部分第1段", words, "1")
    parsed = ParsedDocument(language=language, title="Test", paragraphs=[paragraph])
    return ingest(parsed, words.encode(), "test.txt", key=key)


def found(q: str) -> list[tuple[str, str]]:
    return [(h["resolution"], h["anchor"]) for h in search_paragraphs(q, per_page=100)["hits"]]


def test_a_publish_records_its_change_in_its_own_transaction_and_applies_it():
    rebuild_index()
    text = publish("zyxwv quorum")

    assert list(IndexChange.objects.values_list("version", flat=True)) == [text.pk]
    assert found("zyxwv") == [("test-resolution", "op1")]
    status = index_status()
    assert (status["serving"], status["applied"], status["latest"], status["lag"]) == (
        True,
        IndexChange.objects.get().seq,
        IndexChange.objects.get().seq,
        0,
    )


def test_a_publish_killed_after_its_commit_is_indexed_by_the_next_apply(monkeypatch):
    rebuild_index()
    # The process dies right after the commit: nothing applies the change.
    monkeypatch.setattr(index, "apply_changes_soon", lambda: None)
    publish("zyxwv quorum")
    publish("zyxwv quorum")  # published again: the rows are unchanged, nothing is logged
    assert found("zyxwv") == []
    assert IndexChange.objects.count() == 1

    assert apply_changes() == 1
    assert found("zyxwv") == [("test-resolution", "op1")]
    assert apply_changes() == 0  # applied once, recorded with the index


def test_a_publish_never_waits_for_the_index_lock_and_is_applied_when_it_is_free():
    rebuild_index()
    done = threading.Event()
    errors = []

    def run():
        try:
            publish("zyxwv quorum")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()
        done.set()

    with writer_lock():  # a rebuild, say, holds the lock for a long time
        thread = threading.Thread(target=run)
        thread.start()
        assert done.wait(10), "the publish waited for the index lock"
        assert errors == [] and Text.objects.filter(resolution__key="test-resolution").exists()
    thread.join()
    assert found("zyxwv") == []  # the lock's holder was busy; the change waits in the log
    apply_changes()
    assert found("zyxwv") == [("test-resolution", "op1")]


def test_a_replaced_text_is_found_by_its_new_words_only_and_once():
    rebuild_index()
    publish("zyxwv quorum")
    for words in ("qwerty first", "qwerty second", "qwerty third"):
        publish(words)
    assert found("zyxwv") == [] and found("qwerty") == [("test-resolution", "op1")]
    assert search_paragraphs("qwerty")["total"] == 1


@pytest.mark.django_db
def test_a_long_running_reader_sees_other_writers_changes_without_duplicates(indexed_corpus_copy):
    before = search_paragraphs("Khartoum process", per_page=100)
    keys = [(h["resolution"], h["language"], h["anchor"]) for h in before["hits"]]
    assert before["total"] == len(keys) == len(set(keys)) > 0
    text = Text.objects.get(resolution__key="A/RES/74/176", language="en")
    for _ in range(3):  # what three ingest_file runs in another process do to the index
        index.index_versions([text.pk])
    after = search_paragraphs("Khartoum process", per_page=100)
    assert [(h["resolution"], h["language"], h["anchor"]) for h in after["hits"]] == keys
    assert after["total"] == before["total"] and after["facets"] == before["facets"]


@pytest.mark.django_db
def test_search_never_shows_a_paragraph_the_database_no_longer_holds(indexed_corpus_copy):
    paragraph = Paragraph.objects.get(
        version__resolution__key="A/RES/71/322", version__language="en", anchor="op3"
    )
    assert ("A/RES/71/322", "op3") in found("Urges Member States lang:en")
    # Changed in the database, not yet applied to the index.
    paragraph.text = "Replaced text."
    paragraph.save()
    assert ("A/RES/71/322", "op3") not in found("Urges Member States lang:en")
    # Gone from the database, still in the index.
    shown = found("Member States lang:en")
    Paragraph.objects.filter(
        version__resolution__key=shown[0][0], version__language="en", anchor=shown[0][1]
    ).delete()
    assert shown[0] not in found("Member States lang:en")


def test_two_nodes_each_follow_the_same_log_into_their_own_index(settings, tmp_path):
    first, second = tmp_path / "node-a", tmp_path / "node-b"
    for folder in (first, second):
        settings.INDEX_DIR = folder
        rebuild_index()
    settings.INDEX_DIR = first
    index.reset_searcher()
    publish("zyxwv quorum")  # through node A, which applies it at once
    assert found("zyxwv") == [("test-resolution", "op1")]

    settings.INDEX_DIR = second
    index.reset_searcher()
    assert found("zyxwv") == []  # node B has not looked at the log yet
    apply_changes()  # what its follower thread does every second
    assert found("zyxwv") == [("test-resolution", "op1")]


def test_a_new_install_with_no_paragraphs_finds_nothing(client):
    response = client.get("/", {"q": "贩运人口"})
    assert response.status_code == 200
    assert "No paragraph matches “贩运人口”" in response.content.decode()
    assert client.get("/api/search", {"q": "贩运人口"}).json()["total"] == 0


def load_71_322(make_corpus):
    """The corpus's resolution 71/322 in both languages, loaded as make run loads the corpus
    (the whole corpus would only make each rebuild below take ten times as long)."""
    entries = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["document"]
    chosen = [entry for entry in entries if entry["key"] == "A/RES/71/322"]
    assert len(chosen) == 2
    files = {entry["file"]: corpus_bytes(entry["file"]) for entry in chosen}
    call_command("load_corpus", "--corpus", str(make_corpus(files, chosen)), stdout=_Sink(), stderr=_Sink())


def test_a_deleted_index_says_search_is_being_rebuilt_and_is_rebuilt(client, settings, make_corpus):
    load_71_322(make_corpus)
    shutil.rmtree(settings.INDEX_DIR)
    index.reset_searcher()

    response = client.get("/", {"q": "贩运人口"})
    assert response.status_code == 503
    assert "Search is being rebuilt" in response.content.decode()
    api = client.get("/api/search", {"q": "贩运人口"})
    assert api.status_code == 503 and api.json()["error"].startswith("search is unavailable")
    assert client.get("/r/A/RES/71/322/?q=贩运人口").status_code == 200  # the text is the database's

    _wait_for_rebuild()
    assert client.get("/", {"q": "贩运人口"}).status_code == 200
    assert search_paragraphs("贩运人口 lang:zh")["total"] > 0


def test_a_truncated_segment_file_says_search_is_being_rebuilt_and_is_rebuilt(client, settings, make_corpus):
    load_71_322(make_corpus)
    generation = index._current(settings.INDEX_DIR)
    for path in generation.glob("*.seg"):
        path.write_bytes(path.read_bytes()[:100])
    for path in generation.glob("*.pmap"):
        path.write_bytes(path.read_bytes()[:100])
    index.reset_searcher()

    assert client.get("/", {"q": "贩运人口"}).status_code == 503
    _wait_for_rebuild()
    assert index._current(settings.INDEX_DIR) != generation
    assert client.get("/", {"q": "贩运人口"}).status_code == 200


def _wait_for_rebuild():
    for _ in range(600):
        if not index._rebuilding.is_set():
            break
        threading.Event().wait(0.05)
    assert not index._rebuilding.is_set()


def test_the_command_applies_the_log_and_says_how_far_the_index_is(monkeypatch):
    import io

    rebuild_index()
    monkeypatch.setattr(index, "apply_changes_soon", lambda: None)
    publish("zyxwv quorum")
    out = io.StringIO()
    call_command("apply_index_changes", stdout=out)
    seq = IndexChange.objects.get().seq
    assert out.getvalue() == (
        f"re-indexed 1 language versions; change log at {seq}, index at {seq}, 0 changes behind\n"
    )
    assert found("zyxwv") == [("test-resolution", "op1")]


def test_an_index_of_an_older_schema_is_rebuilt_whole_when_changes_are_applied(monkeypatch):
    from whoosh.fields import Schema

    publish("zyxwv quorum")
    current = index.make_schema
    # The index as an older version built it: no session or committee fields.
    older = Schema(
        **{name: current()[name] for name in current().names() if name not in ("session", "committee")}
    )
    document = index.paragraph_document
    monkeypatch.setattr(index, "make_schema", lambda: older)
    monkeypatch.setattr(
        index,
        "paragraph_document",
        lambda p, *facts: {k: v for k, v in document(p, *facts).items() if k in older},
    )
    rebuild_index()
    monkeypatch.setattr(index, "make_schema", current)
    monkeypatch.setattr(index, "paragraph_document", document)
    with pytest.raises(IndexUnavailable):  # "being rebuilt" (a 503 page), never a 500
        search_paragraphs("zyxwv session:0")
    apply_changes()
    assert found("zyxwv") == [("test-resolution", "op1")]
    generation = index._current(index.index_root())
    assert "session" in index.whoosh_index.open_dir(str(generation)).schema.names()


def test_the_index_is_rebuilt_at_start_only_when_it_does_not_match_the_database():
    out = io.StringIO()
    publish("zyxwv quorum")
    call_command("rebuild_index", "--if-needed", stdout=out)
    assert out.getvalue().strip() in ("index current", "index rebuilt: 1 paragraphs indexed")
    out = io.StringIO()
    call_command("rebuild_index", "--if-needed", stdout=out)
    assert out.getvalue().strip() == "index current"
    # Rows changed behind the change log's back (another tool, a restored database).
    Paragraph.objects.filter(version__resolution__key="test-resolution").delete()
    out = io.StringIO()
    call_command("rebuild_index", "--if-needed", stdout=out)
    assert out.getvalue().strip() == "index rebuilt: 0 paragraphs indexed"
    assert found("zyxwv") == []
    # A change log ahead of the database: an index built for another database.
    IndexChange.objects.all().delete()
    generation = index._current(index.index_root())
    index._write_state(generation, {"seq": 99, "recent": []})
    out = io.StringIO()
    call_command("rebuild_index", "--if-needed", stdout=out)
    assert out.getvalue().strip().startswith("index rebuilt")
