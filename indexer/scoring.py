"""Score candidate sentences with a small logistic model (fitted by scripts/train_scorer.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .keywords import tokenize
from .questions import is_question

SCORER_FILE = Path(__file__).with_name("scorer.json")
FEATURES = (
    "dense",  # cosine of question and sentence
    "overlap",  # share of the question's rare words in the sentence and its headings
    "passage_dense",  # the passage's own best cosine
    "passage_overlap",  # share of the question's rare words anywhere in the passage
    "passage_rank",  # 1 / (1 + rank of the passage among the candidates)
    "dense_gap",  # how far the sentence's cosine is below the best candidate's
    "overlap_gap",  # how far its word share is below the best candidate's
    "log_length",  # log of the sentence length in characters / 100
)


@dataclass(frozen=True)
class Scorer:
    """Logistic weights over FEATURES and the probability below which answers are refused."""

    weights: np.ndarray
    bias: float
    threshold: float

    def probability(self, index, candidates) -> np.ndarray:
        """Return the probability that each candidate unit answers its question."""
        return self.logistic(unit_features(index, candidates))

    def logistic(self, features: np.ndarray) -> np.ndarray:
        """Return the probability for each row of features."""
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))

    def to_json(self, **extra) -> str:
        """Serialise the scorer with its feature names and any training facts."""
        record = {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(float(self.bias), 6),
            "threshold": round(float(self.threshold), 6),
            **extra,
        }
        return json.dumps(record, indent=1)


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """Load the scorer shipped with the package."""
    record = json.loads(SCORER_FILE.read_text(encoding="utf-8"))
    if tuple(record["features"]) != FEATURES:
        raise ValueError(f"{SCORER_FILE} was trained on other features; retrain it.")
    return Scorer(
        np.array(record["weights"], dtype=np.float64), record["bias"], record["threshold"]
    )


def unit_features(index, candidates) -> np.ndarray:
    """Return one row of FEATURES per candidate unit."""
    units = candidates.units
    if not units:
        return np.zeros((0, len(FEATURES)))
    dense = index.unit_vectors([u.row for u in units]) @ candidates.query_vector
    query_terms = set(tokenize([candidates.question])[0])
    weights = {t: index.idf(t) for t in query_terms}
    total = sum(weights.values()) or 1.0

    def share(texts: list[str]) -> np.ndarray:
        found = tokenize(texts)
        return np.array([sum(weights[t] for t in set(ts) & query_terms) / total for ts in found])

    overlap = share([u.hit.passage.prefix + "\n" + u.text for u in units])
    # Each passage is read once, however many of its sentences are candidates.
    hits = list({u.hit.position: u.hit for u in units}.values())
    by_position = dict(
        zip(
            [h.position for h in hits],
            share([h.passage.embedding_text() for h in hits]),
            strict=True,
        )
    )
    passage_overlap = np.array([by_position[u.hit.position] for u in units])
    # A sentence that asks the question is not its answer; the sentence after it may be.
    for i, unit in enumerate(units[:-1]):
        follower = units[i + 1]
        if is_question(unit.text) and follower.hit is unit.hit and not is_question(follower.text):
            dense[i + 1] = max(dense[i + 1], (dense[i] + dense[i + 1]) / 2)
            overlap[i + 1] = max(overlap[i + 1], (overlap[i] + overlap[i + 1]) / 2)
    return np.column_stack(
        [
            dense,
            overlap,
            [u.hit.dense_score for u in units],
            passage_overlap,
            [1.0 / (1 + u.rank) for u in units],
            dense - dense.max(),
            overlap - overlap.max(),
            np.log([max(len(u.text), 1) / 100 for u in units]),
        ]
    )
