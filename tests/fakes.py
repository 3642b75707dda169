"""A dependency-free embedder for fast tests: hashed bag of words, normalised, counting calls."""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Hashed bag-of-words vectors; records every text it is asked to embed."""

    def __init__(self, dimension: int = 64, name: str = "fake-hash-64"):
        self.name = name
        self._dimension = dimension
        self.calls = 0
        self.texts: list[str] = []

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self._dimension] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def all_passages(index) -> list:
    """Every passage of an index, read through the pipeline's interface (any store)."""
    zero = np.zeros(index.manifest.dimension, dtype=np.float32)
    return [index.hit(i, zero).passage for i in range(len(index))]
