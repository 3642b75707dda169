"""Each tuning question's candidate units as the product gathers them, to score rankers offline.

A dump holds, per question, the feature rows `unit_features` gives its candidates, which of them
may be quoted, which hold a gold answer (by the collection's own rule), the reader's logits for
the units it would read, and whether each plain baseline's best sentence of the whole
collection is right. Any ranker over those features is then scored in milliseconds.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.common.rankers import Baselines
from bench.common.runs import SENTENCE_METHODS

READ_DEPTH = 8  # units read per question: the shipped ranker's best and the best cosines


@dataclass
class Row:
    """One question's candidates: features, masks, gold labels and reader logits."""

    id: str
    question: str
    group: str  # the question's article, where the collection has them
    answerable: bool
    features: np.ndarray  # (units, UNIT_FEATURES)
    quotable: np.ndarray  # bool per unit
    labels: np.ndarray  # bool per unit: holds a gold answer
    logits: np.ndarray  # reader logit per unit, nan where it was not read
    baselines: dict  # method -> whether its best sentence of the collection is right
    unknown_name: bool  # the question names something no document mentions
    language: str  # the question's language
    texts: list[str]  # each unit's text
    kinds: tuple  # what the question asks for (QuestionNeeds), for features added later


def collect(index, questions, correct, progress=None) -> list[Row]:
    """Gather every question's candidates through the product's own stages."""
    from indexer.answer.pipeline import gather
    from indexer.answer.reader import shipped_reader
    from indexer.answer.scoring import load_scorer, scorer_file, unit_features
    from indexer.read.terms import question_terms
    from indexer.search.query import check_question

    ranker = load_scorer(scorer_file(index.settings.model)).ranker
    reader = shipped_reader()  # the English one: questions it does not read are not read
    base = Baselines(index)
    rows = []
    for number, question in enumerate(questions, 1):
        text = check_question(question.text, index.settings.max_query_chars)
        candidates = gather(index, text)
        best = base.best_sentences(question_terms(text, index.languages()), candidates.query_vector)
        baselines = {
            k: best[k] is not None and correct(base.unit_span(best[k]), question.gold)
            for k in SENTENCE_METHODS
        }
        units = candidates.units
        if units and candidates.quotable.any():
            features = unit_features(index, candidates)
            labels = np.array(
                [correct((u.hit.source, u.start, u.end), question.gold) for u in units]
            )
            logits = np.full(len(units), np.nan)
            read = _to_read(features, candidates.quotable, ranker)
            if reader.reads(candidates.needs.language):
                logits[read] = reader.read(text, units, read)
        else:
            features = np.zeros((0, len(ranker)))
            labels = logits = np.zeros(0)
        rows.append(
            Row(
                question.id,
                text,
                question.group,
                question.answerable,
                features,
                np.asarray(candidates.quotable, bool),
                np.asarray(labels, bool),
                logits,
                baselines,
                bool(candidates.unknown_names),
                candidates.needs.language,
                [u.text for u in units],
                candidates.needs,
            )
        )
        if progress:
            progress("Gathering candidates", number, len(questions))
    return rows


def _to_read(features: np.ndarray, quotable: np.ndarray, ranker: np.ndarray) -> np.ndarray:
    """Return the units the reader reads offline: best by the shipped ranker and by cosine."""
    chosen = []
    for scores in (features @ ranker, features[:, 0]):
        order = np.argsort(-np.where(quotable, scores, -np.inf), kind="stable")
        chosen += [int(i) for i in order[:READ_DEPTH] if quotable[i]]
    return np.array(sorted(set(chosen)), dtype=int)


def save(path: Path, rows: list[Row]) -> None:
    """Write a dump (pickle of plain records and arrays)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"wrote {path} ({len(rows)} questions)", file=sys.stderr)


def load(path: Path) -> list[Row]:
    """Read a dump written by save."""
    return pickle.loads(path.read_bytes())
