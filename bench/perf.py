"""Speed and memory of build, answers and app, each against the model's own floor, in one run.

    python -m bench.perf [--backends torch,onnx-int8] [--docs N] [--work DIR] [--json OUT]

Corpus: SciFact (`../shared/bench/scifact`), one file per abstract. Every measurement that is
compared runs in a fresh process with the model already loaded and warm, so ratios compare
like with like:

- floor: raw `SentenceTransformer.encode` of exactly the texts the build embeds (passages and
  sentences), then adding them to a flat FAISS index; per query, encoding the question and one
  flat search over the passage vectors;
- build: `build_index` from nothing; then one file changed and rebuilt (incremental);
- answers: `Index.answer` over the SciFact queries, next to the per-query floor, interleaved;
  and the product's SciFact nDCG@10 on that backend's index (the backend's quality check);
- app: `python app.py` start to first answered question with the existing index, `/ask` round
  trip over loopback with gradio_client (median of --calls), and the app's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import metrics as m
from bench.common.corpora import scifact, write_docs

ROOT = Path(__file__).resolve().parent.parent

CHANGED_FILE_NOTE = " This sentence was added to time an incremental rebuild."


def main() -> int:
    """Run every measurement, print the table, write the JSON."""
    args = _parser().parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return 0
    corpus = scifact(args.shared)
    names = sorted(corpus.files)[: args.docs] if args.docs else sorted(corpus.files)
    docs = args.work / "docs"
    write_docs(docs, {name: corpus.files[name] for name in names})
    results = {"documents": len(names), "backends": {}}
    parts = set(args.only.split(","))
    for backend in args.backends.split(","):
        index_dir = args.work / f"index-{backend}"
        common = ["--backend", backend, "--docs-dir", str(docs), "--index-dir", str(index_dir)]
        row = {}
        if "build" in parts:
            shutil.rmtree(index_dir, ignore_errors=True)
            row = {"floor": _child("floor", common), "build": _child("build", common)}
        if "answers" in parts:
            row["answers"] = _child("answers", [*common, "--shared", str(args.shared)])
        if "app" in parts and backend == args.app_backend:
            row["app"] = _app(docs, index_dir, backend, args)
        results["backends"][backend] = row
        print(_table(results), flush=True)
    m.write_json(args.json, results)
    print(f"\nwrote {args.json}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="torch,onnx-int8", help="comma-separated")
    parser.add_argument("--docs", type=int, help="use only the first N SciFact abstracts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-perf"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "perf.json")
    parser.add_argument("--calls", type=int, default=20, help="timed /ask calls (default 20)")
    parser.add_argument("--starts", type=int, default=3, help="timed app starts (default 3)")
    parser.add_argument("--app-backend", default="onnx-int8", help="backend the app is timed with")
    parser.add_argument(
        "--only",
        default="build,answers,app",
        help="parts to run; answers and app reuse the indexes of an earlier build run",
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--docs-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    return parser


def _child(kind: str, extra: list[str]) -> dict:
    """Run one measurement in a fresh interpreter and return what it printed."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *extra]
    print(f"== {kind} {' '.join(extra[:2])}", file=sys.stderr, flush=True)
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- measurements, each in its own process ------------------------------------------------


def _loaded(args):
    """Return settings and an embedder for the backend, the model loaded and warm."""
    from indexer.embedding import embedder_for
    from indexer.settings import Settings

    settings = Settings.from_env(backend=args.backend)
    began = time.perf_counter()
    embedder = embedder_for(settings)
    embedder.encode(["warm up the model", "and its tokenizer"])
    return settings, embedder, time.perf_counter() - began


def _floor(args) -> dict:
    """Raw model.encode of the texts a build embeds, plus a flat FAISS add."""
    import faiss

    from indexer.build import embedding_texts, split_block
    from indexer.documents import Document, find_files, read_document

    settings, embedder, load_seconds = _loaded(args)
    documents = [read_document(args.docs_dir, p, 10**9) for p in find_files(args.docs_dir)]
    blocks = [split_block(d, settings) for d in documents if isinstance(d, Document)]
    texts = embedding_texts(blocks)
    began = time.perf_counter()
    vectors = embedder.model.encode(
        texts, batch_size=settings.batch_size, normalize_embeddings=True, convert_to_numpy=True
    )
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return {
        "seconds": time.perf_counter() - began,
        "texts": len(texts),
        "model_load_seconds": load_seconds,
        "peak_rss_mb": m.peak_rss_mb(),
    }


def _build(args) -> dict:
    """A full build from nothing, then an incremental rebuild after one changed file."""
    from indexer import build_index

    settings, embedder, _ = _loaded(args)
    began = time.perf_counter()
    full = build_index(args.docs_dir, args.index_dir, settings, embedder)
    full_seconds = time.perf_counter() - began
    full_rss = m.peak_rss_mb()
    changed = sorted(args.docs_dir.glob("*.txt"))[len(full.added) // 2]
    original = changed.read_bytes()
    try:
        changed.write_bytes(original + CHANGED_FILE_NOTE.encode())
        began = time.perf_counter()
        incremental = build_index(args.docs_dir, args.index_dir, settings, embedder)
        incremental_seconds = time.perf_counter() - began
    finally:
        changed.write_bytes(original)
    build_index(args.docs_dir, args.index_dir, settings, embedder)  # back to the corpus as is
    return {
        "seconds": full_seconds,
        "passages": full.passages,
        "embedded": full.embedded,
        "peak_rss_mb": full_rss,
        "incremental_seconds": incremental_seconds,
        "incremental_embedded": incremental.embedded,
        "incremental_changed": incremental.changed,
    }


def _answers(args) -> dict:
    """Index.answer per SciFact query next to the per-query floor; the product's nDCG@10."""
    import faiss

    from indexer import load_index

    settings, embedder, _ = _loaded(args)
    began = time.perf_counter()
    index = load_index(args.index_dir, settings, embedder)
    load_seconds = time.perf_counter() - began
    flat = faiss.IndexFlatIP(index.stored.vectors.shape[1])
    flat.add(np.ascontiguousarray(index.stored.vectors, dtype=np.float32))
    questions = scifact(args.shared).questions
    for question in questions[:5]:  # warm both paths
        index.answer(question.text)
        flat.search(embedder.encode([question.text]), 10)
    floor, answer = [], []
    for question in questions:
        began = time.perf_counter()
        flat.search(embedder.encode([question.text]), 10)
        floor.append(time.perf_counter() - began)
        began = time.perf_counter()
        index.answer(question.text)
        answer.append(time.perf_counter() - began)
    ndcg = []
    for question in questions:
        hits = index.search(question.text, k=1000)
        ndcg.append(m.ndcg_at(m.first_per_document([h.source for h in hits]), question.relevant))
    return {
        "queries": len(questions),
        "index_load_seconds": load_seconds,
        "floor_ms": m.percentiles_ms(floor),
        "answer_ms": m.percentiles_ms(answer),
        "ndcg@10": float(np.mean(ndcg)),
    }


CHILDREN = {"floor": _floor, "build": _build, "answers": _answers}


def _app(docs: Path, index_dir: Path, backend: str, args) -> dict:
    """Start app.py on the built index: time to first answer, /ask round trips, peak memory."""
    from gradio_client import Client

    from bench.app_latency import start, stop, wait_until_up

    question = "Vitamin D deficiency is associated with an increased risk of fractures."
    os.environ["VERBATIM_BACKEND"] = backend
    work = args.work / "app"
    work.mkdir(parents=True, exist_ok=True)
    starts, round_trips, peak = [], [], 0.0
    for run in range(args.starts):
        began = time.perf_counter()
        process, url = start(docs, index_dir, work)
        try:
            wait_until_up(process, url)
            client = Client(url, verbose=False)
            client.predict(question, api_name="/ask")
            starts.append(time.perf_counter() - began)
            if run == 0:
                for _ in range(args.calls):
                    t = time.perf_counter()
                    client.predict(question, api_name="/ask")
                    round_trips.append(time.perf_counter() - t)
            peak = max(peak, _process_peak_mb(process.pid))
        finally:
            stop(process)
    return {
        "start_to_first_answer_s": statistics.median(starts),
        "starts_s": starts,
        "ask_round_trip_ms": m.percentiles_ms(round_trips),
        "peak_rss_mb": peak,
    }


# -- helpers ---------------------------------------------------------------------------------


def _process_peak_mb(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _table(results: dict) -> str:
    backends = results["backends"]
    torch_floor = next(iter(backends.values())).get("floor", {}).get("seconds", float("nan"))
    rows = ["| measure | " + " | ".join(backends) + " |", "|---|" + "---|" * len(backends)]
    for label, cell in _ROWS(torch_floor):
        cells = []
        for row in backends.values():
            try:
                cells.append(cell(row))
            except KeyError:  # measured for another backend only
                cells.append("—")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _ROWS(torch_floor: float):  # noqa: N802 - a table definition, read like a constant
    def ms(block: dict) -> str:
        return f"{block['p50']:.1f} / {block['p95']:.1f} ms"

    def ratio(r: dict) -> str:
        answer, floor = r["answers"]["answer_ms"], r["answers"]["floor_ms"]
        return f"{answer['p50'] / floor['p50']:.2f}× / {answer['p95'] / floor['p95']:.2f}×"

    return [
        ("texts embedded (passages + sentences)", lambda r: f"{r['floor']['texts']:,}"),
        ("floor: model.encode + flat FAISS add", lambda r: f"{r['floor']['seconds']:.1f} s"),
        ("full build", lambda r: f"{r['build']['seconds']:.1f} s"),
        ("full build / floor", lambda r: f"{r['build']['seconds'] / r['floor']['seconds']:.2f}×"),
        ("full build / PyTorch floor", lambda r: f"{r['build']['seconds'] / torch_floor:.2f}×"),
        ("incremental rebuild (one file changed)",
         lambda r: f"{r['build']['incremental_seconds']:.2f} s"),
        ("incremental / full build",
         lambda r: f"{r['build']['incremental_seconds'] / r['build']['seconds']:.2%}"),
        ("Index.answer p50 / p95", lambda r: ms(r["answers"]["answer_ms"])),
        ("per-query floor p50 / p95", lambda r: ms(r["answers"]["floor_ms"])),
        ("answer / floor (p50 / p95)", ratio),
        ("SciFact nDCG@10 (product)", lambda r: f"{r['answers']['ndcg@10']:.3f}"),
        ("index load (answers process)", lambda r: f"{r['answers']['index_load_seconds']:.2f} s"),
        ("peak RSS: floor / build",
         lambda r: f"{r['floor']['peak_rss_mb']:.0f} / {r['build']['peak_rss_mb']:.0f} MB"),
        ("app: start to first answer",
         lambda r: f"{r['app']['start_to_first_answer_s']:.2f} s"),
        ("app: /ask round trip median", lambda r: f"{r['app']['ask_round_trip_ms']['p50']:.0f} ms"),
        ("app: peak RSS", lambda r: f"{r['app']['peak_rss_mb']:.0f} MB"),
    ]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
