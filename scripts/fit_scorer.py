"""Fit the unit ranker and the answer model on the tuning part of SQuAD v2 dev; write scorer.json.

    python -m scripts.fit_scorer [--shared ../shared/bench] [--work /tmp/verbatim-bench]

Only the tuning part (bench/splits.json: 40 % of the articles, drawn once by seed) is read;
the untouched 60 % is what bench/quality.py reports. Every candidate comes from the product's
own pipeline (`gather`, `unit_features`) over the whole SQuAD index, so the fit sees exactly
what answering sees.

- The ranker is a conditional logit: for each answerable question, the softmax over its
  quotable candidate units should put its mass on the units holding a gold answer.
- The answer model is a logistic regression of "the question is answerable" on the best unit
  and the candidate set (ANSWER_FEATURES); its probability is the confidence shown with
  answers. The threshold is the highest confidence that refuses at most --max-false-refusals
  of the answerable tuning questions (2 %): a wrong quote carries a citation the reader can
  check, a wrong refusal hides an answer, so refusals on confidence alone are kept rare.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from bench.common import corpora, runs, splits
from bench.common.metrics import quote_holds_gold
from indexer import Settings, build_index, load_index
from indexer.answer.pipeline import gather
from indexer.answer.scoring import (
    ANSWER_FEATURES,
    UNIT_FEATURES,
    LinearScorer,
    answer_features,
    scorer_file,
    unit_features,
)
from indexer.search.query import check_question

ROOT = Path(__file__).resolve().parents[1]
L2 = 1.0  # ridge penalty on the answer model's standardised weights
# How strongly the ranker is held to the cosine's own ordering, per question (0: not held, the
# shipped all-MiniLM-L6-v2 ranker; 100: the ranker e5's reader stage reads after). Chosen per
# model on the mean over the selection suite's collections (python -m bench.select; README).
SHRINKAGE = 0.0


def collect(index, questions) -> list[dict]:
    """Run the product's gathering stage on each question; keep features and gold labels."""
    rows = []
    for number, question in enumerate(questions, 1):
        candidates = gather(index, check_question(question.text, index.settings.max_query_chars))
        if candidates.units and candidates.quotable.any():
            features = unit_features(index, candidates)
            labels = np.array(
                [
                    quote_holds_gold((u.hit.source, u.start, u.end), question.gold)
                    for u in candidates.units
                ]
            )
            rows.append({"answerable": question.answerable, "candidates": candidates,
                         "features": features, "labels": labels})  # fmt: skip
        else:  # nothing to quote: refused whatever the weights
            rows.append({"answerable": question.answerable, "candidates": None})
        if number % 500 == 0:
            print(f"  {number}/{len(questions)} questions", file=sys.stderr, flush=True)
    return rows


def fit_ranker(rows: list[dict], shrinkage: float = 0.0) -> np.ndarray:
    """Fit the ranker as the model's cosine ordering plus a correction shrunk towards zero."""
    groups = [
        (r["features"][r["candidates"].quotable], r["labels"][r["candidates"].quotable])
        for r in rows
        if r["candidates"] is not None and r["labels"][r["candidates"].quotable].any()
    ]
    if not shrinkage:  # not held: maximum likelihood with the answer model's small ridge
        return fit_residual(groups, 0.0, L2)
    return fit_residual(groups, shrinkage)


def fit_residual(groups: list, shrinkage: float, ridge: float = 0.0) -> np.ndarray:
    """Fit conditional-logit weights pulled towards the cosine alone with a ridge of shrinkage.

    The prior is the cosine's own ordering at its best-fitting temperature; the other features
    may only move it as far as the penalty (per question, on standardised features) allows, so
    where they do not transfer to other questions the ranking stays the model's own.
    """
    stacked = np.concatenate([x for x, _ in groups])
    scale = stacked.std(axis=0) + 1e-9
    standardised = [(x / scale, y) for x, y in groups]
    prior = np.zeros(stacked.shape[1])
    if shrinkage:
        prior[UNIT_FEATURES.index("cos")] = _cosine_temperature(standardised)
    weights = conditional_logit(standardised, prior, shrinkage * len(groups) + ridge, prior)
    return weights / scale  # a shift common to a question's units has no effect on ranking


def _cosine_temperature(groups: list) -> float:
    """Return the cosine weight that best fits the groups on its own."""
    from scipy.optimize import minimize_scalar

    column = UNIT_FEATURES.index("cos")

    def loss(w: float) -> float:
        total = 0.0
        for x, y in groups:
            s = x[:, column] * w
            e = np.exp(s - s.max())
            total -= np.log(e[y].sum() / e.sum())
        return total

    return float(minimize_scalar(loss, bounds=(0.0, 50.0), method="bounded").x)


def conditional_logit(
    groups: list, start: np.ndarray, penalty: float, centre: np.ndarray | None = None
) -> np.ndarray:
    """Fit weights putting each group's softmax mass on its marked rows (ridge towards centre)."""
    centre = np.zeros_like(start) if centre is None else centre

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = penalty * (w - centre) @ (w - centre), 2 * penalty * (w - centre)
        for x, y in groups:
            s = x @ w
            e = np.exp(s - s.max())
            p, q = e / e.sum(), e * y / e[y].sum()
            total -= np.log(e[y].sum() / e.sum())
            grad -= x.T @ (q - p)
        return total, grad

    return minimize(loss, start, jac=True, method="L-BFGS-B").x


def fit_answer_model(rows: list[dict], ranker: np.ndarray) -> tuple[np.ndarray, float, list]:
    """Fit the logistic answer model; return weights, bias and (confidence, answerable) pairs."""
    x, y = [], []
    for r in rows:
        if r["candidates"] is None:
            continue
        quotable = r["candidates"].quotable
        scores = np.where(quotable, r["features"] @ ranker, -np.inf)
        shares = np.exp(scores - scores.max())
        shares /= shares.sum()
        x.append(answer_features(r["candidates"], r["features"], scores, shares))
        y.append(r["answerable"])
    x, y = np.array(x), np.array(y, dtype=float)
    weights, bias = fit_logistic(x, y)
    confidences = 1 / (1 + np.exp(-(x @ weights + bias)))
    return weights, float(bias), list(zip(confidences, y.astype(bool), strict=True))


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Fit a ridge-penalised logistic regression on standardised features; return (w, b)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        p = 1 / (1 + np.exp(-(z @ w + b)))
        eps = 1e-12
        total = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + L2 * w @ w
        g = p - y
        return total, np.append(z.T @ g + 2 * L2 * w, g.sum())

    params = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B").x
    return params[:-1] / scale, float(params[-1] - (mean / scale) @ params[:-1])


def choose_threshold(rows: list[dict], pairs: list, max_false_refusals: float) -> float:
    """Return the highest confidence that refuses at most the allowed share of answerable ones."""
    answerable = sum(r["answerable"] for r in rows)
    never = sum(r["answerable"] and r["candidates"] is None for r in rows)  # refused anyway
    budget = max_false_refusals * answerable - never
    confident = np.sort([c for c, a in pairs if a])
    return float(confident[max(int(budget), 0)]) if len(confident) else 0.5


def main() -> int:
    """Build (or reuse) the SQuAD index, collect the tuning candidates, fit, write the scorer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-bench"))
    parser.add_argument("--out", type=Path, help="default: the configured model's scorer file")
    parser.add_argument("--max-false-refusals", type=float, default=0.02)
    parser.add_argument(
        "--shrinkage",
        type=float,
        default=SHRINKAGE,
        help="how strongly the ranker is held to the cosine's own ordering (bench.select)",
    )
    args = parser.parse_args()
    corpus = corpora.squad(args.shared)
    settings = Settings.from_env()
    out = args.out or scorer_file(settings.model)
    # The same folders as bench/quality.py, so an index built by one serves the other.
    folder = runs.work_folder(args.work, "squad", settings)
    docs, index_dir = folder / "docs", folder / "index"
    corpora.write_docs(docs, corpus.files)
    print(build_index(docs, index_dir, settings).summary(), file=sys.stderr)
    index = load_index(index_dir, settings)
    questions = splits.part("squad", corpus.questions, "tune")
    rows = collect(index, questions)
    ranker = fit_ranker(rows, args.shrinkage)
    weights, bias, pairs = fit_answer_model(rows, ranker)
    threshold = choose_threshold(rows, pairs, args.max_false_refusals)
    scorer = LinearScorer(ranker, weights, bias, threshold)
    answerable = sum(r["answerable"] for r in rows)
    out.write_text(
        scorer.to_json(
            fitted_on=f"SQuAD v2.0 dev, tuning part (bench/splits.json): {len(rows)} questions "
            f"({answerable} answerable) over the whole dev set's 35 articles",
            threshold_rule=f"highest confidence refusing at most {args.max_false_refusals:.0%} "
            "of the answerable tuning questions",
            command=f"python -m scripts.fit_scorer --shrinkage {args.shrinkage:g}",
            shrinkage=args.shrinkage,
            model=settings.model,
        )
        + "\n",
        encoding="utf-8",
    )
    print(dict(zip(UNIT_FEATURES, np.round(ranker, 3), strict=True)))
    print(dict(zip(ANSWER_FEATURES, np.round(weights, 3), strict=True)), round(bias, 3))
    print(f"threshold {threshold:.3f}; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
