"""Scans made for the tests: text set with fpdf2, rasterised by pdfium, degraded like a scanner.

Every scan comes with the true box of each word (from the text layer it was drawn from), so a
test can check that OCR boxed exactly the words it quotes. No system font is needed: the PDF's
core fonts are drawn by pdfium's own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from fpdf import FPDF
from PIL import Image, ImageFilter

FACTS = [
    "The lighthouse keeper logged exactly 412 ships passing the northern cape in 1911.",
    "Brass fittings on the lamp were polished every Tuesday with a paste of chalk and vinegar.",
    "A storm in October destroyed the boathouse; it was rebuilt with granite from Kestrel Quarry.",
    "The keeper's daughter, Mathilde Orrin, later wrote a history of the station.",
]  # fmt: skip


GUTTER = 36  # points between columns, as in a journal page


@dataclass(frozen=True)
class Scan:
    """A page image and the true word boxes of the text drawn on it, in its pixels."""

    image: Image.Image
    words: list[tuple[str, tuple[float, float, float, float]]]  # (word, (l, t, r, b))
    dpi: int


def text_pdf(
    paragraphs: list[str],
    columns: int = 1,
    size: int = 12,
    leading: float = 1.4,
    spacing: float = 1.0,
    width: float | None = None,
) -> bytes:
    """Return a one-page PDF (A4) with the paragraphs set in Helvetica, in one or two columns.

    leading is the line pitch and spacing the space between paragraphs, both in font sizes;
    width, in points, narrows a column.
    """
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=size)
    full = (595 - 72 * 2 - GUTTER * (columns - 1)) / columns
    per_column = -(-len(paragraphs) // columns)
    for column in range(columns):
        pdf.set_xy(72 + column * (full + GUTTER), 72)
        for paragraph in paragraphs[column * per_column : (column + 1) * per_column]:
            pdf.set_x(72 + column * (full + GUTTER))
            pdf.multi_cell(width or full, size * leading, paragraph)
            pdf.ln(size * spacing)
    return bytes(pdf.output())


def rasterise(pdf: bytes, dpi: int = 200) -> Scan:
    """Draw the PDF's first page at dpi, with each word's true box from its text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    page = document[0]
    scale = dpi / 72
    image = page.render(scale=scale).to_pil().convert("L")
    textpage = page.get_textpage()
    height_pt = page.get_height()
    words, current, box = [], "", None
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        left, bottom, right, top = textpage.get_charbox(index)
        if char.isspace() or not char:
            if current:
                words.append((current, box))
            current, box = "", None
            continue
        pixels = (
            left * scale,
            (height_pt - top) * scale,
            right * scale,
            (height_pt - bottom) * scale,
        )
        current += char
        box = pixels if box is None else _union(box, pixels)
    if current:
        words.append((current, box))
    textpage.close()
    page.close()
    document.close()
    return Scan(image, words, dpi)


def _union(a: tuple, b: tuple) -> tuple:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def degraded(scan: Scan, noise: float = 0.0, blur: float = 0.0, seed: int = 0) -> Scan:
    """Return the scan with grey paper, speckle noise and blur, as a cheap scanner makes it."""
    rng = np.random.default_rng(seed)
    pixels = np.asarray(scan.image, dtype=np.float32) * 0.85 + 20  # grey paper, grey ink
    pixels += rng.normal(0, noise * 255, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    return Scan(image, scan.words, scan.dpi)


def turned(scan: Scan, degrees: int) -> Scan:
    """Return the scan turned clockwise (boxes are those of the upright page)."""
    return Scan(scan.image.rotate(-degrees, expand=True, fillcolor=255), scan.words, scan.dpi)


def image_pdf(images: list[Image.Image], dpi: int = 200, format: str = "PNG") -> bytes:
    """Wrap page images as a PDF with no text layer, each page the image's size at dpi.

    format "JPEG" keeps a noisy book small, as scanners do.
    """
    pdf = FPDF(unit="pt")
    for image in images:
        width, height = image.size[0] * 72 / dpi, image.size[1] * 72 / dpi
        pdf.add_page(format=(width, height))
        buffer = io.BytesIO()
        image.convert("L").save(buffer, format=format)
        pdf.image(buffer, x=0, y=0, w=width, h=height)
    return bytes(pdf.output())


def image_bytes(images: list[Image.Image], format: str) -> bytes:
    """Save page images in an image format (several pages for TIFF)."""
    buffer = io.BytesIO()
    first, *rest = images
    options = {"save_all": True, "append_images": rest} if rest else {}
    first.save(buffer, format=format, **options)
    return buffer.getvalue()


def page_scan(paragraphs=FACTS, dpi: int = 200, columns: int = 1) -> Scan:
    """Return a clean scan of the paragraphs."""
    return rasterise(text_pdf(paragraphs, columns), dpi)
