"""Which language a document is in, and how its sentences are found.

py3langid (BSD-3-Clause, its model inside the 4.6 MB wheel, ~0.3 ms a text here) names the
language of each document's text. Sentences are then split with sentencex's rules for that
language (abbreviations differ: German "ca." and "Mio." do not end a sentence); Thai, written
without full stops, is split where it puts its spaces, between clauses.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

SAMPLE_CHARS = 3000  # enough text to name a language, little enough to stay fast
UNSPACED = frozenset({"th", "lo", "km", "my"})  # scripts with spaces between clauses only
NOUNS_CAPITALISED = frozenset({"de", "lb"})  # every noun starts with a capital, not names alone
NAMES = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
    "nl": "Dutch", "pt": "Portuguese", "ru": "Russian", "el": "Greek", "tr": "Turkish",
    "ar": "Arabic", "vi": "Vietnamese", "th": "Thai", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "hi": "Hindi", "ro": "Romanian", "pl": "Polish", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian", "nb": "Norwegian", "fi": "Finnish", "cs": "Czech",
    "uk": "Ukrainian", "he": "Hebrew", "fa": "Persian", "id": "Indonesian",
}  # fmt: skip


@lru_cache(maxsize=1)
def _identifier():
    import py3langid

    return py3langid


def detect(text: str) -> str:
    """Return the ISO 639-1 code of the text's language ("en" when there are no letters)."""
    sample = text[:SAMPLE_CHARS]
    if not any(char.isalpha() for char in sample):
        return "en"
    return _identifier().classify(sample)[0]


def name(code: str) -> str:
    """Return a language's English name, or its code."""
    return NAMES.get(code, code)


def shares(lengths: Counter) -> str:
    """Say how a folder's text divides by language: '81 % German, 19 % English'."""
    total = sum(lengths.values()) or 1
    parts = [f"{count / total:.0%} {name(code)}" for code, count in lengths.most_common()]
    shown = [part for part in parts if not part.startswith("0%")]
    return ", ".join(shown[:4]) + (", …" if len(shown) > 4 else "")
