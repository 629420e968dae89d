import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).parent.parent / "fixtures"
SKIPPING = (
    "The General Assembly,\n\nRecalling its resolution 1514 (XV),\n\n"
    "1. Decides to remain seized of the matter;\n\n2. Decides also to continue its work.\n\n"
    "4. Requests a report.\n"
)

# No `db` fixture here: the report never touches the database.


def report(*args):
    """Return the printed lines with the timings taken out."""
    out = io.StringIO()
    call_command("parse_report", *[str(a) for a in args], stdout=out)
    return [
        re.sub(r" · [\d.]+ s(, [\d.]+ s per document)?$", "", line) for line in out.getvalue().splitlines()
    ]


def test_it_prints_a_line_per_corpus_document_and_a_total():
    lines = report(CORPUS / "en/A_RES_71_322.txt", CORPUS / "zh/003_4d9b2eecfc115974.txt")

    assert lines == [
        f"{CORPUS}/en/A_RES_71_322.txt: A/RES/71/322 · PP 17, OP 13, sub 14, annex 0, footnotes 9 · "
        "all checks pass",
        f"{CORPUS}/zh/003_4d9b2eecfc115974.txt: (no symbol) (report) · PP 158, OP 180, sub 22, annex 0, "
        "footnotes 74, report paragraphs 37, drafts 6 · FAILED symbol: no symbol was found",
        "total: 2 documents, 2 parsed, 0 refused · passed: symbol 1/2 (50 %), numbers 2/2 (100 %), "
        "footnotes 2/2 (100 %), furniture 2/2 (100 %), empty 2/2 (100 %) · "
        "0 of 441 paragraphs hold page furniture",
    ]


def test_it_reports_a_broken_file_and_goes_on_with_the_folder(tmp_path):
    shutil.copy(CORPUS / "en/A_RES_71_319.txt", tmp_path / "A_RES_71_319.txt")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "README.md").write_text("# What these files are\n")
    (tmp_path / "notes.csv").write_text("a,b\n")

    lines = report(tmp_path)

    assert lines == [
        f"{tmp_path}/A_RES_71_319.txt: A/RES/71/319 · PP 2, OP 1, sub 2, annex 26, footnotes 8 · "
        "all checks pass",
        f"{tmp_path}/broken.docx: refused: the .docx file is damaged (it is not a valid Word file)",
        f"{tmp_path}/empty.txt: refused: the file is empty",
        "total: 3 documents, 1 parsed, 2 refused (1 the .docx file is damaged (it is not a valid Word file); "
        "1 the file is empty) · passed: symbol 1/1 (100 %), numbers 1/1 (100 %), footnotes 1/1 (100 %), "
        "furniture 1/1 (100 %), empty 1/1 (100 %) · 0 of 31 paragraphs hold page furniture",
    ]


def test_it_names_failed_checks_and_prints_warnings_when_verbose(tmp_path):
    (tmp_path / "A_RES_78_5.txt").write_text(SKIPPING)

    lines = report(tmp_path / "A_RES_78_5.txt", "--verbose", "--language", "en")

    assert lines[:2] == [
        f"{tmp_path}/A_RES_78_5.txt: (no symbol) · PP 1, OP 3, sub 0, annex 0, footnotes 0 · "
        "FAILED symbol: no symbol was found (expected A/RES/78/5); "
        "FAILED numbers: OP 4 comes after OP 2 (3 numbered, the last 4)",
        "  warning: operative paragraph 4 follows 2: a paragraph may be missing",
    ]
    assert lines[2].startswith(
        "total: 1 document, 1 parsed, 0 refused · passed: symbol 0/1 (0 %), numbers 0/1"
    )


def test_it_reads_a_glob_and_a_pdf_as_an_upload_would():
    out = io.StringIO()
    call_command("parse_report", str(FIXTURES / "A_RES_71_322*.pdf"), "--json", stdout=out)
    data = json.loads(out.getvalue())

    assert [Path(d["file"]).name for d in data["documents"]] == ["A_RES_71_322.pdf", "A_RES_71_322_zh.pdf"]
    english = data["documents"][0]
    assert english["symbol"] == "A/RES/71/322"
    assert english["language"] == "en"
    assert english["counts"]["OP"] == 13
    assert english["checks"] == dict.fromkeys(("symbol", "numbers", "footnotes", "furniture", "empty"), True)
    assert data["documents"][1]["language"] == "zh"
    assert data["total"]["documents"] == data["total"]["parsed"] == 2
    assert data["total"]["refused"] == {}
    assert data["total"]["seconds"] >= 0
    assert english["furniture_paragraphs"] == data["total"]["furniture_paragraphs"] == 0


def test_it_names_a_missing_path_and_reports_the_others(tmp_path):
    shutil.copy(CORPUS / "en/A_RES_72_1.txt", tmp_path / "A_RES_72_1.txt")
    out, err = io.StringIO(), io.StringIO()

    call_command("parse_report", str(tmp_path), "no-such-file.txt", stdout=out, stderr=err)

    assert err.getvalue() == "no-such-file.txt: no such file or folder\n"
    assert out.getvalue().splitlines()[-1].startswith("total: 1 document, 1 parsed, 0 refused")


def test_it_fails_when_no_file_is_found(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")

    with pytest.raises(CommandError) as excinfo:
        call_command("parse_report", str(tmp_path), str(tmp_path / "*.pdf"), "no-such-file.txt")

    assert str(excinfo.value) == (
        f"no .pdf, .docx, .md or .txt file was found in {tmp_path}, {tmp_path}/*.pdf, no-such-file.txt"
    )
