"""Where a hit stands beyond its lines: on a page OCR read (how surely), a slide, a sheet."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from ..read.ocr_cache import OcrCache
from ..read.paged import Parts
from ..records import ScanMark


class ScanMarks:
    """The OCR marks of an index version's pages, read from the readings kept in index/ocr/."""

    def __init__(self, manifest, index_dir: str | Path):
        self.manifest = manifest
        self.cache = OcrCache(index_dir)
        self._lock = threading.Lock()
        self._marks = lru_cache(maxsize=256)(self._mark)

    def of(self, source: str, page: int | None) -> ScanMark | None:
        """Return the mark of a file's page (from 1), or None when its text layer was read."""
        entry = self.manifest.files.get(source)
        if not page or entry is None or not entry.ocr:
            return None
        with self._lock:
            return self._marks(source, page)

    def _mark(self, source: str, page: int) -> ScanMark | None:
        entry = self.manifest.files[source]
        mark = next((m for m in entry.ocr if m["page"] == page), None)
        if mark is None:
            return None
        reading = self.cache.get(mark["key"])
        return ScanMark(entry.page_starts[page - 1], mark["confidence"], reading)


def parts_by_source(manifest) -> dict[str, Parts]:
    """Map each file whose pages are slides or sheets to what they are called."""
    return {
        name: Parts.from_record(entry.parts)
        for name, entry in manifest.files.items()
        if entry.parts
    }
