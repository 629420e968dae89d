"""Turn an uploaded file (.txt, .md, .docx, .pdf) into text the parser reads, and parse it.

Every refusal is a ParseError with a sentence a person can act on. The limits here are
counts, checked before the work they bound; what reading a file may cost in memory and
processor time is bounded by the process that reads it (`search.ingest.sandbox`), the
only caller of `read_document` for an untrusted file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from search.parsing import (
    MARK,
    ParsedDocument,
    ParseError,
    decode,
    detect_language,
    parse_document,
    pdf_layout_text,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED = (".txt", ".md", ".docx", ".pdf")

# A .docx is a zip: refuse archives that would expand far beyond any real document.
MAX_DOCX_EXPANDED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_ENTRIES = 2000

# How much a document may hold. The longest resolutions have a few hundred paragraphs
# and a committee report with its drafts about a thousand: these leave five times that,
# and a file at every limit reads in a few seconds. Each is checked before the work it
# bounds.
MAX_PARAGRAPHS = 5_000  # Word paragraphs of a .docx, and paragraphs the parser finds
MAX_LINES = 40_000  # lines of text: a paragraph printed in a PDF takes about eight
MAX_CHARACTERS = 3_000_000  # an English paragraph runs to about 500
MAX_PDF_PAGES = 500
# The drawing instructions a PDF's pages run, decompressed, each drawing they call (a
# form XObject) counted as often as it is called: the largest of the 228 official PDFs
# of corpus/ods runs 1.4 MB, read in about 6 s of processor time. A few kilobytes of
# PDF can run hundreds of megabytes (a stream that expands, a drawing that calls
# another ten times, which calls another…), each operator of which the layout reader
# would turn into objects: this refuses them before it starts.
MAX_PDF_DRAWING = 8 * 1024 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A Word paragraph's element, counted in the XML before python-docx builds its objects.
W_P = re.compile(rb"<w:p[\s>/]")


@dataclass
class Extracted:
    text: str
    layout: str | None  # a layout the parser must use, or None to let it look


def limit_text() -> str:
    return f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


def check_count(what: str, count: int, limit: int) -> None:
    """Refuse a document with more of something than the limit allows."""
    if count > limit:
        raise ParseError(f"the document has {count:,} {what}; the limit is {limit:,}")


def read_document(data: bytes, filename: str, language: str | None) -> tuple[ParsedDocument, str]:
    """Extract and parse a file within the count limits; return it and the language it reads as.

    Without a `language`, the parser takes the one the text reads as. Nothing here
    bounds memory or processor time: an untrusted file goes through `sandbox.read`.
    """
    extracted = extract(data, filename)
    parsed = parse_document(extracted.text, language, extracted.layout)
    found = len(parsed.paragraphs) + sum(len(draft.paragraphs) for draft in parsed.resolutions)
    check_count("paragraphs", found, MAX_PARAGRAPHS)
    return parsed, detect_language(extracted.text)


def extract(data: bytes, filename: str) -> Extracted:
    """Return the text of an uploaded file, within the size and count limits."""
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
        extracted = pdf_text(data)
    elif suffix == ".docx":
        extracted = Extracted(docx_text(data), "markdown")
    else:
        extracted = Extracted(decode(data), None)
    check_count("characters", len(extracted.text), MAX_CHARACTERS)
    check_count("lines", sum(1 for line in extracted.text.splitlines() if line.strip()), MAX_LINES)
    return extracted


# What PDF libraries raise on a damaged or hostile file besides their own errors (the
# last two seen in `bench.files`: a filter name with a byte changed, a broken xref).
BROKEN_PDF = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OSError,
    ZeroDivisionError,
    NotImplementedError,
    AssertionError,
)


def pdf_text(data: bytes) -> Extracted:
    """Return a PDF read by its layout (Markdown-like lines), or, when it has no layout
    to read (text laid out without typesetting), its text page by page."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

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
        check_drawing(reader)
        laid_out = _layout_text(data)
        if laid_out is not None:
            return Extracted(laid_out, "markdown")
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
    except ParseError:
        raise
    except LimitReachedError as exc:  # pypdf's own bounds: a stream of 75 MB, an array of 100,000
        raise ParseError(
            "the PDF expands to far more than a document could hold: it was refused as unsafe"
        ) from exc
    except (PdfReadError, *BROKEN_PDF) as exc:
        raise ParseError(f"the PDF is damaged and could not be read ({type(exc).__name__})") from exc
    # A form feed between pages tells the parser where each page ends.
    text = "\f".join(pages)
    if not text.strip():
        raise ParseError("the PDF has no text layer (is it a scan?); upload a PDF with text or a .txt")
    return Extracted(text, None)


def check_drawing(reader) -> None:
    """Refuse a PDF whose pages run far more drawing instructions than pages of text do."""
    size, known = 0, {}
    for page in reader.pages:
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else []
        streams = contents if isinstance(contents, list) else [contents]
        data = b"".join(stream.get_object().get_data() for stream in streams)
        size += _drawing_size(data, page.get("/Resources"), (), known)
        if size > MAX_PDF_DRAWING:
            raise ParseError(
                f"the PDF runs more than {MAX_PDF_DRAWING // (1024 * 1024)} MB of drawing instructions, "
                "the limit: it was refused as unsafe"
            )


# "/Name Do" draws the XObject of that name; names may escape bytes as #xx.
DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _drawing_size(data: bytes, resources, calling: tuple, known: dict) -> int:
    """Return the bytes of `data` and of every form it draws, as often as it draws it."""
    size = len(data)
    calls = Counter(ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name) for name in DRAW.findall(data))
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if not calls or xobjects is None:
        return size
    xobjects = xobjects.get_object()
    for name, count in calls.items():
        name = "/" + name.decode("latin-1")
        if name not in xobjects:
            continue
        reference = xobjects.raw_get(name)
        form = reference.get_object()
        if form.get("/Subtype") != "/Form":
            continue
        number = getattr(reference, "idnum", id(form))
        if number in calling:
            raise ParseError("a drawing of the PDF draws itself: the file is damaged or built to do harm")
        if number not in known:
            inner = form.get("/Resources") or resources
            known[number] = _drawing_size(form.get_data(), inner, (*calling, number), known)
        size += count * known[number]
        if size > MAX_PDF_DRAWING:
            break
    return size


def _layout_text(data: bytes) -> str | None:
    """Return the PDF read by its layout, or None where pypdf's text must do."""
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    try:
        text = pdf_layout_text(data)
    except (PdfminerException, MalformedPDFException, PSException, PDFSyntaxError, *BROKEN_PDF) as exc:
        if ran_out_of_memory(exc):  # pypdf would only run out of it again, and less plainly
            raise MemoryError from exc
        # pypdf opened it: read its text the plain way rather than refuse it.
        return None
    return text if text and text.strip() else None


def ran_out_of_memory(error: BaseException) -> bool:
    """Tell whether an error is, or was raised while handling, a failed allocation
    (libraries catch MemoryError like any other error and raise their own)."""
    errors, seen = [error], set()
    while errors:
        error = errors.pop()
        if error is None or id(error) in seen:
            continue
        if isinstance(error, MemoryError):
            return True
        seen.add(id(error))
        errors += [error.__cause__, error.__context__]
    return False


def docx_text(data: bytes) -> str:
    """Return a .docx as Markdown-like lines: one line per paragraph, numbering
    rendered, footnote marks as the parser's certain marks and footnotes at the end."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ParseError("the .docx file is damaged (it is not a valid Word file)") from exc
    # A member's damage shows only when it is read (a checksum, a deflate stream).
    try:
        return _docx_lines(archive, data)
    except zipfile.BadZipFile as exc:
        # zipfile's words may quote the damaged bytes: say what they mean instead.
        damage = (
            "a part of it fails its checksum" if "CRC" in str(exc) else "its parts and their index disagree"
        )
        raise ParseError(f"the .docx file is damaged ({damage})") from exc
    except (zlib.error, EOFError) as exc:
        raise ParseError("the .docx file is damaged (a part of it cannot be decompressed)") from exc
    except NotImplementedError as exc:  # zipfile: "That compression method is not supported"
        raise ParseError(f"the .docx file cannot be read ({exc})") from exc
    except RecursionError as exc:
        raise ParseError("the .docx file is damaged (its parts are nested too deep)") from exc
    except RuntimeError as exc:  # zipfile: "File … is encrypted, password required for extraction"
        raise ParseError(
            "the .docx file is protected by a password: upload a copy without protection"
        ) from exc


def _docx_lines(archive: zipfile.ZipFile, data: bytes) -> str:
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
