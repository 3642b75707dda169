"""A build that runs out of disk space: what it still had to write, said in one sentence.

The estimate follows the files a build writes: the checkpoint's records (each file's text,
each new text's passages and vectors) and the version (texts, passage records, vectors,
units, the keyword index, and the HNSW graphs of a large one). Its ratios were measured on the
seeds' version (384-dimension vectors): passage records take their text and about 260 bytes
more each, the keyword index about 1.6 bytes per byte of passage text.
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DiskFullError
from ..read.documents import Document
from ..settings import Settings
from ..store.ann import HNSW_NEIGHBOURS
from .blocks import Block, split_block

FULL = (errno.ENOSPC, errno.EDQUOT)
ALMOST_FULL = 1_000_000  # bytes free left when a write failed for want of space
RECORD_BYTES = 260  # a passage record beside its text (source, offsets, lines, heading)
FILE_BYTES = 600  # a file's entries in the manifest and its checksums
READING_BYTES = 300  # a record in the checkpoint beside its text or rows
DISK_BLOCK = 4096  # each text a version keeps takes whole blocks: small files feel it
KEYWORD_RATIO = 1.6  # keyword index bytes per byte of passage text
UNIT_CHARS = 80  # a unit's characters (sentences, table rows), before any text is read
SAMPLE = 200  # texts read that are split to learn how many passages and units a byte makes
DIMENSION = 384  # the bundled models' vectors, when none was made yet


def is_full(error: BaseException, folder: Path) -> bool:
    """Whether an error says the disk (or the user's quota on it) that holds folder is full."""
    if isinstance(error, OSError) and error.errno is not None:
        return error.errno in FULL
    # numpy's short writes ("150000 requested and 25568 written") carry no errno, faiss's are
    # RuntimeErrors: the disk itself tells.
    return isinstance(error, (OSError, RuntimeError)) and (
        "No space left" in str(error) or shutil.disk_usage(folder).free < ALMOST_FULL
    )


@dataclass
class Work:
    """What a build has read, split and kept so far: enough to estimate what it still writes."""

    settings: Settings
    dimension: int = 0  # of the previous version's vectors, until this build makes some
    files: list[Path] = field(default_factory=list)  # every file found, before any is read
    results: dict = field(default_factory=dict)  # what reading each (by number) gave so far
    texts: dict[str, str] = field(default_factory=dict)  # the texts read, by their hash
    blocks: list[Block] = field(default_factory=list)  # the new version's, once split
    unkept: dict[int, Block] = field(default_factory=dict)  # new blocks not in the checkpoint

    def remaining_bytes(self) -> int:
        """Estimate the bytes the build still has to write to put its version in service."""
        width = next((_width(b) for b in self.blocks if _width(b)), self.dimension) or DIMENSION
        if self.blocks:
            texts = [len(t.encode("utf-8", "surrogatepass")) for t in self.texts.values()]
            passages = sum(len(b.passages) for b in self.blocks)
            units = sum(len(b.units) for b in self.blocks)
            chars = sum(len(p.embedding_text()) for b in self.blocks for p in b.passages)
            checkpoint = sum(_block_bytes(b, width) for b in self.unkept.values())
        else:  # still reading: a file not read yet holds about its size in text
            read = {n: r for n, r in self.results.items() if isinstance(r, Document)}
            texts = [_size(path) for n, path in enumerate(self.files) if n not in read]
            unread = list(texts)
            texts += [len(doc.text.encode("utf-8", "surrogatepass")) for doc in read.values()]
            per_byte = self._per_byte(list(read.values()))
            guesses = [(int(size * per_byte[0]) + 1, int(size * per_byte[1]) + 1) for size in texts]
            passages, units = sum(g[0] for g in guesses), sum(g[1] for g in guesses)
            chars = sum(texts)
            checkpoint = sum(int(size * 1.1) + READING_BYTES for size in unread)
            checkpoint += sum(
                _rows_bytes(*guess, size, width) for size, guess in zip(texts, guesses, strict=True)
            )
        version = _rows_bytes(passages, units, chars, width) + int(chars * KEYWORD_RATIO)
        version += sum(_on_disk(size) for size in texts) + FILE_BYTES * len(self.files) + 8192
        for rows in (passages, units):
            if rows >= self.settings.ann_min_rows:
                version += rows * (width + 8 * HNSW_NEIGHBOURS + 48)
        return checkpoint + version

    def _per_byte(self, documents: list) -> tuple[float, float]:
        """Return the passages and units a byte of text makes, from some of the texts read."""
        sample = documents[:SAMPLE]
        size = sum(len(doc.text.encode("utf-8", "surrogatepass")) for doc in sample)
        if not size:
            return 1 / (self.settings.passage_max_chars * 0.6), 1 / UNIT_CHARS
        blocks = [split_block(doc, self.settings) for doc in sample]
        return (
            sum(len(b.passages) for b in blocks) / size,
            sum(len(b.units) for b in blocks) / size,
        )


def out_of_space(index_dir: Path, work: Work) -> DiskFullError:
    """Say that the disk is full, how much the build still needs, and how much is free."""
    free = shutil.disk_usage(index_dir).free
    return DiskFullError(
        f"The disk holding {index_dir}/ is full: this build needs about "
        f"{amount(work.remaining_bytes())} free to finish and {amount(free)} is; free some "
        "space and build again (the index in service is unchanged)."
    )


def amount(size: int) -> str:
    """Return a size the way people say it: 820 KB, 48 MB, 1.2 GB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6)):
        if size >= scale:
            return (
                f"{size / scale:.1f} {unit}" if size < 10 * scale else f"{size / scale:,.0f} {unit}"
            )
    return f"{max(1, round(size / 1e3))} KB"


def _block_bytes(block: Block, width: int) -> int:
    """Return the space a block's record takes in the checkpoint."""
    chars = sum(len(p.text) + len(p.prefix) for p in block.passages)
    return _rows_bytes(len(block.passages), len(block.units), chars, width) + READING_BYTES


def _rows_bytes(passages: int, units: int, chars: int, width: int) -> int:
    """Return the size of passage records, units and their vectors."""
    return (passages + units) * width * 4 + units * 24 + chars + passages * RECORD_BYTES


def _on_disk(size: int) -> int:
    """Return the space a file of this size takes: whole blocks."""
    return -(-size // DISK_BLOCK) * DISK_BLOCK


def _width(block: Block) -> int:
    vectors = block.vectors
    return vectors.shape[1] if vectors is not None and vectors.ndim == 2 else 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
