"""Fit the scorer for questions in a language none of the documents is in; add it to the file.

    python -m scripts.fit_cross_scorer [--shared ../shared/bench] [--work /tmp/verbatim-bench]

Across languages a question's words do not stand in the documents (an English question on
Chinese text), so the features that count shared words (scoring.WORD_FEATURES) say nothing,
and an answer model that leans on them refuses nearly everything. This fits the ranker and
the answer model as scripts/fit_scorer.py does, on the same SQuAD v2 tuning questions through
the same stages, with those features withheld (set to 0, as answering sets them for such a
question), and writes them as the "cross" part of the configured model's scorer file; the rest
of the file is kept. The threshold follows the same rule: at most 2 % of the answerable tuning
questions refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.common import corpora, runs, splits
from indexer import Settings, build_index, load_index
from indexer.answer.scoring import LinearScorer, scorer_file, without_words
from scripts.fit_scorer import (
    SHRINKAGE,
    choose_threshold,
    collect,
    fit_answer_model,
    fit_ranker,
)

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Collect the tuning candidates, withhold the word features, fit, add to the scorer file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-bench"))
    parser.add_argument("--max-false-refusals", type=float, default=0.02)
    parser.add_argument("--shrinkage", type=float, default=SHRINKAGE)
    args = parser.parse_args()
    corpus = corpora.squad(args.shared)
    settings = Settings.from_env()
    folder = runs.work_folder(args.work, "squad", settings)
    corpora.write_docs(folder / "docs", corpus.files)
    print(build_index(folder / "docs", folder / "index", settings).summary(), file=sys.stderr)
    index = load_index(folder / "index", settings)
    rows = collect(index, splits.part("squad", corpus.questions, "tune"))
    for row in rows:
        if row["candidates"] is not None:
            row["features"] = without_words(row["features"])
    ranker = fit_ranker(rows, args.shrinkage)
    weights, bias, pairs = fit_answer_model(rows, ranker)
    threshold = choose_threshold(rows, pairs, args.max_false_refusals)
    path = scorer_file(settings.model)
    record = json.loads(path.read_text(encoding="utf-8"))
    answerable = sum(r["answerable"] for r in rows)
    record["cross"] = json.loads(
        LinearScorer(ranker, weights, bias, threshold).to_json(
            fitted_on=f"SQuAD v2.0 dev, tuning part, the word features withheld: {len(rows)} "
            f"questions ({answerable} answerable)",
            command=f"python -m scripts.fit_cross_scorer --shrinkage {args.shrinkage:g}",
        )
    )
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {threshold:.3f}; wrote the cross part into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
