"""Split texts into keyword terms: words lower-cased and stemmed, unspaced scripts as letter pairs.

Words (Latin, Cyrillic, Greek, Arabic, Devanagari…) are lower-cased, English stop words removed
and stemmed (as bm25s). Chinese, Japanese, Korean and Thai are written without spaces between
words: a run of them becomes its overlapping pairs of letters ("北京大学" → 北京 京大 大学), which
match whatever the words are, with no dictionary to ship.
"""

from __future__ import annotations

import bisect
import os
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


_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"  # kana, CJK, Hangul
)
_INDIC_MARKS = "\u0900-\u0dff"  # Indic blocks: their vowel signs are marks, not \w
# A run of an unspaced script, or a word of two or more letters (bm25s's rule, scikit-learn's
# token pattern, with Indic vowel signs kept inside their words), applied without bm25s's
# per-call set-up and progress bars, which cost more than the work for a question.
_TOKEN = re.compile(f"([{_UNSPACED}]+)|((?:[^\\W{_UNSPACED}]|[{_INDIC_MARKS}]){{2,}})")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Split texts into terms: stemmed words without English stop words, and letter pairs."""
    stop, stem = _stop_words(), _stemmer().stemWords
    found = []
    for text in texts:
        words, pairs = [], []
        for unspaced, word in _TOKEN.findall(text.lower()):
            if unspaced:
                pairs.extend(_pairs(unspaced))
            elif word not in stop:
                words.append(word)
        found.append(stem(words) + pairs)
    return found


def _pairs(run: str) -> list[str]:
    """Return a run's overlapping letter pairs (the letter itself when it stands alone)."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def close_form_known(term: str, sorted_terms: list[str]) -> bool:
    """Whether sorted_terms hold term or a close form of it: "arbeitervororten" for
    "arbeitervorort" (an inflection the English stemmer leaves), as answers check mentions.
    """
    if len(term) < 5:
        return False
    prefix = term[: max(4, len(term) - 2)]
    position = bisect.bisect_left(sorted_terms, prefix)
    while position < len(sorted_terms) and sorted_terms[position].startswith(prefix):
        other = sorted_terms[position]
        if len(other) >= 5 and len(os.path.commonprefix([term, other])) >= max(
            4, min(len(term), len(other)) - 2
        ):
            return True
        position += 1
    return False
