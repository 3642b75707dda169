"""Load an index and search it: dense (FAISS) and keyword (BM25) rankings fused by rank."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import store
from .embedding import Embedder, embedder_for
from .errors import QueryError
from .keywords import KeywordIndex, tokenize
from .passages import Passage
from .settings import Settings
from .vectors import VectorSearch

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
    page: int | None = None  # the PDF page, else None
    section: str | None = None  # the heading the passage sits under, else None
    copies: tuple[str, ...] = ()  # other files with identical content, cited alongside


def load_index(
    index_dir: str | Path = "index",
    settings: Settings | None = None,
    embedder: Embedder | None = None,
) -> Index:
    """Open the index in index_dir; refuse one built with another model or splitter."""
    index_dir = Path(index_dir)
    settings = settings or Settings.from_env()
    manifest = store.read_manifest(index_dir)
    embedder = embedder or embedder_for(settings)
    store.check_compatible(manifest, embedder.name, settings.splitter(), index_dir)
    folder = store.current_version(index_dir)
    stored = store.read_version(folder)
    keywords = KeywordIndex.load(folder / store.KEYWORDS)
    return Index(folder, manifest, stored, keywords, embedder, settings)


class Index:
    """A loaded index version: passages and sentences with vectors (FAISS), and BM25."""

    def __init__(self, folder, manifest, stored: store.Stored, keywords, embedder, settings):
        self.folder = folder
        self.manifest = manifest
        self.passages: list[Passage] = stored.passages
        self.vectors = stored.vectors
        self.units = stored.units
        self.unit_vectors = stored.unit_vectors
        self.keywords: KeywordIndex = keywords
        self.embedder = embedder
        self.settings = settings
        self.copies = copies_by_source(manifest.get("files", {}))
        # Each passage's units are contiguous: unit rows units_from[p] .. units_from[p + 1].
        self.units_from = np.searchsorted(self.units[:, 0], np.arange(len(self.passages) + 1))
        ef = settings.ann_ef_search
        self.passage_search = VectorSearch(self.vectors, folder / store.PASSAGES_ANN, ef)
        self.unit_search = VectorSearch(self.unit_vectors, folder / store.UNITS_ANN, ef)

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
        dense = self._dense(query_vector, depth)
        keyword_all = self.keywords.scores(tokenize([query])[0])
        keyword_ids = _top(keyword_all, depth)
        fused: dict[int, float] = {}
        dense_order = sorted(dense, key=lambda i: -dense[i])[:depth]
        for rank, i in enumerate(dense_order):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(keyword_ids):
            fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused.items(), key=lambda item: -item[1])[:k]
        return [self._hit(i, score, dense, keyword_all, query_vector) for i, score in best]

    def _dense(self, query_vector: np.ndarray, depth: int) -> dict[int, float]:
        """Score passages by meaning: the better of the whole passage and its best sentence."""
        scores, ids = self.passage_search.search(query_vector, depth)
        dense = {int(i): float(s) for i, s in zip(ids, scores, strict=True) if i >= 0}
        scores, ids = self.unit_search.search(query_vector, depth * 4)
        for unit, score in zip(ids, scores, strict=True):
            if unit >= 0:
                passage = int(self.units[unit, 0])
                dense[passage] = max(dense.get(passage, -1.0), float(score))
        return dense

    def best_unit_passages(self, query_vector: np.ndarray, n: int) -> list[int]:
        """Return the passages holding the n sentences nearest the query, best first."""
        # The same search as the fusion's, so a question's sentences are searched once.
        _, ids = self.unit_search.search(query_vector, max(n, CANDIDATES * 4))
        return list(dict.fromkeys(int(self.units[u, 0]) for u in ids[:n] if u >= 0))

    def hit_at(self, position: int, query_vector: np.ndarray) -> Hit:
        """Return the passage at a row as a Hit with its dense score and no fused score."""
        return self._hit(position, 0.0, {}, None, query_vector)

    def _hit(self, i, score, dense, keyword_all, query_vector) -> Hit:
        passage = self.passages[i]
        dense_score = dense.get(i)
        if dense_score is None:
            dense_score = float(
                np.max(
                    self.unit_vectors[self.units_from[i] : self.units_from[i + 1]] @ query_vector,
                    initial=np.dot(self.vectors[i], query_vector),
                )
            )
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
            keyword_score=0.0 if keyword_all is None else float(keyword_all[i]),
            position=i,
            page=passage.page,
            section=passage.section,
            copies=self.copies.get(passage.source, ()),
        )

    def document_text(self, source: str) -> str:
        """Return the indexed (extracted) text of a file, as quotes and offsets refer to it."""
        return store.read_text(self.folder, self.manifest["files"][source]["sha256"])

    def answer(self, query: str):
        """Quote the sentences that answer query, or refuse if the documents do not."""
        from .answers import answer_question

        return answer_question(self, query)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Return the rows of the k highest positive scores, best first, without sorting them all."""
    rows = np.flatnonzero(scores > 0)  # only passages holding a query term have a keyword rank
    if len(rows) > k:  # ties at the k-th score are cut in no particular order
        rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
    return rows[np.lexsort((rows, -scores[rows]))]


def copies_by_source(files: dict) -> dict[str, tuple[str, ...]]:
    """Map each file that others duplicate to the names of its identical copies."""
    copies: dict[str, list[str]] = {}
    for path, info in files.items():
        if info.get("same_as"):
            copies.setdefault(info["same_as"], []).append(path)
    return {source: tuple(names) for source, names in copies.items()}
