"""Exact scoring rules (spans, overlap, BEIR metrics) and the timing and memory readings."""

from __future__ import annotations

import json
import math
import resource
from pathlib import Path

import numpy as np

Span = tuple[str, int, int]  # (file, start, end) in characters
MAX_QUOTE_CHARS = 400


def holds_gold(span: Span, gold) -> bool:
    """Whether span contains one of the gold spans at its location in the same file."""
    source, start, end = span
    return any(g[0] == source and start <= g[1] and g[2] <= end for g in gold)


def quote_holds_gold(span: Span, gold) -> bool:
    """Whether a quote holds a gold span and is short enough to be a quote, not a page."""
    return span[2] - span[1] <= MAX_QUOTE_CHARS and holds_gold(span, gold)


def overlaps_half(span: Span, gold) -> bool:
    """Whether span overlaps a gold sentence by half the longer of the two (WikiQA)."""
    source, start, end = span
    for g_source, g_start, g_end in gold:
        shared = min(end, g_end) - max(start, g_start)
        if g_source == source and shared >= 0.5 * max(end - start, g_end - g_start):
            return True
    return False


def first_rank(spans: list[Span], gold) -> int | None:
    """Return the 1-based rank of the first span holding a gold span, or None."""
    return next((rank for rank, span in enumerate(spans, 1) if holds_gold(span, gold)), None)


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """nDCG@k as BEIR computes it (pytrec_eval): linear gain, log2 discount, ideal from qrels."""
    dcg = sum(relevant.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    """Share of the relevant documents found in the top k."""
    wanted = {doc for doc, grade in relevant.items() if grade > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def fused(*rankings: list[str], k: int = 60) -> list[str]:
    """Return documents ordered by reciprocal rank fusion of several rankings (RRF, k=60)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, 1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda doc: -scores[doc])


def first_per_document(sources: list[str]) -> list[str]:
    """Rank documents by their best passage: keep each file's first appearance."""
    return list(dict.fromkeys(sources))


def share(values) -> float | None:
    """Return the mean of booleans or numbers, rounded, or None for no values."""
    values = list(values)
    return round(float(np.mean(values)), 4) if values else None


def refusal_curve(answerable, unanswerable, targets=(0.05, 0.10, 0.20, 0.30)) -> list[dict]:
    """Pick thresholds that refuse the given shares of answerable questions; -inf always refuses.

    A question is refused when its score is below the threshold. Returns, per target, the
    threshold, the false-refusal rate reached on answerable questions and the refusal rate
    on unanswerable ones.
    """
    good, bad = np.sort(np.asarray(answerable, float)), np.asarray(unanswerable, float)
    points = []
    for target in targets:
        threshold = float(good[min(int(target * len(good)), len(good) - 1)])
        points.append(
            {
                "target": target,
                "threshold": round(threshold, 4) if np.isfinite(threshold) else None,
                "false refusals": share(_refused(good, threshold)),
                "refusals (unanswerable)": share(_refused(bad, threshold)),
            }
        )
    return points


def _refused(scores: np.ndarray, threshold: float) -> np.ndarray:
    return (scores < threshold) | np.isneginf(scores)


def percentiles_ms(seconds: list[float]) -> dict:
    """Return the p50 and p95 of durations in seconds, in milliseconds."""
    ms = np.array(seconds) * 1000
    return {"p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95))}


def peak_rss_mb() -> float:
    """Return this process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_json(path: Path, results) -> None:
    """Write benchmark results as JSON, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
