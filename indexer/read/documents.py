"""Find the documents under a folder and decode each one, or say why it was skipped."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .archives import check_expansion
from .ebooks import extract_epub, extract_odt
from .encodings import decode_bytes
from .formats import extract_docx, extract_html, extract_pdf, looks_like_html, sniff
from .languages import detect
from .mail import extract_email
from .paged import (
    Extracted,
    ExtractionError,
    OcrMark,
    Paged,
    Parts,
    Skipped,
    extract_image,
    too_long,
)
from .scans import image_format
from .sheets import extract_delimited, extract_workbook
from .slides import extract_slides

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp")
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUPPORTED_SUFFIXES = (
    ".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm", ".pptx", ".epub", ".odt",
    ".eml", ".csv", ".tsv", *SHEET_SUFFIXES, *IMAGE_SUFFIXES,
)  # fmt: skip
SUPPORTED_LABEL = (
    "PDF, Word (.docx), Excel, PowerPoint, OpenDocument, EPUB, e-mail, CSV, HTML, Markdown, "
    "image or text"
)
_BINARY_FORMATS = {
    ".pdf": "pdf", ".docx": "docx", ".pptx": "pptx", ".epub": "epub", ".odt": "odt",
    **dict.fromkeys(SHEET_SUFFIXES, "spreadsheet"), **dict.fromkeys(IMAGE_SUFFIXES, "image"),
}  # fmt: skip
_ZIPPED = {"xlsx": "xlsx", "ods": "ods", "pptx": "pptx", "epub": "epub", "odt": "odt"}


@dataclass(frozen=True)
class Document:
    """A decoded document; `path` is relative to the documents folder, with '/' separators."""

    path: str
    text: str  # the text passages quote: the file's own text, or what was extracted from it
    sha256: str
    encoding: str
    format: str = "text"  # "text", "markdown", "pdf", "image", "docx" or "html"
    pages: tuple[int, ...] = ()  # start offset of each page in text (PDFs, images)
    ocr: tuple[OcrMark, ...] = ()  # the pages whose text OCR read
    parts: Parts | None = None  # slides or sheets, when its pages are those

    @cached_property
    def language(self) -> str:
        """Return the ISO 639-1 code of the text's language (sentences are split by it)."""
        return detect(self.text)

    @cached_property
    def text_sha256(self) -> str:
        """Return the hash of the indexed text: files are copies when theirs are equal."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


def find_files(docs_dir: Path) -> list[Path]:
    """List supported files under docs_dir, recursively, in a stable order."""
    found, seen_dirs = [], set()
    for root, dirs, files in os.walk(docs_dir, followlinks=True):
        real = os.path.realpath(root)
        if real in seen_dirs:  # a symlink loop, or a folder linked twice
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(SUPPORTED_SUFFIXES):
                found.append(Path(root) / name)
    return found


def relative_name(docs_dir: Path, path: Path) -> str:
    """Return the citation name of a file: its path under the documents folder."""
    return path.relative_to(docs_dir).as_posix()


DEFAULT_MAX_CHARS = 10_000_000


def read_document(
    docs_dir: Path, path: Path, max_bytes: int, max_chars: int = DEFAULT_MAX_CHARS, scans=None
) -> Document | Skipped:
    """Read and decode one file, or explain why it cannot be indexed (too large included)."""
    return start_reading(docs_dir, path, max_bytes, max_chars, scans)()


def start_reading(
    docs_dir: Path, path: Path, max_bytes: int, max_chars: int = DEFAULT_MAX_CHARS, scans=None
):
    """Start reading one file; return the call that finishes it (after its pages' OCR).

    scans (a ScanReader) reads pages without text by OCR; None leaves them unread.
    """
    name = relative_name(docs_dir, path)
    try:
        if not path.is_file():
            return _done(Skipped(name, "not a regular file (a broken link or a special file)"))
        size = path.stat().st_size
        if size > max_bytes:
            limit = max_bytes / 1_000_000
            return _done(Skipped(name, f"larger than the {limit:g} MB limit ({size / 1e6:.1f} MB)"))
        data = path.read_bytes()
    except OSError as error:
        return _done(Skipped(name, f"cannot be read: {error.strerror or error}"))
    digest = hashlib.sha256(data).hexdigest()
    try:
        document = _decode_document(name, path.suffix.lower(), data, digest, max_chars, scans)
    except ExtractionError as error:
        return _done(Skipped(name, str(error)))

    def finish() -> Document | Skipped:
        try:
            done = document() if callable(document) else document
            if isinstance(done, Document) and len(done.text) > max_chars:
                raise too_long(len(done.text), max_chars)
        except ExtractionError as error:
            return Skipped(name, str(error))
        if isinstance(done, Document) and not done.text.strip():
            return Skipped(name, "empty: no text to index")
        return done

    finish.waits = callable(document)  # on its pages' OCR; anything else is read already
    return finish


def _done(result):
    return lambda: result


def _decode_document(name, suffix: str, data: bytes, digest: str, max_chars: int, scans):
    """Choose the format by content first, then by name, and extract the text.

    A paged file whose pages wait for OCR comes back as the call that finishes it.
    """
    content = sniff(data) or image_format(data)
    if content == "bmp" and suffix != ".bmp":
        content = None  # "BM" is too short a signature: a text may begin so
    if content in ("pdf", "png", "jpeg", "tiff", "bmp", "webp"):
        if content == "pdf":
            paged = extract_pdf(data, max_chars, scans)
        else:
            paged = extract_image(data, scans)
        return lambda: _paged_document(name, paged, digest, max_chars)
    if content == "docx":
        return Document(name, extract_docx(data, max_chars).text, digest, "binary", "docx")
    if content in _ZIPPED or (content == "ole" and suffix == ".xls"):
        extracted = extract_office(data, max_chars, _ZIPPED.get(content, "xls"))
        return _document(name, extracted, digest)
    if content == "ole":
        return Skipped(name, "an encrypted Office file (it needs a password) or a legacy .doc/.ppt")
    if content in ("zip", "xlsb"):
        return Skipped(
            name,
            "a zip archive, not a document"
            if content == "zip"
            else "an .xlsb workbook: save it as .xlsx",
        )
    if suffix == ".eml":
        return _document(name, extract_email(data, max_chars), digest)
    decoded = decode_bytes(data)
    if isinstance(decoded, str):
        expected = _BINARY_FORMATS.get(suffix)
        return Skipped(name, f"not a {expected} file: {decoded}" if expected else decoded)
    text, encoding = decoded
    if suffix in (".csv", ".tsv"):
        extracted = extract_delimited(text, max_chars, "\t" if suffix == ".tsv" else ",")
        return _document(name, extracted, digest, encoding)
    if suffix in (".html", ".htm") or looks_like_html(text):
        return Document(name, extract_html(text).text, digest, encoding, "html")
    markdown = suffix in (".md", ".markdown")
    return Document(name, text, digest, encoding, "markdown" if markdown else "text")


def extract_office(data: bytes, max_chars: int, kind: str) -> Extracted:
    """Read a spreadsheet, slide deck, EPUB or ODT file, after checking it cannot explode."""
    if kind != "xls":
        check_expansion(data, max_chars, _BINARY_FORMATS.get(f".{kind}", kind))
    if kind in ("xlsx", "xls", "ods"):
        return extract_workbook(data, max_chars, kind)
    if kind == "pptx":
        return extract_slides(data, max_chars)
    return extract_epub(data, max_chars) if kind == "epub" else extract_odt(data, max_chars)


def _document(name: str, extracted: Extracted, digest: str, encoding: str = "binary") -> Document:
    return Document(
        name, extracted.text, digest, encoding, extracted.format, extracted.pages,
        parts=extracted.parts,
    )  # fmt: skip


def _paged_document(name: str, paged: Paged, digest: str, max_chars: int) -> Document:
    extracted = paged.finish(max_chars)
    return Document(
        name, extracted.text, digest, "binary", extracted.format, extracted.pages, extracted.ocr
    )
