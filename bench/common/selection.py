"""Score rankers on candidate dumps: first choice right per collection, beside the baselines.

Every ranker here orders a question's quotable candidates; its first choice is right when that
unit holds a gold answer by the collection's rule. The plain baselines pick the best sentence
of the whole collection by one signal (bench/common/rankers.py). The residual rankers are the
plain cosine ordering plus a correction fitted on SQuAD's tuning part (the only data allowed)
and shrunk towards zero: the strength is chosen on the mean over collections, so where the
correction does not transfer the ranking falls back to the model's own ordering.
"""

from __future__ import annotations

import numpy as np

from bench.common.candidates import Row

BASELINES = ("dense", "bm25", "fusion")
READER_HELD_OUT = ("Civil_disobedience.txt", "Harvard_University.txt", "Imperialism.txt",
                   "Private_school.txt")  # fmt: skip  # SQuAD articles the reader never saw
READ = 4
STAGE_READ = 6  # units the reader reads after a ranker held to the cosine (chosen on the suite)
SHRINKAGE = (0.0, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)  # ridge per question, towards the cosine


def first_right(rows: list[Row], scores_of) -> float:
    """Share of answerable questions whose first choice (highest score) holds a gold answer."""
    right = []
    for row in rows:
        if not row.answerable:
            continue
        if not len(row.features) or not row.quotable.any():
            right.append(False)
            continue
        scores = np.where(row.quotable, scores_of(row), -np.inf)
        right.append(bool(row.labels[int(np.argmax(scores))]))
    return float(np.mean(right)) if right else float("nan")


def baseline_right(rows: list[Row], method: str) -> float:
    """Share of answerable questions whose plain best sentence is right."""
    return float(np.mean([row.baselines[method] for row in rows if row.answerable]))


def linear(weights: np.ndarray):
    """Return a ranker scoring units by a weight vector over their features."""
    return lambda row: row.features @ weights


def with_reader(weights: np.ndarray, combine: np.ndarray, reads: int = READ, alone=None):
    """Return a ranker that lets the reader reorder the best units of a linear ranker.

    alone: the weights that rank questions the reader does not read (default: weights).
    """

    def scores_of(row: Row) -> np.ndarray:
        if not np.isfinite(row.logits).any():  # as answering does: a language it cannot read
            return row.features @ (weights if alone is None else alone)
        scores = np.where(row.quotable, row.features @ weights, -np.inf)
        read = _read(row, scores, reads)
        combined = np.full(len(scores), -np.inf)
        if read:
            combined[read] = np.column_stack([scores[read], row.logits[read]]) @ combine
        return combined

    return scores_of


def fit_combine(rows: list[Row], weights: np.ndarray, reads: int = READ) -> np.ndarray:
    """Fit how the reader's logit and a ranker's score are weighed, on questions it never saw."""
    from scipy.optimize import minimize

    groups = []
    for row in rows:
        if row.group not in READER_HELD_OUT or not row.answerable or not len(row.features):
            continue
        scores = np.where(row.quotable, row.features @ weights, -np.inf)
        read = _read(row, scores, reads)
        if read and row.labels[read].any():
            groups.append((np.column_stack([scores[read], row.logits[read]]), row.labels[read]))

    def loss(w: np.ndarray) -> float:
        total = 0.0
        for x, y in groups:
            s = x @ w
            e = np.exp(s - s.max())
            total -= np.log(e[y].sum() / e.sum())
        return total

    return minimize(loss, np.ones(2), method="Nelder-Mead").x


def _read(row: Row, scores: np.ndarray, reads: int = READ) -> list[int]:
    """Return the best units by a ranker's scores that the reader read (offline)."""
    read = [i for i in np.argsort(-scores, kind="stable") if not np.isnan(row.logits[i])]
    return [i for i in read[:reads] if np.isfinite(scores[i])]


def fit_residual(rows: list[Row], shrinkage: float) -> np.ndarray:
    """Fit the ranker as scripts/fit_scorer.py does, on the answerable rows' candidates."""
    from scripts.fit_scorer import fit_residual as fit

    return fit(_groups(rows), shrinkage)


def _groups(rows: list[Row]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return (features, labels) of the quotable units of answerable questions with a gold unit."""
    return [
        (row.features[row.quotable], row.labels[row.quotable])
        for row in rows
        if row.answerable and len(row.features) and row.labels[row.quotable].any()
    ]


def table(dumps: dict[str, list[Row]], model: str) -> dict:
    """Return {collection: {method: first-choice right}} with the mean and the no-harm check."""
    from indexer.answer.scoring import load_scorer, scorer_file

    shipped = load_scorer(scorer_file(model))
    methods = {"plain cosine (candidates)": lambda _: linear(_unit(0, shipped.ranker))}
    methods["shipped ranker"] = lambda _: linear(shipped.ranker)
    squad = dumps.get("squad")
    if shipped.reader is not None:
        stage = shipped.reader
        reads_by = shipped.ranker if stage.ranker is None else stage.ranker
        methods[f"shipped: reader reads {stage.read}"] = lambda _: with_reader(
            reads_by, stage.combine, stage.read, shipped.ranker
        )
    elif squad:  # the reader does not depend on the embedder: weigh it for this model's ranker
        combine = fit_combine(squad, shipped.ranker)
        methods["shipped ranker + reader (refitted)"] = lambda _: with_reader(
            shipped.ranker, combine
        )
    if squad:
        for strength in SHRINKAGE:
            alone, read = _cross_fitted(squad, strength)
            methods[f"ranker held to cosine {strength:g}"] = alone
            methods[f"ranker held to cosine {strength:g}, reader reads {STAGE_READ}"] = read
    result = {}
    for name, rows in dumps.items():
        row = {f"best sentence: {m}": baseline_right(rows, m) for m in BASELINES}
        for method, make in methods.items():
            row[method] = first_right(rows, make(name))
        row["answerable"] = sum(r.answerable for r in rows)
        result[name] = row
    return result


def _cross_fitted(squad: list[Row], strength: float):
    """Fit on all SQuAD tuning rows for other collections, 2-fold by article for SQuAD itself.

    Return two rankers: the fitted one alone, and the reader reading its best STAGE_READ units
    (their weighing fitted on the held-out articles of the same rows).
    """
    articles = sorted({r.group for r in squad})
    halves = [set(articles[0::2]), set(articles[1::2])]
    fits = [fit_residual([r for r in squad if r.group not in h], strength) for h in halves]
    fits.append(fit_residual(squad, strength))  # the last: for every other collection
    combines = [fit_combine(squad if i == 2 else [r for r in squad if r.group not in halves[i]],
                            w, STAGE_READ) for i, w in enumerate(fits)]  # fmt: skip

    def fitted(collection: str, reader: bool):
        def scores_of(row: Row) -> np.ndarray:
            i = 2 if collection != "squad" else 0 if row.group in halves[0] else 1
            ranker = with_reader(fits[i], combines[i], STAGE_READ) if reader else linear(fits[i])
            return ranker(row)

        return scores_of

    return (lambda c: fitted(c, False)), (lambda c: fitted(c, True))


def _unit(i: int, like: np.ndarray) -> np.ndarray:
    weights = np.zeros(len(like))
    weights[i] = 1.0
    return weights


def render(result: dict, model: str) -> str:
    """Return the selection table as markdown: collections as columns, methods as rows."""
    names = list(result)
    methods = [m for m in next(iter(result.values())) if m != "answerable"]
    lines = [
        f"### Selection suite, tuning parts, model {model}: first choice right (answerable)",
        "",
        "| method | " + " | ".join(f"{n} ({result[n]['answerable']})" for n in names) + " | mean |",
        "|---" + "|---:" * (len(names) + 1) + "|",
    ]
    best_plain = {n: max(result[n][f"best sentence: {b}"] for b in BASELINES) for n in names}
    for method in methods:
        values = [result[n][method] for n in names]
        cells = [
            f"{v:.3f}" + ("" if method.startswith("best") or v >= best_plain[n] else " ✗")
            for v, n in zip(values, names, strict=True)
        ]
        lines.append(f"| {method} | " + " | ".join(cells) + f" | {np.mean(values):.3f} |")
    lines.append("")
    lines.append("✗: below the collection's best plain baseline (such a choice does not ship).")
    return "\n".join(lines)
