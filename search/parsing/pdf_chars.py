"""The characters and the drawn rules of each page of a PDF, as PDFium reads them.

PDFium (pypdfium2, Chromium's PDF engine) reads a page about ten times faster than
pdfminer.six did; what it gives is turned here into the facts the layout reader
(`search.parsing.pdf`) places, measured the way pdfminer measured them:

* a character's box is as wide as its advance and as tall as its font size, its
  bottom at the font's descent below the baseline (not the glyph's ink): a raised
  footnote mark is told by where its baseline stands, not by the shape of "1";
* x runs right from the left edge of the page and y down from its top (the page's
  box as PDFium shows it, turned as /Rotate says);
* the spaces and line breaks PDFium makes up between characters are left out, and
  the spaces it leaves out put back: a text object that inks nothing (Word writes
  many a space alone) is not in PDFium's text page, yet a space the PDF wrote tells
  the reader that a narrow gap is one between words;
* the hyphen PDFium marks at the end of a line (U+0002) is given back as "-", and
  half a UTF-16 pair (a damaged ToUnicode map) is read as U+FFFD, which text can hold;
* a rule is a painted straight line or an axis-aligned rectangle, one per subpath.

Pure: bytes in, plain data out. Every PDFium object is closed as soon as it is
read, so a process that reads hundreds of files does not grow.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import NamedTuple

# What PDFium's text page answers for the hyphen that ends a line.
LINE_END_HYPHEN = 0x2
# What PDFium's text page may make up between characters (FPDFText_IsGenerated).
MADE_UP = {0x20, 0x0D, 0x0A}
# How deep forms drawn in forms are searched for rules and spaces (PDFium's text page
# has its own bound); an official PDF draws none.
FORM_DEPTH = 4
# A text object narrower than this inks nothing: PDFium's text page leaves it out.
INKLESS = 0.01  # points

# PDFium's page object and path segment types (fpdf_edit.h).
TEXT, PATH, FORM = 1, 2, 5
BEZIERTO, MOVETO = 1, 2


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    upright: bool


class Rule(NamedTuple):
    """The box of a painted straight line or axis-aligned rectangle."""

    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class PageChars:
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


def read_pages(data: bytes):
    """Yield each page of a PDF, read; raise pypdfium2's PdfiumError where PDFium cannot read it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                yield _read_page(page)
            finally:
                page.close()
    finally:
        document.close()


def _read_page(page) -> PageChars:
    import pypdfium2.raw as raw

    view = _View.of(page)
    fonts = _Fonts(raw)
    textpage = page.get_textpage()
    try:
        chars = _chars(raw, textpage.raw, view, fonts)
    finally:
        textpage.close()
    drawn = _Drawn(raw, view, fonts)
    drawn.read(page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, IDENTITY, 0)
    return PageChars(width=view.width, height=view.height, chars=chars + drawn.spaces, rules=drawn.rules)


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m, n) -> tuple[float, float, float, float, float, float]:
    """Matrix m then n, in PDF's row-vector order."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


@dataclass(frozen=True)
class _View:
    """How the page is seen: PDF space turned by /Rotate, x from the left, y from the top."""

    matrix: tuple[float, float, float, float, float, float]  # PDF space to the page as seen, y up
    width: float
    height: float

    @classmethod
    def of(cls, page) -> _View:
        # The page's box as PDFium shows it: the MediaBox (inherited from the page tree
        # where the page has none, US Letter where it is damaged) cut to the CropBox.
        x0, y0, x1, y1 = page.get_bbox()
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        rotation = page.get_rotation() % 360
        # As a viewer turns the page: the MediaBox's corner to the origin, then clockwise.
        matrix = {
            90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
            180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
            270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
        }.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
        width, height = x1 - x0, y1 - y0
        return cls(matrix, *((height, width) if rotation in (90, 270) else (width, height)))

    def place(self, x: float, y: float) -> tuple[float, float]:
        """Return where a point of PDF space stands on the page as seen, y up."""
        a, b, c, d, e, f = self.matrix
        return a * x + c * y + e, b * x + d * y + f

    def box(self, linear, origin, advance: float, low: float, high: float) -> tuple[float, ...]:
        """Return x0, x1, top, bottom of a box `advance` wide, from `low` to `high` above
        the baseline in text space, drawn from `origin` (PDF space) with `linear` (text
        space to the page as seen)."""
        a, b, c, d = linear
        ox, oy = self.place(*origin)
        xs = [ox + a * u + c * v for u in (0.0, advance) for v in (low, high)]
        ys = [oy + b * u + d * v for u in (0.0, advance) for v in (low, high)]
        return min(xs), max(xs), self.height - max(ys), self.height - min(ys)


def _upright(linear) -> bool:
    """Does text drawn with a matrix stand upright (as pdfminer tells)?"""
    a, b, c, d = linear
    return a * d > 0 and b * c <= 0


def _seen(matrix, view: _View) -> tuple[float, float, float, float]:
    """Return the linear part of a matrix followed by the page's turn."""
    return _times((*matrix[:4], 0.0, 0.0), view.matrix)[:4]


class _Fonts:
    """The metrics of the fonts of a page, each read from PDFium once: descents and advances."""

    def __init__(self, raw):
        self.raw = raw
        self.descents: dict[int, float] = {}
        self.advances: dict[tuple[int, int], float | None] = {}
        self.measures: dict[int, dict[int, tuple[float, float]]] = {}
        # Where the ink of the first glyph measured for a character ends, at size 1.
        self.inks: dict[tuple[int, int], float] = {}
        self._number = ctypes.c_float()

    def measured(self, font) -> dict[int, tuple[float, float]]:
        """Return the advances of a font's characters as measured on the page so far."""
        return self.measures.setdefault(_address(font), {})

    def descent(self, font) -> float:
        """Return the font's descent at size 1 (negative: below the baseline)."""
        key = _address(font)
        if key not in self.descents:
            ok = key and self.raw.FPDFFont_GetDescent(font, 1.0, self._number)
            self.descents[key] = self._number.value if ok else 0.0
        return self.descents[key]

    def advance(self, font, code: int) -> float | None:
        """Return how far a character moves the pen at size 1 (its width in the font's /Widths)."""
        key = (_address(font), code)
        if key not in self.advances:
            ok = key[0] and self.raw.FPDFFont_GetGlyphWidth(font, code, 1.0, self._number)
            self.advances[key] = self._number.value if ok else None
        return self.advances[key]


def _address(handle) -> int:
    """Return the address a PDFium handle points to (0 for none): the handle's identity."""
    return (ctypes.c_void_p.from_buffer(handle).value or 0) if handle else 0


class _Style(NamedTuple):
    """What all characters of one text object share."""

    linear: tuple[float, float, float, float]  # text space to the page as seen
    # How far along x a unit of advance at size 1 moves the pen in PDF space (the matrix's
    # a × the size); 0 for text not set straight along x, whose advances PDFium's boxes
    # do not show.
    scale: float
    size: float
    low: float  # the box's bottom below the baseline, in text space (descent × size)
    upright: bool
    font: object
    # Of its font, by character, at size 1, as first measured: the advance and how far
    # PDFium's loose box reaches.
    advances: dict[int, tuple[float, float]]


# How far apart two positions may be, in points, and be one (PDFium computes in floats).
EPS = 1e-3


def _object_address(raw):
    """Return FPDFText_GetTextObject answering the text object's address: a number to
    tell text objects apart by, with none of the cost of a pointer object."""
    function = ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(ctypes.c_void_p, raw.FPDF_TEXTPAGE, ctypes.c_int)(function)


def _chars(raw, textpage, view: _View, fonts: _Fonts) -> list[Char]:
    """Return the characters of a text page, each placed as pdfminer placed it.

    The reader's hot path (about 4,000 characters a page): PDFium is asked four
    things a character; what the characters of a text object share is asked once
    (`_Style`), and a character's advance is measured (`_advance`) once a glyph.
    """
    unicode_of, made_up = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated
    object_of, origin_of = _object_address(raw), raw.FPDFText_GetCharOrigin
    loose_box = raw.FPDFText_GetLooseCharBox
    styles: dict[int | None, _Style] = {}
    x, y, loose = ctypes.c_double(), ctypes.c_double(), raw.FS_RECTF()
    va, vb, vc, vd, ve, vf = view.matrix
    height = view.height
    chars: list[Char] = []
    for index in range(raw.FPDFText_CountChars(textpage)):
        code = unicode_of(textpage, index)
        if code == 0 or (code in MADE_UP and made_up(textpage, index)):
            continue
        key = object_of(textpage, index)
        style = styles.get(key) or styles.setdefault(key, _style(raw, textpage, index, view, fonts))
        origin_of(textpage, index, x, y)
        ox, oy = x.value, y.value
        if code == LINE_END_HYPHEN:
            code = 0x2D
        elif 0xD800 <= code <= 0xDFFF:  # half a UTF-16 pair: a damaged ToUnicode map
            code = 0xFFFD
        known = style.advances.get(code)
        if style.scale:
            loose_box(textpage, index, loose)
            # A glyph whose box reaches as far as the one first measured is that glyph;
            # glyphs that read alike may differ ("K" drawn by a glyph mapped to "u").
            if known is None or abs(ox + style.scale * known[1] - loose.right) > EPS:
                reach = (loose.right - ox) / style.scale
                known = (_advance(raw, textpage, index, (ox, loose.right, code), style, fonts), reach)
                style.advances.setdefault(code, known)
        elif known is None:
            known = style.advances[code] = (fonts.advance(style.font, code) or 0.0, 0.0)
        advance = known[0]
        (a, b, c, d), size, low = style.linear, style.size, style.low
        if b or c:  # text set at an angle
            box = view.box(style.linear, (ox, oy), advance * size, low, low + size)
            chars.append(Char(chr(code), *box, box[3] - box[2], style.upright))
            continue
        px, py = va * ox + vc * oy + ve, vb * ox + vd * oy + vf
        x0, x1 = px, px + a * advance * size
        y0, y1 = py + d * low, py + d * (low + size)
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        chars.append(Char(chr(code), x0, x1, height - y1, height - y0, y1 - y0, style.upright))
    return chars


def _style(raw, textpage, index: int, view: _View, fonts: _Fonts) -> _Style:
    m = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, index, m)
    linear = _seen((m.a, m.b, m.c, m.d), view)
    size = raw.FPDFText_GetFontSize(textpage, index)
    handle = raw.FPDFText_GetTextObject(textpage, index)
    font = raw.FPDFTextObj_GetFont(handle) if handle else None
    straight = m.b == 0 and m.c == 0 and m.a > 0 and size > 0
    low = fonts.descent(font) * size
    return _Style(
        linear, m.a * size if straight else 0.0, size, low, _upright(linear), font, fonts.measured(font)
    )


def _advance(raw, textpage, index: int, char, style: _Style, fonts: _Fonts) -> float:
    """Return how far a character moves the pen at size 1, measured on the page.

    PDFium's loose box runs from the origin to the advance, widened to the glyph's ink:
    where the ink stays within the advance, the box gives the advance exactly; where it
    reaches beyond (an italic "f"), the font's width for the character does, unless
    another glyph of the page reads as the same character ("K" drawn by a glyph mapped
    to "u"): then the ink's end is the nearest measure there is.
    """
    origin, right, code = char
    tight = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
    raw.FPDFText_GetCharBox(textpage, index, *tight)
    ink = tight[1].value
    inked = fonts.inks.setdefault((_address(style.font), code), (ink - origin) / style.scale)
    if right > ink + EPS:
        return (right - origin) / style.scale
    width = fonts.advance(style.font, code)
    same_glyph = abs(inked * style.scale - (ink - origin)) <= EPS
    if same_glyph and width is not None and origin + width * style.scale <= ink + EPS:
        return width
    return (right - origin) / style.scale


class _Drawn:
    """The rules a page draws and the spaces its text page leaves out, read from its objects."""

    def __init__(self, raw, view: _View, fonts: _Fonts):
        self.raw = raw
        self.view = view
        self.fonts = fonts
        self.rules: list[Rule] = []
        self.spaces: list[Char] = []
        self._matrix = raw.FS_MATRIX()
        self._bounds = [ctypes.c_float() for _ in range(4)]

    def read(self, holder, count, get, outer, depth: int) -> None:
        """Read the objects of a page or a form drawn with the matrix `outer`."""
        for index in range(count(holder)):
            obj = get(holder, index)
            kind = self.raw.FPDFPageObj_GetType(obj)
            if kind == PATH:
                self._path(obj, outer)
            elif kind == TEXT:
                self._inkless(obj, outer)
            elif kind == FORM and depth < FORM_DEPTH:
                form = _times(self._matrix_of(obj), outer)
                raw = self.raw
                self.read(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, form, depth + 1)

    def _matrix_of(self, obj) -> tuple[float, float, float, float, float, float]:
        m = self._matrix
        self.raw.FPDFPageObj_GetMatrix(obj, m)
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _path(self, obj, outer) -> None:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not self.raw.FPDFPath_GetDrawMode(obj, fill, stroke) or not (fill.value or stroke.value):
            return  # a path that only clips draws nothing
        matrix = _times(self._matrix_of(obj), outer)
        for points in _subpaths(self.raw, obj, matrix):
            if _is_rule(points):
                self.rules.append(self._rule(points))

    def _rule(self, points) -> Rule:
        placed = [self.view.place(x, y) for x, y in points]
        xs = [x for x, _ in placed]
        ys = [self.view.height - y for _, y in placed]
        return Rule(min(xs), max(xs), min(ys), max(ys))

    def _inkless(self, obj, outer) -> None:
        """Put back a text object that inks nothing (spaces), which the text page leaves out."""
        left, bottom, right, top = self._bounds
        if not self.raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return
        if right.value - left.value >= INKLESS:
            return
        matrix = _times(self._matrix_of(obj), outer)
        size = ctypes.c_float()
        font = self.raw.FPDFTextObj_GetFont(obj)
        if not font or not self.raw.FPDFTextObj_GetFontSize(obj, size):
            return
        self.spaces.append(_space(matrix, size.value, font, self.fonts, self.view))


def _space(matrix, size: float, font, fonts: _Fonts, view: _View) -> Char:
    low = fonts.descent(font) * size
    advance = (fonts.advance(font, ord(" ")) or 0.0) * size
    linear = _seen(matrix, view)
    x0, x1, top, bottom = view.box(linear, matrix[4:], advance, low, low + size)
    return Char(" ", x0, x1, top, bottom, bottom - top, _upright(linear))


def _subpaths(raw, obj, matrix) -> list[list[tuple[float, float]]]:
    """Return the subpaths of a path, their points in PDF space, a closed subpath ending
    where it started; a subpath with a curve as no points."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    curved = False
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == MOVETO or not subpaths:
            subpaths.append([point])
            curved = False
            continue
        curved = curved or kind == BEZIERTO
        subpaths[-1] = [] if curved else subpaths[-1] + [point]
        if subpaths[-1] and raw.FPDFPathSegment_GetClose(segment) and point != subpaths[-1][0]:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _is_rule(points: list[tuple[float, float]]) -> bool:
    """Is a subpath a straight line or an axis-aligned rectangle (as pdfminer classes them)?"""
    if len(points) == 2 or (len(points) == 3 and points[2] == points[0]):
        return True
    if len(points) != 5 or points[4] != points[0]:
        return False
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    upright_first = x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0
    return upright_first or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
