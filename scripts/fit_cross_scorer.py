"""Fit the scorer for questions in a language none of the documents is in; add it to the file.

    python -m scripts.fit_cross_scorer [--shared ../shared/bench] [--work /tmp/verbatim-bench]

Across languages a question's words do not stand in the documents (an English question on
Chinese text), so the features that count shared words (scoring.WORD_FEATURES) say nothing,
and an answer model that leans on them refuses nearly everything. This fits the ranker and
the answer model as scripts/fit_scorer.py does, on the same SQuAD v2 tuning questions through
the same stages, with those features withheld (set to 0, as answering sets them for such a
question), and writes them as the "cross" part of the configured model's scorer file; the rest
of the file is kept. Withholding the words does not make a question cross languages: e5's
cosines between languages run lower than within one, so the threshold is chosen by the same
rule (at most 2 % of the answerable questions refused) on questions that do cross: XQuAD's
tuning questions, English ones on each other language's paragraphs and each language's on the
English paragraphs, embedded with the same model.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

from bench.common import corpora, runs, splits
from indexer import Settings, build_index, load_index
from indexer.answer.features import without_words
from indexer.answer.scoring import LinearScorer, load_scorer, scorer_file
from scripts.fit_scorer import (
    SHRINKAGE,
    choose_threshold,
    collect,
    fit_answer_model,
    fit_ranker,
)

ROOT = Path(__file__).resolve().parents[1]


def crossing_confidences(args, settings) -> np.ndarray:
    """Return the confidence of each XQuAD tuning question asked across languages."""
    load_scorer.cache_clear()  # the file now holds the cross part
    answering = dataclasses.replace(settings, min_answer_score=0.0)  # a confidence for each
    found = []
    for language in corpora.XQUAD_LANGUAGES[1:]:
        for documents, asked in ((language, "en"), ("en", language)):
            corpus = corpora.xquad(args.shared, documents, asked)
            folder = runs.work_folder(args.work, f"xquad-{documents}", settings)
            corpora.write_docs(folder / "docs", corpus.files)
            build_index(folder / "docs", folder / "index", settings)
            index = load_index(folder / "index", answering)
            found += [index.answer(q.text).score for q in corpus.questions]
            print(f"  {asked} questions on {documents} paragraphs", file=sys.stderr, flush=True)
    return np.array(found)


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
    confidences = crossing_confidences(args, settings)
    record["cross"]["threshold"] = round(
        float(np.sort(confidences)[int(args.max_false_refusals * len(confidences))]), 6
    )
    record["cross"]["threshold_rule"] = (
        f"highest confidence refusing at most {args.max_false_refusals:.0%} of {len(confidences)} "
        "XQuAD tuning questions asked across languages (every one answerable)"
    )
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {record['cross']['threshold']:.3f}; wrote the cross part into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
