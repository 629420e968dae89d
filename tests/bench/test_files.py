"""bench/files.py: the corrupted files it makes and how it tallies a real server's answers."""

import random
from pathlib import Path

from django.contrib.auth.models import User

from bench.files import (
    bad_crc_docx,
    cancel_staged,
    corrupted_files,
    docx_of,
    flate_bomb_pdf,
    measure,
    published_snapshot,
    tracebacks,
    upload_all,
)
from search.ingest import uploads

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EN_71_322 = (ROOT / "corpus/en/A_RES_71_322.txt").read_bytes()
EN_72_1 = (ROOT / "corpus/en/A_RES_72_1.txt").read_bytes()


def test_it_tallies_refusals_stagings_and_published_rows_through_a_live_server(live_server, transactional_db):
    uploads.ingest_file(EN_71_322, "A_RES_71_322.txt", "en")
    User.objects.create_superuser("fuzzer", password="a long password")
    files = [
        ("random bytes", "random.pdf", random.Random(1).randbytes(3000)),
        ("pdf flate bomb", "bomb.pdf", flate_bomb_pdf(50)),
        ("docx bad checksum", "crc.docx", bad_crc_docx(docx_of(EN_72_1.decode()))),
        ("genuine", "A_RES_72_1.txt", EN_72_1),  # reads: staged, then cancelled
    ]
    before = published_snapshot()

    tally = upload_all(live_server.url, "fuzzer", "a long password", files, clients=2)
    cancelled = cancel_staged("fuzzer")

    assert tally.staged == 1 and cancelled == 1
    assert tally.server_errors == [] and tally.other == []
    assert dict(tally.refused) == {
        "the file is not a PDF (it does not start like one).": 1,
        "the PDF runs more than N MB of drawing instructions, the limit: it was refused as unsafe.": 1,
        "the .docx file is damaged (a part of it fails its checksum).": 1,
    }
    assert tally.by_kind["genuine"] == {"staged": 1}
    assert published_snapshot() == before
    assert before["Resolution"][0] == 1 and before["Paragraph"][0] > 0


def test_it_makes_the_same_corrupted_files_for_a_seed_and_of_every_kind():
    # 120 files hold every kind below (the bombs, each 2-6 % of the mix, among them).
    first, again = corrupted_files(120, seed=5), corrupted_files(120, seed=5)

    assert [(kind, name, len(data)) for kind, name, data in first] == [
        (kind, name, len(data)) for kind, name, data in again
    ]
    assert len({data for _, _, data in first}) == 120  # no two the same bytes
    assert {kind for kind, _, _ in first} >= {
        "pdf bytes flipped",
        "pdf truncated",
        "pdfs spliced",
        "docx bad checksum",
        "docx zip bomb",
        "pdf flate bomb",
        "pdf form bomb",
        "random bytes",
    }


def test_it_counts_the_tracebacks_a_server_wrote():
    log = "ok\nTraceback (most recent call last):\n  File x\nValueError\nTraceback (most recent call last):\n"

    assert tracebacks(log) == 2


def test_it_measures_what_reading_each_file_costs_its_child(capsys):
    result = measure([FIXTURES / "A_RES_71_322.pdf", FIXTURES / "A_RES_71_322_zh.pdf"])

    assert (result["files"], result["refused"]) == (2, [])
    total, median, p95 = result["processor time (s): total, median, p95"]
    # Of two files the median and the 95th percentile are the dearer one.
    assert 0 < median == p95 == round(result["most processor time"][0], 2) < total
    assert result["address space (MB): median, p95"][1] == result["largest address space (MB)"][0]
    assert len([line for line in capsys.readouterr().out.splitlines() if " s CPU, " in line]) == 2
