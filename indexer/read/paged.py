"""A paged document's text, page by page: text-layer pages at once, scanned pages when OCR is done.

Pages are joined by a blank line; each page's start offset is kept so that passages never span
two pages and citations count lines within a page.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

from ..errors import counted
from .ocr import OcrError

PAGE_BREAK = "\n\n"  # between the pages of a paged document's text


class ExtractionError(Exception):
    """A file of a known format whose text cannot be extracted; the message says why."""


@dataclass(frozen=True)
class Skipped:
    """A file that was not indexed, and the reason a person would want to know."""

    path: str
    reason: str


@dataclass(frozen=True)
class OcrMark:
    """A page whose text OCR read: its number (from 1), its reading's key, its confidence."""

    page: int
    key: str
    confidence: float


@dataclass(frozen=True)
class Parts:
    """What the parts of a paged file are called, so a citation names them as the file does.

    kind is "page" (PDFs, images), "slide" or "sheet"; a sheet has a name (labels) and, per
    sheet, runs [first line in the sheet, its row number, how many lines] mapping its lines to
    the spreadsheet's own row numbers.
    """

    kind: str = "page"
    labels: tuple[str, ...] = ()
    rows: tuple[tuple[tuple[int, int, int], ...], ...] = ()

    def row_of(self, part: int, line: int) -> int | None:
        """Return the row number of a line of a part (both from 1), or None if not a row."""
        if not self.rows or part > len(self.rows):
            return None
        for first, row, count in self.rows[part - 1]:
            if first <= line < first + count:
                return row + line - first
        return None

    def to_record(self) -> dict:
        """Return the JSON-ready record the manifest keeps."""
        return {
            "kind": self.kind,
            "labels": list(self.labels),
            "rows": [list(map(list, r)) for r in self.rows],
        }

    @classmethod
    def from_record(cls, record: dict) -> Parts:
        """Return the parts of a record written by to_record."""
        rows = tuple(tuple(tuple(run) for run in runs) for runs in record.get("rows", ()))
        return cls(record["kind"], tuple(record.get("labels", ())), rows)


@dataclass(frozen=True)
class Extracted:
    """A file's extracted text; `pages` holds the start offset of each page of a paged one."""

    text: str
    format: str  # "pdf", "image", "docx", "html", "xlsx", "csv", "pptx", ...
    pages: tuple[int, ...] = ()
    ocr: tuple[OcrMark, ...] = ()  # the pages read by OCR
    parts: Parts | None = None  # what the pages are (None: PDF-like pages, or none)


@dataclass(frozen=True)
class Paged:
    """A paged document being read: each page a text, or a future OCR reading."""

    format: str
    parts: list  # str | Future

    def finish(self, max_chars: int) -> Extracted:
        """Wait for the OCR readings and join the pages (or say why the file has no text)."""
        texts, marks = [], []
        for number, part in enumerate(self.parts, 1):
            if isinstance(part, Future):
                try:
                    read = part.result()
                except OcrError as error:
                    raise ExtractionError(f"page {number}: {error}") from None
                texts.append(read.page.text)
                marks.append(OcrMark(number, read.key, round(read.page.confidence, 4)))
            else:
                texts.append(part)
        length = sum(map(len, texts))
        if length > max_chars:
            raise too_long(length, max_chars)
        if not any(text.strip() for text in texts):
            raise ExtractionError(self._no_text(len(texts), bool(marks)))
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + len(PAGE_BREAK)
        return Extracted(PAGE_BREAK.join(texts), self.format, tuple(starts), tuple(marks))

    def _no_text(self, pages: int, read_by_ocr: bool) -> str:
        noun = "page" if self.format == "pdf" else "image page"
        if read_by_ocr:
            return f"OCR found no text on its {counted(pages, noun)}"
        return (
            f"PDF with no text layer ({counted(pages, 'page')} of images?): it needs OCR "
            "(switched off: VERBATIM_OCR=off)"
        )


def too_long(length: int, max_chars: int) -> ExtractionError:
    """Return the error that skips a file whose text is longer than allowed."""
    return ExtractionError(
        f"its text is longer than the {max_chars:,}-character limit ({length:,}+ characters)"
    )


def extract_image(data: bytes, scans) -> Paged:
    """Start reading an image file (every frame of a TIFF) by OCR."""
    from .scans import ScanError

    if scans is None:
        raise ExtractionError("an image: OCR is switched off (VERBATIM_OCR=off)")
    try:
        images = scans.image_pages(data)
    except ScanError as error:
        raise ExtractionError(str(error)) from None
    return Paged("image", [scans.submit(image) for image in images])
