"""A model's word-embedding table, memory-mapped from its safetensors file (no torch needed)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

WORD_TABLE = "embeddings.word_embeddings.weight"
_DTYPES = {"F32": np.float32, "F16": np.float16}


def word_table(folder: Path, name: str = WORD_TABLE) -> np.ndarray:
    """Return the table as a read-only memory map: a lookup touches only the rows it reads."""
    path = Path(folder) / "model.safetensors"
    with open(path, "rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(size))
    entry = header[name]
    start, end = entry["data_offsets"]
    dtype = np.dtype(_DTYPES[entry["dtype"]])
    rows = np.memmap(path, dtype=dtype, mode="r", offset=8 + size + start,
                     shape=tuple(entry["shape"]))  # fmt: skip
    assert rows.nbytes == end - start, f"{path} holds {name} in another shape"
    return rows
