"""The reader's training pairs, from the only data it may learn from (see the model card).

    python -m scripts.reader_data [--shared ../shared/bench]   # prints the counts

Allowed: the SQuAD v2 dev *tuning* articles (bench/splits.json), unanswerable questions
included, and the 13 SQuAD v1.1 dev articles that SQuAD v2 dev does not hold. A fixed, seeded
part of the tuning articles (HOLDOUT_ARTICLES) is kept out of training so the scorer that
weighs the reader's score beside the other features is fitted on questions the reader never saw.

Each question gives (question, sentence, label) pairs over its paragraph's sentences, cut by the
product's own sentence splitter: its gold sentence(s) are positive; the paragraph's other
sentences that share most words with it, and the best-sharing sentence of another paragraph
of the article, are negative. An unanswerable question's nearest sentences are all negative:
they are the near misses the reader must learn to refuse.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.common.corpora import _file_name
from indexer.read.sentences import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261202
HOLDOUT_ARTICLES = 4  # of the tuning articles: the scorer's fit, never the reader's
NEAR_NEGATIVES = 3  # sentences of the same paragraph, most words shared first
FAR_NEGATIVES = 1  # sentences of other paragraphs of the article
_WORD = re.compile(r"\w+")
_STOP_WORDS = (
    "a an the of in on at to for by with from and or but is are was were be been being as "
    "that this these those it its what which who whom whose when where why how did do does "
    "many much not no than then there their they he she his her"
)
_STOP = set(_STOP_WORDS.split())


@dataclass(frozen=True)
class Pair:
    """A question and one candidate sentence: 1 when it holds the answer, else 0."""

    question: str
    sentence: str
    label: int
    question_id: str
    answerable: bool


def allowed_articles(shared: Path) -> tuple[list[dict], list[dict], list[str]]:
    """Return (training articles, held-out tuning articles, held-out titles)."""
    v2 = json.loads((shared / "squad-v2-dev" / "dev-v2.0.json").read_text(encoding="utf-8"))
    v1 = json.loads((shared / "squad-v1.1-dev" / "dev-v1.1.json").read_text(encoding="utf-8"))
    tune = set(json.loads((ROOT / "bench" / "splits.json").read_text(encoding="utf-8"))["squad"])
    tuning = [a for a in v2["data"] if _file_name(a["title"]) in tune]
    v2_titles = {a["title"] for a in v2["data"]}
    v1_only = [a for a in v1["data"] if a["title"] not in v2_titles]
    held = sorted(random.Random(SEED).sample(sorted(a["title"] for a in tuning), HOLDOUT_ARTICLES))
    train = [a for a in tuning if a["title"] not in held] + v1_only
    return train, [a for a in tuning if a["title"] in held], held


def pairs(articles: list[dict], seed: int = SEED) -> list[Pair]:
    """Return every article's training pairs (see the module docstring)."""
    rng = random.Random(seed)
    found = []
    for article in articles:
        paragraphs = [_sentences(p["context"]) for p in article["paragraphs"]]
        idf = _idf([s for sentences in paragraphs for _, _, s in sentences])
        for number, paragraph in enumerate(article["paragraphs"]):
            sentences = paragraphs[number]
            others = [s for i, p in enumerate(paragraphs) if i != number for _, _, s in p]
            for qa in paragraph["qas"]:
                found.extend(_question_pairs(qa, sentences, others, idf, rng))
    return found


def _question_pairs(qa, sentences, others, idf, rng) -> list[Pair]:
    answerable = not qa.get("is_impossible") and bool(qa["answers"])
    gold = set()
    for answer in qa["answers"] if answerable else []:
        start = answer["answer_start"]
        gold |= {i for i, (s, e, _) in enumerate(sentences) if s <= start < e}
    terms = _terms(qa["question"])
    near = sorted(
        (i for i in range(len(sentences)) if i not in gold),
        key=lambda i: (-_overlap(terms, sentences[i][2], idf), rng.random()),
    )[:NEAR_NEGATIVES]
    far = sorted(others, key=lambda s: (-_overlap(terms, s, idf), rng.random()))[:FAR_NEGATIVES]
    make = lambda text, label: Pair(qa["question"], text, label, qa["id"], answerable)  # noqa: E731
    return (
        [make(sentences[i][2], 1) for i in sorted(gold)]
        + [make(sentences[i][2], 0) for i in near]
        + [make(text, 0) for text in far]
    )


def _sentences(context: str) -> list[tuple[int, int, str]]:
    return [(s, e, context[s:e]) for s, e in sentence_spans(context)]


def _terms(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP}


def _idf(texts: list[str]) -> dict[str, float]:
    counts = Counter(t for text in texts for t in _terms(text))
    return {t: math.log(1 + len(texts) / c) for t, c in counts.items()}


def _overlap(terms: set[str], text: str, idf: dict[str, float]) -> float:
    return sum(idf.get(t, 0.0) for t in terms & _terms(text))


def main() -> int:
    """Print how many pairs and questions the allowed data gives."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    args = parser.parse_args()
    train, held, titles = allowed_articles(args.shared)
    found = pairs(train)
    questions = {p.question_id: p.answerable for p in found}
    print(f"training articles: {len(train)}; held out for the scorer: {', '.join(titles)}")
    print(
        f"questions: {len(questions)} ({sum(questions.values())} answerable, "
        f"{len(questions) - sum(questions.values())} unanswerable); pairs: {len(found)} "
        f"({sum(p.label for p in found)} positive)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
