import io
import json

import pytest
from conftest import CORPUS
from django.core.management import CommandError, call_command

PARAGRAPH_KEYS = {"anchor", "kind", "label", "text", "footnotes"}


def parse_json(path, *args):
    out = io.StringIO()
    call_command("parse_document", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


# No `db` fixture here: any database access would make these tests fail.


def test_it_prints_a_resolution_as_json_with_the_required_keys():
    data = parse_json(CORPUS / "en/A_RES_71_322.txt")

    assert {"title", "symbol", "language", "paragraphs", "footnotes", "resolutions"} <= set(data)
    assert data["symbol"] == "A/RES/71/322"
    assert data["language"] == "en"
    assert data["resolutions"] == []
    # 17 preambular paragraphs, operative 1-13 and 14 subparagraphs; 9 footnotes.
    assert len(data["paragraphs"]) == 44
    assert [n["number"] for n in data["footnotes"]] == list(range(1, 10))
    for paragraph in data["paragraphs"]:
        assert set(paragraph) >= PARAGRAPH_KEYS
    assert data["paragraphs"][17]["label"] == "OP 1"


def test_it_keeps_chinese_readable_in_the_json():
    out = io.StringIO()
    call_command("parse_document", str(CORPUS / "zh/000_9c40344d96047766.txt"), "--json", stdout=out)

    assert "器官" in out.getvalue()
    assert json.loads(out.getvalue())["language"] == "zh"


def test_it_prints_the_report_with_its_six_draft_resolutions():
    data = parse_json(CORPUS / "zh/003_4d9b2eecfc115974.txt", "--language", "zh")

    assert data["doc_type"] == "report"
    assert [r["number"] for r in data["resolutions"]] == list("一二三四五六")
    assert [len(r["paragraphs"]) for r in data["resolutions"]] == [41, 14, 28, 63, 53, 155]


def test_it_names_a_missing_file():
    with pytest.raises(CommandError) as excinfo:
        call_command("parse_document", "no-such-file.txt", "--json")

    assert str(excinfo.value) == "no-such-file.txt: cannot read file: No such file or directory"


def test_it_names_the_file_and_the_problem_when_it_cannot_be_parsed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")

    with pytest.raises(CommandError) as excinfo:
        call_command("parse_document", str(empty), "--json", stdout=io.StringIO())

    assert str(excinfo.value) == f"{empty}: the file is empty"
