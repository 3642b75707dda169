"""The answer pipeline's evidence read from Milvus: the same interface as the local index.

Dense search and BM25 run in the engine; the fusion, the features and the answer are the
product's own, so a question gets the same answer from either store. Records and vectors
fetched for a question are kept in small caches: the stages ask for the same rows more than once.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from ..embed.choice import follow_index
from ..embed.embedders import encode_queries, fingerprint
from ..errors import IndexDamagedError
from ..read.passages import Passage
from ..read.terms import close_form_known, question_terms
from ..records import Hit
from ..store.disk import check_compatible
from ..store.integrity import text_damage
from ..store.milvus.rows import BM25, read_meta
from ..store.milvus.store import Versions, calls, connect, read_manifest
from .close_terms import LazyCloseTerms
from .freshness import Freshness
from .fusion import (
    CANDIDATES,
    dense_weight,
    found_hit,
    fuse,
    in_scope,
    not_indexed,
    out_of_scope,
)
from .milvus_find import FindReading, FindRows
from .places import ScanMarks, parts_by_source
from .query import check_question
from .recent_rows import RecentRows


def load_milvus_index(settings, embedder, kind=None, index_dir=None) -> MilvusIndex:
    """Open the version in service on Milvus as kind (a MilvusIndex); refuse a mismatched one.

    index_dir (default: the setting) is the local folder that keeps the build's OCR readings.
    """
    client = connect(settings)
    versions = Versions(client, settings.milvus_collection, settings.milvus_uri)
    with calls(settings.milvus_uri):
        stamp, notice = versions.serving()
        manifest = read_manifest(client, versions, stamp)
        settings = follow_index(settings, embedder, manifest.model)
        check_compatible(
            manifest, embedder.name, settings.splitter(), versions.where, fingerprint(embedder),
            settings.model,
        )  # fmt: skip
        count, frequencies = json.loads(read_meta(client, versions.collection(stamp, "m"), "terms"))
    index = (kind or MilvusIndex)(client, versions, stamp, manifest, embedder, settings)
    index.term_stats = count, frequencies
    index.typos = LazyCloseTerms(
        lambda: (list(frequencies), list(frequencies.values())), lambda t: frequencies.get(t, 0)
    )
    index.notice = notice
    index.scans = ScanMarks(manifest, index_dir or settings.index_dir)
    return index


class MilvusIndex(FindReading):
    """A version on Milvus, read through the answer pipeline's narrow interface (its Evidence)."""

    def __init__(self, client, versions, stamp, manifest, embedder, settings, sources=None):
        self.client, self.versions, self.stamp = client, versions, stamp
        self.manifest, self.embedder, self.settings = manifest, embedder, settings
        self.passages = versions.collection(stamp, "p")
        self.unit_rows = versions.collection(stamp, "u")
        self.meta = versions.collection(stamp, "m")
        self.sources = sources  # the files a scoped question may quote; None: all
        self.rows: list[int] | None = None  # the passages it may quote (a query's syntax)
        self.copies = manifest.copies_by_source()
        # Quotes are checked against the documents folder only where it exists (a second
        # machine answering from the server alone has none).
        docs = manifest.docs_dir if manifest.docs_dir and Path(manifest.docs_dir).is_dir() else ""
        self.freshness = Freshness(docs, {n: e.sha256 for n, e in manifest.files.items()})
        self.scans = ScanMarks(manifest, settings.index_dir)
        self.parts = parts_by_source(manifest)
        self.notice: str | None = None
        self.term_stats: tuple[int, dict[str, int]] = (0, {})
        self.typos = LazyCloseTerms(lambda: ([], []), lambda term: 0)  # near a misspelt word
        self._sorted_terms: list[str] | None = None  # for close forms, sorted on first need
        self._records, self._vectors, self._texts = RecentRows(), RecentRows(), {}
        self._last_units: tuple[bytes, list] = (b"", [])
        self._find_rows = FindRows(self)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.manifest.passages

    # -- what people call ---------------------------------------------------------------

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Return the top-k passages for query by fused dense and keyword rank."""
        query = check_question(query, self.settings.max_query_chars)
        return self.retrieve(query, self.encode_query(query), k)

    def within(self, scope: str) -> MilvusIndex:
        """Return the index seen through the files of one file or folder."""
        names = [n for n, e in self.manifest.files.items() if in_scope(n, scope) and e.passages]
        if not names:
            raise out_of_scope(scope)
        return self.within_files(names)

    def within_files(self, names: list[str] | None) -> MilvusIndex:
        """Return the index seen through some files (None: all), sharing its statistics."""
        view = MilvusIndex(
            self.client, self.versions, self.stamp, self.manifest, self.embedder,
            self.settings, names,
        )  # fmt: skip
        view.term_stats, view.notice, view.scans = self.term_stats, self.notice, self.scans
        view.typos = self.typos
        return view

    def document_text(self, source: str) -> str:
        """Return the indexed (extracted) text of a file, as quotes and offsets refer to it."""
        entry = self.manifest.files.get(source)
        if entry is None:
            raise not_indexed(source)
        if entry.text_sha256 not in self._texts:
            with calls(self.settings.milvus_uri):
                text = read_meta(self.client, self.meta, f"text/{entry.text_sha256}")
            if text_damage(text.encode("utf-8", "surrogatepass"), entry.text_sha256):
                raise IndexDamagedError(
                    f"The text of {source} on Milvus does not match its checksum; "
                    "run `python -m indexer build` to repair it."
                )
            self._texts[entry.text_sha256] = text
        return self._texts[entry.text_sha256]

    def check_unchanged(self) -> None:
        """Nothing to re-check between questions: the engine keeps the rows, not local files."""

    # -- the pipeline's interface -------------------------------------------------------

    def encode_query(self, query: str) -> np.ndarray:
        """Embed one (checked) query into a unit vector."""
        return encode_queries(self.embedder, [query])[0]

    def retrieve(self, query: str, query_vector: np.ndarray, k: int) -> list[Hit]:
        """Return the top-k passages of a checked query, by reciprocal rank fusion."""
        depth = min(len(self), max(CANDIDATES, k))
        terms = question_terms(query, self.languages())
        with calls(self.settings.milvus_uri):
            dense = self._dense(query_vector, depth)
            keyword = {}
            if terms:
                found = self._search(self.passages, " ".join(terms), "sparse", depth)
                # The engine's BM25 carries bm25s's score times (k1 + 1), the same ranking;
                # Milvus Lite reports it negated.
                scale = 1.0 + BM25["bm25_k1"]
                keyword = {int(h["id"]): abs(float(h["distance"])) / scale for h in found}
        weight = dense_weight(self, query)
        best = fuse(dense, list(keyword), depth, k, self.settings.keyword_kept, weight)
        records = self._fetch([i for i, _ in best])
        # Passages found by keywords alone get their dense score from their vectors: one call.
        self.unit_vectors([r for i, _ in best if i not in dense for r, _, _ in records[i][1]])
        return [
            self._hit(i, score, dense.get(i), keyword.get(i, 0.0), query_vector)
            for i, score in best
        ]

    def hit(self, position: int, query_vector: np.ndarray) -> Hit:
        """Return the passage at a row as a Hit with its dense score and no fused score."""
        return self._hit(position, 0.0, None, 0.0, query_vector)

    def nearest_unit_passages(self, query_vector: np.ndarray, n: int) -> list[int]:
        """Return the rows of the passages holding the n sentences nearest the query, best first."""
        found = self._units_near(query_vector, max(n, CANDIDATES * 4))
        rows = list(dict.fromkeys(int(h["entity"]["passage"]) for h in found[:n]))
        self._fetch(rows)
        return rows

    def units_of(self, position: int) -> list[tuple[int, int, int]]:
        """Return (unit row, start, end) of each quotable unit of a passage, in text order."""
        return [tuple(span) for span in self._fetch([position])[position][1]]

    def unit_vectors(self, rows: list[int]) -> np.ndarray:
        """Return the vectors of the given unit rows."""
        found = self._vectors.take(rows)
        missing = [r for r in dict.fromkeys(rows) if r not in found]
        if missing:
            with calls(self.settings.milvus_uri):
                fetched = self.client.get(self.unit_rows, ids=missing, output_fields=["vec"])
            for row in fetched:
                found[int(row["id"])] = np.asarray(row["vec"], dtype=np.float32)
                self._vectors.put(int(row["id"]), found[int(row["id"])])
            if any(r not in found for r in missing):
                raise IndexDamagedError(
                    f"The index in {self.versions.where} lacks sentence rows it lists; run "
                    "`python -m indexer build` to rebuild it."
                )
        width = self.manifest.dimension
        return np.array([found[r] for r in rows], dtype=np.float32).reshape(-1, width)

    def nearest_passages(self, query_vector: np.ndarray, k: int) -> list[int]:
        """Return the rows of the k passages nearest the query by their own vectors."""
        with calls(self.settings.milvus_uri):
            return [
                int(h["id"]) for h in self._search(self.passages, query_vector.tolist(), "vec", k)
            ]

    def knows(self, term: str) -> bool:
        """Whether a (stemmed) term, or a close form of it, occurs anywhere in the documents."""
        frequencies = self.term_stats[1]
        if term in frequencies:
            return True
        if self._sorted_terms is None:
            self._sorted_terms = sorted(frequencies)
        return close_form_known(term, self._sorted_terms)

    def close_terms(self) -> LazyCloseTerms:
        """Return the index's terms, filed (on first need) to find those near a misspelt word."""
        return self.typos

    def languages(self) -> frozenset[str]:
        """Return the languages its documents are in (as detected when they were read)."""
        return frozenset(e.language for e in self.manifest.files.values() if e.language)

    def language_of(self, source: str) -> str:
        """Return the language a document was detected in ("" if unknown)."""
        entry = self.manifest.files.get(source)
        return (entry.language or "") if entry else ""

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of a (stemmed) term (as bm25s computes it)."""
        count, frequencies = self.term_stats
        df = frequencies.get(term, 0)
        return float(np.log(1 + (count - df + 0.5) / (df + 0.5)))

    # -- inside -------------------------------------------------------------------------

    def _filter(self, collection: str = "") -> str:
        said = [] if self.sources is None else [f"source in {json.dumps(self.sources)}"]
        if self.rows is not None:  # a passage's id, or a sentence's passage
            said.append(f"{'passage' if collection == self.unit_rows else 'id'} in {self.rows}")
        return " and ".join(said)

    def _search(self, collection: str, data, field: str, limit: int, fields=()) -> list:
        params = {"metric_type": "BM25"}
        if field != "sparse":  # ef: the graph's search breadth, where there is a graph
            params = {
                "metric_type": "IP",
                "params": {"ef": max(self.settings.ann_ef_search, limit)},
            }
        result = self.client.search(
            collection, data=[data], anns_field=field, limit=limit, filter=self._filter(collection),
            output_fields=list(fields), search_params=params,
        )  # fmt: skip
        # Equal scores in row order, as the local store ranks them (Lite negates BM25's).
        score = (lambda d: abs(d)) if field == "sparse" else (lambda d: d)
        return sorted(result[0], key=lambda hit: (-score(float(hit["distance"])), int(hit["id"])))

    def _units_near(self, query_vector: np.ndarray, limit: int) -> list:
        """Search the sentences once per question: the fusion and the gathering share it."""
        key = query_vector.tobytes() + limit.to_bytes(4, "little")
        key += self._filter(self.unit_rows).encode()
        with self._lock:
            if self._last_units[0] == key:
                return self._last_units[1]
        with calls(self.settings.milvus_uri):
            found = self._search(self.unit_rows, query_vector.tolist(), "vec", limit, ["passage"])
        with self._lock:
            self._last_units = (key, found)
        return found

    def _dense(self, query_vector: np.ndarray, depth: int) -> dict[int, float]:
        """Score passages by meaning: the better of the whole passage and its best sentence."""
        found = self._search(self.passages, query_vector.tolist(), "vec", depth)
        dense = {int(h["id"]): float(h["distance"]) for h in found}
        for unit in self._units_near(query_vector, depth * 4):
            passage = int(unit["entity"]["passage"])
            dense[passage] = max(dense.get(passage, -1.0), float(unit["distance"]))
        return dense

    def _fetch(self, positions: list[int]) -> dict:
        """Return the records (and vectors) of passages, fetching those not cached in one call."""
        found = self._records.take(positions)
        missing = [p for p in dict.fromkeys(positions) if p not in found]
        if missing:
            with calls(self.settings.milvus_uri):
                fields = ["record", "units", "vec"]
                rows = self.client.get(self.passages, ids=missing, output_fields=fields)
            for row in rows:
                passage = Passage.from_record(json.loads(row["record"]))
                vector = np.asarray(row["vec"], dtype=np.float32)
                found[int(row["id"])] = (passage, json.loads(row["units"]), vector)
                self._records.put(int(row["id"]), found[int(row["id"])])
        if any(p not in found for p in positions):
            raise IndexDamagedError(
                f"The index in {self.versions.where} lacks passage rows it lists; run "
                "`python -m indexer build` to rebuild it."
            )
        return found

    def _hit(self, i: int, score, dense_score, keyword_score, query_vector) -> Hit:
        passage, spans, vector = self._fetch([i])[i]
        vectors = None
        if dense_score is None:
            vectors = (vector, self.unit_vectors([row for row, _, _ in spans]), query_vector)
        return found_hit(self, passage, i, score, dense_score, keyword_score, vectors)
