"""Real files at scale: a generated documents folder built from nothing, against its floor.

    python -m bench.scale --files 1000 [--queries 200] [--seed 11] [--work /tmp/verbatim-scale]

The folder (bench/common/real_files.py) holds N files in the formats people keep: PDFs with a
text layer (some with ruled tables), Word, spreadsheets and CSV, slides, web pages, Markdown,
text, e-mail and one scan in 200 (read by OCR), set with prose from the shared corpora. Three
fresh processes, each with the model the index uses loaded and warm before the clock starts:

- build: `build_index` from nothing (the OCR cache included); files and pages a minute, peak
  RSS. Pages: PDF pages, slides, sheets; a file without pages counts as 3,000-character pages;
- floor: every file read again and split as the build splits it, then each passage's text
  encoded once, in one call, with the same model: what embedding this text cannot go below;
- answers: `load_index` and a first answer (load), `Index.answer` p50/p95 over --queries
  SQuAD questions whose paragraph was set in the files, and a 20-question check: the share
  answered with a quote holding the gold answer where it stands in the indexed text.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from bench.common import metrics as m
from bench.common import real_files

QUALITY_QUESTIONS = 20


def run(args) -> int:
    """Generate (or reuse) the folder, measure each part in a fresh process, print the table."""
    from bench.scale import _disk_mb, measured

    work = args.work / f"files-{args.files}-seed{args.seed}"
    docs, plan = work / "docs", work / "plan.json"
    generated = None
    if not plan.is_file():
        print(f"== generating {args.files:,} files", file=sys.stderr, flush=True)
        shutil.rmtree(docs, ignore_errors=True)
        began = time.perf_counter()
        made, asked = real_files.generate(docs, args.files, args.shared, args.seed)
        generated = time.perf_counter() - began
        real_files.write_plan(plan, made, asked)
    made, _ = real_files.read_plan(plan)
    index_dir = work / "index"
    row = {"files": args.files, "pages": sum(f.pages for f in made), "generate_s": generated}
    flags = ["--files", str(args.files), "--seed", str(args.seed), "--queries", str(args.queries)]
    for phase in ("build", "floor", "answers"):
        print(f"== {phase} ({args.files:,} files)", file=sys.stderr, flush=True)
        row[phase] = measured("bench.scale", index_dir, "local", [*flags, "--phase", phase])
    row["disk_mb"] = _disk_mb(index_dir)
    if generated is not None:
        print(f"generated the {args.files:,} files in {generated:.0f} s", flush=True)
    print(table([row]), flush=True)
    m.write_json(args.json.with_name(f"scale-files-{args.files}.json"), row)
    return 0


def child(args) -> dict:
    """Measure one phase in this (fresh) process."""
    work = args.index_dir.parent
    return {"build": _build, "floor": _floor, "answers": _answers}[args.phase](
        work / "docs", args.index_dir, work / "plan.json", args
    )


def _warm(embedder) -> None:
    embedder.encode(["warm up the model", "and its tokenizer"])


def _build(docs: Path, index_dir: Path, plan: Path, args) -> dict:
    """Build the folder from nothing, the model loaded beforehand."""
    from indexer import build_index
    from indexer.embed.choice import embedder_for
    from indexer.settings import Settings

    shutil.rmtree(index_dir, ignore_errors=True)
    settings = Settings.from_env()
    embedder = embedder_for(settings)
    _warm(embedder)
    began = time.perf_counter()
    report = build_index(docs, index_dir, settings, embedder)
    return {
        "seconds": time.perf_counter() - began,
        "model": report.model,
        "passages": report.passages,
        "embedded": report.embedded,
        "indexed_files": len(report.changes.added),
        "skipped": [f"{s.path}: {s.reason}" for s in report.skipped],
        "ocr_pages": report.ocr_pages,
        "peak_rss_mb": m.peak_rss_mb(),
    }


def _floor(docs: Path, index_dir: Path, plan: Path, args) -> dict:
    """Read and split every file as the build does; encode each passage's text once."""
    from indexer import load_index
    from indexer.build.blocks import split_block
    from indexer.read.documents import Document, find_files, read_document
    from indexer.read.scans import ScanReader

    index = load_index(index_dir)  # for the model the build chose
    settings, embedder = index.settings, index.embedder
    _warm(embedder)
    reading = index_dir.parent / "floor-reading"  # its own OCR cache: the scans read again
    shutil.rmtree(reading, ignore_errors=True)
    scans = ScanReader(settings, reading)
    began = time.perf_counter()
    documents = [read_document(docs, path, 10**10, settings.max_file_chars, scans)
                 for path in find_files(docs)]  # fmt: skip
    scans.close()
    read_seconds = time.perf_counter() - began
    texts = [p.text for d in documents if isinstance(d, Document)
             for p in split_block(d, settings).passages]  # fmt: skip
    began = time.perf_counter()
    embedder.encode(texts)
    return {
        "read_seconds": read_seconds,
        "seconds": time.perf_counter() - began,
        "texts": len(texts),
        "chars": sum(len(t) for t in texts),
    }


def _answers(docs: Path, index_dir: Path, plan: Path, args) -> dict:
    """Load and answer a first question; time answers; the 20-question check."""
    from indexer import load_index

    _, asked = real_files.read_plan(plan)
    asked = asked[: max(args.queries, QUALITY_QUESTIONS)]
    began = time.perf_counter()
    index = load_index(index_dir)
    index.answer(asked[-1].text)
    load_seconds = time.perf_counter() - began
    seconds, answers = [], []
    for question in asked:
        began = time.perf_counter()
        answers.append(index.answer(question.text))
        seconds.append(time.perf_counter() - began)
    texts = indexed_texts(index)
    checked = []
    for question, answer in zip(asked[:QUALITY_QUESTIONS], answers, strict=False):
        gold = real_files.gold_spans(question, texts)
        spans = [(q.source, q.start, q.end) for q in answer.quotes]
        held = any(m.quote_holds_gold(span, gold) for span in spans)
        checked.append({"id": question.id, "kind": question.kind, "gold_found": bool(gold),
                        "answered": not answer.refused, "holds_gold": held})  # fmt: skip
    return {
        "load_seconds": load_seconds,
        "answer_ms": m.percentiles_ms(seconds),
        "questions": len(asked),
        "quality": checked,
        "peak_rss_mb": m.peak_rss_mb(),
    }


def indexed_texts(index) -> dict[str, str]:
    """Return each file's indexed text, laid together from its passages (gaps as spaces)."""
    pieces: dict[str, list] = {}
    for hit in index.hits_at(range(len(index))):
        pieces.setdefault(hit.source, []).append((hit.start, hit.text))
    texts = {}
    for source, parts in pieces.items():
        chars = [" "] * max(start + len(text) for start, text in parts)
        for start, text in parts:
            chars[start : start + len(text)] = text
        texts[source] = "".join(chars)
    return texts


def table(rows: list[dict]) -> str:
    """Return the Markdown table of the rows."""
    lines = [
        "| files (pages) | model | build from nothing | files / min | pages / min | "
        "encoding floor (same text) | build ÷ floor | peak RSS (build) | on disk | load | "
        "answer p50 / p95 | quality check | skipped |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        build, floor, answers = r["build"], r["floor"], r["answers"]
        minutes = build["seconds"] / 60
        held = sum(q["holds_gold"] for q in answers["quality"])
        lines.append(
            f"| {r['files']:,} ({r['pages']:,}) | {build['model']} | {build['seconds']:.0f} s "
            f"({build['passages']:,} passages) | {r['files'] / minutes:,.0f} | "
            f"{r['pages'] / minutes:,.0f} | {floor['seconds']:.0f} s ({floor['texts']:,} "
            f"texts; reading {floor['read_seconds']:.0f} s) | "
            f"{build['seconds'] / floor['seconds']:.2f}× | {build['peak_rss_mb']:,.0f} MB | "
            f"{r['disk_mb']:,.0f} MB | {answers['load_seconds']:.2f} s | "
            f"{answers['answer_ms']['p50']:.0f} / {answers['answer_ms']['p95']:.0f} ms | "
            f"{held} / {len(answers['quality'])} | {len(build['skipped'])} |"
        )
    return "\n".join(lines)
