"""Load time, search latency, recall and memory of the index at 10k, 100k and 1M passages.

    python -m bench.scale [--sizes 10000,100000,1000000] [--stores local,milvus] [--queries 200]
    python -m bench.scale --files 1000   # real files instead: see bench/scale_files.py

The model cannot embed a million passages here in time, so passages and vectors are synthetic:
one sentence of Zipf-distributed words per passage, and unit vectors with the shape of real
sentence embeddings: 4,000 topics in a 48-dimensional latent space, mapped into 384 dimensions,
plus a little noise in all of them (uniformly random vectors have no near neighbours at all and
make any approximate index look worse than it is on text).

Each size is written with the product's own store (the local folder: passage records, vectors,
BM25 and, from `ann_min_rows` on, HNSW graphs; or Milvus Lite: the three collections, HNSW from
the same size on) and measured in a fresh process through `load_index` and `retrieve`:

- load: `load_index` and a first search;
- search p50/p95: `Index.search(query, k=10)` with the query vector given (BM25 + dense, fused);
- recall@10: the dense top 10 of the index's own vector search against exact search (all rows);
- peak RSS of that process, and the version folder's size on disk.
An ef_search sweep at the largest size shows the recall and latency the default was chosen from.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import metrics as m

ROOT = Path(__file__).resolve().parent.parent

DIMENSION = 384
LATENT = 48
TOPICS = 4_000
VOCABULARY = 50_000
MODEL_NAME = "synthetic-384"


class QueryVectorsOnly:
    """An embedder stand-in: the benchmark passes every query vector itself."""

    name = MODEL_NAME
    dimension = DIMENSION

    def encode(self, texts):
        raise RuntimeError("the scale benchmark passes query vectors; nothing is encoded")


def main() -> int:
    """Write each size, measure it in a fresh process, print the table, write the JSON."""
    args = _parser().parse_args()
    if args.files:
        from bench import scale_files

        if args.child:
            print(json.dumps(scale_files.child(args)))
            return 0
        return scale_files.run(args)
    if args.child:
        print(json.dumps(_measure(args)))
        return 0
    rows = []
    for size, store_name, index_dir, write_seconds in written(args):
        command = ["--queries", str(args.queries), "--seed", str(args.seed)]
        if size == max(int(s) for s in args.sizes.split(",")):
            command.append("--sweep")
        print(f"== measuring {size:,} passages ({store_name})", file=sys.stderr, flush=True)
        row = measured("bench.scale", index_dir, store_name, command)
        row.update(size=size, write_seconds=write_seconds, disk_mb=_disk_mb(index_dir))
        rows.append(row)
        print(_table(rows), flush=True)
    for row in rows:
        if row.get("sweep"):
            print(f"\nef_search sweep at {row['size']:,} passages:\n" + _sweep_table(row["sweep"]))
    if args.real_index:
        real = _real_recall(args.real_index, args.shared)
        rows.append({"real_index": str(args.real_index), **real})
        print(f"\nHNSW on {real['vectors']:,} real sentence vectors, {real['queries']} claims:")
        print(_sweep_table(real["sweep"]))
    m.write_json(args.json, rows)
    print(f"\nwrote {args.json}")
    return 0


def written(args):
    """Yield each size and store asked for, with its index folder (written first unless it
    was before) and the seconds the writing took."""
    for size in [int(s) for s in args.sizes.split(",")]:
        for store_name in args.stores.split(","):
            index_dir = args.work / f"n{size}-{store_name}"
            began = time.perf_counter()
            if not (index_dir / "WRITTEN").is_file():
                _write(size, index_dir, args.seed, store_name)
            yield size, store_name, index_dir, time.perf_counter() - began


def measured(module: str, index_dir: Path, store_name: str, flags: list[str]) -> dict:
    """Run `python -m module --child` on an index in a fresh process; return its JSON line."""
    command = [sys.executable, "-m", module, "--child", "--index-dir", str(index_dir)]
    command += ["--store", store_name, *flags]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-scale"))
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    parser.add_argument(
        "--real-index",
        type=Path,
        help="also check HNSW recall on a real index's sentence vectors, queried with the "
        "SciFact claims (e.g. /tmp/verbatim-perf/index-onnx-int8 from bench/perf.py)",
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument(
        "--stores", default="local", help="local, milvus (Milvus Lite), or both: local,milvus"
    )
    parser.add_argument(
        "--files", type=int, help="build a generated folder of this many real files instead"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--store", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sweep", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    return parser


# -- synthetic data --------------------------------------------------------------------------


def _space(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the topic centres (latent) and the map from latent space into vectors."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((TOPICS, LATENT)).astype(np.float32)
    mapping = rng.standard_normal((LATENT, DIMENSION)).astype(np.float32) / np.sqrt(LATENT)
    return centres, mapping


def _vectors_near(space: tuple, topics: np.ndarray, rng) -> np.ndarray:
    """Unit vectors for items of the given topics."""
    centres, mapping = space
    latent = centres[topics] + 0.7 * rng.standard_normal((len(topics), LATENT)).astype(np.float32)
    noise = 0.15 * rng.standard_normal((len(topics), DIMENSION)).astype(np.float32)
    vectors = latent @ mapping + noise
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _synthetic(size: int, seed: int):
    """Return the manifest, rows and texts of `size` synthetic one-sentence passages."""
    from indexer.read.passages import Passage
    from indexer.settings import Settings
    from indexer.store import disk as store
    from indexer.store.manifest import FileEntry, Manifest

    rng = np.random.default_rng(seed + size)
    space = _space(seed)
    vectors = np.empty((size, DIMENSION), dtype=np.float32)
    for start in range(0, size, 100_000):
        count = min(100_000, size - start)
        vectors[start : start + count] = _vectors_near(space, rng.integers(0, TOPICS, count), rng)
    ranks = np.minimum(rng.zipf(1.3, size * 12), VOCABULARY) - 1
    words = [f"w{r}" for r in ranks]
    passages = []
    for row in range(size):
        text = " ".join(words[row * 12 : row * 12 + 12]).capitalize() + "."
        source = f"doc{row // 20:06}.txt"
        offset = (row % 20) * 200
        passages.append(Passage(source, offset, offset + len(text), row % 20 + 1, row % 20 + 1,
                                None, "text", "", text, offset))  # fmt: skip
    units = np.column_stack(
        [np.arange(size), [p.start for p in passages], [p.end for p in passages]]
    )
    files: dict[str, FileEntry] = {}
    for passage in passages:
        entry = files.get(passage.source)
        count = entry.passages + 1 if entry else 1
        files[passage.source] = FileEntry("", "utf-8", "text", None, count, count)
    manifest = Manifest(MODEL_NAME, DIMENSION, Settings.from_env().splitter(), files)
    return manifest, store.Stored(passages, vectors, units.astype(np.int64), vectors)


def _settings(store_name: str, index_dir: Path):
    """Settings of one store for an index folder (Milvus Lite keeps its file inside it)."""
    from indexer.settings import Settings

    uri = str(index_dir / "milvus.db") if store_name == "milvus" else ""
    return Settings.from_env(milvus_uri=uri or None)


def _write(size: int, index_dir: Path, seed: int, store_name: str) -> None:
    """Write a synthetic index of `size` passages with the product's own store."""
    from indexer.store.milvus.store import release
    from indexer.store.seam import store_for

    print(f"== writing {size:,} synthetic passages ({store_name})", file=sys.stderr, flush=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    manifest, stored = _synthetic(size, seed)
    settings = _settings(store_name, index_dir)
    target = store_for(index_dir, settings)
    with target.lock():
        target.write(manifest, stored, {}, None)
    release(settings.milvus_uri)
    (index_dir / "WRITTEN").write_text("whole\n")


# -- measurement, in a fresh process ----------------------------------------------------------


def _measure(args) -> dict:
    """Load the index, then time searches and compare the dense top 10 with exact search."""
    from indexer import load_index

    settings = _settings(args.store, args.index_dir)
    began = time.perf_counter()
    index = load_index(args.index_dir, settings, QueryVectorsOnly())
    index.retrieve("w1", np.ones(DIMENSION, dtype=np.float32) / np.sqrt(DIMENSION), 10)
    load_seconds = time.perf_counter() - began
    rng = np.random.default_rng(args.seed + 1)
    queries = _vectors_near(_space(args.seed), rng.integers(0, TOPICS, args.queries), rng)
    texts = [" ".join(f"w{int(r)}" for r in np.minimum(rng.zipf(1.3, 5), VOCABULARY) - 1)
             for _ in range(args.queries)]  # fmt: skip
    latencies = []
    for text, vector in zip(texts, queries, strict=True):
        began = time.perf_counter()
        index.retrieve(text, vector, 10)
        latencies.append(time.perf_counter() - began)
    # Memory of the serving process: loaded and searched, before the exact check below.
    peak_rss_mb = m.peak_rss_mb()
    status = Path("/proc/self/status").read_text()
    private_mb = int(status.split("RssAnon:")[1].split()[0]) / 1024
    size = len(index)
    if args.store == "milvus":
        exact = _exact_top10(_synthetic(size, args.seed)[1].vectors, queries)
        found = [index.nearest_passages(q, 10) for q in queries]
        approximate = size >= settings.ann_min_rows
    else:
        exact = _exact_top10(index.stored.vectors, queries)
        found = [index.passage_search.search(q, 10)[1] for q in queries]
        approximate = index.passage_search.approximate
    recall = np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact, strict=True)])
    result = {
        "store": args.store,
        "approximate": approximate,
        "load_seconds": load_seconds,
        "search_ms": m.percentiles_ms(latencies),
        "recall@10": float(recall),
        "peak_rss_mb": peak_rss_mb,
        "private_mb": private_mb,  # anonymous memory; the rest of RSS is mapped file cache
    }
    if args.sweep and args.store == "local" and index.passage_search.approximate:
        result["sweep"] = _sweep(index, queries, exact)
    return result


def _real_recall(index_dir: Path, shared: Path) -> dict:
    """Build the product's HNSW graph over a real index's sentence vectors; sweep ef_search."""
    from bench.common.corpora import scifact
    from indexer import load_index
    from indexer.embed.embedders import encode_queries
    from indexer.search.vectors import VectorSearch
    from indexer.store.ann import build_ann, save_ann

    index = load_index(index_dir)
    queries = encode_queries(index.embedder, [q.text for q in scifact(shared).questions])
    graph = index_dir.parent / "real-units.hnsw"
    save_ann(build_ann(np.asarray(index.stored.unit_vectors, dtype=np.float32)), graph)
    search = VectorSearch(index.stored.unit_vectors, graph)
    exact = _exact_top10(index.stored.unit_vectors, queries)

    class _Probe:  # what _sweep reads: an index with a passage_search
        passage_search = search

    return {
        "vectors": len(index.stored.unit_vectors),
        "queries": len(queries),
        "sweep": _sweep(_Probe, queries, exact),
    }


def _exact_top10(vectors: np.ndarray, queries: np.ndarray) -> list[np.ndarray]:
    """Return each query's exact top 10 rows, reading the vectors block by block."""
    best_scores = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), 10), dtype=np.int64)
    for start in range(0, len(vectors), 100_000):
        block = queries @ np.asarray(vectors[start : start + 100_000]).T
        top = np.argpartition(-block, min(9, block.shape[1] - 1), axis=1)[:, :10]
        scores = np.concatenate([best_scores, np.take_along_axis(block, top, 1)], axis=1)
        rows = np.concatenate([best_rows, top + start], axis=1)
        keep = np.argsort(-scores, axis=1, kind="stable")[:, :10]
        best_scores = np.take_along_axis(scores, keep, 1)
        best_rows = np.take_along_axis(rows, keep, 1)
    return list(best_rows)


def _sweep(index, queries: np.ndarray, exact: list[np.ndarray]) -> list[dict]:
    rows = []
    for ef in (16, 32, 64, 128, 256):
        index.passage_search.ef_search = ef
        latencies, recalls = [], []
        for query, want in zip(queries, exact, strict=True):
            began = time.perf_counter()
            _, got = index.passage_search.search(query, 10)
            latencies.append(time.perf_counter() - began)
            recalls.append(len(set(got) & set(want)) / 10)
        rows.append({"ef_search": ef, "recall@10": float(np.mean(recalls)),
                     "dense_search_ms": m.percentiles_ms(latencies)})  # fmt: skip
    return rows


def _disk_mb(index_dir: Path) -> float:
    return sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file()) / 1e6


def _table(rows: list[dict]) -> str:
    lines = [
        "| passages | store | search structure | write | load | search p50 / p95 | "
        "recall@10 vs exact | peak RSS (private) | on disk |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        milvus = r["store"] == "milvus"
        kind = {
            (False, True): "HNSW (8-bit), re-ranked",
            (False, False): "exact (flat)",
            (True, True): "HNSW (Milvus)",
            (True, False): "FLAT (Milvus)",
        }[milvus, r["approximate"]]
        store_name = "Milvus Lite" if milvus else "local (FAISS + bm25s)"
        lines.append(
            f"| {r['size']:,} | {store_name} | {kind} | {r['write_seconds']:.0f} s | "
            f"{r['load_seconds']:.2f} s | "
            f"{r['search_ms']['p50']:.1f} / {r['search_ms']['p95']:.1f} ms | "
            f"{r['recall@10']:.3f} | {r['peak_rss_mb']:,.0f} MB ({r['private_mb']:,.0f} MB) | "
            f"{r['disk_mb']:,.0f} MB |"
        )
    return "\n".join(lines)


def _sweep_table(sweep: list[dict]) -> str:
    lines = ["| ef_search | recall@10 | dense search p50 / p95 |", "|---|---|---|"]
    for s in sweep:
        ms = s["dense_search_ms"]
        timing = f"{ms['p50']:.2f} / {ms['p95']:.2f} ms"
        lines.append(f"| {s['ef_search']} | {s['recall@10']:.3f} | {timing} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
