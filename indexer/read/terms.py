"""Split texts into keyword terms: words lower-cased and stemmed, unspaced scripts as letter pairs.

Words (Latin, Cyrillic, Greek, Arabic, Devanagari…) are lower-cased, English stop words removed
and stemmed by their document's language's Snowball stemmer (PyStemmer has 30; English's for
the rest). A question's terms are its words stemmed as each language of the index stems them,
so they meet every document's terms. Chinese, Japanese, Korean and Thai are written without
spaces between words: a run of them becomes its overlapping pairs of letters ("北京大学" → 北京
京大 大学), which match whatever the words are, with no dictionary to ship.
"""

from __future__ import annotations

import bisect
import os
import re
from functools import cache

# ISO 639-1 code -> PyStemmer's algorithm. On XQuAD's tuning paragraphs (BM25 alone, first
# paragraph found) the language's own stemmer against English's: ru 0.917 / 0.784, el 0.911 /
# 0.855, ar 0.882 / 0.834, ro 0.911 / 0.864, tr 0.870 / 0.834, de 0.888 / 0.861, es 0.899 / 0.885.
STEMMERS = {
    "en": "english", "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan",
    "cs": "czech", "da": "danish", "nl": "dutch", "et": "estonian", "fi": "finnish",
    "fr": "french", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
    "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "no": "norwegian", "nb": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish",
    "ta": "tamil", "tr": "turkish",
}  # fmt: skip


@cache
def _stemmer(language: str = "en"):
    import Stemmer

    return Stemmer.Stemmer(STEMMERS.get(language, "english"))


# bm25s's English stop words (its STOPWORDS_EN), written here: importing bm25s imports SciPy,
# 0.15 s of every terminal question that only needs these 33 words.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
})  # fmt: skip


_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"  # kana, CJK, Hangul
)
UNSPACED = _UNSPACED  # the scripts written without spaces between words, as a class's ranges
_INDIC_MARKS = "\u0900-\u0dff"  # Indic blocks: their vowel signs are marks, not \w
# A run of an unspaced script, or a word of two or more letters (bm25s's rule, scikit-learn's
# token pattern, with Indic vowel signs kept inside their words), applied without bm25s's
# per-call set-up and progress bars, which cost more than the work for a question.
_TOKEN = re.compile(f"([{_UNSPACED}]+)|((?:[^\\W{_UNSPACED}]|[{_INDIC_MARKS}]){{2,}})")


def tokenize(texts: list[str], language: str | None = "en") -> list[list[str]]:
    """Split texts into terms: stemmed words without English stop words, and letter pairs."""
    stop, stem = STOP_WORDS, _stemmer(language or "en").stemWords
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


def tokenize_each(texts: list[str], languages: list[str | None]) -> list[list[str]]:
    """Split each text into terms by its own language's rules."""
    found: list[list[str]] = [[] for _ in texts]
    for language in set(languages):
        rows = [i for i, other in enumerate(languages) if other == language]
        for row, terms in zip(rows, tokenize([texts[i] for i in rows], language), strict=True):
            found[row] = terms
    return found


def question_terms(question: str, languages) -> list[str]:
    """Return a question's terms as each of the index's languages stems them (English if none)."""
    terms = [
        t for language in sorted(languages or {"en"}) for t in tokenize([question], language)[0]
    ]
    return list(dict.fromkeys(terms))


def word_terms(text: str, languages) -> list[list[str]]:
    """Return the terms of each word of a text, in every form the index's languages stem it;
    a run of an unspaced script gives one list per letter pair (stop words give none)."""
    groups: list[list[str]] = []
    for unspaced, word in _TOKEN.findall(text.lower()):
        if unspaced:
            groups.extend([pair] for pair in _pairs(unspaced))
        elif word not in STOP_WORDS:
            stems = (_stemmer(language).stemWord(word) for language in sorted(languages or {"en"}))
            groups.append(list(dict.fromkeys(stems)))
    return groups


def term_spans(text: str, terms: set[str], language: str | None = "en") -> list[tuple[int, int]]:
    """Return the spans of a text's words (or letter pairs) whose terms are among terms."""
    stem, spans = _stemmer(language or "en").stemWord, []
    for match in _TOKEN.finditer(text):
        unspaced, word = match.group(1), match.group(2)
        if unspaced:
            pairs = _pairs(unspaced.lower())
            width = 1 if len(unspaced) == 1 else 2
            spans.extend(
                (match.start() + i, match.start() + i + width)
                for i, pair in enumerate(pairs)
                if pair in terms
            )
        elif word.lower() not in STOP_WORDS and stem(word.lower()) in terms:
            spans.append(match.span())
    return spans


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
