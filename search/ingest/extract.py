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
    EMPTY_FILE,
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
# of corpus/ods runs 1.4 MB, read in about 1 s of processor time (6 s by pdfminer). A
# few kilobytes of PDF can run hundreds of megabytes (a stream that expands, a drawing
# that calls another ten times, which calls another…), each operator of which the
# layout reader would turn into objects: this refuses them before it starts.
MAX_PDF_DRAWING = 8 * 1024 * 1024
# The fonts a PDF's pages use (their programs, ToUnicode maps, CMaps, Type 3 glyphs),
# decompressed, each counted once: at most 0.45 MB in the 637 official PDFs of
# ../shared/ods; a whole embedded CJK font takes about 20 MB. PDFium, which reads them,
# ends its process when an allocation fails where pdfminer raised MemoryError: a font
# that expands to gigabytes is refused here, by pypdf (which bounds each stream too),
# before PDFium reads it.
MAX_PDF_FONTS = 64 * 1024 * 1024

# Why a file cannot be read, as English templates like the parser's (search.parsing.
# REFUSALS), which the admin translates the same way (search.ingest.in_language).
TOO_LARGE = "the file is {size} MB; the limit is {limit}"
NOT_ACCEPTED = "files of type “{suffix}” are not accepted: upload .txt, .md, .docx or .pdf"
NO_EXTENSION = NOT_ACCEPTED.format(suffix="without extension")
# A count over its limit, by what is counted.
TOO_MANY = {
    what: f"the document has {{count}} {what}; the limit is {{limit}}"
    for what in ("paragraphs", "characters", "lines", "pages")
}
NOT_A_PDF = "the file is not a PDF (it does not start like one)"
PDF_EXPANDS = "the PDF expands to far more than a document could hold: it was refused as unsafe"
PDF_DAMAGED = "the PDF is damaged and could not be read ({error})"
PDF_PASSWORD = "the PDF is protected by a password: upload a copy without protection"
PDF_NO_TEXT = "the PDF has no text layer (is it a scan?); upload a PDF with text or a .txt"
PDF_DRAWING = "the PDF runs more than {limit} MB of drawing instructions, the limit: it was refused as unsafe"
PDF_DRAWS_ITSELF = "a drawing of the PDF draws itself: the file is damaged or built to do harm"
DOCX_CHECKSUM = "the .docx file is damaged (a part of it fails its checksum)"
DOCX_INDEX = "the .docx file is damaged (its parts and their index disagree)"
DOCX_UNCOMPRESSABLE = "the .docx file is damaged (a part of it cannot be decompressed)"
DOCX_UNSUPPORTED = "the .docx file cannot be read ({reason})"
DOCX_NESTED = "the .docx file is damaged (its parts are nested too deep)"
DOCX_PASSWORD = "the .docx file is protected by a password: upload a copy without protection"
DOCX_NOT_WORD = "the .docx file is damaged (it is not a valid Word file)"
DOCX_NO_TEXT = "the .docx file has no text"
ZIP_NOT_WORD = "the file is a zip archive but not a Word document"
DOCX_EXPANDS = (
    "the .docx file expands to far more than a document could hold "
    "({expanded} MB from {packed} KB): it was refused as unsafe"
)
DOCX_DAMAGED = "the .docx file is damaged and could not be read"
REFUSALS = (
    TOO_LARGE,
    NO_EXTENSION,  # before the template it is a case of: it is said otherwise
    NOT_ACCEPTED,
    *TOO_MANY.values(),
    NOT_A_PDF,
    PDF_EXPANDS,
    PDF_DAMAGED,
    PDF_PASSWORD,
    PDF_NO_TEXT,
    PDF_DRAWING,
    PDF_DRAWS_ITSELF,
    DOCX_CHECKSUM,
    DOCX_INDEX,
    DOCX_UNCOMPRESSABLE,
    DOCX_UNSUPPORTED,
    DOCX_NESTED,
    DOCX_PASSWORD,
    DOCX_NOT_WORD,
    DOCX_NO_TEXT,
    ZIP_NOT_WORD,
    DOCX_EXPANDS,
    DOCX_DAMAGED,
)

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
        raise ParseError(TOO_MANY[what].format(count=f"{count:,}", limit=f"{limit:,}"))


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
    _check_upload(data, suffix)
    extracted = _text_of(data, suffix)
    check_count("characters", len(extracted.text), MAX_CHARACTERS)
    check_count("lines", _count_lines(extracted.text), MAX_LINES)
    return extracted


def _check_upload(data: bytes, suffix: str) -> None:
    """Refuse a file too large to read, of a type not accepted, or empty."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ParseError(TOO_LARGE.format(size=f"{len(data) / (1024 * 1024):.1f}", limit=limit_text()))
    if suffix not in ACCEPTED:
        raise ParseError(NOT_ACCEPTED.format(suffix=suffix) if suffix else NO_EXTENSION)
    if not data:
        raise ParseError(EMPTY_FILE)


def _text_of(data: bytes, suffix: str) -> Extracted:
    if suffix == ".pdf":
        return pdf_text(data)
    if suffix == ".docx":
        return Extracted(docx_text(data), "markdown")
    return Extracted(decode(data), None)


def _count_lines(text: str) -> int:
    """Return how many lines of a text are not blank."""
    return sum(1 for line in text.splitlines() if line.strip())


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
    from pypdf.errors import LimitReachedError, PdfReadError

    if not data.lstrip().startswith(b"%PDF"):
        raise ParseError(NOT_A_PDF)
    try:
        return _read_pdf(data)
    except ParseError:
        raise
    except LimitReachedError as exc:  # pypdf's own bounds: a stream of 75 MB, an array of 100,000
        raise ParseError(PDF_EXPANDS) from exc
    except (PdfReadError, *BROKEN_PDF) as exc:
        raise ParseError(PDF_DAMAGED.format(error=type(exc).__name__)) from exc


def _read_pdf(data: bytes) -> Extracted:
    reader = _open_pdf(data)
    check_count("pages", len(reader.pages), MAX_PDF_PAGES)
    check_drawing(reader)
    check_fonts(reader)
    laid_out = _layout_text(data)
    if laid_out is not None:
        return Extracted(laid_out, "markdown")
    return _pdf_page_text(reader)


def _open_pdf(data: bytes):
    """Return a pypdf reader of the PDF, refusing it if a password protects it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not _decrypted(reader):
        raise ParseError(PDF_PASSWORD)
    return reader


def _decrypted(reader) -> bool:
    """Open a PDF "encrypted" with an empty password: many are, only to forbid editing."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several types for unsupported ciphers
        return False


# Half a UTF-16 pair, which a damaged ToUnicode map gives and no text can be stored with.
HALF_PAIR = re.compile("[\ud800-\udfff]")


def _pdf_page_text(reader) -> Extracted:
    """Return the text pypdf reads from the pages, a form feed between pages (it tells
    the parser where each page ends)."""
    text = "\f".join(page.extract_text() or "" for page in reader.pages)
    if not text.strip():
        raise ParseError(PDF_NO_TEXT)
    return Extracted(HALF_PAIR.sub("\ufffd", text), None)


def check_drawing(reader) -> None:
    """Refuse a PDF whose pages run far more drawing instructions than pages of text do."""
    size, known = 0, {}
    for page in reader.pages:
        size += _drawing_size(_page_contents(page), page.get("/Resources"), (), known)
        if size > MAX_PDF_DRAWING:
            raise ParseError(PDF_DRAWING.format(limit=MAX_PDF_DRAWING // (1024 * 1024)))


def _page_contents(page) -> bytes:
    """Return the drawing instructions of a page, its content streams decompressed and joined."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else []
    streams = contents if isinstance(contents, list) else [contents]
    return b"".join(stream.get_object().get_data() for stream in streams)


# "/Name Do" draws the XObject of that name; names may escape bytes as #xx.
DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _drawing_size(data: bytes, resources, calling: tuple, known: dict) -> int:
    """Return the bytes of `data` and of every form it draws, as often as it draws it."""
    size = len(data)
    for reference, form, count in _forms_drawn(data, resources):
        size += count * _form_size(reference, form, resources, calling, known)
        if size > MAX_PDF_DRAWING:
            break
    return size


def _forms_drawn(data: bytes, resources):
    """Yield each form XObject that `data` draws: its reference, the form, how often."""
    calls = _drawn_names(data)
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if not calls or xobjects is None:
        return
    xobjects = xobjects.get_object()
    for name, count in calls.items():
        found = _form(xobjects, name)
        if found is not None:
            yield *found, count


def _drawn_names(data: bytes) -> Counter:
    """Return how often `data` draws each XObject name (escapes resolved)."""
    return Counter(ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name) for name in DRAW.findall(data))


def _form(xobjects, name: bytes) -> tuple | None:
    """Return the reference and the form XObject of that name, None for an image or a name
    the page does not have."""
    key = "/" + name.decode("latin-1")
    if key not in xobjects:
        return None
    reference = xobjects.raw_get(key)
    form = reference.get_object()
    return (reference, form) if form.get("/Subtype") == "/Form" else None


def _form_size(reference, form, resources, calling: tuple, known: dict) -> int:
    """Return the bytes a form draws, measured once (`known`), refusing a form that draws itself."""
    number = getattr(reference, "idnum", id(form))
    if number in calling:
        raise ParseError(PDF_DRAWS_ITSELF)
    if number not in known:
        inner = form.get("/Resources") or resources
        known[number] = _drawing_size(form.get_data(), inner, (*calling, number), known)
    return known[number]


def check_fonts(reader) -> None:
    """Refuse a PDF whose pages' fonts expand far beyond what fonts hold."""
    size, seen = 0, set()
    for page in reader.pages:
        for reference in _font_streams(page):
            number = getattr(reference, "idnum", id(reference))
            if number not in seen:
                seen.add(number)
                size += len(reference.get_object().get_data())
            if size > MAX_PDF_FONTS:
                raise ParseError(PDF_EXPANDS)


# Where a font keeps streams PDFium decompresses to read its characters.
FONT_STREAMS = ("/ToUnicode", "/Encoding", "/CIDToGIDMap")
FONT_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


def _font_streams(page):
    """Yield a reference to each stream of the fonts a page's resources name."""
    from pypdf.generic import DictionaryObject

    fonts = _resolved(_resolved(page.get("/Resources"), DictionaryObject).get("/Font"), DictionaryObject)
    for font in fonts.values():
        yield from _streams_of_font(_resolved(font, DictionaryObject))


def _streams_of_font(font, descendant: bool = False):
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    descriptor = _resolved(font.get("/FontDescriptor"), DictionaryObject)
    glyphs = _resolved(font.get("/CharProcs"), DictionaryObject)  # a Type 3 font's
    entries = [(font, key) for key in FONT_STREAMS] + [(descriptor, key) for key in FONT_PROGRAMS]
    for holder, key in entries + [(glyphs, key) for key in glyphs]:
        if key in holder and isinstance(holder[key], StreamObject):  # [] resolves a reference
            yield holder.raw_get(key)
    if not descendant:  # a Type 0 font draws with its descendant
        for each in _resolved(font.get("/DescendantFonts"), ArrayObject):
            yield from _streams_of_font(_resolved(each, DictionaryObject), descendant=True)


def _resolved(value, kind):
    """Return a PDF object, resolved, if it is of `kind`; else an empty one of that kind."""
    value = value.get_object() if value is not None else None
    return value if isinstance(value, kind) else kind()


def _layout_text(data: bytes) -> str | None:
    """Return the PDF read by its layout, or None where pypdf's text must do."""
    from pypdfium2 import PdfiumError

    try:
        text = pdf_layout_text(data)
    except (PdfiumError, *BROKEN_PDF) as exc:
        if ran_out_of_memory(exc):  # pypdf would only run out of it again, and less plainly
            raise MemoryError from exc
        # pypdf opened it: read its text the plain way rather than refuse it.
        return None
    return text if text and text.strip() else None


def ran_out_of_memory(error: BaseException) -> bool:
    """Tell whether an error is, or was raised while handling, a failed allocation
    (libraries catch MemoryError like any other error and raise their own)."""
    return any(isinstance(each, MemoryError) for each in _chained(error))


def _chained(error: BaseException):
    """Yield the error and each error it was raised from or while handling, once each."""
    errors, seen = [error], set()
    while errors:
        error = errors.pop()
        if error is None or id(error) in seen:
            continue
        yield error
        seen.add(id(error))
        errors += [error.__cause__, error.__context__]


def docx_text(data: bytes) -> str:
    """Return a .docx as Markdown-like lines: one line per paragraph, numbering
    rendered, footnote marks as the parser's certain marks and footnotes at the end."""
    archive = _open_zip(data)
    # A member's damage shows only when it is read (a checksum, a deflate stream).
    try:
        return _docx_lines(archive, data)
    except zipfile.BadZipFile as exc:
        # zipfile's words may quote the damaged bytes: say what they mean instead.
        raise ParseError(DOCX_CHECKSUM if "CRC" in str(exc) else DOCX_INDEX) from exc
    except (zlib.error, EOFError) as exc:
        raise ParseError(DOCX_UNCOMPRESSABLE) from exc
    except NotImplementedError as exc:  # zipfile: "That compression method is not supported"
        raise ParseError(DOCX_UNSUPPORTED.format(reason=exc)) from exc
    except RecursionError as exc:
        raise ParseError(DOCX_NESTED) from exc
    except RuntimeError as exc:  # zipfile: "File … is encrypted, password required for extraction"
        raise ParseError(DOCX_PASSWORD) from exc


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ParseError(DOCX_NOT_WORD) from exc


def _docx_lines(archive: zipfile.ZipFile, data: bytes) -> str:
    _check_docx_archive(archive)
    document = _open_word(data)
    lines = _docx_paragraphs(document)
    lines += [f"{MARK.format(number)} {text}" for number, text in _footnotes(archive)]
    if not lines:
        raise ParseError(DOCX_NO_TEXT)
    return "\n".join(lines)


def _check_docx_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an archive that expands too far, is no Word document or holds too many paragraphs."""
    _check_expansion(archive)
    if "word/document.xml" not in archive.namelist():
        raise ParseError(ZIP_NOT_WORD)
    check_count("paragraphs", len(W_P.findall(archive.read("word/document.xml"))), MAX_PARAGRAPHS)


def _check_expansion(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    expanded = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if _expands_too_far(len(infos), expanded, packed):
        raise ParseError(DOCX_EXPANDS.format(expanded=expanded // (1024 * 1024), packed=packed // 1024))


def _expands_too_far(entries: int, expanded: int, packed: int) -> bool:
    return entries > MAX_DOCX_ENTRIES or expanded > MAX_DOCX_EXPANDED or expanded / packed > MAX_DOCX_RATIO


def _open_word(data: bytes):
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx, zipfile and lxml raise many types for a broken part
        raise ParseError(DOCX_DAMAGED) from exc


def _docx_paragraphs(document) -> list[str]:
    """Return the paragraphs that hold text, each with the number Word renders before it."""
    lines: list[str] = []
    counters: dict[tuple[str, int], int] = {}
    for paragraph in document.paragraphs:
        text = _runs_text(paragraph._p).strip()
        if text:
            number = _numbering(paragraph._p, counters, paragraph.style)
            lines.append(f"{number} {text}" if number else text)
    return lines


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
    num_pr = _numbering_properties(element, style)
    if num_pr is None:
        return ""
    key, level = _list_and_level(num_pr)
    return _number_label(_count_in_list(counters, key, level), level)


def _numbering_properties(element, style):
    """Return a paragraph's numbering properties, or its style's ("List Number")."""
    num_pr = element.find(f"{W}pPr/{W}numPr")
    if num_pr is None and style is not None:
        num_pr = style.element.find(f"{W}pPr/{W}numPr")
    return num_pr


def _list_and_level(num_pr) -> tuple[str, int]:
    """Return which list a numbered paragraph belongs to and its level in it."""
    num_id = num_pr.find(W + "numId")
    ilvl = num_pr.find(W + "ilvl")
    key = num_id.get(W + "val") if num_id is not None else "0"
    level = int(ilvl.get(W + "val")) if ilvl is not None else 0
    return key, level


def _count_in_list(counters: dict[tuple[str, int], int], key: str, level: int) -> int:
    """Count a paragraph at its level of a list; the levels below start again."""
    for other, other_level in list(counters):
        if other == key and other_level > level:
            del counters[(other, other_level)]
    counters[(key, level)] = counters.get((key, level), 0) + 1
    return counters[(key, level)]


ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _number_label(n: int, level: int) -> str:
    """Return the n-th number of a level as UN documents print it: "1.", "(a)", "(i)"."""
    if level == 0:
        return f"{n}."
    if level == 1:
        return f"({chr(ord('a') + n - 1)})"
    return f"({ROMANS[(n - 1) % len(ROMANS)]})"


def _footnotes(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    root = _footnotes_root(archive)
    if root is None:
        return []
    notes = []
    for note in root.iter(W + "footnote"):
        text = _note_text(note)
        if text:
            notes.append((note.get(W + "id"), text))
    return notes


def _footnotes_root(archive: zipfile.ZipFile):
    """Return the XML of the footnotes part, None if there is none or it is broken."""
    if "word/footnotes.xml" not in archive.namelist():
        return None
    from lxml import etree

    try:
        return etree.fromstring(archive.read("word/footnotes.xml"))
    except etree.XMLSyntaxError:
        return None


def _note_text(note) -> str:
    """Return a footnote's text, "" for the separators Word keeps among the footnotes."""
    if note.get(W + "type") in ("separator", "continuationSeparator"):
        return ""
    return "".join(t.text or "" for t in note.iter(W + "t")).strip()
