"""OCR quality and cost on generated scans, and a scanned book's build against the bare engine.

    python -m bench.ocr [--pages N] [--book-pages 100] [--json OUT] [--only quality,build]

Pages are SQuAD v1.1 dev paragraphs (real prose) set in Helvetica with fpdf2 and drawn by pdfium
(tests/scans.py), then degraded per variant. The character error rate is the edit distance
between OCR's text and the text drawn, whitespace collapsed, over the drawn text's length.

The build part writes an image-only PDF of --book-pages pages and times, in one run:
- the bare engine: `tesseract page.pnm stdout tsv` on each page image, drawn beforehand, one
  process per core (the work OCR cannot avoid);
- `build_index` of the PDF from nothing (fresh index and OCR cache): drawing, hashing and
  reading every page, embedding the text, writing the index.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from bench.common import metrics as m

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = (
    "clean", "noisy", "skewed 1.5°", "turned 90°", "turned 180°", "150 dpi", "two columns"
)  # fmt: skip


def main() -> int:
    """Measure, print the table, write the JSON."""
    args = _parser().parse_args()
    texts = paragraphs(args.shared)
    results: dict = {}
    if "quality" in args.only:
        results["quality"] = quality(texts, args.pages)
    if "build" in args.only:
        results["build"] = build_ratio(texts, args.book_pages, args.work)
    print(table(results))
    m.write_json(args.json, results)
    print(f"\nwrote {args.json}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="pages per variant (default 4)")
    parser.add_argument("--book-pages", type=int, default=100, help="pages of the scanned book")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-ocr-bench"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "ocr.json")
    parser.add_argument("--only", default="quality,build", help="parts: quality, build")
    return parser


def paragraphs(shared: Path) -> list[str]:
    """Return SQuAD v1.1 dev paragraphs, in file order."""
    data = json.loads((shared / "squad-v1.1-dev" / "dev-v1.1.json").read_text(encoding="utf-8"))
    found = [p["context"] for article in data["data"] for p in article["paragraphs"]]
    kept = [" ".join(p.split()) for p in found if 300 <= len(p) <= 900]
    return [p for p in kept if p.isascii()]  # Helvetica, a PDF core font, sets Latin-1


def _page_paragraphs(paragraphs: list[str], number: int, per_page: int = 3) -> list[str]:
    return paragraphs[number * per_page : (number + 1) * per_page]


def variant_scan(name: str, paragraphs: list[str], seed: int):
    """Return (image, dpi, the text drawn) of one page of a variant."""
    from tests.scans import degraded, page_scan, turned

    columns = 2 if name == "two columns" else 1
    dpi = 150 if name == "150 dpi" else 200
    scan = page_scan(paragraphs, dpi=dpi, columns=columns)
    if name == "noisy":
        scan = degraded(scan, noise=0.1, blur=0.7, seed=seed)
    elif name == "skewed 1.5°":
        scan = degraded(scan, noise=0.04, seed=seed)
        scan = type(scan)(scan.image.rotate(1.5, expand=True, fillcolor=235), scan.words, dpi)
    elif name.startswith("turned"):
        scan = turned(degraded(scan, noise=0.04, seed=seed), int(name.split()[1][:-1]))
    return scan.image, dpi, " ".join(word for word, _ in scan.words)


def quality(paragraphs: list[str], pages: int) -> dict:
    """Character error rate and seconds per page, per variant (read_image, turns included)."""
    from indexer.read.ocr import read_image

    found = {}
    for number, name in enumerate(VARIANTS):
        errors = length = seconds = 0.0
        for page in range(pages):
            chosen = _page_paragraphs(paragraphs, number * pages + page)
            image, dpi, truth = variant_scan(name, chosen, seed=page)
            began = time.perf_counter()
            reading = read_image(image, "eng", dpi)
            seconds += time.perf_counter() - began
            errors += edit_distance(" ".join(reading.text.split()), truth)
            length += len(truth)
        found[name] = {"cer": errors / length, "s_per_page": seconds / pages, "pages": pages}
        print(f"{name}: CER {errors / length:.2%}, {seconds / pages:.2f} s/page", flush=True)
    return found


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time."""
    if not a or not b:
        return max(len(a), len(b))
    codes_b = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    previous = np.arange(len(b) + 1)
    steps = np.arange(len(b) + 1)
    for i, char in enumerate(a, 1):
        cost = (codes_b != ord(char)).astype(np.int64)
        row = np.empty_like(previous)
        row[0] = i
        row[1:] = np.minimum(previous[1:] + 1, previous[:-1] + cost)
        row = np.minimum.accumulate(row - steps) + steps  # insertions along the row
        previous = row
    return int(previous[-1])


def build_ratio(paragraphs: list[str], pages: int, work: Path) -> dict:
    """Build a scanned book from nothing and run the bare engine on its pages, same run."""
    from indexer import Settings, build_index
    from indexer.embed.choice import embedder_for
    from indexer.read.ocr import data_folder, tesseract
    from tests.scans import degraded, image_pdf, page_scan

    shutil.rmtree(work, ignore_errors=True)
    docs = work / "docs"
    docs.mkdir(parents=True)
    images = [
        degraded(page_scan(_page_paragraphs(paragraphs, n)), noise=0.03, seed=n).image
        for n in range(pages)
    ]
    (docs / "scanned-book.pdf").write_bytes(image_pdf(images, format="JPEG"))
    settings = Settings()
    embedder = embedder_for(settings)
    embedder.encode(["warm up the model"])
    # The bare engine reads the pages as the build draws them (200 dpi), written beforehand.
    folder = Path(tempfile.mkdtemp(prefix="bare-ocr-", dir=work))
    paths = _drawn_pages(docs / "scanned-book.pdf", folder, settings.ocr_dpi)
    env = {**os.environ, "TESSDATA_PREFIX": data_folder("eng"), "OMP_THREAD_LIMIT": "1"}
    command = [tesseract(), "{}", "stdout", "-l", "eng", "--dpi", str(settings.ocr_dpi), "tsv"]

    def bare(path: Path) -> None:
        call = [str(path) if part == "{}" else part for part in command]
        subprocess.run(call, env=env, capture_output=True, check=True)

    workers = os.cpu_count() or 1
    began = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(bare, paths))
    bare_seconds = time.perf_counter() - began
    began = time.perf_counter()
    report = build_index(docs, work / "index", settings, embedder)
    build_seconds = time.perf_counter() - began
    began = time.perf_counter()
    again = build_index(docs, work / "index", settings, embedder)
    rebuild_seconds = time.perf_counter() - began
    return {
        "pages": pages,
        "workers": workers,
        "bare_s": bare_seconds,
        "build_s": build_seconds,
        "ratio": build_seconds / bare_seconds,
        "passages": report.passages,
        "ocr_pages": report.ocr_pages,
        "rebuild_s": rebuild_seconds,
        "rebuild_ocr_pages": again.ocr_pages,
    }


def _drawn_pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    from indexer.read.pdf import draw_page, open_pdf
    from indexer.read.scans import grey_on_white

    document = open_pdf(pdf.read_bytes())
    paths = []
    for number in range(len(document)):
        path = folder / f"page-{number:04d}.pnm"
        grey_on_white(draw_page(document, number, dpi)).save(path)
        paths.append(path)
    document.close()
    return paths


def table(results: dict) -> str:
    """Return the Markdown tables of the results."""
    lines = []
    if "quality" in results:
        lines += ["| scan | character error rate | seconds per page |", "|---|---|---|"]
        for name, found in results["quality"].items():
            lines.append(f"| {name} | {found['cer']:.2%} | {found['s_per_page']:.2f} |")
    if "build" in results:
        b = results["build"]
        lines += [
            "",
            "| measure | figure | against |",
            "|---|---|---|",
            f"| bare Tesseract on the {b['pages']} pages, {b['workers']} at a time "
            f"| {b['bare_s']:.1f} s | |",
            f"| build of the {b['pages']}-page scan from nothing | {b['build_s']:.1f} s "
            f"| {b['ratio']:.2f}× the bare engine (target ≤ 1.3×) |",
            f"| rebuild, the pages from the OCR cache | {b['rebuild_s']:.1f} s "
            f"| {b['rebuild_ocr_pages']} pages read again |",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
