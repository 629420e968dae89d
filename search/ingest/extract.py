"""Turn an uploaded file (.txt, .md, .docx, .pdf) into text the parser reads.

Every refusal is a ParseError with a sentence a person can act on.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from search.parsing import MARK, ParseError, decode

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED = (".txt", ".md", ".docx", ".pdf")

# A .docx is a zip: refuse archives that would expand far beyond any real document.
MAX_DOCX_EXPANDED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_ENTRIES = 2000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Extracted:
    text: str
    layout: str | None  # a layout the parser must use, or None to let it look


def limit_text() -> str:
    return f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


def extract(data: bytes, filename: str) -> Extracted:
    """Return the text of an uploaded file."""
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
        return Extracted(pdf_text(data), None)
    if suffix == ".docx":
        return Extracted(docx_text(data), "markdown")
    return Extracted(decode(data), None)


def pdf_text(data: bytes) -> str:
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
        pages = [page.extract_text() or "" for page in reader.pages]
    except ParseError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        ZeroDivisionError,
    ) as exc:
        raise ParseError(f"the PDF is damaged and could not be read ({type(exc).__name__})") from exc
    # A form feed between pages tells the parser where each page ends.
    text = "\f".join(pages)
    if not text.strip():
        raise ParseError("the PDF has no text layer (is it a scan?); upload a PDF with text or a .txt")
    return text


def docx_text(data: bytes) -> str:
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
    for paragraph in document.paragraphs:
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
