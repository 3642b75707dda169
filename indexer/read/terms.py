"""Split texts into keyword terms: lower-cased, stemmed, English stop words removed (as bm25s)."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


# bm25s.tokenize's own rule (scikit-learn's token pattern), applied without its per-call set-up
# and progress bars, which cost more than the work for the short texts of one question.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Split texts into lower-cased, stemmed terms with English stop words removed (as bm25s)."""
    stop, stem = _stop_words(), _stemmer().stemWords
    return [stem([w for w in _TOKEN.findall(t.lower()) if w not in stop]) for t in texts]
