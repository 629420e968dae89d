import io

import pytest
from conftest import CORPUS, corpus_bytes
from django.core.management import CommandError, call_command

from search.ingest.corpus import Loaded, ManifestError, load_corpus
from search.models import Footnote, Paragraph, Resolution, SourceFile, Text

ZH_000 = "zh/000_9c40344d96047766.txt"
ZH_001 = "zh/001_c832cc9bda1ab626.txt"
REPORT = "report-79-third-committee-item-107"

# What each file of corpus/ holds, counted in the documents themselves: 71/322 has
# 17 preambular paragraphs, operative paragraphs 1-13 and 14 subparagraphs (3 (a)-(i),
# 9 (a)-(e)), 9 footnotes; 74/176 and its draft 40 + 6 preambular (8 (a)-(f)) and 26
# operative; the report 37 numbered paragraphs (3 (a)-(f) besides) and six drafts.
LINES = [
    f"{ZH_000}: created A/RES/71/322 [zh] 44 paragraphs, 9 footnotes",
    "en/A_RES_71_322.txt: created A/RES/71/322 [en] 44 paragraphs, 9 footnotes",
    f"{ZH_001}: created E/RES/2013/41 [zh] 32 paragraphs, 7 footnotes",
    "zh/002_334a0e47d0d674b7.txt: created draft-A-C.3-74-trafficking-coordination-zh [zh] "
    "72 paragraphs, 23 footnotes",
    "en/A_RES_74_176.txt: created A/RES/74/176 [en] 72 paragraphs, 23 footnotes",
    f"zh/003_4d9b2eecfc115974.txt: created {REPORT} [zh] 43 paragraphs, 2 footnotes, 6 contained resolutions",
    "zh/004_38f8f7aa358d9217.txt: created A/RES/71/319 [zh] 31 paragraphs, 8 footnotes",
    "en/A_RES_71_319.txt: created A/RES/71/319 [en] 31 paragraphs, 8 footnotes",
    "en/A_RES_72_1.txt: created A/RES/72/1 [en] 29 paragraphs, 7 footnotes",
]


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

    assert (error, err) == (None, "")
    assert out.splitlines() == LINES
    # 9 files, plus the 6 draft resolutions inside the report.
    assert Text.objects.count() == 15
    assert SourceFile.objects.count() == 9
    assert Paragraph.objects.filter(version__resolution__key="A/RES/71/322").count() == 88
    assert list(Resolution.objects.get(key=REPORT).contained.values_list("key", "position")) == [
        (f"{REPORT}/draft-{n}", n) for n in range(1, 7)
    ]


def test_load_corpus_says_what_each_file_became(db):
    results = load_corpus(CORPUS)

    assert results[0] == Loaded(
        ZH_000,
        status="created",
        key="A/RES/71/322",
        language="zh",
        paragraphs=44,
        footnotes=9,
    )
    assert results[5] == Loaded(
        "zh/003_4d9b2eecfc115974.txt",
        status="created",
        key=REPORT,
        language="zh",
        paragraphs=43,
        footnotes=2,
        contained=6,
    )
    assert [r.status for r in load_corpus(CORPUS)] == ["unchanged"] * 9


def test_load_corpus_refuses_a_bad_manifest_before_reading_any_file(db, make_corpus):
    corpus = make_corpus({"a.txt": corpus_bytes(ZH_000)}, [{"file": "a.txt", "language": "fr", "key": "k"}])

    with pytest.raises(ManifestError, match="^manifest.toml, document 1: language must be one of zh, en$"):
        load_corpus(corpus)

    assert Resolution.objects.count() == 0


def test_it_changes_nothing_when_loaded_twice(db):
    load()
    before = snapshot()

    out, err, error = load()

    assert error is None, err
    assert snapshot() == before
    assert out.splitlines() == [line.replace(": created ", ": unchanged ") for line in LINES]


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

    assert err.splitlines() == [
        "zh/empty.txt: FAILED: the file is empty",
        "zh/binary.txt: FAILED: this is a binary file, not text",
        "zh/missing.txt: FAILED: cannot read file: No such file or directory",
    ]
    assert str(error) == "3 of 4 documents failed: zh/empty.txt, zh/binary.txt, zh/missing.txt"
    assert out.splitlines() == [LINES[0]]
    assert list(Resolution.objects.values_list("key", flat=True)) == ["A/RES/71/322"]
    assert Paragraph.objects.filter(version__resolution__key="A/RES/71/322").count() == 44
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

    assert str(error) == "2 of 2 documents failed: zh/empty.txt, zh/binary.txt"
    assert err.splitlines() == [
        "zh/empty.txt: FAILED: the file is empty",
        "zh/binary.txt: FAILED: this is a binary file, not text",
    ]
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

    with pytest.raises(CommandError) as excinfo:
        call_command("load_corpus", "--corpus", str(corpus))

    assert (
        str(excinfo.value) == "manifest.toml, document 2: session differs from a.txt, which has the same key"
    )

    assert Resolution.objects.count() == 0
