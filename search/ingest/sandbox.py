"""Read an untrusted file in a child process under hard limits.

A hostile file (a PDF whose few kilobytes expand to gigabytes, a zip bomb, bytes that
drive a C library into a crash) must cost only the process that reads it, and a genuine
document must be read however busy the machine is. So each file is read
(`extract.read_document`: extract, parse, count) by a fresh child process that, before
it looks at a byte, limits itself:

* its address space (RLIMIT_AS, `MEMORY_MB`): an allocation beyond it fails, Python
  raises MemoryError, and the file is refused naming the limit;
* its processor time (RLIMIT_CPU, `CPU_SECONDS`): the kernel stops it with SIGXCPU.
  Processor time, not wall-clock time: a loaded machine makes a read slower, not
  costlier, so it never turns a genuine document away;
* no file written (RLIMIT_FSIZE 0) and no core dumped (RLIMIT_CORE 0).

The child answers in JSON (never a pickle: its answer is not trusted either) through
a pipe, at most `MAX_ANSWER_BYTES`. A child that dies instead (a limit, a crash, a
kill) is a refusal in words, `Refused`, never an exception of another kind.

Children are forked by multiprocessing's fork server, which has the PDF and Word
libraries loaded: a fork costs milliseconds, and the caller (a web worker, which may
run threads) is never forked itself. Each calling process starts its own fork server
at its first read; it ends with that process.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import resource
import signal
import threading
import warnings
from dataclasses import dataclass
from multiprocessing.connection import wait

from search.parsing import ParsedDocument, ParseError

# Chosen from measurement (`python -m bench.files --measure`, docs/uploading.md), when
# pdfminer read PDFs: the 228 official PDFs of corpus/ods and the test fixtures needed
# at most 296 MB of address space (75 MB of it the interpreter and its libraries) and
# 4.2 s of processor time on a quiet machine, 5.7 s on one loaded with 7 runnable
# processes (contention makes each instruction dearer, far less than it stretches the
# clock). Read by PDFium, the 637 of ../shared/ods need at most 95 MB and 2.3 s: both
# limits leave more than five times the worst. The processor limit stays under
# gunicorn's 60 s --timeout on an idle machine, so a file that reaches it is refused in
# words.
MEMORY_MB = 1536
CPU_SECONDS = 30
# A backstop only, for a child that waits without using the processor (reading a file
# never waits on anything): far beyond what CPU_SECONDS takes on a loaded machine.
WAIT_SECONDS = 600
# The answer, a parse as JSON: 200 KB for the largest document of the corpus (a report
# with its drafts); a document at every count limit (3 million characters, 9 MB of
# Chinese in UTF-8) stays well below.
MAX_ANSWER_BYTES = 64 * 1024 * 1024

# What the fork server imports once, so that no child imports it again ("__main__":
# the caller's script, which a child would otherwise import for itself).
PRELOAD = [
    "__main__",
    "search.ingest.sandbox",
    "search.ingest.extract",
    "pypdf",
    "pypdf.filters",
    "pypdfium2",
    "docx",
    "lxml.etree",
]

# Why a file was refused, as English templates like extract's (extract.REFUSALS), which
# the admin translates the same way (search.ingest.in_language).
OUT_OF_MEMORY = "reading the file needed more than {limit} MB of memory, the limit; it was refused"
OUT_OF_TIME = "reading the file took more than {limit} s of processor time, the limit; it was refused"
WAITED_OUT = (
    "reading the file had not finished after {seconds} s (the server may be overloaded); "
    "it was refused: try again later"
)
WROTE_A_FILE = "reading the file tried to write a file, which is not allowed; it was refused"
CRASHED = (
    "the program reading the file crashed ({signal}): the file is damaged or was built to do harm; "
    "it was refused"
)
NO_ANSWER = "the program reading the file stopped without an answer (exit status {status}); it was refused"
ANSWER_TOO_LONG = "the file holds far more than a document could, once read; it was refused"
SENSELESS_ANSWER = "the program reading the file gave an answer that makes no sense; it was refused"
READER_FAILED = "the file could not be read (the reader failed on it: {kind}); it was refused"
REFUSALS = (
    OUT_OF_MEMORY,
    OUT_OF_TIME,
    WAITED_OUT,
    WROTE_A_FILE,
    CRASHED,
    NO_ANSWER,
    ANSWER_TOO_LONG,
    SENSELESS_ANSWER,
    READER_FAILED,
)

logger = logging.getLogger(__name__)
# Process.start() reads the exit status of every child that has ended, which must not
# happen while another thread reads its own child's (bulk imports read in threads).
_processes = threading.Lock()


@dataclass
class Reading:
    """A file read: its parse, the language its text reads as, and what reading it cost."""

    parsed: ParsedDocument
    language: str
    cpu_seconds: float
    peak_mb: float


class Refused(ParseError):
    """The file was refused; `exitcode` is how its reader ended (0: it answered, -N: signal N)."""

    def __init__(self, message: str, exitcode: int | None):
        super().__init__(message)
        self.exitcode = exitcode


def memory_refusal(limit_mb: int) -> str:
    return OUT_OF_MEMORY.format(limit=f"{limit_mb:,}")


def time_refusal(limit_seconds: int) -> str:
    return OUT_OF_TIME.format(limit=limit_seconds)


def read(data: bytes, filename: str, language: str | None) -> Reading:
    """Read a file in a child process under the limits; raise Refused (a ParseError) in plain words."""
    limits = (MEMORY_MB, CPU_SECONDS)
    context = _context()
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(writer, data, filename, language, limits), name="read-file", daemon=True
    )
    with _processes:
        child.start()
    writer.close()  # the child holds the only writer: its death is an end of file here
    answer, waited_out = None, False
    try:
        answer, waited_out = _receive(reader)
    finally:
        reader.close()
        exitcode = _reap(child, waited_out)
    if answer is None:
        raise Refused(_death(exitcode, waited_out, limits), exitcode)
    return _reading(answer, filename, exitcode)


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # heeded when the server starts, ignored after
    return context


def _receive(reader) -> tuple[bytes | None, bool]:
    """Return the child's answer (None if it died without one) and whether the wait ran out."""
    if not wait([reader], WAIT_SECONDS):
        return None, True
    try:
        return reader.recv_bytes(MAX_ANSWER_BYTES), False
    except EOFError:  # it died before answering
        return None, False
    except OSError:  # an answer longer than the limit
        return json.dumps({"refused": ANSWER_TOO_LONG}).encode(), False


def _reap(child, waited_out: bool) -> int | None:
    """Wait for the child to end, or end it; return its exit status."""
    if waited_out or not wait([child.sentinel], 5):  # or it hangs after a too long answer
        child.kill()
        wait([child.sentinel])
    with _processes:
        exitcode = child.exitcode
        child.close()
    return exitcode


def _death(exitcode: int | None, waited_out: bool, limits: tuple[int, int]) -> str:
    """Say in words why a child gave no answer."""
    if waited_out:
        return WAITED_OUT.format(seconds=WAIT_SECONDS)
    if exitcode == -signal.SIGXCPU:
        return time_refusal(limits[1])
    if exitcode == -signal.SIGXFSZ:
        return WROTE_A_FILE
    if exitcode is not None and exitcode < 0:
        return CRASHED.format(signal=signal.Signals(-exitcode).name)
    return NO_ANSWER.format(status=exitcode)


def _reading(answer: bytes, filename: str, exitcode: int | None) -> Reading:

    failure = None
    try:
        message = json.loads(answer)
        refusal, failure = message.get("refused"), message.get("failed")
        if refusal is None and failure is None:
            return Reading(
                ParsedDocument.from_dict(message["document"]),
                message["language"],
                message["cpu_seconds"],
                message["peak_mb"],
            )
    except (ValueError, KeyError, TypeError, AttributeError):
        refusal = SENSELESS_ANSWER
    if failure is not None:
        # A bug of the reader that this file brought out: refused, and logged to be fixed.
        logger.warning("reading %s failed: %s", filename, failure)
        kind = str(failure).split(":")[0]
        refusal = READER_FAILED.format(kind=kind)
    raise Refused(str(refusal)[:1000], exitcode)


# In the child


def _child(writer, data: bytes, filename: str, language: str | None, limits: tuple[int, int]) -> None:
    memory_mb, cpu_seconds = limits
    _confine(memory_mb, cpu_seconds)
    try:
        answer = _read(data, filename, language, memory_mb)
    except MemoryError:  # even building the answer
        answer = {"refused": memory_refusal(memory_mb)}
    answer.update(cpu_seconds=_cpu_seconds(), peak_mb=_peak_mb())
    try:
        writer.send_bytes(json.dumps(answer, ensure_ascii=False).encode())
    except MemoryError:
        writer.send_bytes(json.dumps({"refused": memory_refusal(memory_mb)}).encode())
    writer.close()


def _confine(memory_mb: int, cpu_seconds: int) -> None:
    """Limit this process before it reads a byte of the file; keep it quiet."""
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the limit, whose default action ends the process; SIGKILL a second later.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # The libraries' warnings about damaged files would fill the server's log: the
    # child speaks only through its answer.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def _read(data: bytes, filename: str, language: str | None, memory_mb: int) -> dict:
    from search.ingest.extract import ran_out_of_memory, read_document

    try:
        parsed, detected = read_document(data, filename, language)
        return {"document": parsed.to_dict(), "language": detected}
    except Exception as error:
        if ran_out_of_memory(error):
            return {"refused": memory_refusal(memory_mb)}
        if isinstance(error, ParseError):
            return {"refused": str(error)}
        return {"failed": f"{type(error).__name__}: {error} ({_where(error)})"[:500]}


def _where(error: BaseException) -> str:
    """The file and line a bug was raised at, for the log."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    path = tb.tb_frame.f_code.co_filename.split(os.sep)
    return f"{'/'.join(path[-2:])}:{tb.tb_lineno}"


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 3)


def _peak_mb() -> float:
    """The largest address space this process has had (what RLIMIT_AS bounds)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmPeak:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0
