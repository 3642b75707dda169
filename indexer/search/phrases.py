"""Exact phrases in the indexed text, whatever their case, line breaks and hyphenation.

Every passage's text is folded once per loaded version into one string: letters in one case
and their compatibility form (Ａ → a, ς → σ), every run of whitespace one space, and what
writing adds without changing a word taken out: a hyphen that breaks a word at a line end, soft
hyphens, zero-width marks, Arabic vowel signs and tatweel. A phrase, folded the same way, is
then looked for as a plain string (fast), and each match mapped back to exact offsets in its
passage, so a hit is still text[start:end] of the file. Passages are joined by NUL: no phrase
runs from one into the next.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from ..read.terms import UNSPACED

SEPARATOR = "\x00"
SCAN_SHARE = 20  # rows searched one by one when fewer than 1 in this many are asked for
# What is taken out of the text before matching (the first space of a run is kept).
_TAKEN_OUT = re.compile(
    r"[\u00ad\u200b-\u200d\u2060\ufeff\u0640\u064b-\u065f\u0670]"  # soft hyphen, zero-width,
    r"|(?<=\w)[-\u2010][ \t]*(?:\r\n|\r|\n)[ \t]*(?=\w)"  # Arabic marks; a word broken at a line
    r"|(?<=\s)\s+"
)
_ASCII_SPACES = bytes.maketrans(b"\t\n\r\x0b\x0c", b"     ")
_UNSPACED = re.compile(f"[{UNSPACED}]")


def fold_char(char: str) -> str:
    """Return the one character a character matches as: lower case, compatibility form."""
    if char.isspace():
        return " "
    compatible = unicodedata.normalize("NFKC", char)
    for form in (compatible.casefold(), compatible.lower(), char.lower()):
        if len(form) == 1:
            return form
    return char


@lru_cache(maxsize=65536)
def _folded_char(char: str) -> str:
    return fold_char(char)


def fold(text: str) -> str:
    """Return text as it is matched: folded, with what writing adds taken out."""
    return _fold_kept(_TAKEN_OUT.sub("", text))


def _fold_kept(text: str) -> str:
    """Fold each character of text into one (the string keeps its length)."""
    if text.isascii():
        return text.encode("ascii").lower().translate(_ASCII_SPACES).decode("ascii")
    table = {ord(c): _folded_char(c) for c in set(text)}
    return text.translate({k: v for k, v in table.items() if v != chr(k)})


class FoldedText:
    """Every passage's text folded into one string, and the map back to each passage's offsets."""

    def __init__(self, texts):
        texts = list(texts)
        lengths = [len(text) for text in texts]
        joined = SEPARATOR.join(texts)
        del texts
        self.rows = len(lengths)
        # Where each passage starts in the joined text (its original characters).
        self.row_start_o = np.zeros(self.rows, dtype=np.int64)
        if self.rows:
            self.row_start_o[1:] = np.cumsum(np.asarray(lengths[:-1], dtype=np.int64) + 1)
        pieces, kept_f, kept_o, at, folded_at = [], [0], [0], 0, 0
        for cut in _TAKEN_OUT.finditer(joined):
            start, end = cut.span()
            pieces.append(joined[at:start])
            folded_at += start - at
            at = end
            kept_f.append(folded_at)
            kept_o.append(end)
        pieces.append(joined[at:])
        self.text = _fold_kept("".join(pieces))
        self._kept_f = np.asarray(kept_f, dtype=np.int64)
        self._kept_o = np.asarray(kept_o, dtype=np.int64)
        # Each kept stretch is copied whole: a position maps back by its stretch's shift.
        self.row_start_f = self._to_folded(self.row_start_o)
        self._row_end_f = np.append(self.row_start_f[1:] - 1, len(self.text)).tolist()
        self.row_start_f_list = self.row_start_f.tolist()

    def _to_folded(self, positions: np.ndarray) -> np.ndarray:
        k = np.searchsorted(self._kept_o, positions, side="right") - 1
        return self._kept_f[k] + (positions - self._kept_o[k])

    def to_original(self, positions: np.ndarray) -> np.ndarray:
        """Return the original positions of folded ones (each a character that was kept)."""
        positions = np.asarray(positions, dtype=np.int64)
        k = np.searchsorted(self._kept_f, positions, side="right") - 1
        return self._kept_o[k] + (positions - self._kept_f[k])

    def find(self, phrase: str, rows=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return every match of a phrase (in the given rows only, if given): its row, and
        its start and end in the folded text."""
        matcher = phrase_matcher(phrase)
        if matcher is None:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        text = self.text
        if rows is None or len(rows) * SCAN_SHARE >= self.rows:
            spans = list(matcher(text, 0, len(text)))
        else:  # few rows: each searched alone, in place
            starts, ends = self.row_start_f_list, self._row_end_f
            spans = [span for r in rows for span in matcher(text, starts[r], ends[r])]
        folded = fold(phrase).strip()
        if spans and (_bounded(folded[0]) or _bounded(folded[-1])):
            spans = [s for s in spans if self._whole_words(s, folded)]
        spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        found = np.searchsorted(self.row_start_f, spans[:, 0], side="right") - 1
        return found, spans[:, 0], spans[:, 1]

    def offsets(self, row: int, start_f: int, end_f: int) -> tuple[int, int]:
        """Return a match's offsets within its passage's own text."""
        first, last = self.to_original(np.array([start_f, end_f - 1]))
        return int(first - self.row_start_o[row]), int(last + 1 - self.row_start_o[row])

    def _whole_words(self, span: tuple[int, int], folded: str) -> bool:
        """Whether a match starts and ends at word edges (where its ends are spaced words)."""
        start, end = span
        text = self.text
        before = _bounded(folded[0]) and start > 0 and _is_word(text[start - 1])
        after = _bounded(folded[-1]) and end < len(text) and _is_word(text[end])
        return not (before or after)


def _is_word(char: str) -> bool:
    return char == "_" or unicodedata.category(char)[0] in "LNM"


def _bounded(char: str) -> bool:
    """Whether a phrase ending in char must end at a word edge (not so in unspaced scripts)."""
    return _is_word(char) and not _UNSPACED.match(char)


@lru_cache(maxsize=256)
def phrase_matcher(phrase: str):
    """Return a function giving the spans of a phrase in folded text between two positions
    (None: nothing left to match). A letter with an accent matches it precomposed or as
    letter and mark; a hyphen inside a word may be missing (the word was broken at a line end
    there). A phrase with neither is looked for as a plain string: the fastest search."""
    folded = fold(unicodedata.normalize("NFC", phrase)).strip()
    if not folded:
        return None
    parts, literal = [], True
    for i, char in enumerate(folded):
        decomposed = _fold_kept(unicodedata.normalize("NFD", char))
        if char in "-\u2010" and 0 < i < len(folded) - 1 and _is_word(folded[i - 1]):
            parts.append(f"{re.escape(char)}?")
        elif decomposed != char:
            parts.append(f"(?:{re.escape(char)}|{re.escape(decomposed)})")
        else:
            parts.append(re.escape(char))
            continue
        literal = False
    if literal:
        return lambda text, start, end: _plain(text, folded, start, end)
    pattern = re.compile("".join(parts))
    return lambda text, start, end: (m.span() for m in pattern.finditer(text, start, end))


def _plain(text: str, phrase: str, start: int, end: int):
    """Yield the spans of a plain string in text[start:end], one after another."""
    at = text.find(phrase, start, end)
    while at >= 0:
        yield at, at + len(phrase)
        at = text.find(phrase, at + len(phrase), end)


def holds(text: str, phrase: str) -> bool:
    """Whether a text holds a phrase, by the same rules as the index's passages."""
    rows, _, _ = FoldedText([text]).find(phrase)
    return bool(len(rows))
