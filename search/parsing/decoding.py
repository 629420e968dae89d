"""Before the stages: bytes to text, and the language the text is in."""

from __future__ import annotations

import codecs
import re
import unicodedata

from .documents import (
    BINARY_NOT_TEXT,
    EMPTY_FILE,
    NOT_UTF16,
    PDF_NOT_TEXT,
    UNDECODABLE,
    ZIP_NOT_TEXT,
    ParseError,
)
from .text import CJK_RE


def decode(data: bytes) -> str:
    """Decode a text file in UTF-8, UTF-16 (with BOM) or GB18030/GBK."""
    if not data or not data.strip():
        raise ParseError(EMPTY_FILE)
    _refuse_other_formats(data)
    return _checked(_decoded(data))


def _refuse_other_formats(data: bytes) -> None:
    """Refuse a file that starts as a PDF or a ZIP (a Word file) does."""
    if data.startswith(b"%PDF"):
        raise ParseError(PDF_NOT_TEXT)
    if data.startswith(b"PK\x03\x04"):
        raise ParseError(ZIP_NOT_TEXT)


def _decoded(data: bytes) -> str:
    """Decode by the byte order mark, or else as UTF-8 or GB18030 (a text has no NUL bytes)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(data)
    if b"\x00" in data[:8192]:
        raise ParseError(BINARY_NOT_TEXT)
    return _utf8_or_gb18030(data)


def _utf16(data: bytes) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ParseError(NOT_UTF16) from exc


def _utf8_or_gb18030(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError(UNDECODABLE)


def _checked(text: str) -> str:
    if _has_controls(text[:20000]):
        raise ParseError(BINARY_NOT_TEXT)
    if not text.strip():
        raise ParseError(EMPTY_FILE)
    return text


def _has_controls(sample: str) -> bool:
    """Does a text hold more control characters than a text file would (one in 200)?"""
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls > max(3, len(sample) // 200)


def detect_language(text: str) -> str:
    cjk = len(CJK_RE.findall(text[:20000]))
    letters = len(re.findall(r"[A-Za-z]", text[:20000]))
    return "zh" if cjk * 2 >= letters else "en"
