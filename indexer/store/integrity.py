"""Know a version is whole: a checksum of every file it holds, checked at every load."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from tokenize import TokenError

import numpy as np
import xxhash

CHECKSUMS = "checksums.json"
TEXTS = "texts"  # each file's indexed text, named by its sha256: checked whenever it is read
# XXH3-128 reads ~28 GB/s here against sha256's 1.7 GB/s (bench/perf.py measures the load
# cost), fast enough to check every byte at every load. It guards against damage, not forgery.
HASH = "xxh3_128"
_CHUNK = 8 << 20
# What reading a damaged file raises: decoders, and numpy's array header parser (via ast).
READ_ERRORS = (OSError, ValueError, EOFError, KeyError, TypeError, SyntaxError, TokenError)


def write_checksums(folder: Path) -> None:
    """Record the size and hash of every file of a version (the last file written)."""
    listing = {
        path.relative_to(folder).as_posix(): {"size": path.stat().st_size, HASH: file_hash(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".") and path.name != CHECKSUMS
    }
    (folder / CHECKSUMS).write_text(json.dumps(listing, indent=0), encoding="utf-8")


def damage(folder: Path, full: bool = True, texts: bool = False) -> str | None:
    """Return what is wrong with a version in a few words, or None if it is intact.

    Sizes and array headers are always checked; every byte too when full (each load does).
    Texts are left to their own check when read, unless texts is True (`indexer check`).
    """
    try:
        listing = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
        expected = {name: (int(e["size"]), _digest_of(e)) for name, e in listing.items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return f"{CHECKSUMS} is missing or unreadable"
    if not texts:
        # Thousands of small files cost ~0.1 ms each to open: most of a load's time.
        expected = {n: e for n, e in expected.items() if not n.startswith(f"{TEXTS}/")}
    for name, (size, _) in expected.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != size:
            return f"{name} has {path.stat().st_size} bytes, not {size}"
        if name.endswith(".npy") and not _readable_array(path):
            return f"{name} is not a readable array"
    if full:
        for name, (_, (algorithm, digest)) in expected.items():
            try:
                found = file_hash(folder / name, algorithm)
            except OSError:
                return f"{name} cannot be read"
            if found != digest:
                return f"{name} does not match its checksum"
    return None


def text_damage(text_bytes: bytes, sha256: str) -> bool:
    """Whether a file's stored text differs from the text it was indexed as (named by its hash)."""
    return hashlib.sha256(text_bytes).hexdigest() != sha256


def file_hash(path: Path, algorithm: str = HASH) -> str:
    """Return a file's digest, read in large chunks into one reused buffer."""
    # Read, not memory-mapped: a file cut short while it is hashed must not kill the process.
    digest = xxhash.xxh3_128() if algorithm == HASH else hashlib.new(algorithm)
    with open(path, "rb", buffering=0) as handle:
        # A small file gets a small buffer: zeroing 8 MB for each of a version's small files
        # was most of a small index's load.
        buffer = bytearray(min(_CHUNK, os.fstat(handle.fileno()).st_size + 1))
        view = memoryview(buffer)
        while read := handle.readinto(buffer):
            digest.update(view[:read])
    return digest.hexdigest()


def _digest_of(entry: dict) -> tuple[str, str]:
    """Return (algorithm, digest) of a listing entry; versions built before XXH3 hold sha256."""
    algorithm = HASH if HASH in entry else "sha256"
    return algorithm, str(entry[algorithm])


def _readable_array(path: Path) -> bool:
    try:
        np.load(path, mmap_mode="r")
    except READ_ERRORS:
        return False
    return True
