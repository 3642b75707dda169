"""PDF pages through pdfium: each page's text with the pdfium character behind every letter.

The same reading serves indexing (the text passages quote) and the viewer (the page drawn as an
image, a quote's letters boxed). Because both come from one map, a quote's boxes follow from its
stored offsets alone: no searching for the quote on the page.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import numpy as np

LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # as str.splitlines
DROPPED = frozenset("\x00\ufffe\uffff")  # pdfium's markers, never text
RENDER_SCALE = 1.5  # 108 dpi: a page fits the side panel and small print stays legible
# A page with fewer letters than this over an image covering most of it is a scan with a stray
# text layer (a stamp, a page number): it is read by OCR.
FEW_LETTERS = 20


class PdfError(Exception):
    """A PDF that cannot be opened or read; the message says why."""


@dataclass(frozen=True)
class PageText:
    """A page's text as indexed, and for each of its characters pdfium's index (-1: added)."""

    text: str
    chars: np.ndarray


def open_pdf(data: bytes):
    """Open PDF bytes with pdfium; an encrypted or broken file is a PdfError."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PdfError("encrypted PDF: it needs a password to open") from None
        raise PdfError(f"corrupt PDF: {error}") from None


def page_texts(document, ruling=None):
    """Yield the text of each page in turn (so a caller can stop early on a huge file)."""
    for number in range(len(document)):
        yield read_page(document, number, ruling)


def read_page(document, number: int, ruling=None) -> PageText:
    """Return one page's text: lines right-trimmed, no blank lines at its start or end.

    Tables on the page become `| a | b |` rows (read.pdf_tables); ruling (a Ruling of the same
    file) finds the ruled ones.
    """
    import pypdfium2.raw as raw

    page = document[number]
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        whole = textpage.get_text_range() if count > 0 else ""
        if len(whole) != count or any("\ud800" <= c <= "\udfff" for c in whole):
            # Letters beyond the BMP take two UTF-16 units in the bulk text: read one by one.
            whole = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
        lines = _lines(whole)
        if any(len(line) > 1 for line in lines):
            from .pdf_tables import Line, tables_as_rows

            boxed = [Line(line, [_box(textpage, i) for _, i in line]) for line in lines]
            drawn = ruling is not None and _has_paths(page)  # pdfplumber parses only then
            ruled = ruling.tables(number, page.get_height()) if drawn else []
            lines = tables_as_rows(boxed, ruled)
    finally:
        textpage.close()
        page.close()
    return _joined(lines)


def _has_paths(page) -> bool:
    """Whether the page draws any path (a line or a rectangle): a ruled table needs some."""
    import pypdfium2.raw as raw

    return next(iter(page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH])), None) is not None


def _box(textpage, index: int):
    """Return a letter's tight box (left, bottom, right, top), or None for a generated one."""
    if index < 0:
        return None
    left, bottom, right, top = textpage.get_charbox(index)
    return (left, bottom, right, top) if right > left and top > bottom else None


class Ruling:
    """A PDF's ruled tables, found by pdfplumber's table finder (cells drawn with lines)."""

    def __init__(self, data: bytes):
        self.data = data
        self._plumber = None

    def tables(self, number: int, height: float) -> list[list[list[tuple]]]:
        """Return page number's ruled tables: rows of cell boxes in pdfium's coordinates."""
        import pdfplumber

        if self._plumber is None:
            self._plumber = pdfplumber.open(io.BytesIO(self.data))
        page = self._plumber.pages[number]
        if not (page.lines or page.rects):  # nothing drawn: no ruled table (and no parsing)
            return []
        return [
            [
                [(c[0], height - c[3], c[2], height - c[1]) for c in row.cells if c is not None]
                for row in table.rows
            ]
            for table in page.find_tables()
        ]

    def close(self) -> None:
        """Close pdfplumber's copy of the file."""
        if self._plumber is not None:
            self._plumber.close()


def needs_ocr(document, number: int, text: str) -> bool:
    """Whether a page is a scan: no text layer (or a few letters) over an image."""
    import pypdfium2.raw as raw

    if len(text.strip()) >= FEW_LETTERS:
        return False
    page = document[number]
    try:
        area = page.get_width() * page.get_height()
        images = [obj.get_bounds() for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])]
    finally:
        page.close()
    covered = max(((r - left) * (t - b) for left, b, r, t in images), default=0.0)
    return bool(images) and (not text.strip() or covered >= area / 2)


def page_size(document, number: int, dpi: int) -> tuple[int, int]:
    """Return the size in pixels of a page drawn at dpi, without drawing it."""
    width, height = document.get_page_size(number)
    return round(width * dpi / 72), round(height * dpi / 72)


def draw_page(document, number: int, dpi: float):
    """Return the page drawn at dpi as a PIL image."""
    page = document[number]
    try:
        return page.render(scale=dpi / 72).to_pil()
    finally:
        page.close()


def _lines(raw_text: str) -> list[list[tuple[str, int]]]:
    """Return the page's lines of (letter, pdfium index), right-trimmed, blank ends dropped."""
    lines: list[list[tuple[str, int]]] = [[]]
    previous = ""
    for index, char in enumerate(raw_text):
        if char in DROPPED:
            continue
        if char in LINE_BREAKS:
            if not (char == "\n" and previous == "\r"):  # \r\n is one break
                lines.append([])
        else:
            lines[-1].append((char, index))
        previous = char
    for line in lines:
        while line and line[-1][0].isspace():
            line.pop()
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _joined(lines: list[list[tuple[str, int]]]) -> PageText:
    """Join lines with line breaks (added: index -1) into the page's text."""
    text, chars = [], []
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
            chars.append(-1)
        text.extend(c for c, _ in line)
        chars.extend(i for _, i in line)
    return PageText("".join(text), np.array(chars, dtype=np.int64))


@dataclass(frozen=True)
class PageView:
    """A page drawn as a PNG and the boxes of a span's lines, as fractions of its size."""

    png: bytes
    boxes: list[tuple[float, float, float, float]]  # (left, top, width, height), 0..1

    def data_uri(self) -> str:
        """Return the image as a data: URI, so no route has to serve it."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def page_view(data: bytes, number: int, start: int, end: int, indexed: str) -> PageView | None:
    """Draw page `number` (0-based) and box the page text's [start, end) on it.

    indexed is the page's text as the index holds it; when the file reads otherwise now, None
    (the index's offsets would point at other letters).
    """
    document = open_pdf(data)
    ruling = Ruling(data)
    try:
        page_text = read_page(document, number, ruling)
        if page_text.text != indexed:
            return None
        page = document[number]
        try:
            bitmap = page.render(scale=RENDER_SCALE)
            image = bitmap.to_pil()
            boxes = _line_boxes(page, page_text, start, end, image.size)
        finally:
            page.close()
    finally:
        ruling.close()
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return PageView(buffer.getvalue(), boxes)


def _line_boxes(page, page_text: PageText, start: int, end: int, size) -> list:
    """One box per line of the span: the union of its letters' boxes, in image fractions."""
    import ctypes

    import pypdfium2.raw as raw

    width, height = size
    textpage = page.get_textpage()
    boxes = []
    try:
        line_start = start
        while line_start < end:
            line_end = page_text.text.find("\n", line_start, end)
            line_end = end if line_end < 0 else line_end
            corners = []
            for index in page_text.chars[line_start:line_end]:
                if index < 0:
                    continue
                left, bottom, right, top = textpage.get_charbox(int(index), loose=True)
                if right <= left or top <= bottom:
                    continue  # a generated space has no area
                for x, y in ((left, bottom), (right, top)):
                    dx, dy = ctypes.c_int(), ctypes.c_int()
                    raw.FPDF_PageToDevice(
                        page.raw, 0, 0, width, height, 0, x, y, ctypes.byref(dx), ctypes.byref(dy)
                    )
                    corners.append((dx.value, dy.value))
            if corners:
                xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                boxes.append(
                    (
                        min(xs) / width,
                        min(ys) / height,
                        (max(xs) - min(xs)) / width,
                        (max(ys) - min(ys)) / height,
                    )
                )
            line_start = line_end + 1
    finally:
        textpage.close()
    return boxes
