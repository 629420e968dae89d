"""Untrusted files are read by a child process under hard limits: a hostile file is
refused in words naming the limit or the damage, and costs only that process."""

import html
import io
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import CORPUS, stored_snapshot
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from bench.files import (
    bad_crc_docx,
    docx_of,
    flate_bomb_pdf,
    font_bomb_pdf,
    form_bomb_pdf,
    lying_zip_docx,
    nesting_bomb_pdf,
    page_tree_bomb_pdf,
    zip_bomb_docx,
)
from search.ingest import extract, sandbox, uploads
from search.models import Text, Upload

ROOT = Path(__file__).resolve().parents[2]
ODS = ROOT / "corpus" / "ods"
EN_71_322 = (ROOT / "corpus/en/A_RES_71_322.txt").read_bytes()
HEAVIEST = ODS / "A_RES_80_229.pdf"  # the most processor time of corpus/ods: about 0.9 s
DOCX = docx_of(EN_71_322.decode())
ZH_71_322 = CORPUS / "zh/000_9c40344d96047766.txt"

UNSAFE_PDF = "the PDF expands to far more than a document could hold: it was refused as unsafe"
DRAWING = "the PDF runs more than 8 MB of drawing instructions, the limit: it was refused as unsafe"
MEMORY = "reading the file needed more than 1,536 MB of memory, the limit; it was refused"

# (name, bytes, what the refusal says: a pattern where the bytes decide a number)
HOSTILE = [
    # 150 KB whose content stream expands to 50 MB of text-drawing operators.
    ("flate-50mb.pdf", flate_bomb_pdf(50), re.escape(DRAWING)),
    # 900 KB that expand to 300 MB: beyond pypdf's own bound on one stream.
    ("flate-300mb.pdf", flate_bomb_pdf(300), re.escape(UNSAFE_PDF)),
    # 2 KB: a drawing that calls another ten times, seven deep (ten million strings).
    ("forms.pdf", form_bomb_pdf(depth=7, fanout=10), re.escape(DRAWING)),
    # 10 KB whose page tree names one page a million times.
    ("pages.pdf", page_tree_bomb_pdf(1000), re.escape(UNSAFE_PDF)),
    (
        "nested.pdf",
        nesting_bomb_pdf(100_000),
        re.escape("the PDF is damaged and could not be read (PdfReadError)"),
    ),
    # 2 MB whose font's ToUnicode map expands to 2 GB: refused before PDFium reads it (its
    # allocation would fail at the memory limit, and PDFium ends its process then).
    ("font.pdf", font_bomb_pdf(2048), re.escape(UNSAFE_PDF)),
    (
        "truncated.pdf",
        HEAVIEST.read_bytes()[:100_000],
        re.escape("the PDF is damaged and could not be read (PdfStreamError)"),
    ),
    (
        "random.pdf",
        random.Random(18).randbytes(5000),
        re.escape("the file is not a PDF (it does not start like one)"),
    ),
    (
        "header.pdf",
        b"%PDF-1.7\n" + random.Random(18).randbytes(5000),
        re.escape("the PDF is damaged and could not be read (PdfStreamError)"),
    ),
    (
        "zip-bomb.docx",
        zip_bomb_docx(200),
        r"the \.docx file expands to far more than a document could hold \(200 MB from \d+ KB\): "
        r"it was refused as unsafe",
    ),
    (
        "bad-crc.docx",
        bad_crc_docx(DOCX),
        re.escape("the .docx file is damaged (a part of it fails its checksum)"),
    ),
    # Sizes that lie: the central directory says a tenth of what the member holds.
    (
        "lying.docx",
        lying_zip_docx(DOCX),
        re.escape("the .docx file is damaged (a part of it fails its checksum)"),
    ),
]


@pytest.mark.parametrize("name, data, message", HOSTILE, ids=[name for name, _, _ in HOSTILE])
def test_a_hostile_file_is_refused_in_words_by_a_reader_that_answered(name, data, message):
    with pytest.raises(sandbox.Refused) as refused:
        uploads.read(data, name, None)

    assert re.fullmatch(message, str(refused.value))
    assert refused.value.exitcode == 0  # the child answered: it was not killed


def test_a_page_that_draws_itself_is_refused():
    # Object 6 is a form whose content draws object 6.
    data = form_bomb_pdf(depth=2, fanout=1).replace(b"/XObject << /X 7 0 R >>", b"/XObject << /X 6 0 R >>")

    assert str(_refusal(data, "loop.pdf")) == (
        "a drawing of the PDF draws itself: the file is damaged or built to do harm"
    )


def test_a_genuine_document_is_read_and_what_it_cost_is_told():
    reading = sandbox.read(HEAVIEST.read_bytes(), HEAVIEST.name, None)

    assert reading.parsed.symbol == "A/RES/80/229"
    assert len(reading.parsed.paragraphs) == 157
    assert 0 < reading.cpu_seconds < sandbox.CPU_SECONDS
    assert 0 < reading.peak_mb < sandbox.MEMORY_MB


def test_the_processor_time_limit_stops_the_reader_whatever_the_wall_clock(monkeypatch):
    # A genuine document three times over (81 pages): about 2.5 s of processor time, under
    # a 1 s limit.
    from pypdf import PdfWriter

    monkeypatch.setattr(sandbox, "CPU_SECONDS", 1)
    writer, out = PdfWriter(), io.BytesIO()
    for _ in range(3):
        writer.append(HEAVIEST)
    writer.write(out)

    refused = _refusal(out.getvalue(), HEAVIEST.name)

    assert str(refused) == "reading the file took more than 1 s of processor time, the limit; it was refused"
    assert refused.exitcode == -signal.SIGXCPU


def test_a_reader_that_crashes_is_a_refusal_in_words():
    found = threading.Event()

    def crash_the_reader():
        until = time.monotonic() + 30
        while time.monotonic() < until and not found.is_set():
            for child in multiprocessing.active_children():
                if child.name == "read-file":
                    os.kill(child.pid, signal.SIGSEGV)
                    found.set()
            time.sleep(0.01)

    killer = threading.Thread(target=crash_the_reader)
    killer.start()
    try:
        refused = _refusal(HEAVIEST.read_bytes(), HEAVIEST.name)
    finally:
        found.set()
        killer.join()

    assert str(refused) == (
        "the program reading the file crashed (SIGSEGV): the file is damaged or was built to do harm; "
        "it was refused"
    )
    assert refused.exitcode == -signal.SIGSEGV


def test_an_answer_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_ANSWER_BYTES", 1000)

    refused = _refusal(EN_71_322, "A_RES_71_322.txt")

    assert str(refused) == "the file holds far more than a document could, once read; it was refused"


def test_the_memory_limit_refuses_a_reader_in_words(monkeypatch):
    # A limit below what the interpreter itself takes: the first allocation for the file fails.
    monkeypatch.setattr(sandbox, "MEMORY_MB", 50)

    refused = _refusal(HEAVIEST.read_bytes(), HEAVIEST.name)

    assert str(refused) == "reading the file needed more than 50 MB of memory, the limit; it was refused"
    assert refused.exitcode == 0  # the child answered


def test_the_wall_clock_backstop_refuses_a_reader_that_has_not_answered(monkeypatch):
    monkeypatch.setattr(sandbox, "WAIT_SECONDS", 0)

    refused = _refusal(HEAVIEST.read_bytes(), HEAVIEST.name)

    assert str(refused) == (
        "reading the file had not finished after 0 s (the server may be overloaded); "
        "it was refused: try again later"
    )
    assert refused.exitcode == -signal.SIGKILL


def test_the_count_limits_leave_the_densest_official_pdf_five_times_its_drawing():
    from pypdf import PdfReader

    heaviest = PdfReader(HEAVIEST)
    extract.check_drawing(heaviest)  # read, not refused
    drawn = sum(len(page.get_contents().get_data()) for page in heaviest.pages)

    assert drawn * 5 < extract.MAX_PDF_DRAWING


def test_hostile_uploads_are_refused_on_the_form_and_store_nothing(db, client):
    uploads.ingest_file(EN_71_322, "A_RES_71_322.txt", "en")
    client.force_login(User.objects.create_superuser("root", password="pw"))
    before = stored_snapshot()

    files = [SimpleUploadedFile(name, data) for name, data, _ in HOSTILE]
    response = client.post("/admin/search/upload/add/", {"file": files, "language": ""})

    assert response.status_code == 200
    shown = re.findall(r"<li>(.*?)</li>", response.content.decode().split('class="errorlist', 1)[1])
    assert len(shown) == len(HOSTILE)
    for (name, _, message), line in zip(HOSTILE, shown, strict=True):
        assert re.fullmatch(f"{re.escape(name)}: {message}\\.", html.unescape(line))
    assert stored_snapshot() == before
    assert Upload.objects.filter(status=Upload.PENDING).count() == 0


# `manage.py import_documents` reads each file in a child process too: under the same
# limits, whatever else the machine is doing (tests/ingest/test_import_documents.py for
# what it stores).
def import_documents(*args):
    """Run the command; return its output."""
    out = io.StringIO()
    call_command("import_documents", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_each_file_is_read_by_a_child_process_under_the_limits(db, monkeypatch):
    # Reading is broken in this process: only the children can read the files.
    def broken(*args):
        raise AssertionError("read in the main process")

    monkeypatch.setattr(extract, "read_document", broken)
    files = [CORPUS / "en/A_RES_72_1.txt", CORPUS / "ods/A_C.3_80_L.7.pdf", ZH_71_322]

    out = import_documents(*files, "--jobs", "2")

    assert "imported: 3 (3 created, 0 updated)" in out
    cost = re.search(
        r"^peak memory: \d+ MB this process; reading a file: at most ([\d.]+) s of processor time and "
        r"([\d,]+) MB of address space \(the limits: 30 s, 1,536 MB\)$",
        out,
        re.M,
    )
    assert cost and float(cost.group(1)) > 0 and int(cost.group(2).replace(",", "")) > 0  # children told
    # Published in the order given, whichever worker finished first.
    assert [line.split(":")[0] for line in out.splitlines()[:3]] == list(map(str, files))
    assert set(Text.objects.values_list("resolution__symbol", "language")) == {
        ("A/RES/72/1", "en"),
        ("A/C.3/80/L.7", "en"),
        ("A/RES/71/322", "zh"),
    }


def test_a_busy_machine_turns_no_genuine_document_away(db):
    # Four processes that take all the processor they get, beside the import: reading
    # takes longer by the clock, not more processor time, which is what is limited.
    # Two official PDFs of the usual size (about 1 s of processor time each), read at once.
    files = [CORPUS / "ods/A_C.3_80_L.2.pdf", CORPUS / "ods/A_RES_80_192.pdf"]
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(4)]
    try:
        out = import_documents(*files, "--jobs", "2")
        busy = [burner.poll() is None for burner in burners]
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()

    assert busy == [True] * 4
    assert "imported: 2 (2 created, 0 updated)" in out
    assert "refused: 0\n" in out


def _refusal(data: bytes, name: str) -> sandbox.Refused:
    with pytest.raises(sandbox.Refused) as refused:
        sandbox.read(data, name, None)
    return refused.value
