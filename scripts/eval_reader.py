"""Measure a reader alone on tuning data it never learned from: sentence choice and refusal.

    python -m scripts.eval_reader [--reader DIR] [--shared ../shared/bench]

- SQuAD v2 tuning articles held out of training (scripts/reader_data.HOLDOUT_ARTICLES): choose
  the sentence within the question's paragraph (P@1), and the refusal AUC of the paragraph's best
  logit (answerable against unanswerable questions);
- WikiQA dev, tuning part (bench/splits.json): choose the answer sentence among the candidate
  sentences of the question's document (P@1, questions with a correct sentence).
Beside each, the same choice by the embedding model's cosine, measured in the same run.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from scripts.reader_data import ROOT, _sentences, allowed_articles


def auc(positive: list[float], negative: list[float]) -> float:
    """Return the probability that a positive scores above a negative (ties count half)."""
    pos, neg = np.array(positive)[:, None], np.array(negative)[None, :]
    return float((pos > neg).mean() + 0.5 * (pos == neg).mean())


def squad_groups(shared: Path) -> list[tuple[str, list[str], set[int], bool]]:
    """Return (question, paragraph sentences, gold indexes, answerable) for held-out articles."""
    _, held, _ = allowed_articles(shared)
    groups = []
    for article in held:
        for paragraph in article["paragraphs"]:
            spans = _sentences(paragraph["context"])
            for qa in paragraph["qas"]:
                starts = [a["answer_start"] for a in qa["answers"]]
                gold = {i for i, (s, e, _) in enumerate(spans) for a in starts if s <= a < e}
                answerable = not qa.get("is_impossible")
                groups.append((qa["question"], [t for _, _, t in spans], gold, answerable))
    return groups


def wikiqa_groups(shared: Path) -> list[tuple[str, list[str], set[int], bool]]:
    """Return (question, candidate sentences, correct indexes, answerable) of the tuning part."""
    tune = set(json.loads((ROOT / "bench" / "splits.json").read_text(encoding="utf-8"))["wikiqa"])
    rows = defaultdict(list)
    with open(shared / "wikiqa" / "WikiQA-dev.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["QuestionID"] in tune:
                rows[(row["QuestionID"], row["Question"])].append(row)
    groups = []
    for (_, question), found in rows.items():
        correct = {i for i, r in enumerate(found) if r["Label"] == "1"}
        groups.append((question, [r["Sentence"] for r in found], correct, True))
    return groups


def measure(groups, score) -> dict:
    """Return P@1 over answerable groups and the refusal AUC of each group's best score."""
    hits, best = [], {True: [], False: []}
    for question, sentences, gold, answerable in groups:
        scores = score(question, sentences)
        best[answerable and bool(gold)].append(float(scores.max()))
        if gold:
            hits.append(int(np.argmax(scores)) in gold)
    refusal = auc(best[True], best[False]) if best[False] else float("nan")
    return {"p@1": float(np.mean(hits)), "questions": len(hits), "refusal_auc": refusal}


def main() -> int:
    """Print the reader's and the cosine's figures on both tuning sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--reader", type=Path, default=None)
    parser.add_argument("--limit", type=int, help="at most N questions per set, evenly spread")
    parser.add_argument("--no-cosine", action="store_true", help="skip the cosine baseline")
    args = parser.parse_args()
    from indexer.answer.reader import FOLDER, Reader
    from scripts.reader_network import model_folder

    methods = {"reader": Reader(args.reader or FOLDER).logits}
    if not args.no_cosine:
        from sentence_transformers import SentenceTransformer

        embedder = SentenceTransformer(model_folder(), device="cpu", local_files_only=True)

        def cosine(question, sentences):
            vectors = embedder.encode([question, *sentences], normalize_embeddings=True)
            return vectors[1:] @ vectors[0]

        methods = {"cosine": cosine, **methods}
    sets = {"squad-holdout": squad_groups(args.shared), "wikiqa-tune": wikiqa_groups(args.shared)}
    for name, groups in sets.items():
        if args.limit:
            groups = groups[:: max(1, len(groups) // args.limit)]
        for method, score in methods.items():
            print(json.dumps({"set": name, "method": method, **measure(groups, score)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
