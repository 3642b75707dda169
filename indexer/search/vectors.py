"""Inner-product search over unit vectors: exact when small, else HNSW re-ranked exactly."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

OVERFETCH = 32  # rows beyond k taken from the graph and re-scored exactly


def serve_one_query_at_a_time() -> None:
    """Search on one thread: a query is too small to share, and the model needs the cores."""
    import faiss

    # FAISS's thread team only spins against the model's threads (measured: a flat search of
    # 100k rows took 32 ms on 2 threads, 13 ms on one). Building raises it again for a while.
    faiss.omp_set_num_threads(1)


class VectorSearch:
    """Search the rows of a (memory-mapped) vector array by inner product with a query."""

    def __init__(self, vectors: np.ndarray, ann_path: Path | None = None, ef_search: int = 128):
        import faiss

        self.vectors = vectors
        self.ef_search = ef_search
        self._rows = RowReader(vectors)
        # One answer searches the same rows twice (fusion, then candidate sentences).
        self._recent: dict[tuple[bytes, int], tuple[np.ndarray, np.ndarray]] = {}
        self._recent_lock = threading.Lock()
        if ann_path is not None and ann_path.is_file():
            self.ann, self.flat = faiss.read_index(str(ann_path)), None
        else:  # exact search; the vectors on disk stay the source of truth
            self.ann, self.flat = None, faiss.IndexFlatIP(vectors.shape[1])
            self.flat.add(self._rows.all())

    @property
    def approximate(self) -> bool:
        """Whether searches go through the HNSW graph."""
        return self.ann is not None

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, rows) of the k best rows, best first; exact scores either way."""
        key = (np.asarray(query, dtype=np.float32).tobytes(), k)
        with self._recent_lock:
            found = self._recent.get(key)
        if found is None:
            found = self._search(query, k)
            with self._recent_lock:
                if len(self._recent) >= 32:
                    self._recent.pop(next(iter(self._recent)))
                self._recent[key] = found
        return found

    def _search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(self.vectors))
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        query = np.ascontiguousarray(query[None, :], dtype=np.float32)
        if self.flat is not None:
            scores, rows = self.flat.search(query, k)
            # Equal scores (repeated sentences) in row order, so every store ranks them alike.
            order = np.lexsort((rows[0], -scores[0]))
            return scores[0][order], rows[0][order]
        import faiss

        # Take a few more rows than asked from the graph, then score them on the exact vectors.
        fetch = min(k + OVERFETCH, len(self.vectors))
        params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, fetch))
        _, rows = self.ann.search(query, fetch, params=params)
        rows = np.unique(rows[0][rows[0] >= 0])
        exact = self._rows.read(rows) @ query[0]
        best = np.lexsort((rows, -exact))[:k]
        return exact[best], rows[best]


class RowReader:
    """Read rows of a memory-mapped .npy by plain reads, so they do not stay mapped in memory."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors
        self.path = getattr(vectors, "filename", None)
        self.offset = getattr(vectors, "offset", 0)
        self.row_bytes = vectors.shape[1] * 4 if vectors.ndim == 2 else 0

    def all(self) -> np.ndarray:
        """Return every row as one float32 array in memory."""
        if self.path is None or self.vectors.dtype != np.float32:
            return np.ascontiguousarray(self.vectors, dtype=np.float32)
        rows = np.fromfile(self.path, dtype=np.float32, offset=self.offset, count=self.vectors.size)
        return rows.reshape(self.vectors.shape)

    def read(self, rows: np.ndarray) -> np.ndarray:
        """Return the given rows (float32), read from disk through the page cache."""
        if self.path is None or self.vectors.dtype != np.float32:
            return np.asarray(self.vectors[rows], dtype=np.float32)
        out = np.empty((len(rows), self.vectors.shape[1]), dtype=np.float32)
        with open(self.path, "rb", buffering=0) as handle:
            for number, row in enumerate(rows):
                data = os.pread(
                    handle.fileno(), self.row_bytes, self.offset + int(row) * self.row_bytes
                )
                out[number] = np.frombuffer(data, dtype=np.float32)
        return out
