"""Build or incrementally update the index: read, split, embed what is new, store, swap."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import store
from .documents import Document, Skipped, find_files, read_document
from .embedding import Embedder, SentenceTransformerEmbedder
from .errors import DocumentsFolderError, IndexerError
from .keywords import KeywordIndex
from .passages import Passage, split_passages
from .settings import Settings

Progress = Callable[[str, int, int], None]
EMBED_CHUNK = 256  # passages per progress step: small enough to report, large enough to batch


@dataclass
class BuildReport:
    """What a build did: files by fate, skipped files with reasons, passages and time."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0
    seconds: float = 0.0
    full_rebuild_reason: str | None = None

    def summary(self) -> str:
        """Return the one-line summary people read after a build."""
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped; "
            f"{self.passages} passages ({self.embedded} embedded) in {self.seconds:.1f} s"
        )


def build_index(
    docs_dir: str | Path,
    index_dir: str | Path,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Index docs_dir into index_dir, embedding only new or changed files; return the report."""
    began = time.perf_counter()
    settings = settings or Settings.from_env()
    docs_dir, index_dir = Path(docs_dir), Path(index_dir)
    if not docs_dir.is_dir():
        raise DocumentsFolderError(f"The documents folder {docs_dir}/ does not exist.")
    embedder = embedder or SentenceTransformerEmbedder(settings.model, settings.batch_size)
    with store.build_lock(index_dir):
        store.remove_stale(index_dir)
        report = BuildReport()
        previous = _reusable(index_dir, embedder.name, settings, report)
        documents = _read_all(docs_dir, settings, report, progress)
        if not documents:
            raise DocumentsFolderError(
                f"No readable .txt or .md files in {docs_dir}/; the index was left as it was."
            )
        _classify(documents, previous.get("files", {}), report)
        passages, vectors = _passages_and_vectors(
            documents, previous, settings, embedder, report, progress
        )
        report.passages = len(passages)
        if report.embedded == 0 and not report.removed and previous.get("passages") == passages:
            report.seconds = time.perf_counter() - began
            return report  # nothing changed: keep serving the current version as it is
        _report(progress, "Indexing keywords", 0, 1)
        keywords = KeywordIndex.build([p.embedding_text() for p in passages])
        manifest = {
            "model": embedder.name,
            "dimension": int(vectors.shape[1]),
            "splitter": settings.splitter(),
            "answer": {"min_answer_score": settings.min_answer_score},
            "files": {
                doc.path: {"sha256": doc.sha256, "encoding": doc.encoding, "passages": count}
                for doc, count in _counts(documents, passages)
            },
            "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
            "counts": {"files": len(documents), "passages": len(passages)},
            "build_seconds": round(time.perf_counter() - began, 3),
        }
        store.write_version(index_dir, manifest, passages, vectors, keywords)
        store.remove_stale(index_dir)
    report.seconds = time.perf_counter() - began
    return report


def _reusable(index_dir: Path, model: str, settings: Settings, report: BuildReport) -> dict:
    """Return the previous version's passages and vectors by file hash, if they may be reused."""
    try:
        manifest = store.read_manifest(index_dir)
        store.check_compatible(manifest, model, settings.splitter(), index_dir)
        folder = store.current_version(index_dir)
        passages, vectors = store.read_version(folder)
    except IndexerError as error:
        if store.current_version(index_dir) is not None:
            report.full_rebuild_reason = str(error)
        return {}
    by_hash: dict[str, tuple[list[Passage], np.ndarray]] = {}
    start = 0
    for info in manifest["files"].values():
        count = info["passages"]
        by_hash.setdefault(
            info["sha256"], (passages[start : start + count], vectors[start : start + count])
        )
        start += count
    return {"files": manifest["files"], "by_hash": by_hash, "passages": passages}


def _read_all(docs_dir: Path, settings: Settings, report: BuildReport, progress) -> list[Document]:
    files = find_files(docs_dir)
    documents = []
    max_bytes = int(settings.max_file_mb * 1_000_000)
    for number, path in enumerate(files, 1):
        result = read_document(docs_dir, path, max_bytes)
        if isinstance(result, Skipped):
            report.skipped.append(result)
        else:
            documents.append(result)
        _report(progress, "Reading files", number, len(files))
    return documents


def _classify(documents: list[Document], old_files: dict, report: BuildReport) -> None:
    for doc in documents:
        old = old_files.get(doc.path)
        if old is None:
            report.added.append(doc.path)
        elif old["sha256"] != doc.sha256:
            report.changed.append(doc.path)
        else:
            report.unchanged.append(doc.path)
    present = {doc.path for doc in documents}
    report.removed = sorted(path for path in old_files if path not in present)


def _passages_and_vectors(documents, previous, settings, embedder, report, progress):
    """Reuse vectors of known content; split and embed the rest."""
    by_hash = previous.get("by_hash", {})
    per_doc: list[tuple[list[Passage], np.ndarray | None]] = []
    to_embed: list[Passage] = []
    for doc in documents:
        if doc.sha256 in by_hash:
            old_passages, old_vectors = by_hash[doc.sha256]
            # Same content, maybe another name: keep the vectors, cite the current path.
            per_doc.append(([replace(p, source=doc.path) for p in old_passages], old_vectors))
        else:
            fresh = split_passages(
                doc.path, doc.text, settings.passage_max_chars, settings.passage_min_chars
            )
            per_doc.append((fresh, None))
            to_embed.extend(fresh)
    new_vectors = _embed(to_embed, embedder, progress)
    report.embedded = len(to_embed)
    passages, blocks, used = [], [], 0
    for doc_passages, vectors in per_doc:
        if vectors is None:
            vectors = new_vectors[used : used + len(doc_passages)]
            used += len(doc_passages)
        passages.extend(doc_passages)
        blocks.append(np.asarray(vectors, dtype=np.float32))
    return passages, np.concatenate(blocks) if blocks else np.zeros((0, 0), np.float32)


def _embed(passages: list[Passage], embedder: Embedder, progress) -> np.ndarray:
    if not passages:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    texts = [p.embedding_text() for p in passages]
    chunks = []
    for start in range(0, len(texts), EMBED_CHUNK):
        chunks.append(embedder.encode(texts[start : start + EMBED_CHUNK]))
        _report(progress, "Embedding passages", min(start + EMBED_CHUNK, len(texts)), len(texts))
    return np.concatenate(chunks)


def _counts(documents: list[Document], passages: list[Passage]):
    counts: dict[str, int] = {}
    for passage in passages:
        counts[passage.source] = counts.get(passage.source, 0) + 1
    return [(doc, counts.get(doc.path, 0)) for doc in documents]


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)
