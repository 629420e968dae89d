"""`manage.py import_documents`: folders of files through the upload's door, on every core."""

import hashlib
import io
import shutil

import pytest
from conftest import CORPUS, stored_snapshot
from django.core.management import call_command
from django.core.management.base import CommandError

from search.engine.searching import search_paragraphs
from search.ingest import bulk, sandbox
from search.models import Resolution, Text, Upload

ZH_71_322 = CORPUS / "zh/000_9c40344d96047766.txt"

# A revision of the Third Committee's draft A/C.3/80/L.28 (corpus/ods), which became
# A/RES/80/202: built for this test, as no revision of it is in the corpus. Its session,
# committee and title are the draft's; its paragraphs are two of the draft's, shortened.
REVISION_L28 = """A/C.3/80/L.28/Rev.1
Eightieth session
Third Committee
Agenda item 71 (b)
Promotion and protection of human rights: human rights questions
Albania, Austria and Belgium: revised draft resolution
**Freedom of religion or belief**
The General Assembly,
Recalling article 18 of the International Covenant on Civil and Political Rights,
1. Condemns all forms of intolerance and of discrimination based on religion or belief;
2. Decides to remain seized of the question.
"""


def run(*args):
    """Run the command; return its output and the CommandError it ended with, if any."""
    out = io.StringIO()
    try:
        call_command("import_documents", *map(str, args), stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_it_imports_a_folder_and_its_documents_are_searchable(db):
    out, error = run(CORPUS / "en", "--jobs", "1")

    assert error is None
    assert "imported: 4 (4 created, 0 updated), 176 paragraphs" in out
    assert "refused: 0\n" in out
    assert f"{CORPUS / 'en/A_RES_71_322.txt'}: created A/RES/71/322 [en], 44 paragraphs" in out
    assert set(Resolution.objects.values_list("key", flat=True)) == {
        "A/RES/71/319",
        "A/RES/71/322",
        "A/RES/72/1",
        "A/RES/74/176",
    }
    assert Upload.objects.filter(status=Upload.PUBLISHED).count() == 4
    found = search_paragraphs("self-sufficiency transplantation")
    # The one paragraph with both words; those with one of them follow it.
    assert [(h["symbol"], h["anchor"]) for h in found["hits"][: found["complete"]]] == [
        ("A/RES/71/322", "op5")
    ]


def test_a_second_run_reads_nothing_and_changes_nothing(db, monkeypatch):
    run(CORPUS / "en", "--jobs", "1")
    before = stored_snapshot()

    def unexpected(*args):
        raise AssertionError("a stored file was read again")

    monkeypatch.setattr(sandbox, "read", unexpected)
    out, error = run(CORPUS / "en", "--jobs", "1")

    assert error is None
    assert "imported: 0 (0 created, 0 updated)" in out
    assert "unchanged: 4\n" in out
    assert f"{CORPUS / 'en/A_RES_72_1.txt'}: unchanged (stored already)" in out
    assert stored_snapshot() == before


def test_a_bad_file_is_refused_with_its_reason_and_the_others_import(db, tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"these bytes are not a PDF")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.csv").write_bytes(b"not a document: a folder's other files are left alone")
    (tmp_path / "README.md").write_bytes(b"A folder's README describes the documents: it is skipped.")
    shutil.copy(CORPUS / "en/A_RES_72_1.txt", tmp_path)
    (tmp_path / "sub").mkdir()
    shutil.copy(CORPUS / "en/A_RES_71_319.txt", tmp_path / "sub")

    out, error = run(tmp_path, tmp_path / "missing-*.pdf", tmp_path / "notes.csv", "--jobs", "1")

    assert error == "4 of 6 files were refused"
    assert "imported: 2 (2 created, 0 updated)" in out
    assert (
        "refused: 4\n"
        f"  {tmp_path}/missing-*.pdf: no file matches this path\n"
        f"  {tmp_path}/empty.txt: the file is empty\n"
        f"  {tmp_path}/x.pdf: the file is not a PDF (it does not start like one)\n"
        f"  {tmp_path}/notes.csv: files of type “.csv” are not accepted: upload .txt, .md, .docx or .pdf\n"
    ) in out
    assert "README" not in out
    assert set(Resolution.objects.values_list("key", flat=True)) == {"A/RES/71/319", "A/RES/72/1"}
    # Nothing of the refused files is left behind, not even a staged upload.
    assert set(Upload.objects.values_list("filename", "status")) == {
        ("A_RES_71_319.txt", Upload.PUBLISHED),
        ("A_RES_72_1.txt", Upload.PUBLISHED),
    }


def test_the_english_and_chinese_versions_of_one_symbol_become_one_resolution(db):
    # The language of each comes from its text; the symbol, from the document.
    out, error = run(CORPUS / "*/A_RES_71_322.txt", ZH_71_322, "--jobs", "1")

    assert error is None
    assert f"{ZH_71_322}: created A/RES/71/322 [zh], 44 paragraphs" in out
    resolution = Resolution.objects.get()
    assert resolution.symbol == "A/RES/71/322"
    assert sorted(resolution.texts.values_list("language", flat=True)) == ["en", "zh"]


def test_a_stated_language_that_the_text_does_not_read_as_is_refused(db):
    out, error = run(ZH_71_322, "--language", "en", "--jobs", "1")

    assert error == "1 of 1 files were refused"
    assert "This text reads as Chinese but was uploaded as English" in out
    assert Text.objects.count() == 0


def test_a_changed_file_replaces_the_stored_version_of_its_symbol(db, tmp_path):
    file = tmp_path / "A_RES_72_1.txt"
    file.write_bytes((CORPUS / "en/A_RES_72_1.txt").read_bytes())
    run(file, "--jobs", "1")
    text = (CORPUS / "en/A_RES_72_1.txt").read_text(encoding="utf-8")
    file.write_text(text.replace("Political declaration", "Political Declaration", 1), encoding="utf-8")

    out, error = run(file, "--jobs", "1")

    assert error is None
    assert "imported: 1 (0 created, 1 updated)" in out
    assert Text.objects.get().source.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()


def test_it_links_a_draft_to_the_resolution_it_became(db):
    # Official PDFs: the draft, the resolution adopted from it, a draft whose resolution
    # is not here, and a resolution of another session.
    files = ["A_C.3_80_L.28.pdf", "A_C.3_80_L.30.pdf", "A_RES_80_202.pdf", "A_RES_78_110.pdf"]

    out, error = run(*(CORPUS / "ods" / name for name in files), "--jobs", "1", "-v", "2")

    assert error is None
    assert "linked: A/C.3/80/L.28 became A/RES/80/202" in out
    assert "drafts linked to the resolution they became: 1" in out
    assert dict(Resolution.objects.values_list("symbol", "became__symbol")) == {
        "A/C.3/80/L.28": "A/RES/80/202",
        "A/C.3/80/L.30": None,
        "A/RES/80/202": None,
        "A/RES/78/110": None,
    }


def test_where_revisions_match_the_latest_is_linked(db, tmp_path):
    (tmp_path / "A_C.3_80_L.28_Rev.1.md").write_text(REVISION_L28, encoding="utf-8")

    out, error = run(
        CORPUS / "ods/A_C.3_80_L.28.pdf", tmp_path, CORPUS / "ods/A_RES_80_202.pdf", "--jobs", "1"
    )

    assert error is None
    assert dict(Resolution.objects.values_list("symbol", "became__symbol")) == {
        "A/C.3/80/L.28": None,  # the revision is what the Committee recommended
        "A/C.3/80/L.28/Rev.1": "A/RES/80/202",
        "A/RES/80/202": None,
    }
    hits = search_paragraphs("Condemns all forms of intolerance symbol:A/C.3/80/L.28/Rev.1")["hits"]
    assert [h["anchor"] for h in hits] == ["op1"]


def test_a_link_already_set_is_kept(db, tmp_path):
    (tmp_path / "draft.md").write_text(REVISION_L28, encoding="utf-8")
    run(tmp_path / "draft.md", "--jobs", "1")
    other = Resolution.objects.create(key="elsewhere", doc_type="resolution")
    Resolution.objects.filter(symbol="A/C.3/80/L.28/Rev.1").update(became=other)

    out, _ = run(CORPUS / "ods/A_RES_80_202.pdf", "--jobs", "1")

    assert "drafts linked to the resolution they became: 0" in out
    assert Resolution.objects.get(symbol="A/C.3/80/L.28/Rev.1").became == other


@pytest.mark.parametrize(
    ("draft", "resolution"),
    [
        ("Freedom of religion or belief", "Freedom of Religion or Belief."),
        (
            "Situation of human rights in the Democratic People’s Republic of Korea",
            "Situation of human rights in the Democratic People's  Republic of Korea",
        ),
    ],
)
def test_titles_are_compared_case_quotes_and_spacing_aside(draft, resolution):
    assert bulk.normal_title(draft) == bulk.normal_title(resolution)


def test_an_amendment_is_not_the_draft_that_became_the_resolution(db):
    # A/C.3/80/L.56 amends L.2 and carries its title: it is no rival draft.
    title = "Combating glorification of Nazism, neo-Nazism and other practices"
    rows = {
        "A/RES/80/192": ("resolution", "C3"),
        "A/C.3/80/L.2": ("draft_resolution", "C3"),
        "A/C.3/80/L.56": ("amendment", "C3"),
    }
    for symbol, (doc_type, committee) in rows.items():
        row = Resolution.objects.create(key=symbol, symbol=symbol, doc_type=doc_type, committee=committee)
        Text.objects.create(resolution=row, language="en", title=title)

    links = bulk.link_drafts()

    assert [(draft.symbol, resolution.symbol) for draft, resolution in links] == [
        ("A/C.3/80/L.2", "A/RES/80/192")
    ]
    assert Resolution.objects.get(symbol="A/C.3/80/L.56").became is None


@pytest.mark.parametrize(
    ("draft", "committee", "linked"),
    [
        ("A/C.3/80/L.9", "C3", True),
        ("A/C.2/80/L.9", "C3", False),  # another committee's draft
        ("A/C.3/79/L.9", "C3", False),  # another session's
        ("A/80/L.9", "plenary", True),  # a plenary draft, adopted without a committee's report
        ("A/80/L.9", "C3", False),
    ],
)
def test_a_draft_is_linked_only_within_its_session_and_committee(db, draft, committee, linked):
    title = "Tackling illicit trafficking in wild fauna and flora"
    for symbol, doc_type in ((draft, "draft_resolution"), ("A/RES/80/227", "resolution")):
        row = Resolution.objects.create(key=symbol, symbol=symbol, doc_type=doc_type, committee=committee)
        Text.objects.create(resolution=row, language="en", title=title)

    bulk.link_drafts()

    assert (Resolution.objects.get(symbol=draft).became_id is not None) == linked


def test_two_files_of_one_version_in_one_run_do_not_replace_each_other(db, tmp_path):
    text = (CORPUS / "en/A_RES_72_1.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")  # a copy
    (tmp_path / "c.txt").write_text(
        text.replace("Political declaration", "Political Declaration"), encoding="utf-8"
    )

    out, error = run(tmp_path, "--jobs", "1")

    assert error == "1 of 3 files were refused"
    assert f"{tmp_path}/b.txt: unchanged (the same bytes as {tmp_path}/a.txt)" in out
    assert (
        f"{tmp_path}/c.txt: {tmp_path}/a.txt, also in this import, is the English version of A/RES/72/1"
        in out
    )
    assert Text.objects.get().source.filename == "a.txt"
