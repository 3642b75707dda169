"""Know a version is whole: a checksum of every file it holds, checked before it is served."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

import numpy as np

CHECKSUMS = "checksums.json"
VERIFIED = ".verified"  # written once every checksum of a version has matched
_CHUNK = 1 << 20


def write_checksums(folder: Path) -> None:
    """Record the size and sha256 of every file of a version (the last file written)."""
    listing = {
        path.relative_to(folder).as_posix(): {"size": path.stat().st_size, "sha256": _digest(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".") and path.name != CHECKSUMS
    }
    (folder / CHECKSUMS).write_text(json.dumps(listing, indent=0), encoding="utf-8")


def damage(folder: Path, full: bool | None = None) -> str | None:
    """Return what is wrong with a version in a few words, or None if it is intact.

    Sizes and array headers are always checked; every byte (sha256) when full is True, or
    when full is None and this version was never fully checked before.
    """
    try:
        listing = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
        expected = {
            name: (int(entry["size"]), str(entry["sha256"])) for name, entry in listing.items()
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return f"{CHECKSUMS} is missing or unreadable"
    for name, (size, _) in expected.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != size:
            return f"{name} has {path.stat().st_size} bytes, not {size}"
        if name.endswith(".npy") and not _readable_array(path):
            return f"{name} is not a readable array"
    if full is None:
        full = not (folder / VERIFIED).exists()
    if full:
        for name, (_, digest) in expected.items():
            if _digest(folder / name) != digest:
                # Checked in full again at every load, until a build replaces it.
                (folder / VERIFIED).unlink(missing_ok=True)
                return f"{name} does not match its checksum"
        _mark_verified(folder)
    return None


def _readable_array(path: Path) -> bool:
    try:
        np.load(path, mmap_mode="r")
    except (OSError, ValueError):
        return False
    return True


def _mark_verified(folder: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only index is checked in full at each load
        (folder / VERIFIED).touch()


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
