"""Turn an uploaded file (.txt, .md, .docx, .pdf) into text the parser reads.

Every refusal is a ParseError with a sentence a person can act on.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from search.parsing import MARK, ParseError, decode, pdf_layout_text

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED = (".txt", ".md", ".docx", ".pdf")

# A .docx is a zip: refuse archives that would expand far beyond any real document.
MAX_DOCX_EXPANDED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_ENTRIES = 2000

# What reading one file may cost the server. The longest resolutions have a few
# hundred paragraphs and a committee report with its drafts about a thousand: these
# leave five times that, and a file at every limit reads in a few seconds. Each is
# checked before the work it bounds; the time limit, between stages and as the
# extraction goes (a web worker thread cannot be interrupted by a signal).
MAX_PARAGRAPHS = 5_000  # Word paragraphs of a .docx, and paragraphs the parser finds
MAX_LINES = 40_000  # lines of text: a paragraph printed in a PDF takes about eight
MAX_CHARACTERS = 3_000_000  # an English paragraph runs to about 500
MAX_PDF_PAGES = 500
READ_SECONDS = 20

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A Word paragraph's element, counted in the XML before python-docx builds its objects.
W_P = re.compile(rb"<w:p[\s>/]")


@dataclass
class Extracted:
    text: str
    layout: str | None  # a layout the parser must use, or None to let it look


def limit_text() -> str:
    return f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


def deadline() -> float:
    """Return the moment by which a file read from now must be read."""
    return time.monotonic() + READ_SECONDS


def check_time(until: float | None) -> None:
    """Refuse a file whose reading has run past `until` (a time.monotonic() value)."""
    if until is not None and time.monotonic() > until:
        raise ParseError(
            f"reading the document took more than {READ_SECONDS} s, the limit: "
            "upload a smaller file or split the document"
        )


def check_count(what: str, count: int, limit: int) -> None:
    """Refuse a document with more of something than the limit allows."""
    if count > limit:
        raise ParseError(f"the document has {count:,} {what}; the limit is {limit:,}")


def extract(data: bytes, filename: str, until: float | None = None) -> Extracted:
    """Return the text of an uploaded file, within the size limits and by `until`."""
    suffix = PurePath(filename or "").suffix.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ParseError(f"the file is {len(data) / (1024 * 1024):.1f} MB; the limit is {limit_text()}")
    if suffix not in ACCEPTED:
        raise ParseError(
            f"files of type “{suffix or 'without extension'}” are not accepted: "
            "upload .txt, .md, .docx or .pdf"
        )
    if not data:
        raise ParseError("the file is empty")
    if suffix == ".pdf":
        extracted = pdf_text(data, until)
    elif suffix == ".docx":
        extracted = Extracted(docx_text(data, until), "markdown")
    else:
        extracted = Extracted(decode(data), None)
    check_count("characters", len(extracted.text), MAX_CHARACTERS)
    check_count("lines", sum(1 for line in extracted.text.splitlines() if line.strip()), MAX_LINES)
    check_time(until)
    return extracted


# What PDF libraries raise on a damaged or hostile file besides their own errors.
BROKEN_PDF = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OSError,
    ZeroDivisionError,
)


def pdf_text(data: bytes, until: float | None = None) -> Extracted:
    """Return a PDF read by its layout (Markdown-like lines), or, when it has no layout
    to read (text laid out without typesetting), its text page by page."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip().startswith(b"%PDF"):
        raise ParseError("the file is not a PDF (it does not start like one)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty password only to forbid editing.
            try:
                opened = reader.decrypt("")
            except Exception:  # pypdf raises several types for unsupported ciphers
                opened = 0
            if not opened:
                raise ParseError("the PDF is protected by a password: upload a copy without protection")
        check_count("pages", len(reader.pages), MAX_PDF_PAGES)
        laid_out = _layout_text(data, until)
        if laid_out is not None:
            return Extracted(laid_out, "markdown")
        pages = []
        for page in reader.pages:
            check_time(until)
            pages.append(page.extract_text() or "")
    except ParseError:
        raise
    except (PdfReadError, *BROKEN_PDF) as exc:
        raise ParseError(f"the PDF is damaged and could not be read ({type(exc).__name__})") from exc
    # A form feed between pages tells the parser where each page ends.
    text = "\f".join(pages)
    if not text.strip():
        raise ParseError("the PDF has no text layer (is it a scan?); upload a PDF with text or a .txt")
    return Extracted(text, None)


def _layout_text(data: bytes, until: float | None) -> str | None:
    """Return the PDF read by its layout, or None where pypdf's text must do."""
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        text = pdf_layout_text(data, on_page=lambda index, count: check_time(until))
    except (PdfminerException, PSException, PDFSyntaxError, *BROKEN_PDF):
        # pypdf opened it: read its text the plain way rather than refuse it.
        return None
    return text if text and text.strip() else None


def docx_text(data: bytes, until: float | None = None) -> str:
    """Return a .docx as Markdown-like lines: one line per paragraph, numbering
    rendered, footnote marks as the parser's certain marks and footnotes at the end."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ParseError("the .docx file is damaged (it is not a valid Word file)") from exc
    infos = archive.infolist()
    expanded = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if len(infos) > MAX_DOCX_ENTRIES or expanded > MAX_DOCX_EXPANDED or expanded / packed > MAX_DOCX_RATIO:
        raise ParseError(
            "the .docx file expands to far more than a document could hold "
            f"({expanded // (1024 * 1024)} MB from {packed // 1024} KB): it was refused as unsafe"
        )
    if "word/document.xml" not in archive.namelist():
        raise ParseError("the file is a zip archive but not a Word document")
    check_count("paragraphs", len(W_P.findall(archive.read("word/document.xml"))), MAX_PARAGRAPHS)

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ParseError("the .docx file is damaged and could not be read") from exc
    except Exception as exc:  # lxml raises its own XMLSyntaxError for broken parts
        raise ParseError("the .docx file is damaged and could not be read") from exc

    lines: list[str] = []
    counters: dict[tuple[str, int], int] = {}
    for index, paragraph in enumerate(document.paragraphs):
        if index % 200 == 0:
            check_time(until)
        text = _runs_text(paragraph._p)
        if not text.strip():
            continue
        number = _numbering(paragraph._p, counters, paragraph.style)
        lines.append(f"{number} {text.strip()}" if number else text.strip())
    for number, text in _footnotes(archive):
        lines.append(f"{MARK.format(number)} {text}")
    if not lines:
        raise ParseError("the .docx file has no text")
    return "\n".join(lines)


def _runs_text(element) -> str:
    parts: list[str] = []
    for node in element.iter():
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append(" ")
        elif node.tag == W + "footnoteReference":
            parts.append(MARK.format(node.get(W + "id")))
    return "".join(parts)


def _numbering(element, counters: dict[tuple[str, int], int], style=None) -> str:
    """Render Word's automatic numbering the way UN documents print it."""
    num_pr = element.find(f"{W}pPr/{W}numPr")
    if num_pr is None and style is not None:
        # Numbering often comes from the paragraph style ("List Number").
        num_pr = style.element.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        return ""
    num_id = num_pr.find(W + "numId")
    ilvl = num_pr.find(W + "ilvl")
    key = num_id.get(W + "val") if num_id is not None else "0"
    level = int(ilvl.get(W + "val")) if ilvl is not None else 0
    for other, other_level in list(counters):
        if other == key and other_level > level:
            del counters[(other, other_level)]
    counters[(key, level)] = counters.get((key, level), 0) + 1
    n = counters[(key, level)]
    if level == 0:
        return f"{n}."
    if level == 1:
        return f"({chr(ord('a') + n - 1)})"
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    return f"({romans[(n - 1) % len(romans)]})"


def _footnotes(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    if "word/footnotes.xml" not in archive.namelist():
        return []
    from lxml import etree

    try:
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    except etree.XMLSyntaxError:
        return []
    notes = []
    for note in root.iter(W + "footnote"):
        if note.get(W + "type") in ("separator", "continuationSeparator"):
            continue
        text = "".join(t.text or "" for t in note.iter(W + "t")).strip()
        if text:
            notes.append((note.get(W + "id"), text))
    return notes
