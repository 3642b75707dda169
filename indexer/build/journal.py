"""Records appended to files in one folder, found again by key: what a checkpoint is kept in.

Each build appends to a file of its own, a record at a time: a line with the body's checksum,
its key and its length, then the body. A kill leaves at most the record being written torn, at
the end of its file, and a torn or damaged record is not found; a full disk's torn record is
cut off at once. One file per build, not one per record: an incremental build records every
file of a large folder, and creating and deleting thousands of files would cost it seconds.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import xxhash

SUFFIX = ".journal"


class Journal:
    """Keyed records under one folder: those of earlier builds, and this build's own file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._places: dict[str, tuple[Path, int, int, bytes]] | None = None  # found on first get
        self._fd: int | None = None  # this build's file, opened at its first record

    def recorded(self) -> list[str]:
        """Return the keys of the whole records kept (as the folder held them first asked)."""
        return list(self._found())

    def get(self, key: str) -> bytes | None:
        """Return the body kept under key, or None if there is none or it is damaged."""
        place = self._found().get(key)
        if place is None:
            return None
        path, start, length, digest = place
        try:
            with open(path, "rb") as handle:
                handle.seek(start)
                body = handle.read(length)
        except OSError:
            return None
        return body if len(body) == length and _digest(body) == digest else None

    def _found(self) -> dict[str, tuple[Path, int, int, bytes]]:
        if self._places is None:  # earlier builds' records: this one's are not asked for
            self._places = {}
            for path in sorted(self.folder.glob(f"*{SUFFIX}")):
                self._places.update(_scan(path))
        return self._places

    def put(self, key: str, body: bytes) -> None:
        """Append a record (the checkpoint's write: no fsync, a record lost to power is redone)."""
        if self._fd is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{uuid.uuid4().hex}{SUFFIX}"
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if " " in key or "\n" in key:
            raise ValueError(f"a journal key holds no space or line break: {key!r}")
        record = b"%s %s %d\n" % (_digest(body), key.encode("ascii"), len(body)) + body
        end = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            view = memoryview(record)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError:
            os.ftruncate(self._fd, end)  # a record the disk had no room for goes whole
            raise

    def close(self) -> None:
        """Close this build's file (its records stay for the next build)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def clear(self) -> None:
        """Delete every record of every build."""
        self.close()
        self._places = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _scan(path: Path) -> dict[str, tuple[Path, int, int, bytes]]:
    """Return where each whole record of a file lies; stop at a torn one (only the last is)."""
    places = {}
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            while True:
                header = handle.readline()
                try:
                    digest, key, length = header.split(b" ")
                    length = int(length)
                except ValueError:
                    break
                start = handle.tell()
                if not header.endswith(b"\n") or start + length > size:
                    break
                places[key.decode("ascii")] = (path, start, length, digest)
                handle.seek(length, os.SEEK_CUR)
    except (OSError, UnicodeDecodeError):
        pass  # what was found before stands; the rest is done again
    return places


def _digest(body: bytes) -> bytes:
    return xxhash.xxh3_128_hexdigest(body).encode("ascii")
