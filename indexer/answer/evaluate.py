"""Score answers against a question set with verbatim gold spans: every check is exact."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexerError
from ..records import MAX_QUOTE_CHARS


@dataclass(frozen=True)
class Question:
    """One question: gold spans (any one counts) and the files that hold them."""

    id: str
    question: str
    answers: list[str]
    sources: list[str]

    @property
    def answerable(self) -> bool:
        """Whether the documents hold an answer."""
        return bool(self.answers)


def read_questions(path: str | Path) -> list[Question]:
    """Read a JSONL question set (fields: question, answers, source, optional also, id)."""
    questions = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise IndexerError(f"Cannot read the question set {path}: {error.strerror}.") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            sources = [row["source"]] if row.get("source") else []
            questions.append(
                Question(
                    str(row.get("id", number)),
                    row["question"],
                    list(row.get("answers") or []),
                    sources + list(row.get("also") or []),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError):
            raise IndexerError(
                f"Line {number} of {path} is not a question record "
                '({"question": ..., "answers": [...], "source": ...}).'
            ) from None
    return questions


def _holds_gold(text: str, source: str, question: Question) -> bool:
    return any(span in text for span in question.answers) and source in question.sources


def evaluate(index, questions: list[Question]) -> dict:
    """Answer every question and return the metrics with a per-question record."""
    rows, latencies = [], []
    for question in questions:
        began = time.perf_counter()
        answer = index.answer(question.question)
        latencies.append(time.perf_counter() - began)
        hits = index.search(question.question, k=10)
        rank = next(
            (r for r, h in enumerate(hits, 1) if _holds_gold(h.text, h.source, question)), None
        )
        first = answer.quotes[0] if answer.quotes else None
        rows.append(
            {
                "id": question.id,
                "question": question.question,
                "answerable": question.answerable,
                "refused": answer.refused,
                "first_quote": first.text if first else None,
                "first_source": first.source if first else None,
                "quote_hit": bool(
                    first
                    and len(first.text) <= MAX_QUOTE_CHARS
                    and _holds_gold(first.text, first.source, question)
                ),
                "right_source": bool(first and first.source in question.sources),
                "passage_rank": rank,
            }
        )
    return {"metrics": _metrics(rows, latencies), "questions": rows}


def _metrics(rows: list[dict], latencies: list[float]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    refused = [r for r in rows if r["refused"]]
    ranks = [r["passage_rank"] for r in answerable]

    def share(values) -> float | None:
        values = list(values)
        return round(sum(values) / len(values), 4) if values else None

    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "first_quote_hit": share(r["quote_hit"] for r in answerable),
        "passage_hit@1": share(r is not None and r <= 1 for r in ranks),
        "passage_hit@5": share(r is not None and r <= 5 for r in ranks),
        "passage_hit@10": share(r is not None for r in ranks),
        "mrr@10": share(1 / r if r else 0 for r in ranks),
        "citation_correct": share(r["right_source"] for r in answerable if not r["refused"]),
        "refusal_precision": share(not r["answerable"] for r in refused),
        "refusal_recall": share(r["refused"] for r in unanswerable),
        "false_refusals": sum(r["refused"] for r in answerable),
        "latency_p50_ms": round(float(np.percentile(latencies, 50)) * 1000, 1) if rows else None,
        "latency_p95_ms": round(float(np.percentile(latencies, 95)) * 1000, 1) if rows else None,
    }


def format_table(metrics: dict) -> str:
    """Return the metrics as an aligned two-column table."""
    width = max(len(name) for name in metrics)
    lines = [f"{'metric':{width}}  value", f"{'-' * width}  -----"]
    for name, value in metrics.items():
        lines.append(f"{name:{width}}  {'-' if value is None else value}")
    return "\n".join(lines)
