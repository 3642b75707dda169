"""Build or incrementally update the index: read, split, embed what is new, store, swap."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from ..embed.choice import ModelChoice, embedder_for
from ..embed.embedders import Embedder, fingerprint
from ..errors import DocumentsFolderError, counted, not_a_folder
from ..read.documents import Document, Skipped, find_files, start_reading
from ..read.languages import name, shares
from ..read.ocr_cache import OcrCache
from ..read.progress import Progress, report_progress
from ..read.scans import ScanReader
from ..settings import Settings
from ..store.manifest import FileEntry, Manifest
from ..store.seam import store_for
from .blocks import Block, embed_blocks, merge, split_block


@dataclass(frozen=True)
class Changes:
    """How the documents folder differs from the version in service, file by file."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (copy, original)

    def any_content(self) -> bool:
        """Whether any file was added, changed, removed or renamed."""
        return bool(self.added or self.changed or self.removed or self.renamed)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: files by fate, skipped files with reasons, passages and time."""

    changes: Changes
    skipped: list[Skipped] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0
    seconds: float = 0.0
    full_rebuild_reason: str | None = None
    repaired: str | None = None  # the damage found in the version that was in service
    low_confidence: list[str] = field(default_factory=list)  # "a.pdf p. 3: read by OCR, 61 %"
    ocr_pages: int = 0  # pages the OCR engine read in this build (not from its cache)
    languages: str = ""  # "81% German, 19% English": the documents' text by language
    model_note: str = ""  # said when some of the text is in languages the model does not read
    model: str = ""  # the model that embedded the documents

    def lines(self) -> list[str]:
        """Return the report as the CLI prints it: what happened to whom, then the summary."""
        c, lines = self.changes, []
        if self.repaired:
            lines.append(f"Repaired the index ({self.repaired}): a whole new version was written.")
        if self.full_rebuild_reason:
            lines.append(f"Rebuilt everything: {self.full_rebuild_reason}")
        lines += [f"renamed {old} -> {new} (not embedded again)" for old, new in c.renamed]
        lines += [
            f"identical copy {copy} = {original} (embedded once, both cited)"
            for copy, original in c.duplicates
        ]
        lines += [f"skipped {skipped.path}: {skipped.reason}" for skipped in self.skipped]
        lines += [f"low OCR confidence: {page}" for page in self.low_confidence]
        if self.languages and self.languages != "100% English":  # said when it matters
            lines.append(f"documents: {self.languages}; model {self.model}")
        if self.model_note:
            lines.append(f"note: {self.model_note}")
        return [*lines, self.summary()]

    def summary(self) -> str:
        """Return the one-line summary people read after a build."""
        c = self.changes
        return (
            f"{len(c.added)} added, {len(c.changed)} changed, {len(c.removed)} removed, "
            f"{len(c.renamed)} renamed, {len(c.unchanged)} unchanged, "
            f"{counted(len(c.duplicates), 'duplicate')}, {len(self.skipped)} skipped; "
            f"{counted(self.passages, 'passage')} ({self.embedded} embedded)"
            + (f", {counted(self.ocr_pages, 'page')} read by OCR" if self.ocr_pages else "")
            + f" in {self.seconds:.1f} s"
        )

    def to_record(self) -> dict:
        """Return the report as JSON values: the manifest of the version it made keeps it."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> BuildReport:
        """Read a report back from to_record's values."""
        record, changes = dict(record), dict(record["changes"])
        for pairs in ("renamed", "duplicates"):
            changes[pairs] = [tuple(pair) for pair in changes[pairs]]
        record["changes"] = Changes(**changes)
        record["skipped"] = [Skipped(**item) for item in record["skipped"]]
        return cls(**record)


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
        raise not_a_folder(docs_dir)
    embedder = embedder or embedder_for(settings)
    target = store_for(index_dir, settings)
    with target.lock(progress):
        target.remove_stale()
        documents, skipped, ocr_pages = _read_all(docs_dir, index_dir, settings, progress)
        if not documents:
            raise DocumentsFolderError(
                f"No readable documents in {docs_dir}/; the index was left as it was."
            )
        if isinstance(embedder, ModelChoice):  # the model setting 'auto'
            embedder.choose(language_lengths(documents))
        weights = fingerprint(embedder)
        previous = target.previous(embedder.name, weights, settings.splitter())
        old_files = previous.manifest.files if previous.manifest else {}
        changes = _classify(documents, old_files)
        blocks, embedded = _blocks(
            documents, previous.by_hash, changes, settings, embedder, progress
        )
        if not any(block.passages for block in blocks):
            raise DocumentsFolderError(
                f"The files in {docs_dir}/ hold no passages to index; the index was left as it was."
            )
        stored = merge(blocks)

        def report() -> BuildReport:
            seconds = time.perf_counter() - began
            passages = len(stored.passages)
            return BuildReport(
                changes, skipped, passages, embedded, seconds, previous.unusable, previous.notice,
                low_confidence_pages(documents, settings.ocr_low_confidence), ocr_pages,
                language_shares(documents), unread_note(documents, embedder),
                getattr(embedder, "model_name", embedder.name),
            )  # fmt: skip

        unchanged = (
            previous.manifest
            and previous.manifest.docs_dir == str(docs_dir.resolve())
            and not _changed(previous.manifest, changes, skipped)
        )
        if unchanged and not previous.notice:
            return report()  # nothing changed: keep serving the current version as it is
        originals = dict(changes.duplicates)
        # Content embedded before keeps the time it was embedded; the rest is this build's ("").
        reused = previous.manifest.embedded_times() if previous.manifest else {}
        reused = {text: when for text, when in reused.items() if text in previous.by_hash}
        manifest = Manifest(
            model=embedder.name,
            dimension=int(stored.vectors.shape[1]),
            splitter=settings.splitter(),
            files={
                doc.path: FileEntry(
                    doc.sha256,
                    doc.encoding,
                    doc.format,
                    len(doc.pages) or None,
                    len(block.passages),
                    len(block.units),
                    originals.get(doc.path),
                    doc.text_sha256,
                    list(doc.pages) or None,
                    [asdict(mark) for mark in doc.ocr] or None,
                    doc.parts.to_record() if doc.parts else None,
                    doc.language,
                    reused.get(doc.text_sha256, ""),
                )
                for doc, block in zip(documents, blocks, strict=True)
            },
            skipped=skipped,
            build_seconds=round(time.perf_counter() - began, 3),
            model_sha256=weights,
            docs_dir=str(docs_dir.resolve()),
            report=report().to_record(),  # what made it, for whoever serves it later
        )
        texts = {doc.text_sha256: doc.text for doc in documents if doc.path not in originals}
        target.write(manifest, stored, texts, progress)
        target.remove_stale()
        OcrCache(index_dir).keep_only({m.key for doc in documents for m in doc.ocr})
    return report()


def _changed(previous: Manifest, changes: Changes, skipped: list[Skipped]) -> bool:
    """Whether the folder differs from the version in service (content, names or skips)."""
    copies = {path: entry.same_as for path, entry in previous.files.items() if entry.same_as}
    return (
        changes.any_content() or dict(changes.duplicates) != copies or skipped != previous.skipped
    )


def _read_all(docs_dir: Path, index_dir: Path, settings: Settings, progress):
    """Read every supported file: the documents, the files skipped with their reasons, and
    how many pages OCR read (scanned pages are read side by side while the next files open).
    """
    files = find_files(docs_dir)
    max_bytes = int(settings.max_file_mb * 1_000_000)
    scans = ScanReader(settings, index_dir, progress) if settings.ocr == "on" else None
    if scans is not None:
        scans.start()  # a missing language is one sentence, before any file is read
    try:
        pending = []
        for number, path in enumerate(files, 1):
            pending.append(start_reading(docs_dir, path, max_bytes, settings.max_file_chars, scans))
            report_progress(progress, "Reading files", number, len(files))
        results = [finish() for finish in pending]
    finally:
        if scans is not None:
            scans.close()
    documents = [r for r in results if isinstance(r, Document)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    return documents, skipped, scans.read if scans else 0


def language_lengths(documents: list[Document]) -> Counter:
    """Return the documents' characters of text by language code."""
    lengths = Counter()
    for doc in documents:
        lengths[doc.language] += len(doc.text)
    return lengths


def language_shares(documents: list[Document]) -> str:
    """Say how the documents' text divides by language."""
    return shares(language_lengths(documents))


def unread_note(documents: list[Document], embedder) -> str:
    """Say so when some of the documents' text is in languages the model does not read."""
    from ..embed.embedders import reads_language

    unread = Counter({code: n for code, n in language_lengths(documents).items()
                      if not reads_language(embedder, code)})  # fmt: skip
    share = sum(unread.values()) / (sum(len(doc.text) for doc in documents) or 1)
    if share < 0.01:
        return ""
    return (
        f"{share:.0%} of the text ({', '.join(name(c) for c, _ in unread.most_common(3))}) is in "
        "languages the model does not read; VERBATIM_MODEL=multilingual-e5-small reads them."
    )


def low_confidence_pages(documents: list[Document], below: float) -> list[str]:
    """Name the pages OCR read with a mean word confidence below the setting."""
    return [
        f"{doc.path} p. {mark.page}: read by OCR, {mark.confidence:.0%} confidence"
        for doc in documents
        for mark in doc.ocr
        if mark.confidence < below
    ]


def _classify(documents: list[Document], old_files: dict[str, FileEntry]) -> Changes:
    """Sort files into added, changed, renamed, unchanged, removed; name identical copies."""
    changes = Changes()
    present = {doc.path for doc in documents}
    gone = {path: entry.sha256 for path, entry in old_files.items() if path not in present}
    gone_by_hash: dict[str, list[str]] = {}
    for path, digest in sorted(gone.items()):
        gone_by_hash.setdefault(digest, []).append(path)
    first_with: dict[str, str] = {}
    for doc in documents:
        # Copies hold the same indexed text: the same bytes read as HTML and as text are not.
        if doc.text_sha256 in first_with:
            changes.duplicates.append((doc.path, first_with[doc.text_sha256]))
        else:
            first_with[doc.text_sha256] = doc.path
        old = old_files.get(doc.path)
        if old is not None:
            # Same bytes read into other text (a reader improved, e.g. OCR's layout) changed too.
            reread = old.text_sha256 and old.text_sha256 != doc.text_sha256
            same = old.sha256 == doc.sha256 and not reread
            kind = changes.unchanged if same else changes.changed
            kind.append(doc.path)
        elif gone_by_hash.get(doc.sha256):
            changes.renamed.append((gone_by_hash[doc.sha256].pop(0), doc.path))
        else:
            changes.added.append(doc.path)
    changes.removed.extend(sorted(path for paths in gone_by_hash.values() for path in paths))
    return changes


def _blocks(documents, by_hash, changes, settings, embedder, progress) -> tuple[list[Block], int]:
    """Reuse the blocks of known content; split and embed the rest, each content once.

    Returns the blocks in document order and how many texts were embedded.
    """
    copies = {copy for copy, _ in changes.duplicates}
    blocks: list[Block] = []
    fresh: list[Block] = []
    for doc in documents:
        if doc.path in copies:  # cited through its original, embedded once
            blocks.append(Block([], None, np.zeros((0, 3), dtype=np.int64), None))
        elif doc.text_sha256 in by_hash:
            old = by_hash[doc.text_sha256]
            # Same content, maybe another name: keep the vectors, cite the current path.
            passages = [replace(p, source=doc.path) for p in old.passages]
            blocks.append(Block(passages, old.vectors, old.units, old.unit_vectors))
        else:
            block = split_block(doc, settings)
            blocks.append(block)
            fresh.append(block)
    return blocks, embed_blocks(fresh, embedder, progress)
