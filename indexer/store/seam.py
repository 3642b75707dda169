"""Where versions live: the local index folder, or Milvus; builds and answers see only this seam.

A store takes a build's lock, offers the version in service for reuse (its files' texts, and
its rows by file content), writes a whole new version and puts it in service at once, and
removes what no longer serves. `answer.index.load_index` opens the version in service of
either store as the evidence the answer pipeline reads.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Protocol

from ..errors import IndexerError, NoIndexError
from ..read.progress import report_progress
from . import disk, versions
from .disk import Previous, passage_languages
from .manifest import Manifest, Served


class Store(Protocol):
    """What a build needs of the place its versions are kept."""

    def lock(self, progress=None): ...
    def remove_stale(self) -> None: ...
    def served(self) -> Served | None: ...
    def previous(self, model: str, weights: str, splitter: dict) -> Previous: ...
    def write(self, manifest: Manifest, stored: disk.Stored, texts: dict, progress) -> None: ...


def store_for(index_dir: Path, settings) -> Store:
    """Return the store the settings name: Milvus if a URI is set, else the index folder."""
    if settings.milvus_uri:
        from .milvus.store import MilvusStore

        return MilvusStore(settings, index_dir)
    return LocalStore(index_dir, settings.ann_min_rows, settings.build_wait_seconds)


class LocalStore:
    """Versions as folders under the index folder, a CURRENT pointer swapped atomically."""

    def __init__(self, index_dir: Path, ann_min_rows: int, wait_seconds: float = 0.0):
        self.index_dir = index_dir
        self.ann_min_rows = ann_min_rows
        self.wait_seconds = wait_seconds
        self._version = None  # the version in service, opened once a build

    def lock(self, progress=None):
        """Hold the folder's build lock, waiting (bounded) for another build to finish."""
        return disk.build_lock(self.index_dir, self.wait_seconds, progress)

    def remove_stale(self) -> None:
        """Delete interrupted builds, never-served and damaged versions, and older ones."""
        versions.remove_stale(self.index_dir)

    def served(self) -> Served | None:
        """Return the version in service's files and texts; None if there is none intact."""
        try:
            version = self._open()
        except IndexerError:
            return None
        return Served(version.manifest, partial(disk.read_text, version.folder))

    def previous(self, model: str, weights: str, splitter: dict) -> Previous:
        """Return the version in service's rows by file hash, if they may be reused."""
        try:
            version = self._open()
            disk.check_compatible(version.manifest, model, splitter, f"{self.index_dir}/", weights)
            stored = disk.read_version(version.folder)
        except NoIndexError:
            return Previous()
        except IndexerError as error:
            return Previous(unusable=getattr(error, "rebuild_reason", str(error)))
        shares = disk.files_of(version.manifest, stored)
        return Previous(version.manifest, shares, notice=version.damage)

    def _open(self) -> versions.Version:
        """Open the version in service, once for the build that holds the lock."""
        if self._version is None:
            # Damaged versions are passed over; every byte checked, texts too.
            self._version = versions.open_version(self.index_dir, texts=True)
        return self._version

    def write(self, manifest: Manifest, stored: disk.Stored, texts: dict, progress) -> None:
        """Index the passages' keywords, write the version whole, then point at it."""
        from .keywords import KeywordIndex

        report_progress(progress, "Indexing keywords", 0, 1)
        keywords = KeywordIndex.build(
            [p.embedding_text() for p in stored.passages], passage_languages(manifest, stored)
        )
        if len(stored.vectors) >= self.ann_min_rows:
            report_progress(progress, "Building the approximate search graph", 0, 1)
        disk.write_version(self.index_dir, manifest, stored, keywords, texts, self.ann_min_rows)
