import io
import tomllib

import pytest
from conftest import CORPUS, corpus_bytes
from django.core.management import CommandError, call_command

from search.models import Footnote, Paragraph, Resolution, SourceFile, Text

ZH_000 = "zh/000_9c40344d96047766.txt"
ZH_001 = "zh/001_c832cc9bda1ab626.txt"


def load(corpus=None):
    """Run load_corpus; return (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    args = ["--corpus", str(corpus)] if corpus else []
    try:
        call_command("load_corpus", *args, stdout=out, stderr=err)
    except CommandError as e:
        return out.getvalue(), err.getvalue(), e
    return out.getvalue(), err.getvalue(), None


def snapshot():
    """Every stored row, ids included, so any rewrite shows."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (SourceFile, Resolution, Text, Paragraph, Footnote)
    }


def test_it_loads_every_document_of_the_manifest(db):
    out, err, error = load()

    assert error is None, err
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["document"]
    for entry in manifest:
        assert Text.objects.filter(resolution__key=entry["key"], language=entry["language"]).exists()
        assert entry["file"] in out
    # 9 files, plus the 6 draft resolutions inside the report.
    assert Text.objects.count() == 15
    assert SourceFile.objects.count() == 9
    assert Paragraph.objects.filter(version__resolution__key="A/RES/71/322").exists()


def test_it_changes_nothing_when_loaded_twice(db):
    load()
    before = snapshot()

    out, err, error = load()

    assert error is None, err
    assert snapshot() == before
    assert out.count(": unchanged ") == 9


def test_it_reports_broken_files_by_name_and_loads_the_others(db, make_corpus):
    corpus = make_corpus(
        {
            "zh/empty.txt": b"",
            "zh/binary.txt": bytes(range(256)) * 8,
            ZH_000: corpus_bytes(ZH_000),
        },
        [
            {"file": "zh/empty.txt", "language": "zh", "key": "broken-empty"},
            {"file": "zh/binary.txt", "language": "zh", "key": "broken-binary"},
            {"file": "zh/missing.txt", "language": "zh", "key": "broken-missing"},
            {"file": ZH_000, "language": "zh", "key": "A/RES/71/322", "symbol": "A/RES/71/322"},
        ],
    )

    out, err, error = load(corpus)

    assert error is not None
    for name in ("zh/empty.txt", "zh/binary.txt", "zh/missing.txt"):
        assert name in err
        assert name in str(error)
    assert ZH_000 not in err
    assert list(Resolution.objects.values_list("key", flat=True)) == ["A/RES/71/322"]
    assert Paragraph.objects.filter(version__resolution__key="A/RES/71/322").count() > 0
    assert SourceFile.objects.count() == 1


def test_it_keeps_the_stored_version_when_its_new_file_is_broken(db, make_corpus):
    load()
    before = snapshot()
    corpus = make_corpus(
        {"zh/empty.txt": b"", "zh/binary.txt": b"\x00\x01\x02\xff\xfe\x00" * 100},
        [
            # Broken replacements of works that are already loaded must not wipe them.
            {"file": "zh/empty.txt", "language": "zh", "key": "A/RES/71/322"},
            {"file": "zh/binary.txt", "language": "zh", "key": "E/RES/2013/41"},
        ],
    )

    out, err, error = load(corpus)

    assert error is not None
    assert "zh/empty.txt" in err and "zh/binary.txt" in err
    assert snapshot() == before


def test_it_loads_a_gb18030_copy_like_the_utf8_original(db, make_corpus):
    original = corpus_bytes(ZH_001)
    gb_copy = original.decode("utf-8").encode("gb18030")
    assert gb_copy != original
    entry = {"language": "zh", "key": "E/RES/2013/41", "symbol": "E/RES/2013/41"}
    utf8_corpus = make_corpus({"utf8.txt": original}, [{"file": "utf8.txt", **entry}])
    load(utf8_corpus)
    from_utf8 = list(Paragraph.objects.values_list("anchor", "text"))
    Resolution.objects.all().delete()

    corpus = make_corpus({"gb18030.txt": gb_copy}, [{"file": "gb18030.txt", **entry}])
    out, err, error = load(corpus)

    assert error is None, err
    assert "gb18030.txt: created" in out
    assert list(Paragraph.objects.values_list("anchor", "text")) == from_utf8
    assert bytes(SourceFile.objects.get(filename="gb18030.txt").data) == gb_copy


def test_it_refuses_a_manifest_whose_versions_of_one_work_disagree(db, make_corpus):
    corpus = make_corpus(
        {"a.txt": b"x", "b.txt": b"y"},
        [
            {"file": "a.txt", "language": "zh", "key": "k", "session": "71"},
            {"file": "b.txt", "language": "en", "key": "k", "session": "72"},
        ],
    )

    with pytest.raises(CommandError, match="session differs"):
        call_command("load_corpus", "--corpus", str(corpus))

    assert Resolution.objects.count() == 0
