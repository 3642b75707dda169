"""The soak's edits between rebuilds: files added, changed and deleted, each new text with a fact.

A fact is an invented sentence ("The Dorvaki charter of Mesultan was signed by Kavo Ternil in
1734.") whose made-up words stand in no other file, so the question it answers has one right
quote, in one file: after the rebuild that adds it, the answer must quote it from there; after
the rebuild that changes or deletes the file, never again. Same seed, same edits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from bench.common.real_files import FOLDER, PROSE_KINDS, Made, Prose, prose_file

# What a fact says; the question asks for the person, and names the thing and the place.
THINGS = ("charter", "ledger", "treaty", "survey", "manifest", "register", "covenant")
DEEDS = ("signed", "drafted", "sealed")
CONSONANTS, VOWELS = "bdfgklmnprstvz", "aeiou"


@dataclass(frozen=True)
class Fact:
    """An invented sentence set in one file, and the question only it answers."""

    path: str
    token: str  # the invented word naming the thing: it stands in no other file
    answer: str  # the person the question asks for
    sentence: str
    question: str


@dataclass
class Edits:
    """What one round of edits did to the folder."""

    added: list[Fact] = field(default_factory=list)
    changed: list[tuple[Fact | None, Fact]] = field(default_factory=list)  # (before, after)
    deleted: list[tuple[str, Fact | None]] = field(default_factory=list)


class Editor:
    """Adds, changes and deletes files of a generated folder, in a seeded order."""

    def __init__(self, docs: Path, made: list[Made], prose: Prose, seed: int):
        self.docs, self.prose = docs, prose
        self.rng = random.Random(seed)
        self.kinds = {item.path: item.kind for item in made}  # the files present, by kind
        self.facts: dict[str, Fact] = {}  # each present file's fact, if it has one
        self.number = len(made)  # new names never repeat a name used before
        self.tokens: set[str] = set()

    def edit(self, adds: int, changes: int, deletes: int) -> Edits:
        """Delete, change, then add files; return what was done."""
        edits = Edits()
        for path in self.rng.sample(sorted(self.kinds), max(0, min(deletes, len(self.kinds) - 1))):
            (self.docs / path).unlink()
            del self.kinds[path]
            edits.deleted.append((path, self.facts.pop(path, None)))
        # Scans (OCR) and tables are only deleted: the prose files are the ones edited.
        prose = sorted(p for p, kind in self.kinds.items() if kind in PROSE_KINDS)
        for path in self.rng.sample(prose, min(changes, len(prose))):
            edits.changed.append((self.facts.get(path), self._write(path, self.kinds[path])))
        for _ in range(adds):
            kind = self.rng.choice(PROSE_KINDS)
            suffix = ".pdf" if kind.startswith("pdf") else "." + kind
            path = f"{FOLDER[kind]}/{kind.split('-')[0]}-soak-{self.number:06d}{suffix}"
            self.number += 1
            self.kinds[path] = kind
            edits.added.append(self._write(path, kind))
        return edits

    def _write(self, path: str, kind: str) -> Fact:
        """Write the file afresh: a few paragraphs of prose with a new fact among them."""
        fact = self._fact(path)
        self.facts[path] = fact
        latin = kind.startswith("pdf")
        paragraphs = [self.prose.paragraph(latin=latin) for _ in range(self.rng.randint(1, 3))]
        paragraphs.insert(self.rng.randint(0, len(paragraphs)), fact.sentence)
        title = f"Notes {self.number:06d}"  # not the fact's words: only its sentence holds them
        data, _ = prose_file(kind, title, paragraphs, self.number)
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return fact

    def _fact(self, path: str) -> Fact:
        """Return a new invented sentence and its question."""
        token = self._word(3)
        place, first, last = self._word(3), self._word(2), self._word(3)
        thing = self.rng.choice(THINGS)
        deed = self.rng.choice(DEEDS)
        year = self.rng.randint(1500, 1899)
        sentence = f"The {token} {thing} of {place} was {deed} by {first} {last} in {year}."
        question = f"Who {deed} the {token} {thing} of {place}?"
        return Fact(path, token, f"{first} {last}", sentence, question)

    def _word(self, syllables: int) -> str:
        """Return a capitalised made-up word not given before."""
        while True:
            word = "".join(
                self.rng.choice(CONSONANTS) + self.rng.choice(VOWELS) for _ in range(syllables)
            )
            word = (word + self.rng.choice(CONSONANTS)).capitalize()
            if word not in self.tokens:
                self.tokens.add(word)
                return word
