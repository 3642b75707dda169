"""Run each benchmark: build its index, then score BM25, dense and the product on it."""

from __future__ import annotations

import copy
import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.common import metrics as m
from bench.common.corpora import Corpus, Question, write_docs
from bench.common.rankers import Baselines

DEPTH = 10  # passages read for recall@1/5/10
DOC_DEPTH = 1000  # passages read to rank documents for recall@100
SENTENCE_METHODS = ("bm25", "dense", "fusion")  # keys of Baselines.best_sentences


class Progress:
    """Print a stage's progress to stderr about every tenth of the way."""

    def __init__(self, name: str):
        self.name, self.stage, self.next = name, None, 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.stage, self.next = stage, 0
        if done >= self.next or done == total:
            print(f"[{self.name}] {stage}: {done}/{total}", file=sys.stderr, flush=True)
            self.next = done + max(1, total // 10)


@dataclass
class Bench:
    """One benchmark's loaded index and what it takes to load it again with other settings."""

    name: str
    index: object
    index_dir: Path
    settings: object
    embedder: object
    progress: Progress
    variants: dict = field(default_factory=dict)  # label -> the same index, a step turned off

    def threshold(self, index) -> float:
        """Return the refusal threshold an index (the product or a variant) answers with."""
        from indexer.answer.scoring import load_scorer, scorer_file

        settings = index.settings
        fitted = load_scorer(scorer_file(settings.model)).threshold_for(settings)
        return fitted if settings.min_answer_score is None else settings.min_answer_score

    def products(self) -> dict:
        """Return the product and each variant, by the label its rows carry."""
        return {"product": self.index, **self.variants}


def variant(index, **changes):
    """Return the loaded index answering with other settings (its data shared, not reloaded)."""
    clone = copy.copy(index)
    clone.settings = dataclasses.replace(index.settings, **changes)
    return clone


def work_folder(work: Path, name: str, settings) -> Path:
    """Return where a benchmark's documents and index live for the configured model."""
    from indexer.settings import AUTO_MODEL, DEFAULT_MODEL

    model = settings.model
    plain = model in (AUTO_MODEL, DEFAULT_MODEL)  # 'auto' builds English corpora on the default
    return work / name if plain else work / f"{name}-{Path(model).name}"


def prepare(name: str, docs: Path, index_dir: Path, settings, embedder, files=None) -> tuple:
    """Write the corpus (if given), build or update its index, load it; return (bench, info)."""
    from indexer import build_index, load_index

    progress = Progress(name)
    written = write_docs(docs, files) if files is not None else 0
    report = build_index(docs, index_dir, settings, embedder, progress=progress)
    print(f"[{name}] {report.summary()}", file=sys.stderr, flush=True)
    index = load_index(index_dir, settings, embedder)
    info = {
        "docs": str(docs),
        "index": str(index_dir),
        "files": len(index.manifest.files),
        "files_written": written,
        "skipped": [s.path for s in report.skipped],
        "passages": len(index),
        "units": index.manifest.units,
        "embedded": report.embedded,
        "build_seconds": round(report.seconds, 1),
    }
    return Bench(name, index, index_dir, settings, embedder, progress), info


def run_squad(bench: Bench, corpus: Corpus) -> dict:
    """Passage recall, quote@1, refusals and the refusal trade-off on SQuAD v2.0."""
    rows = _collect(bench, corpus.questions, Baselines(bench.index))
    answerable = [r for r in rows if r["question"].answerable]
    recall = {}
    for method in ("bm25", "dense", *bench.products()):
        ranks = [m.first_rank(r["passages"][method], r["question"].gold) for r in answerable]
        recall[method] = {
            f"R@{k}": m.share(r is not None and r <= k for r in ranks) for k in (1, 5, 10)
        }
    tables = {
        "Passage recall (answerable questions)": recall,
        "Quotes": _quote_table(rows, m.quote_holds_gold),
        "Refusal trade-off": _tradeoff(bench, rows),
    }
    return {
        "questions": _counts(rows),
        "tables": tables,
        "per_question": _records(rows, m.quote_holds_gold),
    }


def run_wikiqa(bench: Bench, corpus: Corpus) -> dict:
    """quote@1 (half overlap with a labelled sentence) and refusals on WikiQA dev."""
    rows = _collect(bench, corpus.questions, Baselines(bench.index))
    tables = {
        "Quotes": _quote_table(rows, m.overlaps_half),
        "Refusal trade-off": _tradeoff(bench, rows),
    }
    return {
        "questions": _counts(rows),
        "tables": tables,
        "per_question": _records(rows, m.overlaps_half),
    }


def run_scifact(bench: Bench, corpus: Corpus) -> dict:
    """nDCG@10 and recall@100 of documents ranked by their best passage (BEIR conventions)."""
    index, base = bench.index, Baselines(bench.index, sentences=False)
    terms, vectors = _queries(bench, corpus.questions)
    ranked = {"bm25": [], "dense": [], "fusion": [], **{label: [] for label in bench.products()}}
    for number, question in enumerate(corpus.questions):
        passages = index.stored.passages
        sources = [passages[i].source for i in base.bm25_passages(terms[number], len(index))]
        ranked["bm25"].append(m.first_per_document(sources))
        dense, _ = base.dense_passages(vectors[number], DOC_DEPTH)
        ranked["dense"].append(m.first_per_document([passages[i].source for i in dense]))
        ranked["fusion"].append(m.fused(ranked["bm25"][-1], ranked["dense"][-1]))
        for label, product in bench.products().items():
            hits = product.retrieve(question.text.strip(), vectors[number], DOC_DEPTH)
            ranked[label].append(m.first_per_document([h.source for h in hits]))
        bench.progress("Ranking documents", number + 1, len(corpus.questions))
    table = {}
    for method, docs in ranked.items():
        pairs = list(zip(docs, corpus.questions, strict=True))
        table[method] = {
            "nDCG@10": m.share(m.ndcg_at(d, q.relevant, 10) for d, q in pairs),
            "recall@100": m.share(m.recall_at(d, q.relevant, 100) for d, q in pairs),
        }
    return {"questions": {"judged": len(corpus.questions)}, "tables": {"Documents": table}}


def run_seeds(bench: Bench, questions_file: Path, limit: int | None) -> dict:
    """The project's own evaluation (indexer.answer.evaluate) on the seed documents."""
    from indexer.answer.evaluate import evaluate, read_questions

    questions = sample(read_questions(questions_file), limit)
    tables = {}
    for label, product in bench.products().items():
        result = evaluate(product, questions)
        title = "indexer.answer.evaluate" + ("" if label == "product" else f" ({label})")
        tables[title] = {name: {"value": value} for name, value in result["metrics"].items()}
    return {"questions": {"all": len(questions)}, "tables": tables}


def sample(items: list, limit: int | None) -> list:
    """Return at most limit items spread evenly over the list (all when limit is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    return [items[i * len(items) // limit] for i in range(limit)]


def _queries(bench: Bench, questions: list[Question]) -> tuple[list, np.ndarray]:
    """Tokenize and embed all questions at once, as Index.search would one by one."""
    from indexer.embed.embedders import encode_queries
    from indexer.read.terms import question_terms

    texts = [q.text.strip() for q in questions]
    vectors = []
    for start in range(0, len(texts), 256):
        # In the query role, for a model that has one (e5), as the product encodes them.
        vectors.append(encode_queries(bench.embedder, texts[start : start + 256]))
        bench.progress("Embedding questions", min(start + 256, len(texts)), len(texts))
    languages = bench.index.languages()  # the question's words stemmed as the index stems
    return [question_terms(text, languages) for text in texts], np.concatenate(vectors)


def _collect(bench: Bench, questions: list[Question], base: Baselines) -> list[dict]:
    """Run every method on every question and keep the spans each one returned."""
    rows = []
    terms, vectors = _queries(bench, questions)
    for number, question in enumerate(questions):
        words, vector = terms[number], vectors[number]
        dense, cosines = base.dense_passages(vector, DEPTH)
        best = base.best_sentences(words, vector)
        row = {
            "question": question,
            "passages": {
                "bm25": [base.passage_span(i) for i in base.bm25_passages(words, DEPTH)],
                "dense": [base.passage_span(i) for i in dense],
            },
            "sentences": {k: None if u is None else base.unit_span(u) for k, u in best.items()},
            "top_cosine": cosines[0],
            "quotes": {},
            "scores": {},  # each answer's confidence, refused or not (0: nothing to quote)
        }
        for label, product in bench.products().items():
            hits = product.retrieve(question.text.strip(), vector, DEPTH)
            row["passages"][label] = [(h.source, h.start, h.end) for h in hits]
            answer = product.answer(question.text)
            first = None if answer.refused else answer.quotes[0]
            row["quotes"][label] = None if first is None else (first.source, first.start, first.end)
            row["scores"][label] = answer.score
        row["quote"], row["score"] = row["quotes"]["product"], row["scores"]["product"]
        rows.append(row)
        bench.progress("Answering", number + 1, len(questions))
    return rows


def _quote_table(rows: list[dict], correct) -> dict:
    """quote@1, quote length and refusals for the single-sentence baselines and the product."""
    answerable = [r for r in rows if r["question"].answerable]
    unanswerable = [r for r in rows if not r["question"].answerable]
    table = {}
    picks = {f"best sentence: {k}": (lambda r, k=k: r["sentences"][k]) for k in SENTENCE_METHODS}
    for label in rows[0]["quotes"] if rows else ():
        picks[f"{label}: answer"] = lambda r, label=label: r["quotes"][label]
    for method, pick in picks.items():
        table[method] = {
            "quote@1": m.share(
                pick(r) is not None and correct(pick(r), r["question"].gold) for r in answerable
            ),
            "mean quote chars": m.share(pick(r)[2] - pick(r)[1] for r in answerable if pick(r)),
            "false refusals": m.share(pick(r) is None for r in answerable),
            "refusals (unanswerable)": m.share(pick(r) is None for r in unanswerable),
        }
    return table


def _tradeoff(bench: Bench, rows: list[dict]) -> dict:
    """Refusal curves: the product's best sentence score, and the top passage cosine alone."""
    table = {}
    for label, product in bench.products().items():
        threshold = bench.threshold(product)
        table[f"{label} score @ its threshold {threshold:g}"] = {
            "threshold": threshold,
            "false refusals": m.share(
                r["scores"][label] < threshold for r in rows if r["question"].answerable
            ),
            "refusals (unanswerable)": m.share(
                r["scores"][label] < threshold for r in rows if not r["question"].answerable
            ),
        }
    curves = [
        (f"{label} score", lambda r, label=label: r["scores"][label]) for label in bench.products()
    ]  # noqa: E501
    for label, key in [*curves, ("top dense cosine", lambda r: r["top_cosine"])]:
        good = [key(r) for r in rows if r["question"].answerable]
        bad = [key(r) for r in rows if not r["question"].answerable]
        for point in m.refusal_curve(good, bad) if good and bad else []:
            target = point.pop("target")
            table[f"{label} @ false refusals {target:.2f}"] = point
    return table


def _records(rows: list[dict], correct) -> list[dict]:
    """One compact record per question, to study failures without running again."""
    records = []
    for row in rows:
        question, quote = row["question"], row["quote"]
        records.append(
            {
                "id": question.id,
                "answerable": question.answerable,
                "passage_rank": m.first_rank(row["passages"]["product"], question.gold),
                "refused": quote is None,
                "quote_correct": quote is not None and correct(quote, question.gold),
                "quote": quote,
                "score": row["score"],
                "top_cosine": row["top_cosine"],
            }
        )
    return records


def _counts(rows: list[dict]) -> dict:
    answerable = sum(1 for r in rows if r["question"].answerable)
    return {"all": len(rows), "answerable": answerable, "unanswerable": len(rows) - answerable}
