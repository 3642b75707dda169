"""Load an index and search it: dense (FAISS) and keyword (BM25) rankings fused by rank."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import store
from .embedding import Embedder, SentenceTransformerEmbedder
from .errors import QueryError
from .keywords import KeywordIndex, tokenize
from .passages import Passage
from .settings import Settings

RRF_K = 60  # the constant of reciprocal rank fusion (Cormack et al., 2009)
CANDIDATES = 100  # how deep each ranking is read before fusing


@dataclass(frozen=True)
class Hit:
    """A passage found for a query, with where it stands in its source and how it scored."""

    source: str
    start: int
    end: int
    line_start: int
    line_end: int
    text: str
    score: float
    heading: str | None = None
    dense_score: float = 0.0
    keyword_score: float = 0.0
    position: int = -1  # the passage's row in the index


def load_index(
    index_dir: str | Path = "index",
    settings: Settings | None = None,
    embedder: Embedder | None = None,
) -> Index:
    """Open the index in index_dir; refuse one built with another model or splitter."""
    index_dir = Path(index_dir)
    settings = settings or Settings.from_env()
    manifest = store.read_manifest(index_dir)
    embedder = embedder or SentenceTransformerEmbedder(settings.model, settings.batch_size)
    store.check_compatible(manifest, embedder.name, settings.splitter(), index_dir)
    folder = store.current_version(index_dir)
    passages, vectors = store.read_version(folder)
    keywords = KeywordIndex.load(folder / store.KEYWORDS)
    return Index(folder, manifest, passages, vectors, keywords, embedder, settings)


class Index:
    """A loaded index version: passages, their vectors, a FAISS index and a BM25 index."""

    def __init__(self, folder, manifest, passages, vectors, keywords, embedder, settings):
        import faiss

        self.folder = folder
        self.manifest = manifest
        self.passages: list[Passage] = passages
        self.vectors = vectors
        self.keywords: KeywordIndex = keywords
        self.embedder = embedder
        self.settings = settings
        self.faiss = faiss.IndexFlatIP(vectors.shape[1])
        self.faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def __len__(self) -> int:
        return len(self.passages)

    def check_query(self, query: str) -> str:
        """Return the query stripped, or fail with a sentence if it cannot be searched."""
        query = (query or "").strip()
        if not query:
            raise QueryError("The question is empty; type a question about the documents.")
        if len(query) > self.settings.max_query_chars:
            raise QueryError(
                f"The question is {len(query)} characters long; "
                f"keep it under {self.settings.max_query_chars}."
            )
        return query

    def encode_query(self, query: str) -> np.ndarray:
        """Embed one query into a unit vector."""
        return self.embedder.encode([query])[0]

    def search(self, query: str, k: int = 10, query_vector: np.ndarray | None = None) -> list[Hit]:
        """Return the top-k passages for query by fused dense and keyword rank."""
        query = self.check_query(query)
        if query_vector is None:
            query_vector = self.encode_query(query)
        depth = min(len(self.passages), max(CANDIDATES, k))
        dense_scores, dense_ids = self.faiss.search(query_vector[None, :].astype(np.float32), depth)
        dense = {
            int(i): float(s) for i, s in zip(dense_ids[0], dense_scores[0], strict=True) if i >= 0
        }
        keyword_all = self.keywords.scores(tokenize([query])[0])
        keyword_ids = np.argsort(-keyword_all, kind="stable")[:depth]
        fused: dict[int, float] = {}
        for rank, i in enumerate(dense):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(keyword_ids):
            if keyword_all[i] > 0:
                fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused.items(), key=lambda item: -item[1])[:k]
        return [self._hit(i, score, dense, keyword_all, query_vector) for i, score in best]

    def _hit(self, i, score, dense, keyword_all, query_vector) -> Hit:
        passage = self.passages[i]
        dense_score = dense.get(i)
        if dense_score is None:
            dense_score = float(np.dot(self.vectors[i], query_vector))
        return Hit(
            source=passage.source,
            start=passage.start,
            end=passage.end,
            line_start=passage.line_start,
            line_end=passage.line_end,
            text=passage.text,
            score=float(score),
            heading=passage.heading,
            dense_score=dense_score,
            keyword_score=float(keyword_all[i]),
            position=i,
        )

    def answer(self, query: str):
        """Quote the sentences that answer query, or refuse if the documents do not."""
        from .answers import answer_question

        return answer_question(self, query)
