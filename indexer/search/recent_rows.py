"""Rows fetched from Milvus kept for the next call: the stages ask for the same rows again."""

from __future__ import annotations

import threading
from collections import OrderedDict

CACHED_ROWS = 20_000  # passage records and unit vectors kept between calls


class RecentRows:
    """A bounded map of rows fetched from the engine, the least recently used dropped first."""

    def __init__(self):
        self._rows: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # questions are answered on several threads at once

    def take(self, keys) -> dict:
        """Return the cached rows among keys (a copy: later evictions cannot take them away)."""
        found = {}
        with self._lock:
            for key in keys:
                if key in self._rows:
                    self._rows.move_to_end(key)
                    found[key] = self._rows[key]
        return found

    def put(self, key, value) -> None:
        """Keep a row, dropping the least recently used beyond CACHED_ROWS."""
        with self._lock:
            self._rows[key] = value
            self._rows.move_to_end(key)
            while len(self._rows) > CACHED_ROWS:
                self._rows.popitem(last=False)
