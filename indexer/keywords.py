"""Keyword (BM25) scoring of passages and sentences, through bm25s with English stemming."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import DocumentsFolderError


@lru_cache(maxsize=1)
def _bm25s():
    """Import bm25s, whose logger is set to DEBUG: one line per index built, in any log."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


# bm25s.tokenize's own rule (scikit-learn's token pattern), applied without its per-call set-up
# and progress bars, which cost more than the work for the short texts of one question.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Split texts into lower-cased, stemmed terms with English stop words removed (as bm25s)."""
    stop, stem = _stop_words(), _stemmer().stemWords
    return [stem([w for w in _TOKEN.findall(t.lower()) if w not in stop]) for t in texts]


class KeywordIndex:
    """A BM25 index over the passages, with document frequencies for term weighting."""

    def __init__(self, retriever):
        self.retriever = retriever
        scores = retriever.scores
        self.num_docs = int(scores["num_docs"])
        # bm25s keeps one column per term; its length is the term's document frequency.
        self.doc_freq = np.diff(np.asarray(scores["indptr"]))

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        """Index texts (one per passage, in passage order)."""
        bm25s = _bm25s()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=False)
        if not any(len(ids) for ids in tokens.ids):
            raise DocumentsFolderError(
                "The documents hold no words to index (only punctuation or blank tables)."
            )
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(retriever)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        """Load an index saved by `save`."""
        return cls(_bm25s().BM25.load(str(folder), mmap=True))

    def save(self, folder: Path) -> None:
        """Write the index into folder."""
        self.retriever.save(str(folder))

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """Return the BM25 score of every passage for the query terms."""
        known = [t for t in query_terms if t in self.retriever.vocab_dict]
        if not known:
            return np.zeros(self.num_docs, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)

    def knows(self, term: str) -> bool:
        """Whether a term occurs in any passage."""
        return term in self.retriever.vocab_dict

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of a term (rare terms weigh more)."""
        term_id = self.retriever.vocab_dict.get(term)
        df = 0 if term_id is None else int(self.doc_freq[term_id])
        return float(np.log(1 + (self.num_docs - df + 0.5) / (df + 0.5)))
