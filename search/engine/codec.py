"""Whoosh's postings written in a form every process maps instead of decoding.

Whoosh's own codec (`whoosh3`) writes a term's postings as zlib-compressed pickles in
blocks of 128 and its positions as a pickle per posting: reading 会员国 at 100,000
paragraphs unpickled 9,000 blocks, and a phrase unpickled the positions of every
candidate, in each process and again after each restart. This codec keeps Whoosh as
it is (segments, the term dictionary, stored fields, columns, deletions, merges, its
query API) and replaces only the postings file: each term's postings are written once,
when its segment is, as fixed-width arrays that numpy views in place in a file mapped
by every process (the page cache shares it between them):

    header   n, id code, weight code, position code, positions   (struct RECORD)
    ids      n document numbers: absolute (u2, u4) or deltas (u1: cumsum)
    weights  n term frequencies (u1, u2, u4) or float32 weights
    positions  every posting's positions, in document order (u1, u2, u4)

A term's TermInfo (Whoosh's, in the `.trm` table) points at its record. The widths are
chosen per term, the narrowest that holds it. Positions are written from the values
`MappedPositions` gives each posting (raw u4 arrays), so writing never unpickles.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import struct
from array import array
from pathlib import Path

import numpy as np
from whoosh import columns
from whoosh.codec import base
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3TermInfo, W3TermsReader
from whoosh.filedb import filetables
from whoosh.formats import Positions
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length

MAP_EXT = ".pmap"
MAGIC = b"UNPM0001"
# n, id code, weight code, position code, (pad), number of positions
RECORD = struct.Struct("<IBBBxI")

# Codes of how a column is stored: numpy dtypes, and whether ids are deltas.
ID_DELTA_U1, ID_U2, ID_U4 = 1, 2, 4
WIDTH_U1, WIDTH_U2, WIDTH_U4, FLOAT32 = 1, 2, 4, 5
DTYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4"), 5: np.dtype("<f4")}
ARRAY_CODES = {1: "B", 2: "H", 4: "I", 5: "f"}

# Whoosh stores a field's length per document as one byte; this maps it back.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
EMPTY32 = np.empty(0, dtype=np.int32)
EMPTY_TF = np.empty(0, dtype=np.float32)


class MappedPositions(Positions):
    """Positions as a raw array of unsigned 32-bit integers: what the writer copies.

    The same answers as Whoosh's `Positions` through its public methods, so its own
    phrase queries still work on the index.
    """

    def word_values(self, value, analyzer, **kwargs):
        """(term, frequency, weight, positions) of each term of a text: Whoosh's own, less
        its per-token boosts (our analyzers give every token 1.0) and generator layers, as
        every posting of a rebuild passes here."""
        found: dict[str, list[int]] = {}
        kwargs["positions"] = True
        for token in analyzer(value, **kwargs):
            if token.stopped:
                continue
            at = found.get(token.text)
            if at is None:
                found[token.text] = [token.pos]
            else:
                at.append(token.pos)
        boost = self.field_boost
        for text, at in found.items():
            yield text, len(at), len(at) * boost, array("I", at).tobytes()

    def encode(self, poslist):
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring):
        found = array("I")
        found.frombytes(valuestring)
        return found.tolist()

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost

    def combine(self, vs):
        return self.encode(sorted({p for v in vs for p in self.decode_positions(v)}))


def _width(largest: int) -> int:
    return WIDTH_U1 if largest < 1 << 8 else WIDTH_U2 if largest < 1 << 16 else WIDTH_U4


# Below this many postings a term is encoded in Python; above, in numpy.
SMALL = 48


def encode_ids(ids) -> tuple[int, bytes]:
    """The narrowest of: one-byte deltas, two-byte or four-byte document numbers."""
    if len(ids) > SMALL:
        values = np.asarray(ids, dtype=np.int64)
        deltas = np.diff(values, prepend=0)
        if deltas.max() < 1 << 8:
            return ID_DELTA_U1, deltas.astype(DTYPES[1]).tobytes()
        code = ID_U2 if values[-1] < 1 << 16 else ID_U4
        return code, values.astype(DTYPES[code]).tobytes()
    deltas = [ids[0]] + [b - a for a, b in zip(ids, ids[1:], strict=False)]
    if max(deltas) < 1 << 8:
        return ID_DELTA_U1, array("B", deltas).tobytes()
    code = ID_U2 if ids[-1] < 1 << 16 else ID_U4
    return code, array(ARRAY_CODES[code], ids).tobytes()


def encode_weights(weights) -> tuple[int, bytes]:
    """Term frequencies in the narrowest unsigned width; other weights as float32."""
    values = np.asarray(weights, dtype=np.float64)
    if (values >= 0).all() and (values == np.floor(values)).all():
        code = _width(int(values.max()))
        return code, values.astype(DTYPES[code]).tobytes()
    return FLOAT32, values.astype(DTYPES[FLOAT32]).tobytes()


def encode_positions(positions) -> tuple[int, bytes, int]:
    """(code, bytes, count) of raw u4 positions, in the narrowest width that holds them."""
    raw = np.frombuffer(positions, dtype="<u4")
    if not len(raw):
        return 0, b"", 0
    code = _width(int(raw.max()))
    return code, raw.astype(DTYPES[code]).tobytes(), len(raw)


def encode_record(ids, weights, positions) -> bytes:
    """One term's record (see the module's docstring); `positions`: every posting's raw
    u4 positions, concatenated, or None for a field without positions."""
    id_code, id_bytes = encode_ids(ids)
    weight_code, weight_bytes = encode_weights(weights)
    pos_code, pos_bytes, count = encode_positions(positions) if positions else (0, b"", 0)
    return RECORD.pack(len(ids), id_code, weight_code, pos_code, count) + id_bytes + weight_bytes + pos_bytes


def column_lengths(perdoc, fieldname: str, count: int) -> np.ndarray:
    """The length of a field in each of a segment's documents, as BM25 and Whoosh see it
    (a byte per document, decoded), from its per-document reader."""
    column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, dtype=np.float32)
    return LENGTH_OF_BYTE[numeric_column(column, count)]


def numeric_column(column, count: int) -> np.ndarray:
    """Every value of a Whoosh numeric column (`columns.NumericColumn.Reader`) as one array:
    its fixed-width big-endian values read at once, where iterating it decoded them one by
    one (half a second at 100,000 documents); the column's default past its last value."""
    if isinstance(column, columns.EmptyColumnReader):  # a segment without the column's file
        return np.full(count, column._default)
    if not isinstance(column, columns.NumericColumn.Reader):
        raise TypeError(f"not a numeric column: {column!r}")
    stored = min(column._count, count)
    values = np.full(count, column._default, dtype=np.dtype(">" + column._typecode).newbyteorder("="))
    if stored:
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        values[:stored] = np.frombuffer(raw, dtype=">" + column._typecode)
    return values


class MappedCodec(W3Codec):
    """Whoosh's `whoosh3` codec with the postings file replaced (see the module)."""

    def field_writer(self, storage, segment):
        return MappedFieldWriter(storage, segment)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        return MappedTermsReader(
            self, storage.open_file(tiname), storage.file_length(tiname), _map(storage, segment)
        )


def _map(storage, segment):
    """The segment's postings file, mapped read-only (read whole where it is not a file)."""
    name = segment.make_filename(MAP_EXT)
    folder = getattr(storage, "folder", None)
    if folder is not None:
        with open(Path(folder) / name, "rb") as f:
            if not os.fstat(f.fileno()).st_size:  # (mmap refuses an empty file)
                raise OSError(f"{name} is empty")
            buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    else:  # RamStorage (Whoosh's in-memory indexes)
        buffer = storage.open_file(name).read()
    if buffer[: len(MAGIC)] != MAGIC:
        raise OSError(f"{name} is not a postings file of this codec")
    return buffer


class MappedFieldWriter(base.FieldWriter):
    """Writes Whoosh's term table, each term pointing at its record in the postings file."""

    def __init__(self, storage, segment):
        self._tindex = filetables.OrderedHashWriter(segment.create_file(storage, W3Codec.TERMS_EXT))
        self._fieldmap = self._tindex.extras["fieldmap"] = {}
        self._out = segment.create_file(storage, MAP_EXT)
        self._out.write(MAGIC)
        self._offset = len(MAGIC)
        self._fieldid = 0
        self._positions = False
        self.is_closed = False

    def start_field(self, fieldname, fieldobj):
        self._fieldid = self._fieldmap.setdefault(fieldname, len(self._fieldmap))
        self._positions = isinstance(fieldobj.format, MappedPositions)

    def start_term(self, btext):
        self._btext = btext
        self._ids, self._weights, self._values = [], [], []
        self._minlength, self._maxlength = None, 0

    def add(self, docnum, weight, vbytes, length):
        self._ids.append(docnum)
        self._weights.append(weight)
        if self._positions:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            self._maxlength = max(self._maxlength, length)

    def finish_term(self):
        positions = b"".join(self._values) if self._positions else None
        lengths = (self._minlength, self._maxlength)
        self._write_term(self._btext, self._ids, self._weights, positions, lengths)

    def write_pool(self, schema, pool, perdoc) -> None:
        """Write a segment's terms from a pool that holds each term's postings as arrays
        (building.TermPool): sorted by term, never posting by posting."""
        fieldname, lengths = None, None
        count = perdoc.doc_count_all()
        for (name, btext), (ids, weights, positions) in pool.sorted_terms():
            if name != fieldname:
                fieldname = name
                self.start_field(name, schema[name])
                lengths = column_lengths(perdoc, name, count) if schema[name].scorable else None
            span = (None, 0)
            if lengths is not None:
                found = lengths[np.frombuffer(ids, dtype=np.int32)]
                span = (int(found.min()), int(found.max())) if found.any() else (None, 0)
            self._write_term(btext, ids, weights, positions if self._positions else None, span)

    def _write_term(self, btext: bytes, ids, weights, positions, lengths: tuple) -> None:
        record = encode_record(ids, weights, positions)
        self._out.write(record)
        info = W3TermInfo()
        info._weight = float(sum(weights))
        info._df = len(ids)
        info._minlength, info._maxlength = lengths
        info._maxweight = max(weights)
        info._minid, info._maxid = ids[0], ids[-1]
        info.set_extent(self._offset, len(record))
        self._offset += len(record)
        self._tindex.add(pack_ushort(self._fieldid) + btext, info.to_bytes())

    def finish_field(self):
        pass

    def close(self):
        self._tindex.close()
        self._out.close()
        self.is_closed = True


class MappedTermsReader(W3TermsReader):
    """Whoosh's term table, with each term's postings viewed in the mapped file."""

    def __init__(self, codec, dbfile, length, buffer):
        super().__init__(codec, dbfile, length, None)
        self._buffer = buffer

    def _extent(self, fieldname: str, btext: bytes) -> tuple | None:
        """Where a term's record is in the file (offset, length), or None: no such term."""
        try:
            return self.term_info(fieldname, btext).extent()
        except TermNotFound:
            return None

    def _read(self, extent: tuple, positions: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(document numbers as int32, weights as float32, positions: empty without, or
        when not asked for) of the record at this extent; deleted documents included."""
        offset, length = extent
        if isinstance(length, tuple):  # (how W3TermInfo.from_bytes reads it back)
            length = length[0]
        if offset + length > len(self._buffer):
            raise EOFError("a term's postings run past the end of their file")
        n, id_code, weight_code, pos_code, count = RECORD.unpack_from(self._buffer, offset)
        at = offset + RECORD.size
        width = 1 if id_code == ID_DELTA_U1 else id_code
        raw = np.frombuffer(self._buffer, DTYPES[width], n, at)
        ids = np.cumsum(raw, dtype=np.int32) if id_code == ID_DELTA_U1 else raw.astype(np.int32)
        at += n * width
        weights = np.frombuffer(self._buffer, DTYPES[weight_code], n, at).astype(np.float32)
        if not (positions and pos_code):
            return ids, weights, EMPTY32
        at += n * DTYPES[weight_code].itemsize
        return ids, weights, np.frombuffer(self._buffer, DTYPES[pos_code], count, at)

    def arrays(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers as int32, weights as float32) of a term; deleted ones included."""
        extent = self._extent(fieldname, btext)
        if extent is None:
            return EMPTY32, EMPTY_TF
        ids, weights, _ = self._read(extent, positions=False)
        return ids, weights

    def positions(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(document numbers, frequencies, every posting's positions in document order)."""
        extent = self._extent(fieldname, btext)
        if extent is None:
            return EMPTY32, EMPTY32, EMPTY32
        ids, weights, positions = self._read(extent, positions=True)
        if not len(positions):  # a field without positions
            return EMPTY32, EMPTY32, EMPTY32
        return ids, weights.astype(np.int32), positions

    def records(self):
        """Every term in the table's order: (fieldname, term, document numbers, weights,
        frequencies, positions), deleted documents included; the frequencies and positions
        empty for a field without positions. What a merge copies, a term at a time."""
        for keybytes, valbytes in self._tindex.items():
            fieldname, btext = self._keydecoder(keybytes)
            ids, weights, positions = self._read(W3TermInfo.from_bytes(valbytes).extent(), positions=True)
            freqs = weights.astype(np.int32) if len(positions) else EMPTY32
            yield fieldname, btext, ids, weights, freqs, positions

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        """Whoosh's own matcher over the term's postings (its query API; never the
        engine's numpy path)."""
        ids, weights = self.arrays(fieldname, tbytes)
        if not len(ids):
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        values = [b""] * len(ids)  # what a merge copies: only positions are kept
        if isinstance(format_, MappedPositions):
            _, freqs, positions = self.positions(fieldname, tbytes)
            ends = np.cumsum(freqs).tolist()
            values = [
                positions[end - f : end].astype("<u4").tobytes()
                for f, end in zip(freqs.tolist(), ends, strict=True)
            ]
        return ListMatcher(
            ids.tolist(),
            weights.tolist(),
            values,
            format_,
            scorer=scorer,
            term=(fieldname, tbytes),
            terminfo=self.term_info(fieldname, tbytes),
        )

    def close(self):
        self._tindex.close()
        if isinstance(self._buffer, mmap.mmap):
            with contextlib.suppress(BufferError):  # arrays still view it: the mapping goes with them
                self._buffer.close()
