"""Read a question's misspelt words as the index's own: "Antropic" as "Anthropic".

A word is read as another only when the index does not hold it, no dictionary of English or
of the documents' languages lists it, and a term of the index is one edit from it (two from
eight letters on); of several, the nearest, then one a dictionary lists, then the one in most
passages. In a question not in English only names are read so: the word lists of inflected
languages lack too many forms (one in six of XQuAD's Russian questions was "corrected").
Numbers, codes and brands ("x86", "IBM", "OpenAI") and words under four letters are left as
typed. The index keeps stems, so the word put in the question is the spelling nearest the
typed one that stems to the term found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import ascii_lowercase

from ..read.terms import question_terms, tokenize
from ..read.unpacked import SortedWords, unpacked

MIN_LETTERS = 4
TWO_EDITS_FROM = 8  # letters: a shorter word is read as a term one edit away at most
CANDIDATES = 10  # nearest terms (then most frequent) of a word that are spelt out and compared
# A run of letters standing alone: not part of a number, a code, a snake_case name or a
# contraction ("weren't"); a possessive's "'s" may follow.
_WORD = re.compile(r"(?<![\w.@/'’-])[^\W\d_]+(?![\w@/-]|\.\w|['’](?!s\b)\w)")
# Letters that do not decompose into a base letter and a mark.
_UNMARKED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})
# The languages pyspellchecker ships a dictionary for.
_DICTIONARIES = frozenset({"en", "es", "fr", "pt", "de", "it", "ru", "ar", "eu", "lv", "nl", "fa"})


@dataclass(frozen=True)
class Respelling:
    """A question with its misspelt words read as the index's, and which were."""

    question: str
    readings: tuple[tuple[str, str], ...] = ()  # (as typed, as read), in the question's order


def respell(index, question: str) -> Respelling:
    """Read each word of question that neither the index nor a dictionary knows as the index's
    nearest term (index: `languages` and `close_terms` of the search stage)."""
    from ..read.languages import NOUNS_CAPITALISED, detect

    languages = sorted(index.languages() or {"en"})
    found = [m for m in _WORD.finditer(question) if _may_be_misspelt(m.group())]
    words = {m.group().lower(): m.group() for m in reversed(found)}  # the first as typed
    if not words:
        return Respelling(question)
    close = index.close_terms()
    # Words the index holds are set aside first, at no cost (no dictionary, no filing).
    words = {w: typed for w, typed in words.items() if not _held(close, w, languages)}
    dictionaries = _dictionaries({"en", *languages}) if words else ()
    english = not words or detect(question) == "en"
    if not english:
        # Other word lists lack inflected forms: names only (none where every noun has a
        # capital), not an inflection of a name the index holds ("Мичигане" for "Мичиган": a
        # close form, as the names check reads), and read only as the name itself.
        names = {m.group().lower() for m in found if _is_name(question, m)}
        names = set() if detect(question) in NOUNS_CAPITALISED else names
        words = {w: typed for w, typed in words.items() if w in names and not _inflected(index, w)}
    readings: dict[str, str] = {}
    for word, typed in words.items():
        if not any(word in dictionary for dictionary in dictionaries):
            read = nearest_spelling(close, word, languages, dictionaries, as_made=english)
            if read is not None:
                readings[word] = _cased(typed, read)
    if not readings:
        return Respelling(question)

    def read_as(match: re.Match) -> str:
        word = match.group()
        return _cased(word, readings[word.lower()]) if word.lower() in readings else word

    pairs = {w: (typed, readings[w]) for w, typed in words.items() if w in readings}
    return Respelling(_WORD.sub(read_as, question), tuple(pairs.values()))


def did_you_mean(index, names) -> str:
    """Offer the index's nearest spelling of each name it does not know: "Did you mean X?"."""
    languages = sorted(index.languages() or {"en"})
    offers = []
    for name in names:
        terms = question_terms(name, languages)
        unknown = terms and not any(index.knows(term) for term in terms)
        if unknown and _WORD.fullmatch(name) and _may_be_misspelt(name):
            read = nearest_spelling(index.close_terms(), name.lower(), languages, ())
            offers += [_cased(name, read)] if read else []
    if not offers:
        return ""
    listed = offers[0] if len(offers) == 1 else ", ".join(offers[:-1]) + " or " + offers[-1]
    return f"Did you mean {listed}?"


def spelling_note(readings) -> str:
    """Say how misspelt words were read: "(read 'Antropic' as 'Anthropic')"."""
    if not readings:
        return ""
    return "(read " + ", ".join(f"'{typed}' as '{read}'" for typed, read in readings) + ")"


def nearest_spelling(close, word, languages, dictionaries=(), as_made=True) -> str | None:
    """Return the spelling of the index term nearest word (lower case), or None if the index
    holds the word itself.

    Terms are found near the word's stem, near the word itself ("mony" is one edit from the
    term "money", its stem "moni" two), and as the stems of the words one edit from it
    ("regulators" for "regulaters": the term "regul" is two edits from its stem "regulat");
    each is spelt as the nearest word that stems to it. Of equally near ones, a word the
    dictionaries list ("founded", not "finded"), then the term in most passages. Unless
    as_made, only the term itself, with the word's ending or with accents, is a spelling.
    """
    budget = _budget(word)
    best = None
    for language in languages:
        stems = tokenize([word], language)[0]
        if len(stems) != 1 or close.documents(stems[0]):
            return None  # a stop word, or the index holds it as typed
        terms, letters = {}, set(word) | (set(ascii_lowercase) if word.isascii() else set())
        for probe in dict.fromkeys([stems[0], word]):
            near = close.near(probe, min(budget, _budget(probe)))  # a stem may be shorter
            terms.update((term, documents) for term, _, documents in near[:CANDIDATES])
            letters.update(*(term for term, _, _ in near))  # "é" for "Aviles": "Avilés"
        found = _spellings(word, stems[0], terms, letters, close.documents, language, budget)
        found = {s: (t, d, any(s in d_ for d_ in dictionaries)) for s, (t, d) in found.items()}
        for spelling, (term, (accented, made, distance), listed) in found.items():
            rank = (accented, distance, not listed, -close.documents(term), spelling)
            if (as_made or not (accented and made)) and (best is None or rank < best):
                best = rank
    return best[-1] if best else None


def _held(close, word: str, languages) -> bool:
    """Whether the index holds the word as typed (its stem in any of the index's languages),
    or it is a stop word."""
    stems = [tokenize([word], language)[0] for language in languages]
    return any(len(found) != 1 or close.documents(found[0]) for found in stems)


def _inflected(index, word: str) -> bool:
    """Whether the index holds a close form of the word (another ending of it)."""
    return any(index.knows(term) for term in question_terms(word, index.languages()))


def _budget(word: str) -> int:
    """Return how many edits a word may be from its reading: one, two from eight letters on."""
    return 1 if len(word) < TWO_EDITS_FROM else 2


def _may_be_misspelt(typed: str) -> bool:
    """Whether a word is one a typo could have made: four letters or more, and not a code
    or a brand (a capital after the first letter: "vBNS", "OpenAI")."""
    return len(typed) >= MIN_LETTERS and typed[1:] == typed[1:].lower()


def _dictionaries(codes) -> tuple:
    """Return the word lists of those languages that have one."""
    return tuple(_dictionary(code) for code in sorted(set(codes) & _DICTIONARIES))


def _is_name(question: str, match: re.Match) -> bool:
    """Whether a word is capitalised where a sentence does not start."""
    before = question[: match.start()].rstrip()
    return match.group()[0].isupper() and bool(before) and before[-1] not in ".!?:;¿¡"


@lru_cache(maxsize=8)
def _dictionary(code: str):
    """Return the word list pyspellchecker ships for a language, unpacked into the cache on
    first use and then searched where it lies (its gzipped JSON takes 0.07 s to read each time
    for English's 160,000 words; its SpellChecker would take more to build what is not needed)."""
    from importlib.util import find_spec

    # Found, not imported: the package's own code is not needed (4 ms).
    packed = Path(find_spec("spellchecker").origin).parent / "resources" / f"{code}.json.gz"
    folder = unpacked(
        "words", packed, lambda into: SortedWords.write(_words(packed), into / "words")
    )
    return SortedWords(folder / "words") if folder else frozenset(_words(packed))


def _words(packed: Path) -> list[str]:
    """Read a pyspellchecker word list: gzipped JSON of word: frequency."""
    import gzip
    import json

    with gzip.open(packed, "rt", encoding="utf-8") as words:
        return list(json.load(words))


def _spellings(word, stem, terms, letters, documents, language, budget) -> dict:
    """Return spelling: (term, (not its accents alone, not plain, edits)) for the spellings
    within budget of word (one edit of it, with the given letters, or a term) that stem to a
    term of the index, one for each term.

    A term's spelling is the first of: the word with accents ("avilés" for "aviles"), the
    term itself or the term with the word's own ending ("anthropic" for "anthrop"), the
    fewest edits, the word's own length.
    """
    from rapidfuzz.distance import OSA

    plain = set(terms)
    if word.startswith(stem):  # the typed word's ending, on the term: "fonded" -> "founded"
        plain.update(term + word[len(stem) :] for term in terms)
    options = sorted(plain | _one_edit(word, letters))
    best = {}
    for option, stemmed in zip(options, tokenize(options, language), strict=True):
        if len(stemmed) != 1 or not (stemmed[0] in terms or documents(stemmed[0])):
            continue
        distance = OSA.distance(word, option)  # a swap of two letters is one edit
        if distance <= budget:
            # "Aviles" is "Avilés" without its accent before it is "availes" one letter off.
            marks_only = _unmarked(option) == _unmarked(word)
            shape = (not marks_only, option not in plain, distance, abs(len(option) - len(word)))
            found = (shape, option)
            best[stemmed[0]] = min(best.get(stemmed[0], found), found)
    return {option: (term, shape[:3]) for term, (shape, option) in best.items()}


def _one_edit(word: str, letters) -> set[str]:
    """Every string one deletion, swap, change or insertion (of the given letters) from word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return deletes | swaps | changes | inserts


def _unmarked(word: str) -> str:
    """Return word without accents and marks: "bolesław" -> "boleslaw"."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNMARKED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _cased(typed: str, read: str) -> str:
    """Give the reading the typed word's capital: "Antropic" -> "Anthropic"."""
    if typed[:1].isupper():
        return read[:1].upper() + read[1:]
    return read
