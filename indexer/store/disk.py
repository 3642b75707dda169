"""The index folder on disk: immutable versions, a pointer swapped atomically, and a build lock."""

from __future__ import annotations

import contextlib
import fcntl
import json
import mmap
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache, partial
from pathlib import Path

import numpy as np

from ..embed.embedders import model_found
from ..errors import (
    BuildInProgressError,
    IndexDamagedError,
    IndexMismatchError,
    ModelChangedError,
    ModelLoadError,
)
from ..read.passages import Passage
from ..read.progress import report_progress
from .ann import build_ann, save_ann
from .integrity import READ_ERRORS, TEXTS, text_damage, write_checksums
from .manifest import Manifest

POINTER = "CURRENT"
MANIFEST = "manifest.json"
VECTORS = "vectors.npy"
PASSAGES = "passages.jsonl"
PASSAGE_OFFSETS = "passages.offsets.npy"  # byte offset of each record in PASSAGES, and the end
UNITS = "units.npy"
UNIT_VECTORS = "unit_vectors.npy"
KEYWORDS = "bm25"
PASSAGES_ANN = "passages.hnsw"  # approximate search graphs, only for large indexes
UNITS_ANN = "units.hnsw"


LOCK_POLL_SECONDS = 0.25


@contextlib.contextmanager
def build_lock(index_dir: Path, wait_seconds: float = 0.0, progress=None):
    """Hold the folder's build lock; wait up to wait_seconds for another build to release it.

    While it waits, progress hears "Waiting for another build to finish" with the seconds
    waited; past the bound, it fails with one sentence.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        began = time.monotonic()
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - began
                if waited >= wait_seconds:
                    raise BuildInProgressError(
                        f"Another build is updating {index_dir}/ and did not finish within "
                        f"{wait_seconds:g} s; try again when it is done."
                    ) from None
                report_progress(
                    progress, "Waiting for another build to finish", int(waited), int(wait_seconds)
                )
                time.sleep(LOCK_POLL_SECONDS)
        yield


def check_compatible(
    manifest: Manifest,
    model: str,
    splitter: dict,
    where: str,
    weights: str = "",
    configured: str | None = None,
) -> None:
    """Refuse an index whose vectors or passages were made with other settings or weights.

    where names the index in the sentence: "index/" or the Milvus collection; configured,
    the model setting, is checked first so a model that cannot load is not rebuilt with.
    """
    if manifest.model != model and configured and not model_found(configured):
        raise ModelLoadError(
            f"The model '{configured}' is neither a model folder nor a bundled model; the index "
            f"in {where} was built with '{manifest.model}': leave --model unset to use it."
        )
    if manifest.model != model:
        raise ModelChangedError(
            f"The index in {where} was built with model '{manifest.model}', "
            f"not the configured '{model}'; rebuild it with `python -m indexer build`.",
            f"the model changed from '{manifest.model}' to '{model}'.",
        )
    if weights and manifest.model_sha256 and manifest.model_sha256 != weights:
        raise IndexMismatchError(
            f"The index in {where} was built with other weights of '{model}' (they changed "
            "since); rebuild it with `python -m indexer build`."
        )
    if manifest.splitter != splitter:
        raise IndexMismatchError(
            f"The index in {where} was built with other passage settings; "
            "rebuild it with `python -m indexer build`."
        )


class PassageTable(Sequence):
    """Passage records read on demand through a memory map: opening costs nothing per passage."""

    def __init__(self, folder: Path):
        self._offsets = np.load(folder / PASSAGE_OFFSETS, mmap_mode="r")
        with open(folder / PASSAGES, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        # A cache of this table's own, holding the maps but not the table: one shared by the
        # class (lru_cache on the method) kept every replaced version's maps, and their
        # deleted files, open in a long-running page until 4,096 newer reads pushed them out.
        self._record = lru_cache(maxsize=4096)(
            partial(_read_record, folder, self._offsets, self._data)
        )

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self[i] for i in range(*item.indices(len(self)))]
        if item < 0:
            item += len(self)
        if not 0 <= item < len(self):
            raise IndexError(item)
        return self._record(item)


def _read_record(folder: Path, offsets: np.ndarray, data, item: int) -> Passage:
    """Return the passage at row item of a version's passage table."""
    with _as_damage(folder):
        start, end = int(offsets[item]), int(offsets[item + 1])
        return Passage.from_record(json.loads(data[start:end]))


@dataclass
class Stored:
    """The rows of a version, or of one file's share: passages, units and their vectors."""

    passages: Sequence[Passage]
    vectors: np.ndarray | None  # one unit-length row per passage (None: not embedded yet)
    units: np.ndarray  # (passage row, start, end) per sentence or table row
    unit_vectors: np.ndarray | None  # one row per unit


@dataclass(frozen=True)
class Previous:
    """The version in service, as far as a build may reuse it."""

    manifest: Manifest | None = None
    by_hash: dict[str, Stored] = field(default_factory=dict)  # rows by file text hash
    unusable: str | None = None  # why its vectors cannot be reused, if there is one
    notice: str | None = None  # what was damaged in the current version, passed over


def passage_languages(manifest: Manifest, stored: Stored) -> list[str | None]:
    """Return each passage's document language, as its keyword terms are stemmed."""
    languages = {path: entry.language for path, entry in manifest.files.items()}
    return [languages.get(p.source) for p in stored.passages]


def files_of(manifest: Manifest, stored: Stored) -> dict[str, Stored]:
    """Cut a version into each file's share, by content hash; unit rows count from each file."""
    shares: dict[str, Stored] = {}
    p_start = u_start = 0
    for entry in manifest.files.values():
        if entry.same_as:
            continue  # a copy holds no rows of its own; its original's share is kept
        units = np.array(stored.units[u_start : u_start + entry.units])
        units[:, 0] -= p_start
        p_end, u_end = p_start + entry.passages, u_start + entry.units
        shares.setdefault(
            entry.text_sha256,
            Stored(
                stored.passages[p_start:p_end],
                stored.vectors[p_start:p_end],
                units,
                stored.unit_vectors[u_start:u_end],
            ),
        )
        p_start, u_start = p_end, u_end
    return shares


def read_version(folder: Path) -> Stored:
    """Load the records and vectors of one (verified) version folder."""
    with _as_damage(folder):
        return Stored(
            PassageTable(folder),
            _map_rows(folder / VECTORS),
            np.load(folder / UNITS),
            _map_rows(folder / UNIT_VECTORS),
        )


def read_keywords(folder: Path):
    """Load the keyword index of one (verified) version folder."""
    from .keywords import KeywordIndex

    with _as_damage(folder):
        return KeywordIndex.load(folder / KEYWORDS)


@contextlib.contextmanager
def _as_damage(folder: Path):
    """Turn a failure to read a version that passed its checks into one sentence."""
    try:
        yield
    except READ_ERRORS as error:
        raise _damaged(folder, type(error).__name__) from error


def _damaged(folder: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"The index version {folder.name} is damaged ({what}); "
        "run `python -m indexer build` to repair it."
    )


def _map_rows(path: Path) -> np.ndarray:
    """Memory-map an array whose rows are read a few at a time, in no order."""
    array = np.load(path, mmap_mode="r")
    # Without this, each row read pulls in the kernel's readahead around it: hundreds of
    # kilobytes per search row, counted in the process's memory.
    backing = getattr(array, "_mmap", None)
    if backing is not None and hasattr(backing, "madvise"):
        backing.madvise(mmap.MADV_RANDOM)
    return array


def read_text(folder: Path, sha256: str) -> str:
    """Return the indexed text of the file with this content hash, checked against the hash."""
    path = folder / TEXTS / f"{sha256}.txt"
    with _as_damage(folder):
        data = path.read_bytes()
        if text_damage(data, sha256):
            raise _damaged(folder, f"{TEXTS}/{path.name} does not match its checksum")
        # Decoded from bytes: the text keeps its own line breaks, so offsets stay exact.
        return data.decode("utf-8", "surrogatepass")


def write_version(
    index_dir: Path,
    manifest: Manifest,
    stored: Stored,
    keywords,
    texts: dict[str, str],
    ann_min_rows: int,
) -> Path:
    """Write a complete new version beside the old one, then point the index at it."""
    staging = index_dir / f".tmp-{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True)
    (staging / TEXTS).mkdir()
    for sha256, text in texts.items():
        # newline="" keeps the text's own line breaks, so offsets stay exact.
        with open(staging / TEXTS / f"{sha256}.txt", "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    offsets = [0]
    with open(staging / PASSAGES, "wb") as handle:
        for passage in stored.passages:
            record = json.dumps(passage.to_record(), ensure_ascii=False).encode("utf-8") + b"\n"
            handle.write(record)
            offsets.append(offsets[-1] + len(record))
    np.save(staging / PASSAGE_OFFSETS, np.array(offsets, dtype=np.int64))
    np.save(staging / VECTORS, np.ascontiguousarray(stored.vectors, dtype=np.float32))
    np.save(staging / UNITS, np.ascontiguousarray(stored.units, dtype=np.int64))
    np.save(staging / UNIT_VECTORS, np.ascontiguousarray(stored.unit_vectors, dtype=np.float32))
    keywords.save(staging / KEYWORDS)
    # Above a size, searches go through HNSW graphs derived from the vectors written above.
    for name, vectors in ((PASSAGES_ANN, stored.vectors), (UNITS_ANN, stored.unit_vectors)):
        if len(vectors) >= ann_min_rows:
            save_ann(build_ann(vectors), staging / name)
    built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    (staging / MANIFEST).write_text(replace(manifest, built_at=built_at).to_json(), "utf-8")
    write_checksums(staging)
    _sync_tree(staging)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    final = index_dir / f"v-{stamp}-{uuid.uuid4().hex[:6]}"
    os.rename(staging, final)
    _point_to(index_dir, final.name)
    return final


def _point_to(index_dir: Path, name: str) -> None:
    """Swap the pointer file atomically: readers see the old version or the new, never half."""
    temporary = index_dir / f".{POINTER}.{uuid.uuid4().hex[:8]}"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / POINTER)
    _fsync_dir(index_dir)


def _sync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
