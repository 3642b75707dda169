"""Scanned pages in, OCR readings out: image files opened safely, pages read side by side, kept.

A build hands every page that needs OCR to one ScanReader. Pages are read in parallel (one
Tesseract process per core) while the build goes on opening the next files; a page read before,
by the same engine and languages, comes from the cache in the index folder instead.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from . import ocr
from .ocr_cache import OcrCache, page_key
from .progress import report_progress

IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)
MIN_SIDE = 16  # pixels: smaller than this holds no legible letter
VIEW_WIDTH = 1000  # pixels: an image page is drawn no wider in the viewer


class ScanError(Exception):
    """An image that cannot be read as a page; the message says why."""


def image_format(data: bytes) -> str | None:
    """Name the image format the bytes hold, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((name for magic, name in IMAGE_SIGNATURES if data.startswith(magic)), None)


@dataclass(frozen=True)
class ReadPage:
    """A page OCR read, and the key its reading is kept under."""

    page: ocr.OcrPage
    key: str


class ScanReader:
    """Reads page images by OCR for one build (or one check), in parallel, through the cache."""

    def __init__(self, settings, index_dir, progress=None, workers: int | None = None):
        self.languages = settings.ocr_langs
        self.dpi = settings.ocr_dpi
        self.max_pixels = settings.ocr_max_pixels
        self.cache = OcrCache(index_dir)
        self.progress = progress
        self.workers = workers or os.cpu_count() or 1
        self._pool: ThreadPoolExecutor | None = None
        self._slots = threading.BoundedSemaphore(self.workers * 2)  # rendered pages in flight
        self._lock = threading.Lock()
        self.read = self.total = 0  # pages read by the engine (not the cache), of those sent
        self._id = ""

    def start(self) -> None:
        """Check the engine and the languages once, before any page is read."""
        ocr.check_languages(self.languages)
        self._id = f"{ocr.engine_version()}|{self.languages}|{self.dpi}"

    @property
    def engine(self) -> str:
        """Return what, besides a page, decides its reading: the engine's version and settings."""
        return self._id

    def submit(self, image) -> Future:
        """Return a future ReadPage of a page image (a finished one if the cache holds it)."""
        if not self._id:
            self.start()
        image = grey_on_white(image)
        key = page_key(image, self._id)
        cached = self.cache.get(key)
        if cached is not None:  # not counted: the progress shown is of pages OCR reads
            future: Future = Future()
            future.set_result(ReadPage(cached, key))
            return future
        with self._lock:
            self.total += 1
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="verbatim-ocr")
        self._slots.acquire()  # waits while enough rendered pages await a free core
        return self._pool.submit(self._read, image, key)

    def _read(self, image, key: str) -> ReadPage:
        try:
            page = ocr.read_image(image, self.languages, self.dpi)
        finally:
            self._slots.release()
        self.cache.put(key, page)
        with self._lock:
            self.read += 1
            done, total = self.read, self.total
        report_progress(self.progress, "Reading scanned pages (OCR)", done, total)
        return ReadPage(page, key)

    def close(self) -> None:
        """Stop the worker threads (after the pages submitted are read)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def image_pages(self, data: bytes) -> list:
        """Open an image file's pages (all frames of a TIFF), refusing one too large to decode."""
        from PIL import Image, UnidentifiedImageError

        # Pillow's own guard stays, further out: check_size refuses first, naming the size.
        Image.MAX_IMAGE_PIXELS = self.max_pixels * 4
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:  # reads the header only
                    pages = []
                    for frame in range(getattr(image, "n_frames", 1)):
                        image.seek(frame)
                        self.check_size(image.size)
                        pages.append(image.copy())  # decodes this frame
        except ScanError:
            raise
        except Image.DecompressionBombError:
            raise ScanError(self._too_large()) from None
        except UnidentifiedImageError:
            raise ScanError("not an image Pillow can read (damaged or an unknown kind)") from None
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise ScanError(f"damaged image: {error}") from None
        return pages

    def check_size(self, size: tuple[int, int]) -> None:
        """Refuse, before decoding, a page larger than the pixel limit or too small to hold text."""
        width, height = size
        if width * height > self.max_pixels:
            raise ScanError(self._too_large(width, height))
        if min(width, height) < MIN_SIDE:
            raise ScanError(f"an image of {width} x {height} pixels is too small to hold text")

    def _too_large(self, width: int = 0, height: int = 0) -> str:
        size = f" ({width:,} x {height:,} pixels)" if width else ""
        return (
            f"image larger than the {self.max_pixels:,}-pixel limit{size}: not decoded "
            "(VERBATIM_OCR_MAX_PIXELS)"
        )


def grey_on_white(image):
    """Return the page as 8-bit grey on white (transparent parts white), as OCR reads it."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L")


def scanned_page_view(data: bytes, format: str, number: int, reading, start: int, end: int):
    """Draw page `number` (0-based) of a scanned PDF or image file upright, [start, end) boxed.

    reading is the page's kept OCR reading; its letters' boxes are fractions of the upright
    page, so they fit the page drawn at any size.
    """
    from .pdf import RENDER_SCALE, PageView, draw_page, open_pdf

    if format == "pdf":
        document = open_pdf(data)
        try:
            image = draw_page(document, number, RENDER_SCALE * 72)
        finally:
            document.close()
    else:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(number)
            image = grey_on_white(opened)
        image.thumbnail((VIEW_WIDTH, VIEW_WIDTH * 4))
    if reading.turn:
        image = image.rotate(-reading.turn, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return PageView(buffer.getvalue(), reading.letter_boxes(start, end))
