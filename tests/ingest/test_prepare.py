"""manage.py prepare: what `make run` and `make serve` do before serving, in one process.
The corpus's texts, two official PDFs (A/C.3/80/L.2 and what it became, A/RES/80/192) and
the session's proceedings, loaded as on a fresh install; then a second start."""

import io
import logging
import shutil

from conftest import CORPUS, files_read_once
from django.core.management import call_command

from search.engine import index
from search.models import BECAME_RECORD, Paragraph, Resolution, Text

PDFS = ["A_C.3_80_L.2.pdf", "A_RES_80_192.pdf"]


def corpus_with(tmp_path, pdfs):
    """corpus/ with the manifest's first work (A/RES/71/322 in Chinese and English: a
    small index to build), its proceedings, only these PDFs in ods/ and a file that is no
    PDF at all."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns("ods", "*.txt"))
    manifest = (CORPUS / "manifest.toml").read_text(encoding="utf-8").split("\n[[document]]\n")
    (root / "manifest.toml").write_text("\n[[document]]\n".join(manifest[:3]), encoding="utf-8")
    for name in ("zh/000_9c40344d96047766.txt", "en/A_RES_71_322.txt"):
        shutil.copy(CORPUS / name, root / name)
    (root / "ods").mkdir()
    for name in pdfs:
        shutil.copy(CORPUS / "ods" / name, root / "ods" / name)
    (root / "ods" / "A_RES_80_999.pdf").write_bytes(b"%PDF-1.7\nnot a PDF past its header\n")
    return root


def prepare(corpus):
    out, err = io.StringIO(), io.StringIO()
    with files_read_once():
        call_command("prepare", "--corpus", str(corpus), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def index_messages(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "search.engine"]


def test_a_fresh_install_is_loaded_indexed_once_and_a_second_start_does_nothing(
    tmp_path, transactional_db, caplog, client
):
    corpus = corpus_with(tmp_path, PDFS)
    with caplog.at_level(logging.INFO, logger="search.engine"):
        out, err = prepare(corpus)

    # Every step ran; the file that is no PDF is refused in words and the rest is served.
    assert "A_RES_80_999.pdf: refused" in out
    assert "import_documents: 1 of 3 files were refused (the server starts with the rest)" in err
    assert Text.objects.filter(resolution__symbol__in=["A/C.3/80/L.2", "A/RES/80/192"]).count() == 2
    # The record, imported with the proceedings, says which resolution the draft became.
    draft = Resolution.objects.get(symbol="A/C.3/80/L.2")
    assert (draft.became.symbol, draft.became_method) == ("A/RES/80/192", BECAME_RECORD)
    # Nothing was applied while loading: one rebuild at the end indexed every paragraph.
    messages = index_messages(caplog)
    assert not [m for m in messages if m.startswith("applied changes")], messages
    assert len([m for m in messages if m.startswith("rebuilt the index")]) == 1, messages
    assert f"index rebuilt: {Paragraph.objects.count()} paragraphs indexed" in out
    found = client.get("/api/search", {"q": "symbol:A/RES/80/192", "per_page": 100}).json()
    assert found["total"] == Paragraph.objects.filter(version__resolution__symbol="A/RES/80/192").count() > 0

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="search.engine"):
        again, _ = prepare(corpus)
    assert "unchanged: 2" in again and "index current" in again
    assert "0 files written, 7 unchanged" in again
    assert index_messages(caplog) == []


def test_the_index_is_rebuilt_when_most_versions_changed_and_applied_when_few_did(tmp_path, db):
    call_command("load_corpus", "--corpus", str(corpus_with(tmp_path, [])), stdout=io.StringIO())
    out = io.StringIO()
    with files_read_once():
        call_command("import_documents", str(CORPUS / "ods" / "A_RES_80_192.pdf"), stdout=out)
    assert "created A/RES/80/192" in out.getvalue(), out.getvalue()
    index.rebuild_index()
    versions = list(Text.objects.values_list("pk", flat=True))
    assert len(versions) == 3
    index.record_changes(versions[:2])  # two of three
    assert index.ensure_index() == ("rebuilt", Paragraph.objects.count())
    index.record_changes(versions[:1])  # one of three
    assert index.ensure_index() == ("applied", 1)
    assert index.ensure_index() == ("current", 0)
