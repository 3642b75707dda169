"""Read every supported file of a folder, each once: a reading an interrupted build kept, or the
version in service's of a file unchanged since, is used instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..read.documents import Document, Skipped, relative_name, start_reading
from ..read.progress import report_progress
from ..read.scans import ScanReader
from ..settings import Settings
from ..store.manifest import Served
from .checkpoint import Stamp, now_ns, reading_settings
from .reuse import reader_stamp, unchanged_document

READ_AHEAD = (
    64  # files waiting on OCR before the oldest is finished: their pages are read meanwhile
)


@dataclass
class Reading:
    """What reading a folder gave: documents, files skipped, and how much work it took."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ocr_pages: int = 0  # pages the OCR engine read (not its cache)
    read: int = 0  # files opened and decoded
    resumed: int = 0  # files whose reading an interrupted build had kept
    reused: int = 0  # unchanged files taken from the version in service (not read again)
    reader: str = ""  # what read them (reuse.reader_stamp): a version read otherwise is re-read


def read_all(
    docs_dir: Path, files: list[Path], index_dir: Path, settings: Settings, progress, checkpoint,
    results: dict | None = None, served: Served | None = None,
) -> Reading:  # fmt: skip
    """Read the files found in docs_dir, keeping each reading in the checkpoint once it is done.

    Scanned pages are read by OCR side by side while the next files open. results, if given,
    hears each file's document (or reason it was skipped) by its number as soon as it is known.
    served, the version in service, gives the documents of files unchanged since it was read.
    """
    how = reading_settings(docs_dir, settings)
    max_bytes = int(settings.max_file_mb * 1_000_000)
    scans = ScanReader(settings, index_dir, progress) if settings.ocr == "on" else None
    if scans is not None:
        scans.start()  # a missing language is one sentence, before any file is read
    reading = Reading(reader=reader_stamp(docs_dir, settings, scans.engine if scans else ""))
    pending = []
    results = {} if results is None else results

    def done(number, name, stamp, began, finish) -> None:
        results[number] = finish()
        checkpoint.keep_reading(name, stamp, how, began, results[number])

    try:
        for number, path in enumerate(files):
            name, began = relative_name(docs_dir, path), now_ns()
            stamp = Stamp.of(path)  # before reading: a change while it is read shows next time
            kept = checkpoint.reading(name, stamp, how)
            if kept is not None:
                results[number] = kept
                reading.resumed += 1
            elif served and (same := unchanged_document(served, name, path, reading.reader)):
                results[number] = same  # not kept in the checkpoint: the version holds it
                reading.reused += 1
            else:
                finish = start_reading(docs_dir, path, max_bytes, settings.max_file_chars, scans)
                reading.read += 1
                if getattr(finish, "waits", False):  # on OCR: finished while the next files open
                    pending.append((number, name, stamp, began, finish))
                else:
                    done(number, name, stamp, began, finish)
            while len(pending) > READ_AHEAD:
                done(*pending.pop(0))
            report_progress(progress, "Reading files", number + 1, len(files))
        while pending:
            done(*pending.pop(0))
    finally:
        if scans is not None:
            scans.close()
    for number in range(len(files)):
        result = results[number]
        kind = reading.documents if isinstance(result, Document) else reading.skipped
        kind.append(result)
    reading.ocr_pages = scans.read if scans else 0
    return reading
