"""Find the index's terms one or two edits from a word, without scanning the vocabulary.

PassJoin's partition filter (Li, Deng, Wang and Feng, VLDB 2011): cut a term into d + 1
pieces; a word within d edits of it holds one of those pieces unchanged, at most d letters
from where the piece stands in the term (d edits can spoil at most d pieces). Each term is filed
under its pieces, two for d = 1 and three for d = 2, as hashes in one sorted array; a word's few
dozen probes find the terms worth measuring, and only those are measured exactly.
"""

from __future__ import annotations

import threading

import numpy as np

MAX_EDITS = 2
_MULTIPLIER = 1099511628211  # FNV-1a's 64-bit prime: a polynomial hash of the letters
_MASK = (1 << 64) - 1


class CloseTerms:
    """The index's words, filed so that those within one or two edits of a word are found."""

    def __init__(self, terms, frequencies, documents=None):
        """File terms (with the number of passages holding each); documents(term) gives that
        number for any term, 0 if absent (default: a dict of these)."""
        if documents is None:
            counts = dict(zip(terms, (int(f) for f in frequencies), strict=True))
            documents = lambda term: counts.get(term, 0)  # noqa: E731
        self.documents = documents
        # Words of three letters or more (each piece of a term holds a letter); no numbers.
        terms = list(terms)
        lengths = np.fromiter(map(len, terms), np.int64, len(terms))
        words = np.fromiter(map(str.isalpha, terms), bool, len(terms))
        kept = np.flatnonzero(words & (lengths > MAX_EDITS))
        self.terms = [terms[i] for i in kept]
        self.frequencies = np.asarray(frequencies)[kept] if len(kept) else np.zeros(0, np.int64)
        lengths = lengths[kept]
        keys, ids = [np.zeros(0, np.uint64)], [np.zeros(0, np.int32)]
        for length in np.unique(lengths):
            members = np.flatnonzero(lengths == length).astype(np.int32)
            joined = "".join(self.terms[i] for i in members).encode("utf-32-le")
            codes = np.frombuffer(joined, np.uint32).reshape(len(members), int(length))
            for edits in range(1, MAX_EDITS + 1):
                for piece, (start, end) in enumerate(_pieces(int(length), edits)):
                    keys.append(_hash_rows(codes[:, start:end], _salt(int(length), edits, piece)))
                    ids.append(members)
        keys, ids = np.concatenate(keys), np.concatenate(ids)
        order = np.argsort(keys)
        self._keys, self._ids = keys[order], ids[order]

    def __len__(self) -> int:
        return len(self.terms)

    def near(self, word: str, edits: int) -> list[tuple[str, int, int]]:
        """Return (term, edits, documents holding it) for the terms within edits of word.

        Nearest first, then the most frequent; the word itself is included if it is a term.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        edits = min(edits, MAX_EDITS)
        probes = _probes(word, edits)
        if not probes or not len(self._keys):
            return []
        probes = np.array(probes, dtype=np.uint64)
        low = np.searchsorted(self._keys, probes, "left")
        high = np.searchsorted(self._keys, probes, "right")
        found = [self._ids[a:b] for a, b in zip(low, high, strict=True) if b > a]
        if not found:
            return []
        ids = np.unique(np.concatenate(found))
        candidates = [self.terms[i] for i in ids]
        measured = process.extract(
            word, candidates, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
        )
        near = [(term, int(d), int(self.frequencies[ids[i]])) for term, d, i in measured]
        return sorted(near, key=lambda item: (item[1], -item[2], item[0]))


class LazyCloseTerms:
    """CloseTerms filed on the first word looked up near, once; whether a term is held is
    answered at once from the store's own vocabulary.

    Most questions hold no unknown word, so a loaded index does not pay for filing up front.
    """

    def __init__(self, vocabulary, documents):
        self._vocabulary = vocabulary  # () -> (terms, frequencies)
        self.documents = documents  # term -> number of passages holding it, 0 if none
        self._built: CloseTerms | None = None
        self._lock = threading.Lock()

    def near(self, word: str, edits: int) -> list[tuple[str, int, int]]:
        """Return CloseTerms.near, filing the terms on the first call."""
        with self._lock:
            if self._built is None:
                terms, frequencies = self._vocabulary()
                self._built = CloseTerms(terms, frequencies, self.documents)
        return self._built.near(word, edits)


def _pieces(length: int, edits: int) -> list[tuple[int, int]]:
    """Cut a length into edits + 1 pieces as even as can be, the longer ones last."""
    count = edits + 1
    if length < count:
        return []
    short, longer = divmod(length, count)[0], length % count
    bounds, start = [], 0
    for piece in range(count):
        size = short + (piece >= count - longer)
        bounds.append((start, start + size))
        start += size
    return bounds


def _salt(length: int, edits: int, piece: int) -> int:
    """Start a piece's hash from where it was cut: the term's length, d and the piece's place."""
    place = (length * (MAX_EDITS + 1) + edits) * (MAX_EDITS + 1) + piece + 1
    return place * 0x9E3779B97F4A7C15 & _MASK  # spread over 64 bits (Fibonacci hashing)


def _hash_rows(codes: np.ndarray, salt: int) -> np.ndarray:
    """Hash each row of letter codes (uint64 arithmetic wraps, as _hash_word's mask does)."""
    hashed = np.full(len(codes), salt, dtype=np.uint64)
    multiplier = np.uint64(_MULTIPLIER)
    for column in range(codes.shape[1]):
        hashed = hashed * multiplier + codes[:, column].astype(np.uint64)
    return hashed


def _hash_word(letters: str, salt: int) -> int:
    hashed = salt
    for letter in letters:
        hashed = (hashed * _MULTIPLIER + ord(letter)) & _MASK
    return hashed


def _probes(word: str, edits: int) -> list[int]:
    """Hash every piece of word that a term within edits of it could be filed under.

    Piece i of a term is looked for only where it can stand after the edits (PassJoin's
    multi-match-aware window): at most i letters from its place, counting the edits before
    it, and at most edits - i from where the length difference puts it, counting those after.
    """
    probes = []
    for length in range(max(edits + 1, len(word) - edits), len(word) + edits + 1):
        shift = len(word) - length
        for piece, (start, end) in enumerate(_pieces(length, edits)):
            salt = _salt(length, edits, piece)
            size = end - start
            first = max(0, start - piece, start + shift - (edits - piece))
            last = min(len(word) - size, start + piece, start + shift + (edits - piece))
            probes.extend(_hash_word(word[s : s + size], salt) for s in range(first, last + 1))
    return probes
