"""Speed and memory of build, answers, the CLI and the app, each against an honest floor.

    python -m bench.perf [--docs N] [--work DIR] [--json OUT] [--only build,answers,cli,app]
    python -m bench.perf --only first-use

Corpus: SciFact (`../shared/bench/scifact`), one file per abstract. Every measurement runs in
a fresh process, and each is set against a floor measured in the same run:

- build: `build_index` from nothing, against encoding each document's text once with the same
  int8 ONNX model (and with PyTorch, the choice a user would otherwise make), plus a flat
  FAISS add; then one file changed and rebuilt (incremental);
- answers: `Index.answer` per SciFact query against the per-query floor (encode the question,
  one flat search), the cost of each stage, and the product's nDCG@10;
- cli: a cold `python -m indexer ask`, the page (`python app.py`) from its start to its first
  answer, and an MCP client from launching `python -m indexer mcp` to its first answer, each
  against a bare process that loads the tokenizer and the ONNX session and encodes one question;
- ocr: a 100-page image-only PDF built from nothing against bare Tesseract on its pages, one
  process per core (bench/ocr.py, which also gives OCR's error rate per kind of scan);
- csv: a 100,000-row CSV built from nothing against encoding each row once (bench/formats.py,
  which also times every format on the test files);
- e5: the same documents built from nothing with the English model and with
  multilingual-e5-small (both int8 ONNX; the choice 'auto' makes for other languages): SciFact's
  first 1,000 abstracts and XQuAD's paragraphs in its 12 languages;
- app: `python app.py` start to first answer against a bare process that imports gradio and
  loads the model; `/ask` round trips over loopback; the app's peak memory with the seeds;
- first-use (not in the default parts): each bundled model's first use from an empty cache
  against its second use, e5 against English (bench/first_use.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import metrics as m
from bench.common.corpora import scifact, write_docs
from bench.common.runs import variant

ROOT = Path(__file__).resolve().parent.parent
CHANGED_FILE_NOTE = " This sentence was added to time an incremental rebuild."
READER_STAGE = "reader: cross-encoder on the best units"
QUESTION = "Vitamin D deficiency is associated with an increased risk of fractures."
BARE_ONNX = (
    "from indexer.embed.onnx_encoder import OnnxEncoder; "
    "from indexer.embed.onnx_export import exported_model; "
    "from indexer.embed.embedders import resolve_model; "
    "e = OnnxEncoder(*exported_model(resolve_model('all-MiniLM-L6-v2'))); e.encode(['{q}'])"
)
BARE_APP = "import gradio; " + BARE_ONNX


def main() -> int:
    """Run every measurement, print the table, write the JSON."""
    args = _parser().parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return 0
    corpus = scifact(args.shared)
    names = sorted(corpus.files)[: args.docs] if args.docs else sorted(corpus.files)
    docs, index_dir = args.work / "docs", args.work / "index"
    write_docs(docs, {name: corpus.files[name] for name in names})
    common = ["--docs-dir", str(docs), "--index-dir", str(index_dir), "--shared", str(args.shared)]
    parts, results = set(args.only.split(",")), {"documents": len(names)}
    if "first-use" in parts:
        from bench import first_use

        results["first_use"] = first_use.measure(args.starts)
        print(first_use.table(results["first_use"]), flush=True)
    if "build" in parts:
        shutil.rmtree(index_dir, ignore_errors=True)
        results["floor"] = _child("floor", [*common, "--backend", "onnx-int8"])
        results["torch_floor"] = _child("floor", [*common, "--backend", "torch"])
        results["build"] = _child("build", common)
        print(_table(results), flush=True)
    if "answers" in parts:
        results["answers"] = _child("answers", common)
    if "cli" in parts:
        command = ["-m", "indexer", "ask", QUESTION, "--index", str(index_dir)]
        results["cli"] = {
            "ask_s": _timed(command, args.starts),
            "bare_s": _timed(["-c", BARE_ONNX.format(q=QUESTION)], args.starts),
            "page_s": statistics.median(
                _page_first_answer(docs, index_dir, args.work / "app") for _ in range(args.starts)
            ),
            "mcp_s": statistics.median(_mcp_first_answer(index_dir) for _ in range(args.starts)),
        }
    if "app" in parts:
        results["app"] = _app(docs, index_dir, args)
    if "load" in parts:
        if not (index_dir / "CURRENT").is_file():
            _child("build", common)
        results["load"] = {
            "SciFact": _child("load", [*common, "--backend", "scifact"]),
            "synthetic": _child(
                "load",
                [*common, "--backend", "synthetic", "--load-sizes", args.load_sizes]
                + ["--scale-work", str(args.scale_work)],
            ),
        }
    if "ocr" in parts:
        results["ocr"] = _child("ocr", [*common, "--backend", str(args.ocr_pages)])
    if "csv" in parts:
        results["csv"] = _child("csv", [*common, "--backend", str(args.csv_rows)])
    if "e5" in parts:
        results["e5"] = _models(corpus, names, args)
    print(_table(results), flush=True)
    m.write_json(args.json, results)
    print(f"\nwrote {args.json}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, help="use only the first N SciFact abstracts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-perf"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "perf.json")
    parser.add_argument("--calls", type=int, default=20, help="timed /ask calls (default 20)")
    parser.add_argument("--starts", type=int, default=3, help="timed cold starts (default 3)")
    parser.add_argument(
        "--only",
        default="build,answers,cli,app,load,ocr,csv,e5",
        help="parts; later ones reuse the built index",
    )
    parser.add_argument(
        "--load-sizes",
        default="1000000",
        help="synthetic sizes the load check also times (bench.scale's, written once)",
    )
    parser.add_argument("--scale-work", type=Path, default=Path("/tmp/verbatim-scale"))
    parser.add_argument("--ocr-pages", type=int, default=100, help="pages of the scanned book")
    parser.add_argument("--csv-rows", type=int, default=100_000, help="rows of the large CSV")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--docs-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    return parser


def _child(kind: str, extra: list[str]) -> dict:
    """Run one measurement in a fresh interpreter and return what it printed."""
    command = [sys.executable, "-m", "bench.perf", "--child", kind, *extra]
    print(f"== {kind} {' '.join(extra[-2:])}", file=sys.stderr, flush=True)
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _timed(command: list[str], runs: int) -> float:
    """Return the median wall time of a fresh `python COMMAND`."""
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, check=True)
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds)


# -- measurements, each in its own process ------------------------------------------------


def _loaded(backend: str = "onnx-int8"):
    """Return settings and an embedder for the backend, the model loaded and warm."""
    from indexer.embed.choice import embedder_for
    from indexer.settings import Settings

    settings = Settings.from_env(backend=backend)
    embedder = embedder_for(settings)
    embedder.encode(["warm up the model", "and its tokenizer"])
    return settings, embedder


def _floor(args) -> dict:
    """Encode each document's text once (batched for PyTorch), then a flat FAISS add."""
    import faiss

    from indexer.read.documents import Document, find_files, read_document

    _, embedder = _loaded(args.backend)
    documents = [read_document(args.docs_dir, p, 10**9) for p in find_files(args.docs_dir)]
    texts = [d.text for d in documents if isinstance(d, Document)]
    began = time.perf_counter()
    vectors = embedder.encode(texts)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return {"seconds": time.perf_counter() - began, "texts": len(texts), "rss": m.peak_rss_mb()}


def _build(args) -> dict:
    """A full build from nothing, then an incremental rebuild after one changed file."""
    from indexer import build_index

    settings, embedder = _loaded()
    began = time.perf_counter()
    full = build_index(args.docs_dir, args.index_dir, settings, embedder)
    full_seconds, full_rss = time.perf_counter() - began, m.peak_rss_mb()
    changed = sorted(args.docs_dir.glob("*.txt"))[len(full.changes.added) // 2]
    original = changed.read_bytes()
    try:
        changed.write_bytes(original + CHANGED_FILE_NOTE.encode())
        began = time.perf_counter()
        build_index(args.docs_dir, args.index_dir, settings, embedder)
        incremental_seconds = time.perf_counter() - began
    finally:
        changed.write_bytes(original)
    build_index(args.docs_dir, args.index_dir, settings, embedder)  # back to the corpus as is
    return {
        "seconds": full_seconds,
        "passages": full.passages,
        "encoded": full.embedded,
        "rss": full_rss,
        "incremental_seconds": incremental_seconds,
    }


def _answers(args) -> dict:
    """Index.answer next to the per-query floor; what each stage costs; nDCG@10."""
    import faiss

    from indexer import load_index

    settings, embedder = _loaded()
    index = load_index(args.index_dir, settings, embedder)
    flat = faiss.IndexFlatIP(index.stored.vectors.shape[1])
    flat.add(np.ascontiguousarray(index.stored.vectors, dtype=np.float32))
    questions = [q.text for q in scifact(args.shared).questions]
    for text in questions[:5]:  # warm every path
        index.answer(text)
    without_reader = variant(index, reader="off")
    timings = {"floor": [], "answer": [], "answer, reader off": []}
    for text in questions:
        t0 = time.perf_counter()
        flat.search(embedder.encode([text]), 10)
        t1 = time.perf_counter()
        index.answer(text)
        t2 = time.perf_counter()
        without_reader.answer(text)
        timings["floor"].append(t1 - t0)
        timings["answer"].append(t2 - t1)
        timings["answer, reader off"].append(time.perf_counter() - t2)
    # Stage costs on a freshly loaded index (so no search is answered from the last pass):
    # each stage the pipeline calls is timed where it is called, the rest is "other".
    index = load_index(args.index_dir, settings, embedder)
    stages = _timed_stages(index)
    for text in questions:
        for key in stages:  # this question's entry of every stage, added to by its calls
            stages[key].append(0.0)
        began = time.perf_counter()
        index.answer(text)
        stages["whole"][-1] = time.perf_counter() - began
    whole = np.array(stages["whole"])
    timed = {key: np.array(v) for key, v in stages.items() if key != "whole"}
    stages_ms = {key: float(np.median(v) * 1000) for key, v in timed.items()}
    outer = [v for key, v in timed.items() if key != READER_STAGE]  # the reader runs in "score"
    stages_ms["other (units, features' inputs, checks, quotes)"] = float(
        np.median(whole - sum(outer)) * 1000
    )
    index = load_index(args.index_dir, settings, embedder)
    ndcg = []
    for question in scifact(args.shared).questions:
        hits = index.search(question.text, k=1000)
        ndcg.append(m.ndcg_at(m.first_per_document([h.source for h in hits]), question.relevant))
    return {key: m.percentiles_ms(v) for key, v in timings.items()} | {
        "stages_p50_ms": stages_ms,
        "ndcg@10": float(np.mean(ndcg)),
    }


def _timed_stages(index) -> dict[str, list[float]]:
    """Wrap the index's and the scorer's stage methods so that each call is timed."""
    from indexer.answer import pipeline as answers
    from indexer.answer.reader import shipped_reader
    from indexer.answer.scoring import load_scorer, scorer_file

    stages: dict[str, list[float]] = {"whole": []}

    def timed(name, function):
        stages[name] = []

        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if stages[name]:  # calls outside the timed loop are not counted
                    stages[name][-1] += time.perf_counter() - began

        return wrapper

    index.encode_query = timed("encode the question", index.encode_query)
    index.retrieve = timed("retrieve: dense + BM25 + fusion", index.retrieve)
    index.nearest_unit_passages = timed("nearest sentences", index.nearest_unit_passages)
    shipped = load_scorer(scorer_file(index.settings.model))
    reader = shipped_reader()  # the one instance the scorer calls
    reader.logits = timed(READER_STAGE, reader.logits)

    class Scorer:  # the shipped scorer, timed
        score = staticmethod(timed("score: features, ranker, reader, answer model", shipped.score))

    index.answer = lambda question, scope=None: answers.answer_question(index, question, Scorer())
    return stages


def _load_check(args) -> dict:
    """Load time with and without checking every byte (bench/load_check.py)."""
    from bench import load_check

    if args.backend == "scifact":
        return load_check.scifact(args.index_dir)
    return {
        f"{int(size):,}": load_check.synthetic(int(size), args.scale_work)
        for size in args.load_sizes.split(",")
    }


def _ocr(args) -> dict:
    """A scanned book built from nothing against the bare OCR engine (bench/ocr.py)."""
    from bench import ocr

    paragraphs = ocr.paragraphs(args.shared)
    return ocr.build_ratio(paragraphs, int(args.backend), args.docs_dir.parent / "ocr")


def _csv(args) -> dict:
    """A large CSV built from nothing against encoding each row once (bench/formats.py)."""
    from bench import formats

    settings, embedder = _loaded()
    return formats.big_csv(args.docs_dir.parent / "csv", int(args.backend), settings, embedder)


def _models(corpus, names: list[str], args) -> dict:
    """Each model builds the same documents from nothing, each in a fresh process."""
    from bench.common.corpora import XQUAD_LANGUAGES, xquad
    from indexer.embed.embedders import E5_MODEL
    from indexer.settings import DEFAULT_MODEL

    xquad_files = {
        f"{language}-{name}": text
        for language in XQUAD_LANGUAGES
        for name, text in xquad(args.shared, language).files.items()
    }
    sets = {
        "SciFact, 1,000 abstracts (English)": {n: corpus.files[n] for n in names[:1000]},
        "XQuAD, 840 paragraphs in 12 languages": xquad_files,
    }
    found = {}
    for label, files in sets.items():
        folder = args.work / "models" / label.split(",")[0].lower()
        write_docs(folder / "docs", files)
        common = ["--docs-dir", str(folder / "docs"), "--index-dir", str(folder / "index")]
        found[label] = {
            model: _child("model_build", [*common, "--backend", model])
            for model in (DEFAULT_MODEL, E5_MODEL)
        }
    return found


def _model_build(args) -> dict:
    """Build the documents from nothing with the model named in --backend, loaded and warm."""
    from indexer import build_index
    from indexer.embed.choice import embedder_for
    from indexer.settings import Settings

    settings = Settings.from_env(model=args.backend)
    embedder = embedder_for(settings)
    embedder.encode(["warm up the model", "and its tokenizer"])
    shutil.rmtree(args.index_dir, ignore_errors=True)
    began = time.perf_counter()
    report = build_index(args.docs_dir, args.index_dir, settings, embedder)
    return {"seconds": time.perf_counter() - began, "passages": report.passages}


CHILDREN = {
    "floor": _floor, "build": _build, "answers": _answers, "load": _load_check, "ocr": _ocr,
    "csv": _csv, "model_build": _model_build,
}  # fmt: skip


def _app(docs: Path, index_dir: Path, args) -> dict:
    """app.py on the SciFact index: start to first answer, /ask round trips; then on the seeds."""
    from gradio_client import Client

    from bench.app_latency import start, stop, wait_until_up

    work = args.work / "app"
    round_trips, http_trips = [], []

    def round_trips_of(client, url) -> None:
        for _ in range(args.calls):
            t = time.perf_counter()
            client.predict(QUESTION, api_name="/ask")
            round_trips.append(time.perf_counter() - t)
        http_trips.extend(_http_round_trips(url, args.calls))

    starts = [_page_first_answer(docs, index_dir, work, round_trips_of)]
    starts += [_page_first_answer(docs, index_dir, work) for _ in range(args.starts - 1)]
    seeds_index = work / "seeds-index"
    process, url = start(ROOT / "seeds", seeds_index, work)
    try:
        wait_until_up(process, url)
        Client(url, verbose=False).predict("Who founded Anthropic?", api_name="/ask")
        seeds_peak = _process_peak_mb(process.pid)
    finally:
        stop(process)
    return {
        "start_to_first_answer_s": statistics.median(starts),
        "bare_s": _timed(["-c", BARE_APP.format(q=QUESTION)], args.starts),
        "ask_round_trip_ms": m.percentiles_ms(round_trips),
        "http_round_trip_ms": m.percentiles_ms(http_trips),
        "seeds_peak_rss_mb": seeds_peak,
    }


def _page_first_answer(docs: Path, index_dir: Path, work: Path, then=None) -> float:
    """Start app.py on the index; return the seconds from launch to its first answer in hand.

    then(client, url), if given, runs after the timed answer, on the same running page.
    """
    from gradio_client import Client

    from bench.app_latency import start, stop, wait_until_up

    work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    process, url = start(docs, index_dir, work)
    try:
        wait_until_up(process, url)
        client = Client(url, verbose=False)
        client.predict(QUESTION, api_name="/ask")
        seconds = time.perf_counter() - began
        if then is not None:
            then(client, url)
    finally:
        stop(process)
    return seconds


def _mcp_first_answer(index_dir: Path) -> float:
    """Return the seconds from an MCP client launching `python -m indexer mcp` to its first
    answer (bench/mcp.py: the official SDK's stdio client, initialise, then `ask`)."""
    import asyncio
    import os

    from bench.mcp import first_answer

    return asyncio.run(first_answer(index_dir, dict(os.environ), QUESTION))


def _http_round_trips(url: str, calls: int) -> list[float]:
    """Time /ask as any HTTP client calls it: POST the question, read the result's stream."""
    import httpx

    seconds = []
    with httpx.Client(timeout=60) as http:
        for _ in range(calls):
            began = time.perf_counter()
            posted = http.post(f"{url}/gradio_api/call/ask", json={"data": [QUESTION, ""]})
            result = http.get(f"{url}/gradio_api/call/ask/{posted.json()['event_id']}")
            assert "event: complete" in result.text, result.text[:200]
            seconds.append(time.perf_counter() - began)
    return seconds


def _process_peak_mb(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _table(r: dict) -> str:
    rows = [("measure", "figure", "against")]
    if "build" in r:
        build, floor, torch = (
            r["build"]["seconds"],
            r["floor"]["seconds"],
            r["torch_floor"]["seconds"],
        )
        rows += [
            ("documents / passages", f"{r['documents']:,} / {r['build']['passages']:,}", ""),
            ("floor: each document once, int8 ONNX", f"{floor:.1f} s", ""),
            ("floor: each document once, PyTorch", f"{torch:.1f} s", ""),
            (
                "full build",
                f"{build:.1f} s",
                f"{build / floor:.2f}× ONNX floor, {build / torch:.2f}× PyTorch floor",
            ),
            (
                "incremental rebuild, one file changed",
                f"{r['build']['incremental_seconds']:.2f} s",
                f"{r['build']['incremental_seconds'] / build:.2%} of full",
            ),
            (
                "peak RSS: floor / build",
                f"{r['floor']['rss']:.0f} / {r['build']['rss']:.0f} MB",
                "",
            ),
        ]
    if "answers" in r:
        a = r["answers"]
        rows += [
            (
                "Index.answer p50 / p95",
                f"{a['answer']['p50']:.1f} / {a['answer']['p95']:.1f} ms",
                f"{a['answer']['p50'] / a['floor']['p50']:.2f}× the floor at p50",
            ),
            (
                "Index.answer p50, reader off (same run)",
                f"{a['answer, reader off']['p50']:.1f} ms",
                f"the reader adds {a['answer']['p50'] - a['answer, reader off']['p50']:.1f} ms "
                "at p50 (target ≤ 40 ms)",
            ),
            ("per-query floor (encode + flat search)", f"{a['floor']['p50']:.1f} ms", ""),
            *[
                (f"  stage p50: {stage}", f"{ms:.1f} ms", "")
                for stage, ms in a["stages_p50_ms"].items()
            ],
            ("SciFact nDCG@10", f"{a['ndcg@10']:.3f}", ""),
        ]
    if "cli" in r:
        c = r["cli"]
        floor = f"a bare tokenizer + ONNX process ({c['bare_s']:.2f} s)"
        rows += [
            (label, f"{c[key]:.2f} s", f"{c[key] / c['bare_s']:.2f}× {floor}")
            for label, key in (
                ("cold `python -m indexer ask`", "ask_s"),
                ("page: `python app.py` start to first answer", "page_s"),
                ("MCP: launch `python -m indexer mcp` to first `ask` answer", "mcp_s"),
            )
            if key in c
        ]
    if "app" in r:
        p = r["app"]
        rows += [
            ("app start to first answer", f"{p['start_to_first_answer_s']:.2f} s",
             f"{p['start_to_first_answer_s'] / p['bare_s']:.2f}× import gradio + model "
             f"({p['bare_s']:.2f} s)"),
            ("/ask over HTTP (call + SSE result, one connection), median",
             f"{p['http_round_trip_ms']['p50']:.0f} ms", ""),
            ("/ask through gradio_client.predict, median",
             f"{p['ask_round_trip_ms']['p50']:.0f} ms", ""),
            ("app peak RSS with the seeds", f"{p['seeds_peak_rss_mb']:.0f} MB", ""),
        ]  # fmt: skip
    if "load" in r:
        from bench.load_check import rows as load_rows

        synthetic = [("synthetic", found) for found in r["load"]["synthetic"].values()]
        rows += load_rows([("SciFact", r["load"]["SciFact"]), *synthetic])
    if "ocr" in r:
        o = r["ocr"]
        rows += [
            (f"bare Tesseract on a {o['pages']}-page scan, {o['workers']} at a time",
             f"{o['bare_s']:.1f} s", ""),
            (f"build of the {o['pages']}-page scan from nothing", f"{o['build_s']:.1f} s",
             f"{o['ratio']:.2f}× the bare engine (target ≤ 1.3×)"),
        ]  # fmt: skip
    if "csv" in r:
        c = r["csv"]
        rows += [
            (f"floor: each of a CSV's {c['rows']:,} rows encoded once",
             f"{c['floor_s']:.1f} s", ""),
            (f"build of the {c['rows']:,}-row CSV from nothing", f"{c['build_s']:.1f} s",
             f"{c['ratio']:.2f}× the rows floor, {c['ratio_with_header']:.2f}× rows with header"),
        ]  # fmt: skip
    if "first_use" in r:
        from bench.first_use import rows as first_use_rows

        rows += first_use_rows(r["first_use"])
    for label, by_model in r.get("e5", {}).items():
        english, e5 = (found["seconds"] for found in by_model.values())
        rows += [
            (f"build, {label}: all-MiniLM-L6-v2 / multilingual-e5-small",
             f"{english:.1f} s / {e5:.1f} s", f"{e5 / english:.2f}× (target ≤ 2.5×)"),
        ]  # fmt: skip
    lines = [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join([lines[0], "|---|---|---|", *lines[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
