"""How many operations of the session's amendments are read: `python -m bench.amendments FOLDER
[--hostile]` (FOLDER: official PDFs, e.g. ../shared/ods or corpus/ods; --hostile: also the
CPU time of reading text made to be slow, in two sizes).

Every PDF whose first page says "amendment to … draft resolution" is read as an upload
reads it (search.ingest.extract), its paragraphs parsed (search.parsing.parse_document),
and its operations read (search.parsing.read_amendment). Prints each amendment's
operations, how many are read, and each unread one with its reason and sentence.

An amendment the parser does not read as one (a heading it does not know) has its
paragraphs taken from the extracted text the
way the parser takes a working paper's: after the heading and the title, a numbered line
starts a paragraph and an unnumbered one belongs to the paragraph before. The table says
which way each amendment's paragraphs came.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HEADING = re.compile(r"amendments?\s+to\s+(?:the\s+)?(?:revised\s+)?draft\s+(?:resolution|decision)", re.I)
NUMBERED = re.compile(r"^\s*\d{1,3}\.\s")


@dataclass
class Measured:
    name: str
    way: str  # "parser" or "lines"
    operations: list = field(default_factory=list)
    cpu: float = 0.0  # extracting, parsing and reading its operations
    reading: float = 0.0  # reading its operations (read_amendment) alone

    @property
    def unread(self) -> list:
        return [op for op in self.operations if op.kind == "unread"]


def amendment_paragraphs(data: bytes, filename: str) -> tuple[list[str], str]:
    """An amendment's paragraphs as the parser gives them, else as the text's lines give them."""
    from search.ingest.extract import extract
    from search.parsing import AMENDMENT, ParseError, parse_document

    extracted = extract(data, filename)
    try:
        parsed = parse_document(extracted.text, "en", extracted.layout)
    except ParseError:
        parsed = None
    if parsed is not None and parsed.doc_type == AMENDMENT:
        return [p.text for p in parsed.paragraphs], "parser"
    return paragraphs_after_heading(extracted.text), "lines"


def paragraphs_after_heading(text: str) -> list[str]:
    """The paragraphs under an amendment's heading line and title, read from its lines."""
    lines = text.splitlines()
    at = next((i for i, line in enumerate(lines[:40]) if HEADING.search(line)), None)
    if at is None:
        return []
    start = at + 2  # the heading line, then the title
    if not re.search(r"[A-Z]/\S+\s*$", lines[at]):
        start += 1  # "…: amendment to revised draft resolution" with the symbol on the next line
    paragraphs: list[str] = []
    for line in lines[start:]:
        if NUMBERED.match(line) or not paragraphs:
            paragraphs.append(NUMBERED.sub("", line, count=1))
        else:
            paragraphs[-1] += "\n" + line
    return [p for p in paragraphs if p.strip()]


def is_amendment(path: Path) -> bool:
    """Whether the first page of a PDF says it is an amendment (read quickly with pdfium)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return bool(HEADING.search(pdf[0].get_textpage().get_text_range()))
    finally:
        pdf.close()


def measure(path: Path) -> Measured:
    from search.parsing import read_amendment

    started = time.process_time()
    paragraphs, way = amendment_paragraphs(path.read_bytes(), path.name)
    reading = time.process_time()
    measured = Measured(path.stem, way, read_amendment(paragraphs))
    measured.cpu, measured.reading = time.process_time() - started, time.process_time() - reading
    return measured


def report(found: list[Measured], out=sys.stdout) -> None:
    operations = sum(len(m.operations) for m in found)
    unread = [(m.name, op) for m in found for op in m.unread]
    read = operations - len(unread)
    print(f"{len(found)} amendments, {operations} operations: {read} read, {len(unread)} unread", file=out)
    ways = {way: sum(m.way == way for m in found) for way in ("parser", "lines")}
    print(f"paragraphs from the parser: {ways['parser']}, from the lines: {ways['lines']}", file=out)
    for m in found:
        kinds = ", ".join(f"{op.kind} {' '.join(op.keys) or '-'}" for op in m.operations)
        print(f"  {m.name:16} {m.way:6} {len(m.operations):2} ops, {len(m.unread)} unread  {kinds}", file=out)
    for name, op in unread:
        print(f"UNREAD {name} para{op.paragraph}: {op.reason}: {op.sentence[:200]!r}", file=out)
    cpu = sorted(m.cpu for m in found)
    if cpu:
        median, most = cpu[len(cpu) // 2], cpu[-1]
        print(f"CPU an amendment (extract, parse, read): median {median:.2f} s, max {most:.2f} s", file=out)
        reading = sum(m.reading for m in found)
        print(f"CPU of read_amendment alone: {1000 * reading:.1f} ms for all {len(found)}", file=out)


# Text meant to make a reader slow, each in two sizes: the time should grow with the size
# (or stop at the limit), never faster.
HOSTILE = {
    "instructions": lambda n: "In operative paragraph 1, delete “x”. " * n,
    "quotations never closed": lambda n: "“" * n,
    "ordinals": lambda n: "Delete the first" + ", the first" * n + " preambular paragraph.",
    "numbers": lambda n: "Delete operative paragraphs " + ", ".join(["1"] * n) + ".",
    "unfinished lines": lambda n: "In operative paragraph 1,\n" * n,
    "one word": lambda n: "a" * (40 * n),
}


def hostile(out=sys.stdout) -> None:
    """The CPU time of read_amendment on hostile text of two sizes."""
    from search.parsing import read_amendment

    for name, make in HOSTILE.items():
        times = []
        for n in (5_000, 50_000):
            text = make(n)
            started = time.process_time()
            read_amendment([text])
            times.append((len(text), time.process_time() - started))
        shown = ", ".join(f"{size:,} characters {seconds * 1000:.0f} ms" for size, seconds in times)
        print(f"hostile, {name}: {shown}", file=out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--hostile", action="store_true", help="also time hostile text")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    started = time.process_time()
    files = sorted(p for p in args.folder.glob("*.pdf") if is_amendment(p))
    seconds = time.process_time() - started
    print(f"{len(files)} amendments among the PDFs of {args.folder}, found in {seconds:.1f} s of CPU")
    report([measure(path) for path in files])
    if args.hostile:
        hostile()


if __name__ == "__main__":
    main()
