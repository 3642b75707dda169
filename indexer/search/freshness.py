"""Whether an indexed file still holds what was indexed: quotes from a changed file are stale."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

CHANGED, DELETED = "changed", "deleted"  # how a file differs from what was indexed


class Freshness:
    """Compare files on disk with the hashes an index recorded, re-reading only changed files."""

    def __init__(self, docs_dir: str, recorded: dict[str, str]):
        self.docs_dir = Path(docs_dir) if docs_dir else None
        self.recorded = recorded  # file name -> sha256 of its bytes when indexed
        self._seen: dict[str, tuple[tuple[int, int], str]] = {}  # name -> (size, mtime), sha256
        self._lock = threading.Lock()

    def is_stale(self, source: str) -> bool:
        """Whether a file changed or vanished since it was indexed (unknown folder: no)."""
        return bool(self.change(source))

    def change(self, source: str) -> str:
        """Say how a file differs from what was indexed: "changed", "deleted" or "" (it holds
        what was indexed, or the folder or the file is unknown)."""
        if self.docs_dir is None or source not in self.recorded:
            return ""
        path = self.docs_dir / source
        try:
            status = path.stat()
        except OSError:
            return DELETED  # moved away or deleted
        stamp = (status.st_size, status.st_mtime_ns)
        with self._lock:
            seen = self._seen.get(source)
        if seen is None or seen[0] != stamp:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                return DELETED
            seen = (stamp, digest)
            with self._lock:
                self._seen[source] = seen
        return CHANGED if seen[1] != self.recorded[source] else ""
