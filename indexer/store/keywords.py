"""Keyword (BM25) scoring of passages: the index a version keeps, built with bm25s when stored."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import DocumentsFolderError
from ..read.terms import close_form_known, tokenize_each


@lru_cache(maxsize=1)
def _bm25s():
    """Import bm25s, whose logger is set to DEBUG: one line per index built, in any log."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class KeywordIndex:
    """A BM25 index over the passages, with document frequencies for term weighting.

    Built and saved by bm25s (its default variant, whose scores are the saved arrays alone);
    loaded and scored here as bm25s scores, from those arrays: importing bm25s imports SciPy,
    a third of a terminal question's start.
    """

    def __init__(self, vocab_dict: dict[str, int], scores: dict, dtype: str, retriever=None):
        self.vocab_dict = vocab_dict  # term -> its column
        self._data, self._indices = scores["data"], scores["indices"]  # each column's passages
        self._indptr = scores["indptr"]  # and scores; column t is [indptr[t], indptr[t + 1])
        self.num_docs = int(scores["num_docs"])
        self._dtype = np.dtype(dtype)
        self._retriever = retriever  # bm25s's, to save what was built
        # bm25s keeps one column per term; its length is the term's document frequency.
        self.doc_freq = np.diff(np.asarray(self._indptr))
        self._sorted_terms: list[str] | None = None  # for close forms, sorted on first need

    @classmethod
    def build(cls, texts: list[str], languages: list[str | None]) -> KeywordIndex:
        """Index texts (one per passage, in passage order), each in its document's language."""
        bm25s = _bm25s()
        tokens = tokenize_each(texts, languages)  # as a question's terms meet them (read.terms)
        if not any(tokens):
            raise DocumentsFolderError(
                "The documents hold no words to index (only punctuation or blank tables)."
            )
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(retriever.vocab_dict, retriever.scores, retriever.dtype, retriever)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        """Load an index saved by `save` (bm25s's files, its score arrays memory-mapped)."""
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        scores = {
            name: np.load(folder / f"{name}.csc.index.npy", mmap_mode="r")
            for name in ("data", "indices", "indptr")
        }
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        return cls(vocab, scores | {"num_docs": params["num_docs"]}, params["dtype"])

    def save(self, folder: Path) -> None:
        """Write the index into folder."""
        self._retriever.save(str(folder))

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """Return the BM25 score of every passage for the query terms, summed as bm25s does."""
        columns = np.array([self.vocab_dict[t] for t in query_terms if t in self.vocab_dict], int)
        scores = np.zeros(self.num_docs, dtype=self._dtype)
        for start, end in zip(self._indptr[columns], self._indptr[columns + 1], strict=True):
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        return np.asarray(scores, dtype=np.float32)

    def knows(self, term: str) -> bool:
        """Whether a term, or a close form of it, occurs in any passage."""
        if term in self.vocab_dict:
            return True
        if self._sorted_terms is None:
            self._sorted_terms = sorted(self.vocab_dict)
        return close_form_known(term, self._sorted_terms)

    def vocabulary(self) -> tuple[list[str], np.ndarray]:
        """Return every term, in id order, and the number of passages holding each."""
        terms = [""] * len(self.vocab_dict)
        for term, term_id in self.vocab_dict.items():
            terms[term_id] = term
        return terms, self.doc_freq

    def documents(self, term: str) -> int:
        """Return the number of passages holding a term (0 if none)."""
        term_id = self.vocab_dict.get(term)
        return 0 if term_id is None else int(self.doc_freq[term_id])

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of a term (rare terms weigh more)."""
        df = self.documents(term)
        return float(np.log(1 + (self.num_docs - df + 0.5) / (df + 0.5)))
