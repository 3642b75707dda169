"""Latency of find on the scale benchmark's synthetic index: phrases, words, filters, exclusions.

    python -m bench.find [--sizes 10000,100000] [--stores local,milvus] [--queries 100]

The index is bench.scale's (one sentence of Zipf-distributed words per passage, 20 passages a
file), written with the product's own store into `--work` (default /tmp/verbatim-scale, shared
with bench.scale: a size written by either is reused). Each size and store is measured in a
fresh process through `load_index` and `search.find.find`:

- first find: the first query's time, which folds every passage's text once (and on Milvus
  reads every passage from the engine);
- p50/p95 of each kind of query after it, with the median number of matching passages:
  a two-word phrase taken from a random passage (so it matches at least once), a three-word
  phrase, a word of middling frequency, two words (both must be in the passage), a phrase with
  an exclusion, and a phrase in one folder's worth of files (in:);
- the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import metrics as m
from bench.scale import QueryVectorsOnly, _settings, measured, written

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("phrase-2", "phrase-3", "word", "two-words", "phrase-excluded", "phrase-in-file")


def main() -> int:
    """Write (or reuse) each size, measure it in a fresh process, print the table."""
    args = _parser().parse_args()
    if args.child:
        print(json.dumps(_measure(args)))
        return 0
    rows = []
    for size, store, index_dir, _ in written(args):
        print(f"== measuring find on {size:,} passages ({store})", file=sys.stderr, flush=True)
        flags = ["--queries", str(args.queries), "--seed", str(args.seed)]
        rows.append({"size": size, **measured("bench.find", index_dir, store, flags)})
        print(table(rows), flush=True)
    m.write_json(args.json, rows)
    print(f"\nwrote {args.json}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--stores", default="local", help="local, milvus, or local,milvus")
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-scale"))
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "find.json")
    parser.add_argument("--store", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    return parser


def queries(index, count: int, seed: int) -> dict[str, list[str]]:
    """Return `count` queries of each kind, drawn from the index's own passages."""
    rng = np.random.default_rng(seed)
    hits = index.hits_at(rng.integers(0, len(index), count))
    words = [hit.text.rstrip(".").lower().split() for hit in hits]
    other = words[1:] + words[:1]  # an excluded word from another passage
    return {
        "phrase-2": [f'"{ws[i]} {ws[i + 1]}"' for ws, i in _starts(words, rng, 2)],
        "phrase-3": [f'"{" ".join(ws[i : i + 3])}"' for ws, i in _starts(words, rng, 3)],
        "word": [ws[int(rng.integers(0, len(ws)))] for ws in words],
        "two-words": [f"{ws[0]} {ws[-1]}" for ws in words],
        "phrase-excluded": [
            f'"{ws[i]} {ws[i + 1]}" -{o[-1]}'
            for (ws, i), o in zip(_starts(words, rng, 2), other, strict=True)
        ],
        "phrase-in-file": [
            f'"{ws[i]} {ws[i + 1]}" in:{hit.source}'
            for (ws, i), hit in zip(_starts(words, rng, 2), hits, strict=True)
        ],
    }


def _starts(words, rng, length: int):
    return [(ws, int(rng.integers(0, len(ws) - length + 1))) for ws in words]


def _measure(args) -> dict:
    """Load the index, time the first find, then each kind of query."""
    from indexer import load_index
    from indexer.search.find import find

    index = load_index(args.index_dir, _settings(args.store, args.index_dir), QueryVectorsOnly())
    asked = queries(index, args.queries, args.seed)
    began = time.perf_counter()
    find(index, asked["phrase-2"][0])
    first = time.perf_counter() - began
    result = {"store": args.store, "passages": len(index), "first_find_s": first, "kinds": {}}
    for kind in KINDS:
        seconds, totals = [], []
        for query in asked[kind]:
            began = time.perf_counter()
            totals.append(find(index, query).total)
            seconds.append(time.perf_counter() - began)
        result["kinds"][kind] = {**m.percentiles_ms(seconds), "matches": float(np.median(totals))}
    result["peak_rss_mb"] = m.peak_rss_mb()
    return result


def table(rows: list[dict]) -> str:
    """Return the rows as a markdown table: one line per size, store and kind of query."""
    lines = [
        "| passages | store | first find | query | p50 ms | p95 ms | matches (median) | peak RSS |",
        "|---:|---|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        for kind, timing in row["kinds"].items():
            lines.append(
                f"| {row['size']:,} | {row['store']} | {row['first_find_s']:.2f} s | {kind} | "
                f"{timing['p50']:.1f} | {timing['p95']:.1f} | {timing['matches']:,.0f} | "
                f"{row['peak_rss_mb']:,.0f} MB |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
