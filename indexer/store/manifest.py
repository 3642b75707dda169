"""What an index version holds and how it was made: the manifest, typed, read and written here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from ..read.paged import Skipped  # not read.documents: answering reads no files

FORMAT_VERSION = 8  # 7: CJK and Thai keyword terms are letter pairs; 8: Thai sentence units


@dataclass(frozen=True)
class FileEntry:
    """One indexed file: its content hash, how it was read, and how much of the index is its."""

    sha256: str  # of the file's bytes: whether the file changed
    encoding: str
    format: str
    pages: int | None  # pages of a PDF or an image file, else None
    passages: int  # its rows in the index, in file order; 0 for an identical copy
    units: int
    same_as: str | None = None  # the file it is an identical copy of, cited through it
    text_sha256: str = ""  # of the indexed text: what passages, vectors and texts/ are keyed by
    page_starts: list[int] | None = None  # a PDF's page offsets in the indexed text
    # The pages OCR read: {"page": from 1, "key": its reading in index/ocr/, "confidence": 0..1}
    ocr: list[dict] | None = None
    # What its pages are, when not PDF pages: slides, or sheets with their names and row numbers
    parts: dict | None = None
    language: str = ""  # ISO 639-1 code detected from its text (its sentences split by it)
    # When its current content was embedded (ISO 8601, UTC); "": by the build that wrote this
    # version, whose built_at says when (and all an index from before this field can say).
    indexed_at: str = ""


@dataclass(frozen=True)
class Manifest:
    """The self-description of one index version (manifest.json)."""

    model: str
    dimension: int
    splitter: dict
    files: dict[str, FileEntry]
    skipped: list[Skipped] = field(default_factory=list)
    build_seconds: float = 0.0
    built_at: str = ""
    format_version: int = FORMAT_VERSION
    model_sha256: str = ""  # of the weights that made the vectors
    docs_dir: str = ""  # the documents folder it was built from (absolute)
    report: dict | None = None  # the report of the build that wrote it (BuildReport.to_record)
    reader: str = ""  # what read its files (build.reuse.reader_stamp): "" if none may be reused

    @property
    def passages(self) -> int:
        """Return how many passages the version holds."""
        return sum(entry.passages for entry in self.files.values())

    @property
    def units(self) -> int:
        """Return how many quotable units (sentences, table rows) the version holds."""
        return sum(entry.units for entry in self.files.values())

    def indexed_at(self, path: str) -> str:
        """Return when a file's current content was embedded (ISO 8601), or "" if unknown."""
        entry = self.files.get(path)
        return (entry.indexed_at or self.built_at) if entry else ""

    def embedded_times(self) -> dict[str, str]:
        """Return when each indexed text (by its text_sha256) was embedded, for the next build
        to carry over to the files it does not embed again."""
        return {entry.text_sha256: self.indexed_at(path) for path, entry in self.files.items()}

    def copies_by_source(self) -> dict[str, tuple[str, ...]]:
        """Map each file that others duplicate to the names of its identical copies."""
        copies: dict[str, list[str]] = {}
        for path, entry in self.files.items():
            if entry.same_as:
                copies.setdefault(entry.same_as, []).append(path)
        return {source: tuple(names) for source, names in copies.items()}

    def to_json(self) -> str:
        """Serialise, with counts a person reading the file would look for."""
        record = asdict(self)
        record["counts"] = {
            "files": len(self.files),
            "passages": self.passages,
            "units": self.units,
        }
        return json.dumps(record, indent=1, ensure_ascii=False)

    @classmethod
    def from_record(cls, record: dict) -> Manifest:
        """Read the parsed JSON of to_json (raises KeyError or TypeError if it is not one)."""
        record = dict(record)
        record.pop("counts", None)
        record["files"] = {path: FileEntry(**entry) for path, entry in record["files"].items()}
        record["skipped"] = [Skipped(**item) for item in record.get("skipped", [])]
        return cls(**record)


@dataclass(frozen=True)
class Served:
    """The version in service's files and stored texts, whatever model made its vectors."""

    manifest: Manifest
    text: Callable[[str], str]  # the stored text with this sha256 (IndexerError if damaged)
