"""The same answers from either store: local (FAISS + bm25s) against Milvus Lite, one run.

    python -m bench.stores [--only seeds,scifact] [--work DIR] [--json OUT]

Each benchmark is built into both stores with the default model, then asked the same questions:
- seeds: the seeds dev questions (`../shared/qa/seeds-dev.jsonl`), question by question: is the
  first quote (or the refusal) the same? and `indexer.answer.evaluate`'s figures for each store;
- scifact: nDCG@10 and recall@100 of the product's ranking (all 150 judged claims).
Build time and answer latency are reported too (Milvus Lite serves from Python threads in the
process; a Milvus server is another matter, see docs/scaling.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import metrics as m
from bench.common.corpora import scifact, write_docs
from bench.common.runs import Progress

ROOT = Path(__file__).resolve().parent.parent
STORES = ("local", "milvus")


def main() -> int:
    """Build each benchmark into both stores, ask, compare, print the tables, write JSON."""
    args = _parser().parse_args()
    from indexer.embed.choice import embedder_for
    from indexer.settings import Settings

    embedder = embedder_for(Settings.from_env())
    results = {}
    for name in args.only.split(","):
        results[name] = {}
        for store_name in STORES:
            settings = Settings.from_env(
                milvus_uri=str(args.work / f"{name}.db") if store_name == "milvus" else None
            )
            index, build_seconds = _built(name, args, settings, embedder)
            results[name][store_name] = {"build_seconds": build_seconds} | RUNS[name](index, args)
            from indexer.store.milvus.store import release

            release(settings.milvus_uri)
        print(_table(name, results[name]), flush=True)
    m.write_json(args.json, results)
    print(f"\nwrote {args.json}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="seeds,scifact")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-stores"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "stores.json")
    return parser


def _built(name: str, args, settings, embedder):
    """Build (or bring up to date) a benchmark's index in one store; return it and the time."""
    from indexer import build_index, load_index

    docs = ROOT / "seeds" if name == "seeds" else args.work / f"{name}-docs"
    if name == "scifact":
        write_docs(docs, scifact(args.shared / "bench").files)
    index_dir = args.work / f"{name}-index"
    began = time.perf_counter()
    report = build_index(docs, index_dir, settings, embedder, progress=Progress(name))
    seconds = time.perf_counter() - began
    print(f"[{name}] {report.summary()}", file=sys.stderr, flush=True)
    return load_index(index_dir, settings, embedder), seconds


def _seeds(index, args) -> dict:
    """The seeds dev questions: each one's first quote, and the evaluation's figures."""
    from indexer.answer.evaluate import evaluate, read_questions

    questions = read_questions(args.shared / "qa" / "seeds-dev.jsonl")
    result = evaluate(index, questions)
    firsts = []
    for question in questions:
        answer = index.answer(question.question)
        quote = None if answer.refused else answer.quotes[0]
        firsts.append(None if quote is None else [quote.source, quote.start, quote.end])
    return {"metrics": result["metrics"], "first_quotes": firsts}


def _scifact(index, args) -> dict:
    """nDCG@10 and recall@100 of documents ranked by their best passage; retrieval latency."""
    questions = scifact(args.shared / "bench").questions
    ndcg, recall, latencies = [], [], []
    for question in questions:
        began = time.perf_counter()
        hits = index.search(question.text, k=1000)
        latencies.append(time.perf_counter() - began)
        ranked = m.first_per_document([h.source for h in hits])
        ndcg.append(m.ndcg_at(ranked, question.relevant, 10))
        recall.append(m.recall_at(ranked, question.relevant, 100))
    return {
        "ndcg@10": float(np.mean(ndcg)),
        "recall@100": float(np.mean(recall)),
        "search_ms": m.percentiles_ms(latencies),
    }


RUNS = {"seeds": _seeds, "scifact": _scifact}


def _table(name: str, by_store: dict) -> str:
    local, milvus = by_store["local"], by_store["milvus"]
    rows = [("build", f"{local['build_seconds']:.1f} s", f"{milvus['build_seconds']:.1f} s")]
    if name == "seeds":
        same = sum(
            a == b for a, b in zip(local["first_quotes"], milvus["first_quotes"], strict=True)
        )
        rows.append(
            ("same first quote (or refusal)", f"{same} of {len(local['first_quotes'])}", "")
        )
        for key in ("first_quote_hit", "refusal_recall", "false_refusals", "latency_p50_ms"):
            rows.append((key, str(local["metrics"][key]), str(milvus["metrics"][key])))
    else:
        for key in ("ndcg@10", "recall@100"):
            rows.append((key, f"{local[key]:.4f}", f"{milvus[key]:.4f}"))
        rows.append(
            ("search p50 (k=1000)", f"{local['search_ms']['p50']:.1f} ms",
             f"{milvus['search_ms']['p50']:.1f} ms")
        )  # fmt: skip
    lines = [f"## {name}", "", "| measure | local | Milvus Lite |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
