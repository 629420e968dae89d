"""Untrusted files are read by a child process under hard limits: a hostile file is
refused in words naming the limit or the damage, and costs only that process."""

import html
import multiprocessing
import os
import random
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import stored_snapshot
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

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
from search.models import Upload

ROOT = Path(__file__).resolve().parents[2]
ODS = ROOT / "corpus" / "ods"
EN_71_322 = (ROOT / "corpus/en/A_RES_71_322.txt").read_bytes()
HEAVIEST = ODS / "A_RES_80_229.pdf"  # the most processor time of corpus/ods: about 5 s
DOCX = docx_of(EN_71_322.decode())

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
    # 2 MB whose font's ToUnicode map expands to 2 GB: only the memory limit stops it.
    ("font.pdf", font_bomb_pdf(2048), re.escape(MEMORY)),
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
    # A genuine document that needs about 5 s of processor time, under a 1 s limit.
    monkeypatch.setattr(sandbox, "CPU_SECONDS", 1)

    refused = _refusal(HEAVIEST.read_bytes(), HEAVIEST.name)

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


def _refusal(data: bytes, name: str) -> sandbox.Refused:
    with pytest.raises(sandbox.Refused) as refused:
        sandbox.read(data, name, None)
    return refused.value
