"""Data a package ships compressed, kept unpacked in the user's cache after its first use.

A fresh process (each terminal question, each start of the page or MCP) would otherwise pay
the decompression again: py3langid's model is LZMA-compressed (0.4 s to unpack), the spelling
word lists gzipped JSON (0.07 s each). Unpacked, they are memory-mapped in milliseconds and
only the pages a question touches are read.
"""

from __future__ import annotations

import mmap
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def cache_root() -> Path:
    """Return the user's cache folder (XDG_CACHE_HOME, else ~/.cache)."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))


def unpacked(kind: str, source: Path, write: Callable[[Path], None]) -> Path | None:
    """Return the cache folder holding source unpacked, written by write(folder) on first use;
    None if the cache cannot be written (the caller then reads source itself)."""
    stat = source.stat()
    name = f"{source.name.split('.')[0]}-{stat.st_size}-{stat.st_mtime_ns}"
    folder = cache_root() / "verbatim" / kind / name  # a changed source gets a new folder
    if folder.is_dir():
        return folder
    staging = folder.with_name(f"{name}.tmp-{os.getpid()}")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        write(staging)
        os.rename(staging, folder)  # complete folders appear whole
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another process may have won the race
    return folder if folder.is_dir() else None


class SortedWords:
    """A word list on disk, sorted, one word a line: looked up by binary search, never loaded."""

    def __init__(self, path: Path):
        with open(path, "rb") as file:
            self._lines = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)

    @staticmethod
    def write(words, path: Path) -> None:
        """Write words (none holding a line break) as the file this class reads."""
        # Code point order is UTF-8 byte order, the order the search compares in.
        path.write_bytes("\n".join(sorted(set(words))).encode("utf-8"))

    def __contains__(self, word: str) -> bool:
        lines, target = self._lines, word.encode("utf-8")
        low, high = 0, len(lines)  # the word's line, if any, starts in [low, high)
        while low < high:
            start = lines.rfind(b"\n", low, (low + high) // 2) + 1 or low
            end = lines.find(b"\n", start)
            end = len(lines) if end < 0 else end
            line = lines[start:end]
            if line == target:
                return True
            low, high = (end + 1, high) if line < target else (low, start)
        return False
