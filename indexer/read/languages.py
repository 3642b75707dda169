"""Which language a document is in, and how its sentences are found.

py3langid (BSD-3-Clause, its model inside the 4.6 MB wheel, ~0.3 ms a text here) names the
language of each document's text. Sentences are then split with sentencex's rules for that
language (abbreviations differ: German "ca." and "Mio." do not end a sentence); Thai, written
without full stops, is split where it puts its spaces, between clauses.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .unpacked import unpacked

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
    """Return py3langid's identifier, its model memory-mapped from the cache once unpacked
    (unpacking it costs 0.4 s, more than the rest of a terminal question)."""
    import numpy as np
    from py3langid import langid

    folder = unpacked("langid", langid.MODEL_DIR / langid.MODEL_FILE, _unpack_model)
    if folder is None:
        return langid
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    return langid.LanguageIdentifier(
        arrays["ptc"],
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        arrays["nextmove"],  # the DFA's rows: a question's walk reads a few pages of them
        arrays["out_feat"].tolist(),
        tk_row=arrays["nextmove_row"].tolist(),
    )


_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _unpack_model(folder: Path) -> None:
    """Write py3langid's model (an LZMA-compressed .npz) as one plain .npy file per array."""
    import lzma
    import shutil

    import numpy as np
    from py3langid import langid

    archive = folder / "model.npz"  # a zip: read from a file, as a stream cannot seek back
    with lzma.open(langid.MODEL_DIR / langid.MODEL_FILE) as packed, open(archive, "wb") as out:
        shutil.copyfileobj(packed, out, length=1 << 20)
    with np.load(archive, allow_pickle=False) as model:
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", model[name], allow_pickle=False)
    archive.unlink()


def detect(text: str) -> str:
    """Return the ISO 639-1 code of the text's language ("en" when there are no letters)."""
    sample = text[:SAMPLE_CHARS]
    if not any(char.isalpha() for char in sample):
        return "en"
    return _identifier().classify(sample)[0]


# A question is read as another language than English when that language leads English by more
# (lead_over_english): none of 25,195 English questions (SQuAD 1.1 and 2.0 dev, WikiQA, XQuAD)
# does, at most 3.44; 330 of XQuAD's 338 German questions do, 338 Spanish.
NOT_ENGLISH = 3.5


def lead_over_english(text: str) -> float:
    """Return how much likelier the text's likeliest language is than English: py3langid's
    log-odds per square root of the text's bytes (0 when English is the likeliest).

    A short English question can be named another language (a Latin term, a Dutch place);
    its lead stays small: at most 3.44 over 25,195 English questions (SQuAD, WikiQA, XQuAD),
    while 330 of XQuAD's 338 German questions lead by more than 3.5.
    """
    sample = text[:SAMPLE_CHARS]
    if not any(char.isalpha() for char in sample):
        return 0.0
    scores = dict(_identifier().rank(sample))
    best = max(scores.values())
    return float(best - scores.get("en", best)) / math.sqrt(len(sample.encode("utf-8")))


def name(code: str) -> str:
    """Return a language's English name, or its code."""
    return NAMES.get(code, code)


def shares(lengths: Counter) -> str:
    """Say how a folder's text divides by language: '81 % German, 19 % English'."""
    total = sum(lengths.values()) or 1
    parts = [f"{count / total:.0%} {name(code)}" for code, count in lengths.most_common()]
    shown = [part for part in parts if not part.startswith("0%")]
    return ", ".join(shown[:4]) + (", …" if len(shown) > 4 else "")
