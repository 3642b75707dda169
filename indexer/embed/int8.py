"""Weights to int8 as onnxruntime's dynamic quantiser makes them, a whole tensor per numpy step.

Its quantiser (`onnxruntime.quantization`, what sentence-transformers' int8 export runs) takes
a per-channel weight one column at a time in Python: 4 s for multilingual-e5-small's, and 3.5 s
for its word table. The same arithmetic here: float64 ranges, float32 scales, round half to
even, so every byte, scale and zero point is the one it writes (tests compare them).
"""

from __future__ import annotations

import numpy as np

_TINY = np.finfo(np.float32).tiny  # a smaller scale means an all-zero tensor: scale 1, zero 0


def per_channel(weight: np.ndarray, signed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (quantised, scales, zero points) of a MatMul weight [in, out], symmetric per
    output column: int8 in [-127, 127] (signed) or uint8 around 128."""
    low = np.minimum(weight.min(axis=0), np.float32(0))
    high = np.maximum(weight.max(axis=0), np.float32(0))
    absmax = np.maximum(np.abs(low), np.abs(high))
    span = 254.0 if signed else 255.0  # int8's symmetric range drops -128; uint8 keeps 0..255
    scale64 = (absmax.astype(np.float64) - (-absmax).astype(np.float64)) / span
    empty = scale64 < _TINY
    scale = np.where(empty, np.float32(1), scale64.astype(np.float32)).astype(np.float32)
    dtype, bounds, centre = (np.int8, (-128, 127), 0) if signed else (np.uint8, (0, 255), 128)
    zero = np.where(empty, 0, centre).astype(dtype)
    return _quantised(weight, scale, zero, bounds, dtype), scale, zero


def per_tensor(table: np.ndarray, symmetric: bool) -> tuple[np.ndarray, np.float32, np.uint8]:
    """Return (quantised, scale, zero point) of a Gather's table, uint8 with one scale.

    table is an array, or rows sliced as float32 arrays on demand (e5_file.Q4Rows).
    """
    low, high = np.float32(0), np.float32(0)
    for _, rows in _chunks(table):
        low, high = min(low, rows.min()), max(high, rows.max())
    if symmetric:
        high = np.maximum(np.abs(low), np.abs(high))
        low = -high
    scale64 = (np.float64(high) - np.float64(low)) / 255.0
    if scale64 < _TINY:
        scale, zero = np.float32(1), np.uint8(0)
    else:
        centre = 128 if symmetric else np.round(0 - np.float64(low) / scale64)
        scale, zero = np.float32(scale64), np.uint8(centre)
    return _quantised(table, scale, zero, (0, 255), np.uint8), scale, zero


def _quantised(values: np.ndarray, scale, zero, bounds: tuple[int, int], dtype) -> np.ndarray:
    """round(values / scale) + zero, clipped to the type: the quantiser's float32 steps.

    A few thousand rows at a time: a float32 copy of e5's word table would be 384 MB of fresh
    memory, slow to fault in on a busy machine.
    """
    out = np.empty(values.shape, dtype)
    zero = np.asarray(zero, np.float32)
    for start, rows in _chunks(values):
        chunk = np.divide(rows, scale, dtype=np.float32)
        np.round(chunk, out=chunk)
        chunk += zero
        np.clip(chunk, *bounds, out=chunk)
        out[start : start + len(chunk)] = chunk
    return out


def _chunks(values):
    """Yield (first row, rows) of about 16 MB as float32 each."""
    step = max(1, (1 << 22) // max(1, int(np.prod(values.shape[1:]))))
    for start in range(0, len(values), step):
        yield start, values[start : start + step]
