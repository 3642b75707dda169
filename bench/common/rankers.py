"""Baselines on the same index as the product: BM25 alone, dense alone, best single sentence."""

from __future__ import annotations

import numpy as np

from bench.common.metrics import Span

RRF_K = 60  # the product's fusion constant (indexer.search.RRF_K)


class Baselines:
    """Rank an index's passages, or pick its single best sentence, by one signal at a time."""

    def __init__(self, index, sentences: bool = True):
        self.index = index
        self.unit_keywords = None
        if sentences:
            from indexer.store.keywords import KeywordIndex

            rows = range(self.units)
            self.unit_keywords = KeywordIndex.build(
                [self.unit_text(r) for r in rows], [self.unit_language(r) for r in rows]
            )

    @property
    def units(self) -> int:
        """Return how many quotable units (sentences or table rows) the index holds."""
        return len(self.index.stored.units)

    def passage_span(self, position: int) -> Span:
        """Return (file, start, end) of a passage."""
        passage = self.index.stored.passages[position]
        return passage.source, passage.start, passage.end

    def unit_span(self, row: int) -> Span:
        """Return (file, start, end) of a unit."""
        position, start, end = (int(v) for v in self.index.stored.units[row])
        return self.index.stored.passages[position].source, start, end

    def unit_text(self, row: int) -> str:
        """Return a unit's own text, without its passage's heading prefix."""
        position, start, end = (int(v) for v in self.index.stored.units[row])
        passage = self.index.stored.passages[position]
        return passage.text[start - passage.start : end - passage.start]

    def unit_language(self, row: int) -> str:
        """Return the language of a unit's document (its keyword terms are stemmed so)."""
        passage = self.index.stored.passages[int(self.index.stored.units[row][0])]
        return self.index.language_of(passage.source)

    def bm25_passages(self, terms: list[str], k: int) -> list[int]:
        """Return the top-k passages by BM25; passages sharing no term are not retrieved."""
        scores = self.index.keywords.scores(terms)
        order = np.argsort(-scores, kind="stable")[:k]
        return [int(i) for i in order if scores[i] > 0]

    def dense_passages(self, vector: np.ndarray, k: int) -> tuple[list[int], list[float]]:
        """Return the top-k passages by cosine of whole-passage vectors (flat FAISS), and scores."""
        k = min(k, len(self.index))
        scores, ids = self.index.passage_search.search(vector, k)
        kept = [(int(i), float(s)) for i, s in zip(ids, scores, strict=True) if i >= 0]
        return [i for i, _ in kept], [s for _, s in kept]

    def best_sentences(self, terms: list[str], vector: np.ndarray) -> dict[str, int | None]:
        """Return the best unit of the whole index by BM25, by cosine, and by their RRF fusion."""
        keyword = self.unit_keywords.scores(terms)
        dense = np.asarray(self.index.stored.unit_vectors) @ vector
        fused = 1.0 / (RRF_K + 1 + _ranks(dense))
        fused += np.where(keyword > 0, 1.0 / (RRF_K + 1 + _ranks(keyword)), 0.0)
        return {
            "bm25": int(np.argmax(keyword)) if keyword.max() > 0 else None,
            "dense": int(np.argmax(dense)),
            "fusion": int(np.argmax(fused)),
        }


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Return each item's 0-based rank when sorted by descending score."""
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
    return ranks
