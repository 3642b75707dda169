"""Fit the reader stage of the scorer on tuning questions the reader never learned from.

    python -m scripts.fit_reader_stage [--read 4] [--ranker FILE] [--shared DIR] [--work DIR]

The reader was trained on the SQuAD v2 tuning articles except HOLDOUT_ARTICLES (and the 13
v1.1-only articles); its logits on its own training questions would look better than on new
ones, so the weights that use them are fitted only on the held-out tuning articles, over the
whole SQuAD index, through the product's own stages (gather, unit features, the shipped ranker):

- combine: a conditional logit over the read units of (ranker score, reader logit);
- the answer model: a logistic regression of "answerable" on READER_ANSWER_FEATURES;
- the threshold: the highest confidence refusing at most --max-false-refusals of the answerable
  held-out questions, the rule scripts/fit_scorer.py uses.
The stage-1 weights in scorer.json are kept; the reader stage is written beside them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import corpora, runs, splits
from bench.common.corpora import _file_name
from bench.common.metrics import quote_holds_gold
from indexer import Settings, build_index, load_index
from indexer.answer.pipeline import gather
from indexer.answer.reader import multilingual_reader, shipped_reader
from indexer.answer.scoring import (
    ReaderStage,
    answer_features,
    best_units,
    load_scorer,
    reader_features,
    scorer_file,
    softmax,
    unit_features,
)
from indexer.search.query import check_question
from scripts.fit_scorer import conditional_logit, fit_logistic
from scripts.reader_data import allowed_articles

ROOT = Path(__file__).resolve().parents[1]
L2 = 1.0
MOST_READ = 16


def collect(index, questions, ranker, reader) -> list[dict]:
    """Gather each question's candidates; keep stage-1 scores and the reader's logits."""
    rows, started = [], time.time()
    for number, question in enumerate(questions, 1):
        candidates = gather(index, check_question(question.text, index.settings.max_query_chars))
        row = {"answerable": question.answerable, "candidates": None}
        if candidates.units and candidates.quotable.any():
            features = unit_features(index, candidates)
            scores = np.where(candidates.quotable, features @ ranker, -np.inf)
            read = best_units(scores, MOST_READ)
            units = candidates.units
            row.update(
                candidates=candidates,
                summary=answer_features(candidates, features, scores, softmax(scores)),
                scores=scores,
                read=read,
                logits=reader.read(candidates.question, units, read),
                labels=np.array(
                    [
                        quote_holds_gold(
                            (units[i].hit.source, units[i].start, units[i].end), question.gold
                        )
                        for i in read
                    ]
                ),
            )
        rows.append(row)
        if number % 100 == 0:
            print(f"  {number}/{len(questions)} ({time.time() - started:.0f} s)", file=sys.stderr)
    return rows


def fit_combine(rows: list[dict], n: int) -> np.ndarray:
    """Fit weights over (ranker score, reader logit) of the first n read units."""
    groups = []
    for r in rows:
        if r["candidates"] is not None and r["labels"][:n].any():
            x = np.column_stack([r["scores"][r["read"][:n]], r["logits"][:n]])
            groups.append((x, r["labels"][:n]))
    return conditional_logit(groups, np.array([1.0, 1.0]), L2 * 1e-3)


def stage_features(row: dict, combine: np.ndarray, n: int) -> tuple[np.ndarray, int]:
    """Return a row's READER_ANSWER_FEATURES and the index (within read) of the chosen unit."""
    read, logits = row["read"][:n], row["logits"][:n]
    combined = np.full(len(row["scores"]), -np.inf)
    combined[read] = np.column_stack([row["scores"][read], logits]) @ combine
    top = list(read).index(int(np.argmax(combined)))
    return np.concatenate([row["summary"], reader_features(combined, read, logits)]), top


def fit_stage(rows: list[dict], n: int, max_false_refusals: float) -> tuple[ReaderStage, dict]:
    """Fit the stage reading n units; return it with its in-sample figures."""
    combine = fit_combine(rows, n)
    usable = [r for r in rows if r["candidates"] is not None]
    found = [stage_features(r, combine, n) for r in usable]
    x = np.array([f for f, _ in found])
    y = np.array([r["answerable"] for r in usable], dtype=float)
    weights, bias = fit_logistic(x, y)
    confidence = 1 / (1 + np.exp(-(x @ weights + bias)))
    answerable = sum(r["answerable"] for r in rows)
    never = sum(r["answerable"] and r["candidates"] is None for r in rows)
    ordered = np.sort(confidence[y == 1])
    threshold = float(ordered[max(int(max_false_refusals * answerable - never), 0)])
    correct = [
        r["labels"][top] for r, (_, top) in zip(usable, found, strict=True) if r["answerable"]
    ]
    refused = confidence[y == 0] < threshold
    at_5 = np.sort(confidence[y == 1])[int(0.05 * answerable)]
    figures = {
        "read": n,
        "gold read": float(np.mean([r["labels"][:n].any() for r in usable if r["answerable"]])),
        "first correct, ranker alone": float(
            sum(r["labels"][0] for r in usable if r["answerable"]) / answerable
        ),
        "first correct": float(np.sum(correct) / answerable),
        "refused at 5% false refusals": float(np.mean(confidence[y == 0] < at_5)),
        "unanswerable refused": float(
            (refused.sum() + sum(not r["answerable"] and r["candidates"] is None for r in rows))
            / (len(rows) - answerable)
        ),
    }
    return ReaderStage(n, combine, weights, bias, threshold), figures


def main() -> int:
    """Collect the held-out tuning questions, fit the stage for a few read depths, write one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-bench"))
    parser.add_argument("--read", type=int, default=4, help="units the reader reads")
    parser.add_argument("--max-false-refusals", type=float, default=0.02)
    parser.add_argument(
        "--multilingual",
        action="store_true",
        help="fit the multilingual reader's stage (reader_model_e5) instead of the English one's",
    )
    parser.add_argument(
        "--ranker",
        type=Path,
        help="a scorer file whose ranker chooses what the reader reads (default: the scorer's "
        "own), e.g. one written by `scripts.fit_scorer --shrinkage 100 --out FILE`",
    )
    args = parser.parse_args()
    settings = Settings.from_env()
    corpus = corpora.squad(args.shared)
    folder = runs.work_folder(args.work, "squad", settings)
    corpora.write_docs(folder / "docs", corpus.files)
    print(build_index(folder / "docs", folder / "index", settings).summary(), file=sys.stderr)
    index = load_index(folder / "index", settings)
    _, _, held = allowed_articles(args.shared)
    names = {_file_name(title) for title in held}
    questions = [q for q in splits.part("squad", corpus.questions, "tune") if q.group in names]
    path = scorer_file(settings.model)
    scorer = load_scorer(path)
    reader = multilingual_reader() if args.multilingual else shipped_reader()
    key_name = "reader_multilingual" if args.multilingual else "reader"
    ranker = load_scorer(args.ranker).ranker if args.ranker else scorer.ranker
    cache = args.work / "reader-stage-rows.pkl"
    # The same reader, model and ranker on the same questions: the rows collected before hold.
    key = (
        reader.file.stat().st_mtime_ns,
        len(questions),
        settings.model,
        ranker.tobytes(),
    )
    if cache.exists() and (cached := pickle.loads(cache.read_bytes()))["key"] == key:
        rows = cached["rows"]
    else:
        rows = collect(index, questions, ranker, reader)
        cache.write_bytes(pickle.dumps({"key": key, "rows": rows}))
    for n in (4, 6, 8, 12, 16):
        print(json.dumps(fit_stage(rows, n, args.max_false_refusals)[1]))
    stage, figures = fit_stage(rows, args.read, args.max_false_refusals)
    record = json.loads(path.read_text(encoding="utf-8"))
    if args.ranker:
        stage = dataclasses.replace(stage, ranker=ranker)
    record[key_name] = {
        **stage.to_record(),
        "fitted_on": f"SQuAD v2.0 dev tuning articles held out of the reader's training "
        f"({', '.join(held)}): {len(rows)} questions ({sum(r['answerable'] for r in rows)} "
        "answerable) over the whole dev set's 35 articles",
        "command": f"python -m scripts.fit_reader_stage --read {args.read}"
        + (" --multilingual" if args.multilingual else "")
        + (f" --ranker {args.ranker.name}" if args.ranker else ""),
    }
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"{figures}; wrote the reader stage into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
