"""The features the scorer weighs: of each candidate unit, and of the candidate set as a whole."""

from __future__ import annotations

import numpy as np

from ..read.terms import question_terms, tokenize, tokenize_each

RRF_K = 60
UNIT_FEATURES = (
    "cos",  # cosine of question and unit
    "kw",  # idf-weighted share of the question's terms in the unit and its headings
    "kw_own",  # the same share in the unit's own text
    "pcos",  # its passage's dense score (the better of passage and best unit)
    "pkw",  # the share of the question's terms anywhere in its passage
    "prank",  # 1 / (1 + rank of its passage among the candidates)
    "cos_gap",  # its cosine minus the best candidate's
    "kw_gap",  # its share minus the best candidate's
    "len",  # log(characters / 100)
    "table",  # 1 for a table row
    "rrf",  # reciprocal rank fusion of its cosine rank and keyword rank among the candidates
    "r_cos",  # 1 / (1 + its cosine rank)
    "r_kw",  # 1 / (1 + its keyword rank)
    "names_missing",  # share of the names the question asks about absent from its passage
)
ANSWER_FEATURES = (
    "top",  # the best unit's ranker score
    "margin",  # how far it leads the second
    "share",  # its softmax share among the candidates
    "units",  # sqrt of the number of candidates
    "top_cos",
    "top_kw",
    "top_pcos",
    "top_pkw",
    "top_names_missing",
    "unknown_name",  # the question names something no document mentions
    "max_pcos",
    "max_pkw",
    "max_kw",
    "terms",  # log(1 + the question's terms): short questions meet lower cosines
)
# What a question's words matching the documents' words tells: nothing across languages (an
# English question on Chinese text). The scorer for such questions was fitted without them.
WORD_FEATURES = ("kw", "kw_own", "pkw", "kw_gap", "rrf", "r_kw", "names_missing")


def without_words(features: np.ndarray) -> np.ndarray:
    """Return the unit features with the WORD_FEATURES columns set to 0."""
    features = features.copy()
    features[:, [UNIT_FEATURES.index(name) for name in WORD_FEATURES]] = 0.0
    return features


def unit_features(index, candidates) -> np.ndarray:
    """Return one row of UNIT_FEATURES per candidate unit."""
    units, question = candidates.units, candidates.question
    cos = index.unit_vectors([u.row for u in units]) @ candidates.query_vector
    terms = set(question_terms(question, index.languages()))
    weights = {t: index.idf(t) for t in terms}
    total = sum(weights.values()) or 1.0
    languages = {s: index.language_of(s) for s in {u.hit.source for u in units}}

    def share(texts: list[str], sources: list[str]) -> np.ndarray:
        found = tokenize_each(texts, [languages[s] for s in sources])
        return np.array([sum(weights[t] for t in set(ts) & terms) / total for ts in found])

    sources = [u.hit.source for u in units]
    kw = share([u.hit.passage.prefix + "\n" + u.text for u in units], sources)
    kw_own = share([u.text for u in units], sources)
    hits = list({u.hit.position: u.hit for u in units}.values())
    passage_kw = dict(
        zip(
            [h.position for h in hits],
            share([h.passage.embedding_text() for h in hits], [h.source for h in hits]),
            strict=True,
        )
    )
    ranked = candidates.quotable  # ranks count among the units that may be quoted
    r_cos, r_kw = _ranks(cos, ranked), _ranks(kw, ranked)
    return np.column_stack(
        [
            cos,
            kw,
            kw_own,
            [u.hit.dense_score for u in units],
            [passage_kw[u.hit.position] for u in units],
            [1.0 / (1 + u.rank) for u in units],
            cos - cos[ranked].max(initial=-1.0),
            kw - kw[ranked].max(initial=0.0),
            np.log([max(len(u.text), 1) / 100 for u in units]),
            [u.hit.kind == "table-row" for u in units],
            RRF_K * (1.0 / (RRF_K + r_cos) + 1.0 / (RRF_K + r_kw)),
            1.0 / (1 + r_cos),
            1.0 / (1 + r_kw),
            candidates.names_missing,
        ]
    ).astype(np.float64)


def answer_features(candidates, features: np.ndarray, scores: np.ndarray, shares) -> np.ndarray:
    """Return ANSWER_FEATURES: what the best unit and the whole candidate set look like."""
    order = np.argsort(-scores, kind="stable")
    top = order[0]
    second = (
        scores[order[1]] if len(order) > 1 and np.isfinite(scores[order[1]]) else scores[top] - 5
    )
    column = {name: features[:, i] for i, name in enumerate(UNIT_FEATURES)}
    quotable = candidates.quotable
    return np.array(
        [
            scores[top],
            scores[top] - second,
            shares[top],
            np.sqrt(quotable.sum()),
            column["cos"][top],
            column["kw"][top],
            column["pcos"][top],
            column["pkw"][top],
            column["names_missing"][top],
            float(bool(candidates.unknown_names)),
            column["pcos"][quotable].max(),
            column["pkw"][quotable].max(),
            column["kw"][quotable].max(),
            np.log1p(len(tokenize([candidates.question])[0])),
        ]
    )


def _ranks(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Return each value's 0-based descending rank among the marked ones (others rank last)."""
    masked = np.where(among, values, -np.inf)
    ranks = np.empty(len(values))
    ranks[np.argsort(-masked, kind="stable")] = np.arange(len(values))
    return ranks
