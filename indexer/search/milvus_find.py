"""What find and a question's syntax read of a version on Milvus: every passage's text and
keyword terms in row order, hits at given rows, and the view through some rows.

Find lists every passage that matches, not the engine's top k (a search stops at 16,384), so
the passages are read from the engine once per loaded version, a page of rows at a time; their
terms (the product's own, as the engine's BM25 ranks them) are scored here as bm25s scores the
local store's, so both stores rank a query's matches alike.
"""

from __future__ import annotations

import json
import threading

import numpy as np

from ..store.milvus.rows import BM25
from ..store.milvus.store import calls
from .file_filters import file_rows

PAGE_ROWS = 4_000  # rows per query: well under the engine's message size


class FindReading:
    """MilvusIndex's side of search.find (its FindRows in `_find_rows`), and of ask's syntax."""

    def passage_texts(self) -> list[str]:
        """Return every passage's text, in row order, read from the engine."""
        return self._find_rows.texts()

    def keyword_scores(self, terms: list[str]) -> np.ndarray:
        """Return every passage's BM25 score for the terms, as the local store scores them."""
        return self._find_rows.scores(terms)

    def hits_at(self, rows) -> list:
        """Return the passages at some rows as hits (their own place; no search scores)."""
        rows = [int(row) for row in rows]
        self._fetch(rows)
        return [self._hit(row, 0.0, 0.0, 0.0, None) for row in rows]

    def within_rows(self, rows):
        """Return the index seen through some passage rows (those a query's syntax keeps):
        through their files when the rows are whole files, a short filter for the engine."""
        kept = set(np.asarray(rows, dtype=np.int64).tolist())
        files = file_rows(self.manifest)
        whole = [name for name, span in files.items() if span and kept.issuperset(span)]
        if sum(len(files[name]) for name in whole) == len(kept):
            return self.within_files(whole)
        view = self.within_files(None)
        view.rows = sorted(kept)
        return view


class FindRows:
    """A version's passages as find reads them: texts once, terms and their scores on need."""

    def __init__(self, index):
        self._index = index
        self._terms: list[str] | None = None
        self._table: TermTable | None = None
        self._lock = threading.Lock()

    def texts(self) -> list[str]:
        """Return every passage's text, in row order (its terms are kept for scores)."""
        texts, self._terms = read_passages(self._index)
        return texts

    def scores(self, terms: list[str]) -> np.ndarray:
        """Return every passage's BM25 score for the terms."""
        with self._lock:
            if self._table is None:
                if self._terms is None:
                    self._terms = read_passages(self._index)[1]
                self._table = TermTable(self._terms)
                self._terms = None  # the table holds what find needs of them
        return self._table.scores(terms)


def read_passages(index) -> tuple[list[str], list[str]]:
    """Return every passage's text and its terms (space-separated), in row order."""
    texts, terms = [""] * len(index), [""] * len(index)
    with calls(index.settings.milvus_uri):
        for start in range(0, len(index), PAGE_ROWS):
            end = min(start + PAGE_ROWS, len(index))
            rows = index.client.query(
                index.passages, filter=f"id >= {start} and id < {end}",
                output_fields=["record", "terms"], limit=end - start,
            )  # fmt: skip
            for row in rows:
                texts[int(row["id"])] = json.loads(row["record"])["text"]
                terms[int(row["id"])] = row["terms"]
    return texts, terms


class TermTable:
    """Which passages hold each term and how often: BM25 scores as bm25s computes them."""

    def __init__(self, passage_terms: list[str]):
        vocabulary: dict[str, int] = {}
        ids, lengths = [], np.zeros(len(passage_terms), dtype=np.float64)
        for row, terms in enumerate(passage_terms):
            tokens = terms.split()
            lengths[row] = len(tokens)
            ids.extend(vocabulary.setdefault(token, len(vocabulary)) for token in tokens)
        rows = np.repeat(np.arange(len(passage_terms), dtype=np.int64), lengths.astype(np.int64))
        pairs, counts = np.unique(np.asarray(ids, dtype=np.int64) * len(lengths) + rows,
                                  return_counts=True)  # fmt: skip
        self.vocabulary = vocabulary
        self._term, self._row = pairs // max(len(lengths), 1), pairs % max(len(lengths), 1)
        self._pointer = np.searchsorted(self._term, np.arange(len(vocabulary) + 1))
        k1, b = BM25["bm25_k1"], BM25["bm25_b"]
        average = lengths.mean() if len(lengths) else 1.0
        norm = k1 * ((1 - b) + b * lengths[self._row] / average)
        self._tf_part = (counts / (norm + counts)).astype(np.float32)
        documents = np.diff(self._pointer)
        total = len(lengths)
        self._idf = np.log(1 + (total - documents + 0.5) / (documents + 0.5)).astype(np.float32)
        self.rows = total

    def scores(self, terms: list[str]) -> np.ndarray:
        """Return every passage's BM25 score for the terms (0 where it holds none of them)."""
        scores = np.zeros(self.rows, dtype=np.float32)
        for term in dict.fromkeys(terms):
            column = self.vocabulary.get(term)
            if column is not None:
                found = slice(self._pointer[column], self._pointer[column + 1])
                scores[self._row[found]] += self._idf[column] * self._tf_part[found]
        return scores
