"""Fit the sentence scorer and its refusal threshold on WikiQA train; write indexer/scorer.json.

    python -m scripts.train_scorer [--shared ../shared/bench] [--work /tmp/verbatim-train]
    python -m scripts.train_scorer --threshold-only   # keep the shipped weights, fit the threshold

WikiQA train is not tested on by any benchmark here (bench/quality.py uses WikiQA dev). Every
question's candidates come from the product's own pipeline over all training documents; a
candidate is positive when it overlaps a sentence labelled 1 by at least half of the longer.
The threshold is the highest whose own refusals (answerable questions that had candidates of the
asked kind, refused on score alone) stay within --max-false-refusals of the answerable training
questions (default 1%; the answer-type checks already refuse about 2.7% of them). A wrongly
refused question hides an answer the reader cannot see, while a weak quote carries a citation
the reader can check, so refusals on score are kept rare.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from bench.common.corpora import wikiqa, write_docs
from indexer import build_index, load_index
from indexer.answers import gather
from indexer.questions import check_question
from indexer.scoring import FEATURES, SCORER_FILE, Scorer, default_scorer, unit_features

ROOT = Path(__file__).resolve().parents[1]


def overlaps(unit, gold: tuple) -> bool:
    """Whether a unit covers a gold sentence by at least half of the longer of the two."""
    for name, start, end in gold:
        shared = min(unit.end, end) - max(unit.start, start)
        if unit.hit.source == name and shared >= 0.5 * max(unit.end - unit.start, end - start):
            return True
    return False


def collect(index, questions) -> tuple[np.ndarray, np.ndarray, list[tuple[bool, np.ndarray]]]:
    """Return unit features and labels, and per question (answerable, its units' features)."""
    rows, labels, per_question = [], [], []
    for number, question in enumerate(questions, 1):
        found = gather(index, check_question(question.text, index.settings.max_query_chars))
        allowed = [i for i, ok in enumerate(found.allowed) if ok]
        features = unit_features(index, found)[allowed]
        rows.append(features)
        labels.extend(overlaps(found.units[i], question.gold) for i in allowed)
        per_question.append((question.answerable, features))
        if number % 200 == 0:
            print(f"  {number}/{len(questions)} questions", file=sys.stderr)
    return np.concatenate(rows), np.array(labels, dtype=bool), per_question


def fit(features: np.ndarray, labels: np.ndarray):
    """Fit an L2-regularised logistic regression (scikit-learn)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(features, labels)
    return model.coef_[0], float(model.intercept_[0])


def choose_threshold(
    scorer: Scorer, per_question, max_false_refusals: float
) -> tuple[float, list[dict]]:
    """Pick the highest threshold within the false-refusal budget; return it and the trade-off."""
    best = np.array([scorer.logistic(f).max() if len(f) else 0.0 for _, f in per_question])
    answerable = np.array([a for a, _ in per_question])
    table, chosen = [], 0.0
    refused_anyway = (best <= 0)[answerable].mean()  # no candidate of the asked kind at all
    for threshold in np.unique(np.round(best, 3)):
        refused = best < threshold
        recall = refused[~answerable].mean()  # unanswerable questions refused
        false_refusal = refused[answerable].mean()
        precision = (~answerable[refused]).mean() if refused.any() else 1.0
        table.append(
            {
                "threshold": float(threshold),
                "refusal_recall": float(recall),
                "refusal_precision": float(precision),
                "false_refusal": float(false_refusal),
            }
        )
        if false_refusal - refused_anyway <= max_false_refusals:
            chosen = float(threshold)
    return chosen, table


def main() -> int:
    """Build the WikiQA train index, collect candidates, fit, write the scorer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-train"))
    parser.add_argument("--out", type=Path, default=SCORER_FILE)
    parser.add_argument(
        "--threshold-only",
        action="store_true",
        help="keep the weights in the shipped scorer and fit only the refusal threshold",
    )
    parser.add_argument(
        "--max-false-refusals",
        type=float,
        default=0.01,
        help="share of answerable training questions the threshold itself may refuse "
        "(default 0.01)",
    )
    args = parser.parse_args()
    corpus = wikiqa(args.shared, split="train")
    docs, index_dir = args.work / "docs", args.work / "index"
    write_docs(docs, corpus.files)
    print(build_index(docs, index_dir).summary(), file=sys.stderr)
    index = load_index(index_dir)
    # Candidates depend only on the index version and the code; refits of the threshold reuse them.
    cache = args.work / f"candidates-{index.folder.name}.pkl"
    if cache.is_file():
        features, labels, per_question = pickle.loads(cache.read_bytes())
    else:
        features, labels, per_question = collect(index, corpus.questions)
        cache.write_bytes(pickle.dumps((features, labels, per_question)))
    if args.threshold_only:
        shipped = default_scorer()
        weights, bias = shipped.weights, shipped.bias
        origin = json.loads(SCORER_FILE.read_text(encoding="utf-8"))["weights_from"]
    else:
        weights, bias = fit(features, labels)
        origin = "logistic regression on the candidates below"
    scorer = Scorer(weights, bias, 0.5)
    threshold, table = choose_threshold(scorer, per_question, args.max_false_refusals)
    scorer = Scorer(weights, bias, threshold)
    answerable = sum(a for a, _ in per_question)
    args.out.write_text(
        scorer.to_json(
            weights_from=origin,
            trained_on=f"WikiQA train: {len(per_question)} questions ({answerable} answerable), "
            f"{len(labels)} candidate sentences ({int(labels.sum())} positive)",
            threshold_rule=f"highest threshold that itself refuses at most "
            f"{args.max_false_refusals:.0%} of answerable training questions",
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"weights: {dict(zip(FEATURES, np.round(weights, 3), strict=True))}, bias {bias:.3f}")
    print(f"threshold {threshold:.3f}; refusal trade-off on WikiQA train:")
    print("| threshold | refusal recall | refusal precision | false refusals |")
    print("|---|---|---|---|")
    step = max(1, len(table) // 12)
    for row in sorted(table[::step] + [r for r in table if r["threshold"] == threshold],
                      key=lambda r: r["threshold"]):  # fmt: skip
        print(
            f"| {row['threshold']:.3f} | {row['refusal_recall']:.3f} | "
            f"{row['refusal_precision']:.3f} | {row['false_refusal']:.3f} |"
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
