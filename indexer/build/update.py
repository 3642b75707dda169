"""Build or incrementally update the index: read, split, embed what is new, store, swap."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from ..embed.choice import ModelChoice, embedder_for
from ..embed.embedders import Embedder, fingerprint
from ..errors import DocumentsFolderError, not_a_folder
from ..read.documents import Document, Skipped, find_files
from ..read.languages import name, shares
from ..read.ocr_cache import OcrCache
from ..read.progress import Progress
from ..settings import Settings
from ..store.manifest import FileEntry, Manifest
from ..store.seam import store_for
from .blocks import Block, embed_blocks, merge, split_block
from .checkpoint import Checkpoint, embedding_key
from .reading import Reading, read_all
from .report import BuildReport, Changes
from .space import Work, is_full, out_of_space


def build_index(
    docs_dir: str | Path,
    index_dir: str | Path,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    reading: Reading | None = None,
) -> BuildReport:
    """Index docs_dir into index_dir, embedding only new or changed files; return the report.

    Each file read and each text embedded is kept in the index folder's checkpoint as soon as
    it is done, so a build killed part-way and started again goes on from there; the version
    in service is replaced only by a whole new one. A full disk stops it with one sentence.
    reading, if given, is the folder's documents as read already (another index's texts: see
    answer.companion): nothing is read again.
    """
    began = time.perf_counter()
    settings = settings or Settings.from_env()
    docs_dir, index_dir = Path(docs_dir), Path(index_dir)
    if reading is None and not docs_dir.is_dir():
        raise not_a_folder(docs_dir)
    embedder = embedder or embedder_for(settings)
    target = store_for(index_dir, settings)
    checkpoint = Checkpoint(index_dir)
    work = Work(settings)
    with target.lock(progress):
        try:
            return _update(docs_dir, index_dir, settings, embedder, progress, began, target,
                           checkpoint, work, reading)  # fmt: skip
        except (OSError, RuntimeError) as error:
            if not is_full(error, index_dir):
                raise
            target.remove_stale()  # the half-written version goes; the one in service stays
            raise out_of_space(index_dir, work) from None
        finally:
            checkpoint.close()


def _update(
    docs_dir, index_dir, settings, embedder, progress, began, target, checkpoint, work, reading
):
    """Do build_index's work, the folder's lock held; work hears how far it has come."""
    target.remove_stale()
    if reading is None:
        work.files = find_files(docs_dir)
        reading = read_all(
            docs_dir, work.files, index_dir, settings, progress, checkpoint, work.results,
            target.served(),
        )  # fmt: skip
    documents, skipped = reading.documents, reading.skipped
    if not documents:
        raise DocumentsFolderError(
            f"No readable documents in {docs_dir}/; the index was left as it was."
        )
    if isinstance(embedder, ModelChoice):  # the model setting 'auto'
        embedder.choose(language_lengths(documents))
    weights = fingerprint(embedder)
    previous = target.previous(embedder.name, weights, settings.splitter())
    old_files = previous.manifest.files if previous.manifest else {}
    work.dimension = previous.manifest.dimension if previous.manifest else 0
    changes = _classify(documents, old_files)
    originals = dict(changes.duplicates)
    work.texts = {doc.text_sha256: doc.text for doc in documents if doc.path not in originals}
    model = json.dumps([embedder.name, weights, settings.splitter()])
    blocks, fresh, resumed = _blocks(
        documents, previous.by_hash, changes, settings, checkpoint, model
    )
    work.blocks = blocks
    work.unkept = {id(block): block for _, block in fresh}
    keys = {id(block): embedding_key(doc, model) for doc, block in fresh}

    def keep(block: Block, encoded: int) -> None:
        checkpoint.keep_embedded(keys[id(block)], block, encoded)
        del work.unkept[id(block)]

    embedded = embed_blocks(list(work.unkept.values()), embedder, progress, keep)
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
            low_confidence_pages(documents, settings.ocr_low_confidence), reading.ocr_pages,
            language_shares(documents), unread_note(documents, embedder),
            getattr(embedder, "model_name", embedder.name), reading.read, reading.resumed,
            len(resumed), sum(resumed), reading.reused,
        )  # fmt: skip

    unchanged = (
        previous.manifest
        and previous.manifest.docs_dir == str(docs_dir.resolve())
        and not _changed(previous.manifest, changes, skipped)
        # A new reader's readings are written, for the next build to take from its version.
        and previous.manifest.reader == reading.reader
    )
    if unchanged and not previous.notice:
        checkpoint.clear()
        return report()  # nothing changed: keep serving the current version as it is
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
        reader=reading.reader,
        report=report().to_record(),  # what made it, for whoever serves it later
    )
    target.write(manifest, stored, work.texts, progress)
    target.remove_stale()
    checkpoint.clear()  # the version in service holds all it kept
    OcrCache(index_dir).keep_only({m.key for doc in documents for m in doc.ocr})
    return report()


def _changed(previous: Manifest, changes: Changes, skipped: list[Skipped]) -> bool:
    """Whether the folder differs from the version in service (content, names or skips)."""
    copies = {path: entry.same_as for path, entry in previous.files.items() if entry.same_as}
    return (
        changes.any_content() or dict(changes.duplicates) != copies or skipped != previous.skipped
    )


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


def _blocks(documents, by_hash, changes, settings, checkpoint, model):
    """Reuse the blocks of known content (the version in service's, or the checkpoint's); split
    the rest, each content once, into blocks still to embed (their vectors None).

    Returns the blocks in document order, the (document, block) pairs to embed, and how many
    texts each block taken from the checkpoint had taken to embed.
    """
    copies = {copy for copy, _ in changes.duplicates}
    blocks: list[Block] = []
    fresh: list[tuple[Document, Block]] = []
    resumed: list[int] = []
    for doc in documents:
        if doc.path in copies:  # cited through its original, embedded once
            blocks.append(Block([], None, np.zeros((0, 3), dtype=np.int64), None))
        elif doc.text_sha256 in by_hash:
            old = by_hash[doc.text_sha256]
            # Same content, maybe another name: keep the vectors, cite the current path.
            passages = [replace(p, source=doc.path) for p in old.passages]
            blocks.append(Block(passages, old.vectors, old.units, old.unit_vectors))
        elif (kept := checkpoint.embedded(embedding_key(doc, model), doc.path)) is not None:
            blocks.append(kept[0])
            resumed.append(kept[1])
        else:
            blocks.append(split_block(doc, settings))
            fresh.append((doc, blocks[-1]))
    return blocks, fresh, resumed
