"""Load a version of the index folder and search it: dense (FAISS) and keyword (BM25), fused."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..embed.choice import follow_index
from ..embed.embedders import Embedder, encode_queries, fingerprint
from ..errors import IndexDamagedError
from ..read.terms import question_terms
from ..records import Hit
from ..settings import Settings
from ..store import disk, versions
from ..store.keywords import KeywordIndex
from ..store.manifest import Manifest
from .close_terms import LazyCloseTerms
from .freshness import Freshness
from .fusion import (
    CANDIDATES,
    RRF_K,
    dense_weight,
    found_hit,
    fuse,
    in_scope,
    keep_rows,
    not_indexed,
    out_of_scope,
)
from .places import ScanMarks, parts_by_source
from .query import check_question
from .vectors import VectorSearch, serve_one_query_at_a_time


def load_local_index(index_dir: Path, settings: Settings, embedder: Embedder, kind=None):
    """Open the index folder's version in service as kind (a LocalIndex); refuse a mismatched one.

    Refuses, in one sentence, an index built with another model, splitter or format.
    """
    version = versions.open_version(index_dir)
    settings = follow_index(settings, embedder, version.manifest.model)
    splitter, weights = settings.splitter(), fingerprint(embedder)
    where = f"{index_dir}/"
    disk.check_compatible(version.manifest, embedder.name, splitter, where, weights, settings.model)
    stored, keywords = disk.read_version(version.folder), disk.read_keywords(version.folder)
    serve_one_query_at_a_time()
    index = (kind or LocalIndex)(
        version.folder, version.manifest, stored, keywords, embedder, settings
    )
    index.notice = version.notice
    index.stamps = version.stamps
    return index


class LocalIndex:
    """A loaded index version, and the narrow interface the answer pipeline reads it through."""

    def __init__(
        self, folder, manifest: Manifest, stored: disk.Stored, keywords, embedder, settings
    ):
        self.folder = folder
        self.manifest = manifest
        self.stored = stored  # the store's arrays; only this module and the benchmarks read them
        self.keywords: KeywordIndex = keywords
        self._close_terms = LazyCloseTerms(keywords.vocabulary, keywords.documents)
        self.embedder = embedder
        self.settings = settings
        self.copies = manifest.copies_by_source()
        recorded = {name: entry.sha256 for name, entry in manifest.files.items()}
        self.freshness = Freshness(manifest.docs_dir, recorded)
        self.scans = ScanMarks(manifest, Path(folder).parent)  # readings beside the versions
        self.parts = parts_by_source(manifest)
        self.notice: str | None = None  # set when a damaged version was passed over
        self.stamps: dict = {}  # its files as checked at load (versions.stamps_of)
        # Each passage's units are contiguous: unit rows _units_from[p] .. _units_from[p + 1].
        self._units_from = np.searchsorted(stored.units[:, 0], np.arange(len(stored.passages) + 1))
        ef = settings.ann_ef_search
        self.passage_search = VectorSearch(stored.vectors, folder / disk.PASSAGES_ANN, ef)
        self.unit_search = VectorSearch(stored.unit_vectors, folder / disk.UNITS_ANN, ef)

    def __len__(self) -> int:
        return len(self.stored.passages)

    # -- what people call ---------------------------------------------------------------

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Return the top-k passages for query by fused dense and keyword rank."""
        query = check_question(query, self.settings.max_query_chars)
        self.check_unchanged()
        return self.retrieve(query, self.encode_query(query), k)

    def within(self, scope: str) -> Scoped:
        """Return the index seen through the passages of one file or folder."""
        return Scoped(self, scope_rows(self.manifest, scope))

    def within_rows(self, rows: np.ndarray) -> Scoped:
        """Return the index seen through some passage rows (those a query's syntax keeps)."""
        return Scoped(self, np.asarray(rows, dtype=np.int64))

    def document_text(self, source: str) -> str:
        """Return the indexed (extracted) text of a file, as quotes and offsets refer to it."""
        entry = self.manifest.files.get(source)
        if entry is None:
            raise not_indexed(source)
        self.check_unchanged()
        return disk.read_text(self.folder, entry.text_sha256)

    def check_unchanged(self) -> None:
        """Refuse, in one sentence, to serve a version whose files changed after its check."""
        problem = versions.changed_since(self.folder, self.stamps)
        if problem:
            raise IndexDamagedError(
                f"The index version {self.folder.name} is damaged ({problem}); load it again "
                "to serve the newest intact version, or run `python -m indexer build`."
            )

    # -- what find reads (search.find) ------------------------------------------------

    def passage_texts(self):
        """Return every passage's text, in row order (find folds them once per version)."""
        return (passage.text for passage in self.stored.passages)

    def keyword_scores(self, terms: list[str]) -> np.ndarray:
        """Return every passage's BM25 score for the terms."""
        return self.keywords.scores(terms)

    def hits_at(self, rows) -> list[Hit]:
        """Return the passages at some rows as hits (their own place; no search scores)."""
        self.check_unchanged()
        return [self._hit(int(row), 0.0, 0.0, 0.0, None) for row in rows]

    # -- the pipeline's interface -------------------------------------------------------

    def encode_query(self, query: str) -> np.ndarray:
        """Embed one (checked) query into a unit vector."""
        return encode_queries(self.embedder, [query])[0]

    def retrieve(self, query: str, query_vector: np.ndarray, k: int) -> list[Hit]:
        """Return the top-k passages of a checked query, by reciprocal rank fusion."""
        depth = min(len(self), max(CANDIDATES, k))
        dense = self._dense(query_vector, depth)
        keyword_all = self.keywords.scores(question_terms(query, self.languages()))
        weight = dense_weight(self, query)
        kept = self.settings.keyword_kept
        best = fuse(dense, _top(keyword_all, depth), depth, k, kept, weight)
        return [
            self._hit(i, score, dense.get(i), keyword_all[i], query_vector) for i, score in best
        ]

    def hit(self, position: int, query_vector: np.ndarray) -> Hit:
        """Return the passage at a row as a Hit with its dense score and no fused score."""
        return self._hit(position, 0.0, None, 0.0, query_vector)

    def nearest_unit_passages(self, query_vector: np.ndarray, n: int) -> list[int]:
        """Return the rows of the passages holding the n sentences nearest the query, best first."""
        # The same search as the fusion's, so a question's sentences are searched once.
        _, ids = self.unit_search.search(query_vector, max(n, CANDIDATES * 4))
        units = self.stored.units
        return list(dict.fromkeys(int(units[u, 0]) for u in ids[:n] if u >= 0))

    def units_of(self, position: int) -> list[tuple[int, int, int]]:
        """Return (unit row, start, end) of each quotable unit of a passage, in text order."""
        rows = range(self._units_from[position], self._units_from[position + 1])
        return [
            (row, int(self.stored.units[row, 1]), int(self.stored.units[row, 2])) for row in rows
        ]

    def unit_vectors(self, rows: list[int]) -> np.ndarray:
        """Return the vectors of the given unit rows."""
        return np.asarray(self.stored.unit_vectors[rows])

    def knows(self, term: str) -> bool:
        """Whether a (stemmed) term occurs anywhere in the documents."""
        return self.keywords.knows(term)

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of a (stemmed) term."""
        return self.keywords.idf(term)

    def close_terms(self) -> LazyCloseTerms:
        """Return the index's terms, filed (on first need) to find those near a misspelt word."""
        return self._close_terms

    def languages(self) -> frozenset[str]:
        """Return the languages its documents are in (as detected when they were read)."""
        return frozenset(e.language for e in self.manifest.files.values() if e.language)

    def language_of(self, source: str) -> str:
        """Return the language a document was detected in ("" if unknown)."""
        entry = self.manifest.files.get(source)
        return (entry.language or "") if entry else ""

    # -- inside -------------------------------------------------------------------------

    def _dense(self, query_vector: np.ndarray, depth: int) -> dict[int, float]:
        """Score passages by meaning: the better of the whole passage and its best sentence."""
        scores, ids = self.passage_search.search(query_vector, depth)
        dense = {int(i): float(s) for i, s in zip(ids, scores, strict=True) if i >= 0}
        scores, ids = self.unit_search.search(query_vector, depth * 4)
        for unit, score in zip(ids, scores, strict=True):
            if unit >= 0:
                passage = int(self.stored.units[unit, 0])
                dense[passage] = max(dense.get(passage, -1.0), float(score))
        return dense

    def _hit(self, i: int, score, dense_score, keyword_score, query_vector) -> Hit:
        rows = slice(self._units_from[i], self._units_from[i + 1])
        vectors = (self.stored.vectors[i], self.stored.unit_vectors[rows], query_vector)
        passage = self.stored.passages[i]
        return found_hit(self, passage, i, score, dense_score, keyword_score, vectors)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Return the rows of the k highest positive scores, best first, without sorting them all."""
    rows = np.flatnonzero(scores > 0)  # only passages holding a query term have a keyword rank
    if len(rows) > k:  # ties at the k-th score are cut in no particular order
        rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
    return rows[np.lexsort((rows, -scores[rows]))]


# -- a question asked within one file or folder --------------------------------------


def scope_rows(manifest, scope: str) -> np.ndarray:
    """Return the passage rows of the files a scope names: one file, or a folder's files."""
    rows, start = [], 0
    for name, entry in manifest.files.items():
        if in_scope(name, scope):
            rows.append(np.arange(start, start + entry.passages))
        start += entry.passages
    found = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    if not len(found):
        raise out_of_scope(scope)
    return found


class Scoped:
    """The answer pipeline's view of an index restricted to some passage rows (exact search)."""

    def __init__(self, index, rows: np.ndarray):
        self.index = index
        self.rows = rows
        self.settings = index.settings
        units_from = index._units_from
        self.unit_rows = np.concatenate(
            [np.arange(units_from[r], units_from[r + 1]) for r in rows]
        ).astype(np.int64)
        self.unit_passages = np.asarray(index.stored.units)[self.unit_rows, 0]

    def encode_query(self, query: str) -> np.ndarray:
        """Embed a question, as the whole index does."""
        return self.index.encode_query(query)

    def retrieve(self, query: str, query_vector: np.ndarray, k: int) -> list:
        """Return the top-k passages in scope by the same fusion, scored exactly."""
        stored = self.index.stored
        dense = np.asarray(stored.vectors[self.rows]) @ query_vector
        best_unit = np.asarray(stored.unit_vectors[self.unit_rows]) @ query_vector
        position = {int(r): i for i, r in enumerate(self.rows)}
        for passage, score in zip(self.unit_passages, best_unit, strict=True):
            i = position[int(passage)]
            dense[i] = max(dense[i], score)
        terms = question_terms(query, self.languages())
        keyword = self.index.keywords.scores(terms)[self.rows]
        fused = 1.0 / (RRF_K + 1 + _ranks(dense))
        fused += np.where(keyword > 0, 1.0 / (RRF_K + 1 + _ranks(keyword)), 0.0)
        order = np.argsort(-fused, kind="stable")[:k]
        kept = _top(keyword, self.index.settings.keyword_kept)
        order = [i for i, _ in keep_rows([(i, 0.0) for i in order], list(kept), fused, k)]
        return [
            self.index._hit(int(self.rows[i]), fused[i], dense[i], keyword[i], query_vector)
            for i in order
        ]

    def nearest_unit_passages(self, query_vector: np.ndarray, n: int) -> list[int]:
        """Return the passages in scope holding the n sentences nearest the question."""
        scores = np.asarray(self.index.stored.unit_vectors[self.unit_rows]) @ query_vector
        nearest = np.argsort(-scores, kind="stable")[:n]
        return list(dict.fromkeys(int(self.unit_passages[i]) for i in nearest))

    def hit(self, position: int, query_vector: np.ndarray):
        return self.index.hit(position, query_vector)

    def units_of(self, position: int):
        return self.index.units_of(position)

    def unit_vectors(self, rows: list[int]) -> np.ndarray:
        return self.index.unit_vectors(rows)

    def knows(self, term: str) -> bool:
        return self.index.knows(term)

    def idf(self, term: str) -> float:
        return self.index.idf(term)

    def close_terms(self) -> LazyCloseTerms:
        return self.index.close_terms()

    def languages(self) -> frozenset[str]:
        return self.index.languages()

    def language_of(self, source: str) -> str:
        return self.index.language_of(source)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Return each score's 0-based rank, best first."""
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
    return ranks
