"""Build or incrementally update the index: read, split, embed what is new, store, swap."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import store
from .documents import Document, Skipped, find_files, read_document
from .embedding import Embedder, embedder_for
from .errors import DocumentsFolderError, IndexerError
from .keywords import KeywordIndex
from .passages import Passage, split_document
from .settings import Settings

Progress = Callable[[str, int, int], None]
EMBED_CHUNK = 256  # passages per progress step: small enough to report, large enough to batch


@dataclass
class Block:
    """One file's passages, their vectors, and its quotable units (passage row, start, end)."""

    passages: list[Passage]
    vectors: np.ndarray | None
    units: np.ndarray
    unit_vectors: np.ndarray | None


@dataclass
class BuildReport:
    """What a build did: files by fate, skipped files with reasons, passages and time."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (copy, original)
    skipped: list[Skipped] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0
    seconds: float = 0.0
    full_rebuild_reason: str | None = None

    def summary(self) -> str:
        """Return the one-line summary people read after a build."""
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{len(self.renamed)} renamed, {len(self.unchanged)} unchanged, "
            f"{len(self.duplicates)} duplicates, {len(self.skipped)} skipped; "
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
    embedder = embedder or embedder_for(settings)
    with store.build_lock(index_dir):
        store.remove_stale(index_dir)
        report = BuildReport()
        previous = _reusable(index_dir, embedder.name, settings, report)
        documents = _read_all(docs_dir, settings, report, progress)
        if not documents:
            raise DocumentsFolderError(
                f"No readable documents in {docs_dir}/; the index was left as it was."
            )
        _classify(documents, previous.get("files", {}), report)
        originals = {copy: original for copy, original in report.duplicates}
        blocks = _blocks(documents, previous, settings, embedder, report, progress)
        if not any(block.passages for block in blocks):
            raise DocumentsFolderError(
                f"The files in {docs_dir}/ hold no passages to index; the index was left as it was."
            )
        stored = _merge(blocks)
        report.passages = len(stored.passages)
        if previous and not _changed(previous, report):
            report.seconds = time.perf_counter() - began
            return report  # nothing changed: keep serving the current version as it is
        _report(progress, "Indexing keywords", 0, 1)
        keywords = KeywordIndex.build([p.embedding_text() for p in stored.passages])
        manifest = {
            "model": embedder.name,
            "dimension": int(stored.vectors.shape[1]),
            "splitter": settings.splitter(),
            "answer": {"min_answer_score": settings.min_answer_score},
            "files": {
                doc.path: {
                    "sha256": doc.sha256,
                    "encoding": doc.encoding,
                    "format": doc.format,
                    "pages": len(doc.pages) or None,
                    "passages": len(block.passages),
                    "units": len(block.units),
                    "same_as": originals.get(doc.path),
                }
                for doc, block in zip(documents, blocks, strict=True)
            },
            "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
            "counts": {
                "files": len(documents),
                "passages": len(stored.passages),
                "units": len(stored.units),
            },
            "build_seconds": round(time.perf_counter() - began, 3),
        }
        texts = {doc.sha256: doc.text for doc in documents if doc.path not in originals}
        if len(stored.vectors) >= settings.ann_min_rows:
            _report(progress, "Building the approximate search graph", 0, 1)
        store.write_version(index_dir, manifest, stored, keywords, texts, settings.ann_min_rows)
        store.remove_stale(index_dir)
    report.seconds = time.perf_counter() - began
    return report


def _reusable(index_dir: Path, model: str, settings: Settings, report: BuildReport) -> dict:
    """Return the previous version's blocks by file hash, if their vectors may be reused."""
    try:
        manifest = store.read_manifest(index_dir)
        store.check_compatible(manifest, model, settings.splitter(), index_dir)
        stored = store.read_version(store.current_version(index_dir))
    except IndexerError as error:
        if store.current_version(index_dir) is not None:
            report.full_rebuild_reason = str(error)
        return {}
    by_hash: dict[str, Block] = {}
    p_start = u_start = 0
    for info in manifest["files"].values():
        p_count, u_count = info["passages"], info["units"]
        units = np.array(stored.units[u_start : u_start + u_count])
        units[:, 0] -= p_start
        if info.get("same_as"):
            continue  # a copy holds no passages of its own; its original's block is kept
        by_hash.setdefault(
            info["sha256"],
            Block(
                stored.passages[p_start : p_start + p_count],
                stored.vectors[p_start : p_start + p_count],
                units,
                stored.unit_vectors[u_start : u_start + u_count],
            ),
        )
        p_start, u_start = p_start + p_count, u_start + u_count
    return {"files": manifest["files"], "by_hash": by_hash, "skipped": manifest["skipped"]}


def _changed(previous: dict, report: BuildReport) -> bool:
    """Whether the folder differs from the version in service (content, names or skips)."""
    if report.added or report.changed or report.removed or report.renamed:
        return True
    copies = {
        path: info["same_as"] for path, info in previous["files"].items() if info.get("same_as")
    }
    skipped = [{"path": s.path, "reason": s.reason} for s in report.skipped]
    return dict(report.duplicates) != copies or skipped != previous["skipped"]


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
    """Sort files into added, changed, renamed, unchanged, removed; name identical copies."""
    present = {doc.path for doc in documents}
    gone = {path: info["sha256"] for path, info in old_files.items() if path not in present}
    gone_by_hash: dict[str, list[str]] = {}
    for path, digest in sorted(gone.items()):
        gone_by_hash.setdefault(digest, []).append(path)
    first_with: dict[str, str] = {}
    for doc in documents:
        if doc.sha256 in first_with:
            report.duplicates.append((doc.path, first_with[doc.sha256]))
        else:
            first_with[doc.sha256] = doc.path
        old = old_files.get(doc.path)
        if old is not None:
            kind = report.unchanged if old["sha256"] == doc.sha256 else report.changed
            kind.append(doc.path)
        elif gone_by_hash.get(doc.sha256):
            report.renamed.append((gone_by_hash[doc.sha256].pop(0), doc.path))
        else:
            report.added.append(doc.path)
    report.removed = sorted(path for paths in gone_by_hash.values() for path in paths)


def _blocks(documents, previous, settings, embedder, report, progress) -> list[Block]:
    """Reuse the blocks of known content; split and embed the rest, each content once."""
    by_hash = previous.get("by_hash", {})
    copies = {copy for copy, _ in report.duplicates}
    blocks: list[Block] = []
    fresh: list[Block] = []
    for doc in documents:
        if doc.path in copies:  # cited through its original, embedded once
            blocks.append(Block([], None, np.zeros((0, 3), dtype=np.int64), None))
        elif doc.sha256 in by_hash:
            old = by_hash[doc.sha256]
            # Same content, maybe another name: keep the vectors, cite the current path.
            passages = [replace(p, source=doc.path) for p in old.passages]
            blocks.append(Block(passages, old.vectors, old.units, old.unit_vectors))
        else:
            block = split_block(doc, settings)
            blocks.append(block)
            fresh.append(block)
    _embed_blocks(fresh, embedder, progress, report)
    return blocks


def embedding_texts(blocks: list[Block]) -> list[str]:
    """Return what a build embeds for blocks: passages, then sentences that are not a passage."""
    texts: list[str] = []
    for block in blocks:
        texts.extend(p.embedding_text() for p in block.passages)
        for i, start, end in block.units:
            passage = block.passages[i]
            if (start, end) != (passage.start, passage.end):
                texts.append(passage.text[start - passage.start : end - passage.start])
    return texts


def split_block(doc: Document, settings: Settings) -> Block:
    """Split one document into a block of passages and quotable units, not yet embedded."""
    limits = settings.passage_max_chars, settings.passage_min_chars
    passages = split_document(doc.path, doc.text, doc.pages, *limits)
    units = [(i, s, e) for i, p in enumerate(passages) for s, e in p.quotable_spans()]
    return Block(passages, None, np.array(units, dtype=np.int64).reshape(-1, 3), None)


def _embed_blocks(blocks: list[Block], embedder: Embedder, progress, report: BuildReport) -> None:
    """Embed the passages of new blocks and those sentences that are not a whole passage."""
    texts = embedding_texts(blocks)
    if not texts:  # nothing new to embed: do not even load the model
        for block in blocks:
            block.vectors = block.unit_vectors = np.zeros((0, 0), dtype=np.float32)
        return
    vectors = _embed(texts, embedder, progress)
    report.embedded = len(texts)
    used = 0
    for block in blocks:
        block.vectors = vectors[used : used + len(block.passages)]
        used += len(block.passages)
        unit_vectors = []
        for i, start, end in block.units:
            passage = block.passages[i]
            if (start, end) == (passage.start, passage.end):
                unit_vectors.append(block.vectors[i])
            else:
                unit_vectors.append(vectors[used])
                used += 1
        block.unit_vectors = np.array(unit_vectors, dtype=np.float32).reshape(-1, vectors.shape[1])


def _embed(texts: list[str], embedder: Embedder, progress) -> np.ndarray:
    """Embed texts in chunks of similar length (less padding), longest first; keep their order."""
    order = np.argsort([-len(text) for text in texts], kind="stable")
    vectors = None
    for start in range(0, len(texts), EMBED_CHUNK):
        rows = order[start : start + EMBED_CHUNK]
        chunk = embedder.encode([texts[i] for i in rows])
        if vectors is None:
            vectors = np.empty((len(texts), chunk.shape[1]), dtype=np.float32)
        vectors[rows] = chunk
        _report(progress, "Embedding passages", min(start + EMBED_CHUNK, len(texts)), len(texts))
    return vectors


def _merge(blocks: list[Block]) -> store.Stored:
    """Concatenate per-file blocks into one set of arrays, renumbering unit passages."""
    passages, units, offset = [], [], 0
    for block in blocks:
        passages.extend(block.passages)
        shifted = np.array(block.units, dtype=np.int64).reshape(-1, 3)
        shifted[:, 0] += offset
        units.append(shifted)
        offset += len(block.passages)
    # Blocks without passages carry no vectors (their width is unknown when nothing was embedded).
    filled = [b for b in blocks if len(b.passages)]
    return store.Stored(
        passages,
        np.concatenate([np.asarray(b.vectors, np.float32) for b in filled]),
        np.concatenate(units),
        np.concatenate([np.asarray(b.unit_vectors, np.float32) for b in filled]),
    )


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)
