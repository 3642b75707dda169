"""The HNSW graph a large version keeps beside its vectors, built once when it is written."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

HNSW_NEIGHBOURS = 32  # graph degree M: recall against memory (see bench/scale.py)
HNSW_EF_CONSTRUCTION = 80


def build_ann(vectors: np.ndarray):
    """Build an HNSW graph over 8-bit quantised copies of the vectors (about 1/4 of their size)."""
    import faiss

    ann = faiss.IndexHNSWSQ(
        vectors.shape[1], faiss.ScalarQuantizer.QT_8bit, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT
    )
    ann.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    serving_threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # building is batch work: use every core
    try:
        ann.train(_sample(vectors))
        for start in range(0, len(vectors), 100_000):
            ann.add(np.ascontiguousarray(vectors[start : start + 100_000], dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(serving_threads)
    return ann


def save_ann(ann, path: Path) -> None:
    """Write an HNSW index built by build_ann."""
    import faiss

    faiss.write_index(ann, str(path))


def _sample(vectors: np.ndarray, size: int = 100_000) -> np.ndarray:
    """Return evenly spaced rows to train the quantiser on."""
    step = max(1, len(vectors) // size)
    return np.ascontiguousarray(vectors[::step][:size], dtype=np.float32)
