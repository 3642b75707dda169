"""Work a build has finished, kept under the index folder until its version is in service.

A build killed at any point and started again reads and embeds only what it had not finished.
Two kinds of record, each appended to the build's journal as soon as its work is done, with its
own checksum (a damaged one is done again): a file read, by its name, size and change times
(its text and how it was read); and a text embedded, by its hash, how it was paged and the
model (its passages, units and vectors). A build that puts its version in service deletes them.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import xxhash

from ..read.documents import Document
from ..read.paged import OcrMark, Parts, Skipped
from ..read.passages import Passage
from .blocks import Block
from .journal import Journal

FOLDER = "checkpoint"  # under the index folder, beside the versions (never served)
# A file changed this close to being read may have changed again within its timestamps'
# resolution (2 s on FAT) without its stamp showing it: such a reading is not kept.
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Stamp:
    """What says a file is the one a reading was made of, short of reading it again."""

    size: int
    mtime_ns: int
    ctime_ns: int  # moves on every write, even one that restores the modification time
    inode: int

    @classmethod
    def of(cls, path: Path) -> Stamp | None:
        """Return the file's stamp, or None if it cannot be looked at."""
        try:
            status = path.stat()
        except OSError:
            return None
        return cls(status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


class Checkpoint:
    """The records of finished work under index_dir/checkpoint/."""

    def __init__(self, index_dir: str | Path):
        self.folder = Path(index_dir) / FOLDER
        self.journal = Journal(self.folder)

    def reading(self, name: str, stamp: Stamp | None, how: str) -> Document | Skipped | None:
        """Return what reading the file gave before, if its stamp and the reading settings match."""
        data = self.journal.get(f"read-{_key(name, stamp, how)}") if stamp else None
        if data is None:
            return None
        record = json.loads(data)
        if "skipped" in record:
            return Skipped(name, record["skipped"])
        fields = record["document"]
        document = Document(
            name, fields["text"], fields["sha256"], fields["encoding"], fields["format"],
            tuple(fields["pages"]), tuple(OcrMark(**mark) for mark in fields["ocr"]),
            Parts.from_record(fields["parts"]) if fields["parts"] else None,
        )  # fmt: skip
        # Its cached properties, as they were worked out from the same text.
        document.__dict__.update(language=record["language"], text_sha256=record["text_sha256"])
        return document

    def keep_reading(self, name, stamp, how, began_ns: int, result: Document | Skipped) -> None:
        """Keep what reading a file gave, unless it changed too close to being read to tell."""
        if stamp is None or stamp.ctime_ns >= began_ns - RACY_NS:
            return
        if isinstance(result, Skipped):
            record = {"skipped": result.reason}
        else:
            fields = {
                "text": result.text, "sha256": result.sha256, "encoding": result.encoding,
                "format": result.format, "pages": list(result.pages),
                "ocr": [asdict(mark) for mark in result.ocr],
                "parts": result.parts.to_record() if result.parts else None,
            }  # fmt: skip
            record = {
                "document": fields,
                "language": result.language,
                "text_sha256": result.text_sha256,
            }
        # ASCII escapes carry a text's lone surrogates (undecodable bytes) through JSON intact.
        self.journal.put(f"read-{_key(name, stamp, how)}", json.dumps(record).encode("ascii"))

    def embedded(self, key: str, source: str) -> tuple[Block, int] | None:
        """Return a text's block embedded before, cited as source, and how many texts it took."""
        data = self.journal.get(f"embedded-{key}")
        if data is None:
            return None
        header, arrays = data.split(b"\n", 1)
        record = json.loads(header)
        units, width = record["units"], record["width"]
        passages = [replace(Passage.from_record(p), source=source) for p in record["passages"]]
        sizes = (units * 3 * 8, len(passages) * width * 4, units * width * 4)
        ends = np.cumsum(sizes)
        return Block(
            passages,
            np.frombuffer(arrays[ends[0] : ends[1]], np.float32).reshape(-1, width),
            np.frombuffer(arrays[: ends[0]], np.int64).reshape(-1, 3).copy(),
            np.frombuffer(arrays[ends[1] : ends[2]], np.float32).reshape(-1, width),
        ), record["encoded"]

    def keep_embedded(self, key: str, block: Block, encoded: int) -> None:
        """Keep a text's embedded block, and how many texts embedding it took."""
        vectors = np.ascontiguousarray(block.vectors, np.float32)
        width = vectors.shape[1] if vectors.ndim == 2 else 0
        header = {
            "passages": [p.to_record() for p in block.passages],
            "units": len(block.units),
            "width": width,
            "encoded": encoded,
        }
        self.journal.put(
            f"embedded-{key}",
            json.dumps(header).encode("ascii") + b"\n"
            + np.ascontiguousarray(block.units, np.int64).tobytes()
            + vectors.tobytes()
            + np.ascontiguousarray(block.unit_vectors, np.float32).tobytes(),
        )  # fmt: skip

    def kept(self) -> Counter:
        """Return how many records of each kind ("read", "embedded") the checkpoint holds."""
        return Counter(key.split("-", 1)[0] for key in self.journal.recorded())

    def close(self) -> None:
        """Stop recording (what was recorded stays for the next build)."""
        self.journal.close()

    def clear(self) -> None:
        """Delete every record: the version in service now holds their work."""
        self.journal.clear()


def reading_settings(docs_dir: Path, settings) -> str:
    """Return what, besides the file, decides what reading it gives."""
    return json.dumps(
        [str(docs_dir.resolve()), settings.max_file_mb, settings.max_file_chars, settings.ocr,
         settings.ocr_langs, settings.ocr_dpi, settings.ocr_max_pixels]
    )  # fmt: skip


def embedding_key(document: Document, model: str) -> str:
    """Return the key of a document's text embedded by one model with one splitter."""
    return _key(document.text_sha256, document.format, list(document.pages), model)


def now_ns() -> int:
    """Return the wall-clock time files' stamps are compared with."""
    return time.time_ns()


def _key(*parts) -> str:
    # NUL separates: no file name, hash or setting holds one.
    return xxhash.xxh3_128_hexdigest("\0".join(map(str, parts)).encode("utf-8", "surrogatepass"))
