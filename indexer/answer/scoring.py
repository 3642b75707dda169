"""Score candidate units: a learned ranker picks the sentence, a calibrated model decides to answer.

Both are linear models over the features below, fitted by `python -m scripts.fit_scorer` on the
tuning part of SQuAD v2 dev (see README, Quality); the weights live in indexer/answer/scorer.json.
With the reader on (the default), the ranker's best units are also read together with the
question by the reader (reader.py), and a second fit weighs its logit (ReaderStage).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import (
    ANSWER_FEATURES,
    UNIT_FEATURES,
    answer_features,
    unit_features,
    without_words,
)
from .reader import multilingual_reader, shipped_reader

SCORER_FILE = Path(__file__).with_name("scorer.json")  # fitted with the default model
SCORER_FILES = {"multilingual-e5-small": Path(__file__).with_name("scorer-e5.json")}
READER_ANSWER_FEATURES = (
    *ANSWER_FEATURES,
    "reader_top",  # the reader's logit for the unit chosen
    "reader_best",  # its highest logit among the units it read
    "reader_margin",  # how far its best logit leads its second
)


@dataclass(frozen=True)
class Scored:
    """The scoring stage's output: unit scores, their shares, and the answer's confidence."""

    scores: np.ndarray  # ranker score per unit; -inf where the unit may not be quoted
    shares: np.ndarray  # softmax of the scores: which unit answers, if one does
    confidence: float  # calibrated probability that the documents answer the question
    threshold: float  # refuse below this confidence (the fit's, for the stages that ran)


@dataclass(frozen=True)
class ReaderStage:
    """The reader's share: how many units it reads, how its logit is weighed, when to refuse."""

    read: int  # the ranker's best quotable units, read with the question
    combine: np.ndarray  # weights over (ranker score, reader logit) of a read unit
    answer: np.ndarray  # weights over READER_ANSWER_FEATURES
    answer_bias: float
    threshold: float
    # The ranker that chooses what the reader reads, when it is not the scorer's own: with e5,
    # the cosine's own ordering (scripts/fit_scorer.py --shrinkage), chosen on bench.select.
    ranker: np.ndarray | None = None

    def to_record(self) -> dict:
        """Return the stage's weights as JSON-ready values."""
        return {
            "read": self.read,
            "combine": _rounded(self.combine),
            "answer_features": list(READER_ANSWER_FEATURES),
            "answer": _rounded(self.answer),
            "answer_bias": round(float(self.answer_bias), 6),
            "threshold": round(float(self.threshold), 6),
            **({} if self.ranker is None else {"ranker": _rounded(self.ranker)}),
        }


@dataclass(frozen=True)
class LinearScorer:
    """A conditional-logit unit ranker and a logistic answer model, with the refusal threshold."""

    ranker: np.ndarray  # weights over UNIT_FEATURES
    answer: np.ndarray  # weights over ANSWER_FEATURES
    answer_bias: float
    threshold: float  # refuse below this confidence
    reader: ReaderStage | None = None  # None: fitted without the reader
    # The multilingual reader's stage (reader_model_e5), for questions the English one does not
    # read; fitted like the other (scripts/fit_reader_stage.py --multilingual).
    reader_multilingual: ReaderStage | None = None
    # The scorer for a question in a language none of the documents is in: fitted with the
    # WORD_FEATURES withheld (scripts/fit_cross_scorer.py); words=False is that scorer.
    cross: LinearScorer | None = None
    words: bool = True

    def score(self, index, candidates) -> Scored:
        """Score the candidate units of a question (the reader reads the best, if it is on)."""
        if not candidates.own_language and self.cross is not None:
            return self.cross.score(index, candidates)
        units = candidates.units
        reader, stage = self.reading(index, candidates)
        threshold = stage.threshold if stage else self.threshold
        if not units or not candidates.quotable.any():
            return Scored(np.full(len(units), -np.inf), np.zeros(len(units)), 0.0, threshold)
        features = unit_features(index, candidates)
        if not self.words:
            features = without_words(features)
        ranker = self.ranker if stage is None or stage.ranker is None else stage.ranker
        scores = np.where(candidates.quotable, features @ ranker, -np.inf)
        shares = softmax(scores)
        summary = answer_features(candidates, features, scores, shares)
        if stage is None:
            confidence = _logistic(summary, self.answer, self.answer_bias)
            return Scored(scores, shares, confidence, threshold)
        read = best_units(scores, stage.read)
        logits = reader.read(candidates.question, units, read)
        combined = np.full(len(units), -np.inf)
        combined[read] = np.column_stack([scores[read], logits]) @ stage.combine
        summary = np.concatenate([summary, reader_features(combined, read, logits)])
        confidence = _logistic(summary, stage.answer, stage.answer_bias)
        return Scored(combined, softmax(combined), confidence, threshold)

    def reading(self, index, candidates) -> tuple:
        """Return the reader that reads this question and what it found, with its stage."""
        if getattr(index.settings, "reader", "off") != "on":
            return None, None
        for reader, stage in (
            (shipped_reader(), self.reader),
            (multilingual_reader(), self.reader_multilingual),
        ):
            if stage is not None and reader is not None and reader.reads_found(index, candidates):
                return reader, stage
        return None, None

    def stage_for(self, settings) -> ReaderStage | None:
        """Return the reader stage when the settings turn it on and it was fitted."""
        return self.reader if getattr(settings, "reader", "off") == "on" else None

    def threshold_for(self, settings) -> float:
        """Return the fitted refusal threshold for the stages these settings run."""
        stage = self.stage_for(settings)
        return stage.threshold if stage else self.threshold

    def to_json(self, **facts) -> str:
        """Serialise the weights with their feature names and the facts of the fit."""
        record = {
            "unit_features": list(UNIT_FEATURES),
            "ranker": _rounded(self.ranker),
            "answer_features": list(ANSWER_FEATURES),
            "answer": _rounded(self.answer),
            "answer_bias": round(float(self.answer_bias), 6),
            "threshold": round(float(self.threshold), 6),
            **({"reader": self.reader.to_record()} if self.reader else {}),
            **(
                {"reader_multilingual": self.reader_multilingual.to_record()}
                if self.reader_multilingual
                else {}
            ),
            **({"cross": json.loads(self.cross.to_json())} if self.cross else {}),
            **facts,
        }
        return json.dumps(record, indent=1)


def best_units(scores: np.ndarray, n: int) -> np.ndarray:
    """Return the indexes of the n best finite scores, best first."""
    order = np.argsort(-scores, kind="stable")[:n]
    return order[np.isfinite(scores[order])]


def reader_features(combined: np.ndarray, read: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """Return the reader's part of READER_ANSWER_FEATURES."""
    top = int(np.argmax(combined))
    ordered = np.sort(logits)[::-1]
    second = ordered[1] if len(ordered) > 1 else ordered[0] - 5.0
    return np.array([logits[list(read).index(top)], ordered[0], ordered[0] - second])


def softmax(scores: np.ndarray) -> np.ndarray:
    """Return the softmax of scores (-inf gets nothing)."""
    shares = np.exp(scores - scores.max())
    return shares / shares.sum()


def _logistic(features: np.ndarray, weights: np.ndarray, bias: float) -> float:
    return float(1.0 / (1.0 + np.exp(-(features @ weights + bias))))


def _rounded(weights: np.ndarray) -> list[float]:
    return [round(float(w), 6) for w in weights]


def scorer_file(model: str) -> Path:
    """Return the scorer fitted with a model's scores (the default model's for any other)."""
    return SCORER_FILES.get(model, SCORER_FILE)


@lru_cache(maxsize=4)
def load_scorer(path: str | os.PathLike = SCORER_FILE) -> LinearScorer:
    """Load a scorer written by LinearScorer.to_json (the shipped one by default)."""
    return scorer_from(json.loads(Path(path).read_text(encoding="utf-8")), path)


def scorer_from(record: dict, path) -> LinearScorer:
    """Return the scorer a record of LinearScorer.to_json holds (path names it in errors)."""
    if (
        tuple(record["unit_features"]) != UNIT_FEATURES
        or tuple(record["answer_features"]) != ANSWER_FEATURES
    ):
        raise ValueError(f"{path} was fitted on other features; refit it.")
    return LinearScorer(
        np.array(record["ranker"], dtype=np.float64),
        np.array(record["answer"], dtype=np.float64),
        float(record["answer_bias"]),
        float(record["threshold"]),
        _stage(record.get("reader"), path),
        _stage(record.get("reader_multilingual"), path),
        record.get("cross") and replace(scorer_from(record["cross"], path), words=False),
    )


def _stage(stage: dict | None, path) -> ReaderStage | None:
    """Return the reader stage a record holds, if it holds one."""
    if not stage:
        return None
    if tuple(stage["answer_features"]) != READER_ANSWER_FEATURES:
        raise ValueError(f"{path} was fitted on other reader features; refit it.")
    return ReaderStage(
        int(stage["read"]),
        np.array(stage["combine"], dtype=np.float64),
        np.array(stage["answer"], dtype=np.float64),
        float(stage["answer_bias"]),
        float(stage["threshold"]),
        np.array(stage["ranker"], dtype=np.float64) if "ranker" in stage else None,
    )
