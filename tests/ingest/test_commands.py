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
    assert data["paragraphs"]
    for paragraph in data["paragraphs"]:
        assert set(paragraph) >= PARAGRAPH_KEYS


def test_it_keeps_chinese_readable_in_the_json():
    out = io.StringIO()
    call_command("parse_document", str(CORPUS / "zh/000_9c40344d96047766.txt"), "--json", stdout=out)

    assert "器官" in out.getvalue()
    assert json.loads(out.getvalue())["language"] == "zh"


def test_it_prints_the_report_with_its_six_draft_resolutions():
    data = parse_json(CORPUS / "zh/003_4d9b2eecfc115974.txt", "--language", "zh")

    assert data["doc_type"] == "report"
    assert [r["number"] for r in data["resolutions"]] == list("一二三四五六")
    for resolution in data["resolutions"]:
        assert resolution["paragraphs"]


def test_it_names_a_missing_file():
    with pytest.raises(CommandError, match="no-such-file.txt"):
        call_command("parse_document", "no-such-file.txt", "--json")


def test_it_names_the_file_and_the_problem_when_it_cannot_be_parsed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")

    with pytest.raises(CommandError) as excinfo:
        call_command("parse_document", str(empty), "--json", stdout=io.StringIO())

    message = str(excinfo.value)
    assert "empty.txt" in message
    assert len(message) > len(str(empty)) + 2  # the parser's reason follows the name
