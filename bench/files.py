"""Figures of reading untrusted files: what genuine documents cost, and what corrupted
ones do to a server.

    python -m bench.files --measure [PATH ...]
    python -m bench.files --files 1000 [--seed 0] [--clients 2] [--workers 3]

`--measure` reads every file (default: corpus/ods and tests/fixtures) the way an upload
is read, in a child process under the limits of `search.ingest.sandbox`, and prints per
file the processor time and the peak address space of its reader, then the largest of
each beside the limits.

Without it, the command starts a server of its own: a temporary database with the
corpus texts loaded (`load_corpus`), a staff user, static files collected, gunicorn
with sync workers and DEBUG off as `make serve` runs it, on a free port of 127.0.0.1.
It uploads `--files` corrupted files made from the PDFs of corpus/ods, the corpus texts
and a .docx (bytes flipped, truncated, spliced, random bytes, bad checksums, zip and PDF
bombs) through the admin upload, one file a request, and prints how many were refused
in words, staged, answered with a server error (5xx) or otherwise; the tracebacks in the
server's stderr; and the published tables (Resolution, Text, Paragraph) before and
after: row counts and a checksum. Staged uploads (a corrupted file that still reads) are
counted, then cancelled; nothing of the run may be left in the database.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.cookiejar
import io
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.serving import fingerprint
from bench.serving import tracebacks as raised

ROOT = Path(__file__).resolve().parent.parent
ODS = ROOT / "corpus" / "ods"
TEXTS = sorted((ROOT / "corpus").glob("[ez][nh]/*.txt"))
FIXTURES = ROOT / "tests" / "fixtures"


# Corrupted files


def flate_bomb_pdf(expanded_mb: int, salt: bytes = b"") -> bytes:
    """A one-page PDF whose compressed content stream expands to `expanded_mb` of text-drawing operators."""
    content = _drawing_deflated(expanded_mb)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        salt,
    )


def font_bomb_pdf(expanded_mb: int = 2048, salt: bytes = b"", fonts: int = 1) -> bytes:
    """A one-page PDF whose `fonts` fonts' ToUnicode maps each expand to `expanded_mb` of
    zeros: under the page's few bytes of text, which the layout reader must map to characters."""
    stream = zeros_deflated(expanded_mb)
    names = b" ".join(b"/F%d %d 0 R" % (n, 5 + 2 * n) for n in range(fonts))
    drawn = b" ".join(b"/F%d 12 Tf 0 -20 Td (trafficking) Tj" % n for n in range(fonts))
    content = b"BT 72 720 Td " + drawn + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << " + names + b" >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    for n in range(fonts):
        objects += [
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % (6 + 2 * n),
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    return _pdf(objects, salt)


@functools.cache
def _drawing_deflated(megabytes: int) -> bytes:
    operators = b"BT /F1 12 Tf 72 700 Td (trafficking in persons) Tj ET\n"
    return zlib.compress(operators * (megabytes * 1024 * 1024 // len(operators)), 9)


@functools.cache
def zeros_deflated(megabytes: int) -> bytes:
    """A zlib stream of `megabytes` MB of zeros, made without holding them: after a full
    flush, each further megabyte compresses to the same bytes."""
    compressor = zlib.compressobj(9)
    first = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    # The Adler-32 of n zeros: its low half stays 1, its high half adds 1 per byte.
    checksum = ((megabytes * (1 << 20)) % 65521) << 16 | 1
    return first + again * (megabytes - 1) + end[:-4] + checksum.to_bytes(4, "big")


def form_bomb_pdf(depth: int = 7, fanout: int = 10, salt: bytes = b"") -> bytes:
    """A one-page PDF of a few kilobytes that draws fanout**depth strings: each form
    XObject draws the next one `fanout` times."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /X 6 0 R >> >> >>",
        b"<< /Length 8 >>\nstream\nq /X Do Q\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for level in range(depth):
        number = 6 + level
        if level == depth - 1:
            body, resources = b"BT /F1 12 Tf 72 700 Td (organ) Tj ET", b"/Font << /F1 5 0 R >>"
        else:
            body, resources = b"q /X Do Q\n" * fanout, b"/XObject << /X %d 0 R >>" % (number + 1)
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << %s >> /Length %d >>\n"
            b"stream\n%s\nendstream" % (resources, len(body), body)
        )
    return _pdf(objects, salt)


def page_tree_bomb_pdf(fanout: int = 1000, salt: bytes = b"") -> bytes:
    """A PDF whose page tree names one page fanout**2 times: a million pages in 10 KB."""
    kids = b" ".join([b"4 0 R"] * fanout)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * fanout) + b"] /Count %d >>" % fanout**2,
            b"<< /Type /Pages /Parent 2 0 R /Kids [" + kids + b"] /Count %d >>" % fanout,
            b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
        ],
        salt,
    )


def nesting_bomb_pdf(depth: int = 100_000, salt: bytes = b"") -> bytes:
    """A PDF whose catalog holds an array nested `depth` deep."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ],
        salt,
    )


def _pdf(objects: list[bytes], salt: bytes = b"") -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog) with a true xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out) + (b"%" + salt.hex().encode() + b"\n" if salt else b"")


def docx_of(text: str) -> bytes:
    """A Word file of a corpus text, a paragraph a line, as python-docx writes one."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.replace("**", ""))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_docx(expanded_mb: int = 200, salt: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:p/>" * (expanded_mb * 1024 * 1024 // 6))
        archive.writestr("salt.txt", salt)
    return out.getvalue()


def lying_zip_docx(source: bytes, divisor: int = 10) -> bytes:
    """A .docx whose document.xml declares a `divisor`th of its size (its checksum then fails)."""
    data = bytearray(source)
    archive = zipfile.ZipFile(io.BytesIO(source))
    info = archive.getinfo("word/document.xml")
    small = (info.file_size // divisor).to_bytes(4, "little")
    # The size stands in the local header (offset 22) and in the central directory (offset 24).
    data[info.header_offset + 22 : info.header_offset + 26] = small
    for at in _central_entries(data, b"word/document.xml"):
        data[at + 24 : at + 28] = small
    return bytes(data)


def bad_crc_docx(source: bytes, where: float = 0.5) -> bytes:
    """A .docx with one byte of word/document.xml's compressed data changed, `where` along it."""
    data = bytearray(source)
    info = zipfile.ZipFile(io.BytesIO(source)).getinfo("word/document.xml")
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start + int(info.compress_size * where)] ^= 0x01
    return bytes(data)


def _central_entries(data: bytearray, name: bytes) -> list[int]:
    found, at = [], data.find(b"PK\x01\x02")
    while at != -1:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name:
            found.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return found


@dataclass
class Sources:
    """The genuine files the corrupted ones are made from."""

    pdfs: list[Path]
    texts: list[Path]
    docx: bytes
    cache: dict[Path, bytes] = field(default_factory=dict)

    def read(self, path: Path) -> bytes:
        if path not in self.cache:
            self.cache[path] = path.read_bytes()
        return self.cache[path]


def sources() -> Sources:
    pdfs = sorted(ODS.glob("*.pdf")) + sorted(FIXTURES.glob("*.pdf"))
    return Sources(pdfs, TEXTS, docx_of((ROOT / "corpus/en/A_RES_71_322.txt").read_text(encoding="utf-8")))


def flipped(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 4, 16, 64, 256])):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncated(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def spliced(rng: random.Random, first: bytes, second: bytes) -> bytes:
    return first[: rng.randrange(1, len(first))] + second[rng.randrange(len(second)) :]


def corrupted_files(count: int, seed: int = 0, source: Sources | None = None) -> list[tuple[str, str, bytes]]:
    """Return `count` corrupted files as (kind, file name, bytes), the same for a seed."""
    rng = random.Random(seed)
    source = source or sources()
    makers = [
        (30, "pdf bytes flipped", lambda: ("pdf", flipped(rng, source.read(rng.choice(source.pdfs))))),
        (15, "pdf truncated", lambda: ("pdf", truncated(rng, source.read(rng.choice(source.pdfs))))),
        (
            10,
            "pdfs spliced",
            lambda: (
                "pdf",
                spliced(rng, source.read(rng.choice(source.pdfs)), source.read(rng.choice(source.pdfs))),
            ),
        ),
        (6, "docx bytes flipped", lambda: ("docx", flipped(rng, source.docx))),
        (3, "docx truncated", lambda: ("docx", truncated(rng, source.docx))),
        (3, "docx bad checksum", lambda: ("docx", bad_crc_docx(source.docx, rng.random()))),
        (2, "docx lying sizes", lambda: ("docx", lying_zip_docx(source.docx, rng.randrange(2, 100)))),
        (3, "docx zip bomb", lambda: ("docx", zip_bomb_docx(rng.choice([60, 200]), _salt(rng)))),
        (5, "text bytes flipped", lambda: ("txt", flipped(rng, source.read(rng.choice(source.texts))))),
        (2, "text truncated", lambda: ("md", truncated(rng, source.read(rng.choice(source.texts))))),
        (
            5,
            "random bytes",
            lambda: (rng.choice(["pdf", "docx", "txt"]), rng.randbytes(rng.randrange(1, 65536))),
        ),
        (6, "pdf flate bomb", lambda: ("pdf", flate_bomb_pdf(rng.choice([50, 300]), _salt(rng)))),
        (2, "pdf form bomb", lambda: ("pdf", form_bomb_pdf(salt=_salt(rng)))),
        (2, "pdf font bomb", lambda: ("pdf", font_bomb_pdf(2048, _salt(rng)))),
        (2, "pdf page-tree bomb", lambda: ("pdf", page_tree_bomb_pdf(salt=_salt(rng)))),
        (2, "pdf nesting bomb", lambda: ("pdf", nesting_bomb_pdf(salt=_salt(rng)))),
        (
            4,
            "pdf header on random bytes",
            lambda: ("pdf", b"%PDF-1.7\n" + rng.randbytes(rng.randrange(1, 65536))),
        ),
    ]
    weights = [weight for weight, _, _ in makers]
    files = []
    for number in range(count):
        _, kind, make = rng.choices(makers, weights)[0]
        suffix, data = make()
        files.append((kind, f"fuzz-{number:04d}.{suffix}", data))
    return files


def _salt(rng: random.Random) -> bytes:
    # Each bomb its own bytes: a second upload of the same bytes reuses the first.
    return rng.randbytes(8)


# The server's answers


@dataclass
class Tally:
    refused: Counter = field(default_factory=Counter)  # message (numbers masked) -> files
    staged: int = 0
    server_errors: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    by_kind: dict[str, Counter] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)


class Client:
    """A logged-in staff user's browser: cookies, the CSRF token, the upload form."""

    def __init__(self, url: str, username: str, password: str):
        self.url = url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        page = self.get("/admin/login/")
        status, body = self.post(
            "/admin/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": _token(page),
                "next": "/admin/",
            },
        )
        if status != 302:
            raise SystemExit(f"logging in as {username} failed ({status})")

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=120) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        body = bytearray()
        for name, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, data) in (files or {}).items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            body += data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.url + path,
            data=bytes(body),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.url + path},
        )
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def upload(self, filename: str, data: bytes) -> tuple[int, str]:
        token = _token(self.get("/admin/search/upload/add/"))
        return self.post(
            "/admin/search/upload/add/",
            {"csrfmiddlewaretoken": token, "language": ""},
            {"file": (filename, data)},
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def refusals(page: str) -> list[str]:
    """The messages of the upload form's error list, as the page shows them."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for block in lists
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def upload_all(url: str, username: str, password: str, files, clients: int = 2) -> Tally:
    """Upload each file through the admin upload (`clients` at a time); tally the answers."""
    tally, lock, queue = Tally(), threading.Lock(), list(reversed(files))

    def client() -> None:
        browser = Client(url, username, password)
        while True:
            with lock:
                if not queue:
                    return
                kind, name, data = queue.pop()
            started = time.monotonic()
            try:
                status, page = browser.upload(name, data)
            except urllib.error.HTTPError as error:  # the form itself failed
                status, page = error.code, ""
            except OSError as error:  # a dropped connection: a worker died
                status, page = 0, str(error)
            with lock:
                tally.seconds.append(time.monotonic() - started)
                outcome = _record(tally, name, status, page)
                tally.by_kind.setdefault(kind, Counter())[outcome] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def _record(tally: Tally, name: str, status: int, page: str) -> str:
    if status == 302:
        tally.staged += 1
        return "staged"
    if status >= 500:
        tally.server_errors.append(f"{name}: {status}")
        return "server error"
    messages = refusals(page) if status == 200 else []
    if messages:
        for message in messages:
            # "fuzz-0012.pdf: the PDF is damaged …": one line per kind of refusal.
            tally.refused[re.sub(r"\d[\d,.]*", "N", message.split(": ", 1)[-1])] += 1
        return "refused"
    tally.other.append(f"{name}: {status} {page[:200]!r}")
    return "other"


# The published tables


def published_snapshot() -> dict:
    """Row counts and a checksum of every published table's rows (Django set up)."""
    from search.models import Paragraph, Resolution, SourceFile, Text, Upload

    return {model.__name__: fingerprint(model) for model in (Resolution, Text, Paragraph, SourceFile, Upload)}


def cancel_staged(username: str) -> int:
    """Cancel the uploads the run staged; return how many."""
    from search.ingest import uploads
    from search.models import Upload

    staged = list(Upload.objects.filter(status=Upload.PENDING, user__username=username))
    for upload in staged:
        uploads.cancel(upload)
    return len(staged)


# A server of its own


@contextmanager
def server(folder: Path, workers: int):
    """Start gunicorn as `make serve` does, on its own database; yield its URL and stderr file."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "search.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_PATH": str(folder / "db.sqlite3"),
        "INDEX_DIR": str(folder / "index"),
        "STATIC_ROOT": str(folder / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }
    env.pop("DATABASE_URL", None)
    python = sys.executable
    for command in (["migrate", "-v", "0"], ["load_corpus"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    # This process reads the same database, to count rows and cancel what was staged.
    keys = ("DJANGO_SETTINGS_MODULE", "DATABASE_PATH", "INDEX_DIR", "DEBUG", "SECRET_KEY", "STATIC_ROOT")
    os.environ.update({key: env[key] for key in keys})
    os.environ.pop("DATABASE_URL", None)
    stderr_path = folder / "server.stderr"
    gunicorn = Path(python).parent / "gunicorn"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [str(gunicorn), "-c", "python:search.gunicorn_conf", "search.wsgi", "--workers", str(workers)]
            + ["--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url + "/healthz")
            yield url, stderr_path
        finally:
            process.terminate()
            process.wait(30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url} within {seconds} s")


def tracebacks(stderr: str) -> int:
    return len(raised(stderr))


def reader_failures(stderr: str) -> list[str]:
    """The bugs of the reader that files brought out (`sandbox` logs them, refused)."""
    return re.findall(r"^reading \S+ failed: .*$", stderr, re.M)


# The figures


def fuzz(count: int, seed: int, clients: int, workers: int) -> dict:
    started = time.monotonic()
    files = corrupted_files(count, seed)
    print(f"made {len(files)} corrupted files in {time.monotonic() - started:.1f} s", file=sys.stderr)
    with (
        tempfile.TemporaryDirectory(prefix="bench-files-") as folder,
        server(Path(folder), workers) as (url, err),
    ):
        import django

        django.setup()
        from django.contrib.auth.models import User

        username, password = "fuzzer", secrets.token_urlsafe(16)
        User.objects.create_superuser(username, "fuzzer@example.org", password)
        before = published_snapshot()
        started = time.monotonic()
        tally = upload_all(url, username, password, files, clients)
        elapsed = time.monotonic() - started
        cancelled = cancel_staged(username)
        after = published_snapshot()
        stderr = err.read_text(errors="replace")
    return report(tally, before, after, cancelled, stderr, elapsed)


def report(tally: Tally, before: dict, after: dict, cancelled: int, stderr: str, elapsed: float) -> dict:
    seconds = sorted(tally.seconds)
    return {
        "files": len(seconds),
        "refused in words": _count(tally, "refused"),
        "staged (then cancelled)": tally.staged,
        "cancelled": cancelled,
        "server errors (5xx)": len(tally.server_errors),
        "other answers": len(tally.other),
        "tracebacks in the server's stderr": tracebacks(stderr),
        "worker timeouts": stderr.count("WORKER TIMEOUT"),
        "reader failures logged (refused, but bugs)": reader_failures(stderr)[:20],
        "published rows before": before,
        "published rows after": after,
        "rows changed": sum(1 for name in before if before[name] != after[name]),
        "seconds": round(elapsed, 1),
        "seconds per upload: median, p95, max": [
            round(seconds[len(seconds) // 2], 2),
            round(seconds[int(len(seconds) * 0.95)], 2),
            round(seconds[-1], 2),
        ]
        if seconds
        else [],
        "refusals": dict(tally.refused.most_common()),
        "by kind": {kind: dict(outcomes) for kind, outcomes in sorted(tally.by_kind.items())},
        "server errors": tally.server_errors[:20],
        "other": tally.other[:20],
    }


def _count(tally: Tally, outcome: str) -> int:
    return sum(outcomes[outcome] for outcomes in tally.by_kind.values())


def measure(paths: list[Path]) -> dict:
    """Read every file in a child as an upload is; print its cost; return the largest."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    from search.ingest import sandbox
    from search.management.commands.parse_report import find_files
    from search.parsing import ParseError

    files = find_files([str(p) for p in paths])
    worst_cpu = worst_memory = (0.0, "")
    refused, cpu, memory = [], [], []
    for path in files:
        try:
            reading = sandbox.read(path.read_bytes(), path.name, None)
        except ParseError as error:
            refused.append(f"{path}: {error}")
            print(f"{path}: refused: {error}")
            continue
        print(f"{path}: {reading.cpu_seconds:.2f} s CPU, {reading.peak_mb:.0f} MB address space")
        worst_cpu = max(worst_cpu, (reading.cpu_seconds, str(path)))
        worst_memory = max(worst_memory, (reading.peak_mb, str(path)))
        cpu.append(reading.cpu_seconds)
        memory.append(reading.peak_mb)
    return {
        "files": len(files),
        "refused": refused,
        "processor time (s): total, median, p95": [round(sum(cpu), 1), *_median_p95(cpu)],
        "address space (MB): median, p95": _median_p95(memory),
        "most processor time": worst_cpu,
        "largest address space (MB)": worst_memory,
        "limits": {"CPU seconds": sandbox.CPU_SECONDS, "address space (MB)": sandbox.MEMORY_MB},
        "margins": {
            "CPU": round(sandbox.CPU_SECONDS / max(worst_cpu[0], 0.001), 1),
            "memory": round(sandbox.MEMORY_MB / max(worst_memory[0], 1), 1),
        },
    }


def _median_p95(values: list[float]) -> list[float]:
    ordered = sorted(values)
    if not ordered:
        return []
    return [round(ordered[len(ordered) // 2], 2), round(ordered[int(len(ordered) * 0.95)], 2)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.files")
    parser.add_argument("--measure", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clients", type=int, default=2, help="uploads at once")
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn workers, as make serve: cores + 1",
    )
    args = parser.parse_args(argv)
    if args.measure is not None:
        result = measure(args.measure or [ODS, FIXTURES])
    else:
        result = fuzz(args.files, args.seed, args.clients, args.workers)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
