"""The reader's training pairs, read from what the product itself retrieves for each question.

    python -m scripts.reader_candidates [--shared ../shared/bench]   # builds, gathers, counts

The allowed articles (scripts/reader_data.py: the SQuAD v2 dev tuning articles and the 13 v1.1-only
ones) are written as one Markdown file each, titled, and indexed by the product with the default
model. Each training question (and, for half of them, a keyword version as typed into a search
box) goes through the product's own `gather` over that whole corpus, not its own paragraph; its
candidate units are ranked by the shipped ranker. Pairs, each read with its context as the reader
reads it at answer time:
- every gold unit among the candidates: positive;
- the best-ranked units that hold no answer: negative. For an answerable question these are the
  near misses left when its gold sentences are taken away; for an unanswerable one, all of them.
"""

from __future__ import annotations

import argparse
import pickle
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from bench.common.corpora import _file_name
from bench.common.metrics import quote_holds_gold
from scripts.reader_data import _STOP, SEED, Pair, allowed_articles

ROOT = Path(__file__).resolve().parents[1]
NEGATIVES = 4  # best-ranked units holding no answer, per question
POSITIVES = 2  # gold units at most, per question
KEYWORD_SHARE = 0.5  # of the questions also asked as keywords
_QUESTION_WORDS = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how", "name"}
_WORD = re.compile(r"[\w'’-]+")


def keywords(question: str) -> str:
    """Return a question as typed into a search box: its content words, in order."""
    words = _WORD.findall(question)
    kept = [w for w in words if w.lower() not in _STOP and w.lower() not in _QUESTION_WORDS]
    return " ".join(kept) if len(kept) >= 2 else ""


def corpus(shared: Path) -> tuple[dict[str, str], list[tuple[str, str, tuple, bool]]]:
    """Return the documents (name -> Markdown) and the training questions with their gold."""
    train, held, _ = allowed_articles(shared)
    files, questions, trained = {}, [], {a["title"] for a in train}
    for article in train + held:
        name = _file_name(article["title"])[: -len(".txt")] + ".md"
        title = article["title"].replace("_", " ")
        head = f"# {title}\n\n"
        offset, texts = len(head), []
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"] if article["title"] in trained else []:
                answerable = not qa.get("is_impossible") and bool(qa["answers"])
                gold = tuple(
                    {
                        (
                            name,
                            offset + a["answer_start"],
                            offset + a["answer_start"] + len(a["text"]),
                        )
                        for a in (qa["answers"] if answerable else [])
                    }
                )
                questions.append((qa["id"], qa["question"], gold, answerable))
            texts.append(paragraph["context"])
            offset += len(paragraph["context"]) + 2
        files[name] = head + "\n\n".join(texts)
    for name, start, end in (g for q in questions for g in q[2]):
        assert start < end <= len(files[name]), name
    return files, questions


def question_pairs(index, reader_input, ranker, qid, text, gold, answerable) -> list[Pair]:
    """Return one question's pairs from the product's own candidates (module docstring)."""
    from indexer.answer.pipeline import gather
    from indexer.answer.scoring import unit_features
    from indexer.search.query import check_question

    candidates = gather(index, check_question(text, index.settings.max_query_chars))
    units = candidates.units
    if not units or not candidates.quotable.any():
        return []
    scores = np.where(candidates.quotable, unit_features(index, candidates) @ ranker, -np.inf)
    order = [int(i) for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])]
    holds = {
        i: quote_holds_gold((units[i].hit.source, units[i].start, units[i].end), gold)
        for i in order
    }
    positives = [i for i in order if holds[i]][:POSITIVES]
    negatives = [i for i in order if not holds[i]][:NEGATIVES]
    return [
        Pair(text, reader_input(units, i, True), int(i in positives), qid, answerable)
        for i in positives + negatives
    ]


def collect(shared: Path, work: Path) -> list[Pair]:
    """Index the allowed corpus, gather every training question, return (and keep) the pairs."""
    from indexer import Settings, build_index, load_index
    from indexer.answer.reader import reader_input
    from indexer.answer.scoring import load_scorer, scorer_file

    kept = work / "candidate-pairs.pkl"
    if kept.exists():
        return pickle.loads(kept.read_bytes())
    files, questions = corpus(shared)
    settings = Settings.from_env()
    docs = work / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    print(build_index(docs, work / "index", settings).summary(), file=sys.stderr)
    index = load_index(work / "index", settings)
    ranker = load_scorer(scorer_file(settings.model)).ranker
    rng, found, started = random.Random(SEED), [], time.time()
    for number, (qid, text, gold, answerable) in enumerate(questions, 1):
        asked = [(qid, text)]
        if rng.random() < KEYWORD_SHARE and (typed := keywords(text)):
            asked.append((f"{qid}-keywords", typed))
        for ask_id, ask in asked:
            found += question_pairs(index, reader_input, ranker, ask_id, ask, gold, answerable)
        if number % 500 == 0:
            print(
                f"  {number}/{len(questions)} questions ({time.time() - started:.0f} s)",
                file=sys.stderr,
            )
    kept.write_bytes(pickle.dumps(found))
    return found


def main() -> int:
    """Gather the pairs and print their counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-reader-candidates"))
    args = parser.parse_args()
    found = collect(args.shared, args.work)
    print(counts(found))
    return 0


def counts(found: list[Pair]) -> str:
    """Return the pairs' counts in one line (the model card quotes it)."""
    questions = {p.question_id: p.answerable for p in found}
    typed = sum(q.endswith("-keywords") for q in questions)
    near = sum(1 for p in found if p.answerable and not p.label)
    return (
        f"questions asked: {len(questions)} ({typed} as keywords; "
        f"{sum(questions.values())} answerable); pairs: {len(found)} "
        f"({sum(p.label for p in found)} positive, {near} near misses of answerable questions, "
        f"{sum(1 for p in found if not p.answerable)} of unanswerable ones)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
