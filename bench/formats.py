"""Build time per document format, and a 100,000-row CSV against the embedding floor.

    python -m bench.formats [--rows 100000] [--copies 20] [--json OUT] [--only formats,csv]

formats: the test suite's files of each kind (tests/office_files.py, the PDF with tables of
tests/test_core_office.py, a scan from tests/scans.py), --copies of each made distinct by a
number in their text, built from nothing per format with the bundled model; the table gives
seconds per file, split into reading (extracting the text) and the rest of the build.

csv: a --rows-row CSV (an id, a city, a sensor, a reading) built from nothing, against the
floor of encoding each row's text once with the same model (one batch call), same run.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from bench.common import metrics as m

ROOT = Path(__file__).resolve().parent.parent
CITIES = ("Bergen", "Tromsø", "Ålesund", "Bodø", "Narvik", "Molde", "Hamar", "Skien")


def main() -> int:
    """Measure, print the tables, write the JSON."""
    args = _parser().parse_args()
    settings, embedder = _loaded()
    results: dict = {}
    if "formats" in args.only:
        results["formats"] = per_format(args.work / "formats", args.copies, settings, embedder)
    if "csv" in args.only:
        results["csv"] = big_csv(args.work / "csv", args.rows, settings, embedder)
    print(table(results))
    m.write_json(args.json, results)
    print(f"\nwrote {args.json}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--copies", type=int, default=20, help="files of each format")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-formats-bench"))
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "formats.json")
    parser.add_argument("--only", default="formats,csv", help="parts: formats, csv")
    return parser


def _loaded():
    from indexer.embed.choice import embedder_for
    from indexer.settings import Settings

    settings = Settings.from_env()
    embedder = embedder_for(settings)
    embedder.encode(["warm up the model", "and its tokenizer"])
    return settings, embedder


def _samples() -> dict[str, callable]:
    """Return a maker of each format's test file, given a number that makes it distinct."""
    from tests import office_files as office
    from tests.scans import image_bytes, page_scan
    from tests.test_core_office import tables_pdf

    return {
        "pdf with tables": lambda n: tables_pdf(f" Copy {n}."),
        "xlsx": lambda n: office.workbook(f" (copy {n})"),
        "csv": lambda n: f"Plant,Height (cm)\nFoxglove {n},150\nLupin {n},90\n".encode(),
        "pptx": lambda n: office.slide_deck(f" Copy {n}."),
        "epub": lambda n: office.epub(f" Copy {n}."),
        "odt": lambda n: office.odt(f" Copy {n}."),
        "eml": lambda n: office.email_with_html_body(f" {n}"),
        "png scan (OCR)": lambda n: image_bytes(
            [page_scan([f"Scan number {n} of the harbour records."]).image], "PNG"
        ),
    }


SUFFIX = {"pdf with tables": ".pdf", "png scan (OCR)": ".png"}


def per_format(work: Path, copies: int, settings, embedder) -> dict:
    """Build each format's files from nothing; time reading apart from the whole build."""
    from indexer import build_index
    from indexer.read.documents import find_files, read_document
    from indexer.read.scans import ScanReader

    found = {}
    for name, make in _samples().items():
        folder = work / name.split()[0]
        shutil.rmtree(folder, ignore_errors=True)
        docs = folder / "docs"
        docs.mkdir(parents=True)
        suffix = SUFFIX.get(name, "." + name)
        for n in range(copies):
            (docs / f"file-{n:03d}{suffix}").write_bytes(make(n))
        scans = ScanReader(settings, folder / "reading")
        began = time.perf_counter()
        for path in find_files(docs):
            read_document(docs, path, 10**9, scans=scans)
        scans.close()
        reading = time.perf_counter() - began
        began = time.perf_counter()
        report = build_index(docs, folder / "index", settings, embedder)
        build = time.perf_counter() - began
        found[name] = {
            "files": copies,
            "passages": report.passages,
            "read_s_per_file": reading / copies,
            "build_s_per_file": build / copies,
            "skipped": len(report.skipped),
        }
        print(f"{name}: {build / copies * 1000:.0f} ms per file", flush=True)
    return found


def big_csv(work: Path, rows: int, settings, embedder) -> dict:
    """Build a rows-row CSV from nothing, against encoding each row's text once."""
    from indexer import build_index
    from indexer.read.documents import read_document

    shutil.rmtree(work, ignore_errors=True)
    docs = work / "docs"
    docs.mkdir(parents=True)
    lines = ["Reading,City,Sensor,Value (mm)"]
    lines += [f"{n},{CITIES[n % 8]},gauge-{n % 113},{(n * 37) % 500 / 10:.1f}" for n in range(rows)]
    (docs / "rainfall.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = read_document(docs, docs / "rainfall.csv", 10**10, 10**9)
    header, *row_texts = [line for line in document.text.split("\n") if line.startswith("| ")]
    began = time.perf_counter()
    embedder.encode(row_texts)
    floor = time.perf_counter() - began
    # What a row must be encoded with to know its columns: its header row, as the build does.
    began = time.perf_counter()
    embedder.encode([f"{header}\n{row}" for row in row_texts])
    floor_with_header = time.perf_counter() - began
    began = time.perf_counter()
    report = build_index(docs, work / "index", settings, embedder)
    build = time.perf_counter() - began
    return {
        "rows": rows,
        "passages": report.passages,
        "floor_s": floor,
        "floor_with_header_s": floor_with_header,
        "build_s": build,
        "ratio": build / floor,
        "ratio_with_header": build / floor_with_header,
        "skipped": [s.reason for s in report.skipped],
    }


def table(results: dict) -> str:
    """Return the Markdown tables of the results."""
    lines = []
    if "formats" in results:
        lines += [
            "| format | files | passages | reading, per file | whole build, per file |",
            "|---|---|---|---|---|",
        ]
        for name, f in results["formats"].items():
            lines.append(
                f"| {name} | {f['files']} | {f['passages']} | "
                f"{f['read_s_per_file'] * 1000:.0f} ms | {f['build_s_per_file'] * 1000:.0f} ms |"
            )
    if "csv" in results:
        c = results["csv"]
        lines += [
            "",
            "| measure | figure | against |",
            "|---|---|---|",
            f"| floor: each of the {c['rows']:,} rows encoded once | {c['floor_s']:.1f} s | |",
            f"| floor: each row encoded once with its header row | "
            f"{c['floor_with_header_s']:.1f} s | |",
            f"| build of the {c['rows']:,}-row CSV from nothing ({c['passages']:,} passages) "
            f"| {c['build_s']:.1f} s | {c['ratio']:.2f}× the rows floor, "
            f"{c['ratio_with_header']:.2f}× the rows-with-header floor |",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
