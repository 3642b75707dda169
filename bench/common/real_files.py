"""A folder of N documents in the formats people keep, set with real prose, and its questions.

Prose is read from the shared corpora (never copied into the repository): SQuAD v1.1 dev
paragraphs, SciFact abstracts and WikiQA documents, shuffled with the seed and used in turn
(again from the start once all are used). Every file that carries prose opens with a SQuAD
paragraph, so each format holds questions with known answers; tables (spreadsheets, CSV, the
ruled tables in PDFs) list WikiQA's questions beside their documents' sentences. SQuAD is only
ever a lead, so a checked answer stands in no other file. Same seed, same folder.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.common import file_writers as w

# Shares of the files by kind, as a documents folder holds them; scans are apart (SCANS_EVERY).
MIX = {
    "pdf": 22, "pdf-tables": 6, "docx": 18, "xlsx": 7, "csv": 4, "pptx": 6, "html": 10,
    "md": 8, "txt": 10, "eml": 9,
}  # fmt: skip
SCANS_EVERY = 200  # one scan in this many files (at least one): OCR is slow
SUFFIX = {"pdf-tables": ".pdf"}
FOLDER = {"pdf": "reports", "pdf-tables": "reports", "docx": "letters", "xlsx": "sheets",
          "csv": "sheets", "pptx": "slides", "html": "web", "md": "notes", "txt": "notes",
          "eml": "mail", "scan": "scans"}  # fmt: skip
PROSE_KINDS = ("pdf", "pdf-tables", "docx", "pptx", "html", "md", "txt", "eml")


@dataclass
class Made:
    """One generated file: its path in the folder, kind, pages and the SQuAD paragraphs in it."""

    path: str
    kind: str
    pages: int
    paragraphs: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Asked:
    """A SQuAD question whose paragraph was set in generated files, and its answers."""

    id: str
    text: str
    answers: tuple[str, ...]
    files: tuple[str, ...]
    kind: str  # the format of the first file holding it


class Prose:
    """The shared corpora's prose, dealt out in a seeded order."""

    def __init__(self, shared: Path, seed: int):
        data = json.loads((shared / "squad-v1.1-dev" / "dev-v1.1.json").read_text("utf-8"))
        self.squad = [(a["title"].replace("_", " "), p) for a in data["data"]
                      for p in a["paragraphs"]]  # fmt: skip
        texts = []  # the paragraphs after the lead: SciFact and WikiQA
        for line in (shared / "scifact" / "corpus.jsonl").read_text("utf-8").splitlines():
            texts.append(_flat(json.loads(line)["text"]))
        texts += _wikiqa(shared)
        self.texts = [t for t in texts if len(t) >= 200]
        self.seed, self.rng = seed, random.Random(seed)
        self.order = self.rng.sample(range(len(self.texts)), len(self.texts))
        self.squad_order = self.rng.sample(range(len(self.squad)), len(self.squad))
        # Tables hold WikiQA's rows, not SQuAD's questions: a row repeating a checked question
        # with its answer would be quoted instead of the prose the check looks in.
        self.rows = _wikiqa_rows(shared)
        self.cursor = self.squad_cursor = 0
        self.row_cursor = self.rng.randrange(len(self.rows))  # tables start somewhere

    def lead(self, ascii_only: bool, latin: bool) -> int:
        """Return the next SQuAD paragraph's number that the format can set."""
        while True:
            number = self.squad_order[self.squad_cursor % len(self.squad)]
            self.squad_cursor += 1
            if _settable(_flat(self.squad[number][1]["context"]), ascii_only, latin):
                return number

    def paragraph(self, ascii_only: bool = False, latin: bool = False) -> str:
        """Return the next paragraph of any corpus that the format can set."""
        while True:
            text = self.texts[self.order[self.cursor % len(self.texts)]]
            self.cursor += 1
            if _settable(text, ascii_only, latin) and (not ascii_only or len(text) <= 900):
                return text

    def table(self, rows: int, latin: bool = False) -> list[list[str]]:
        """Return a header and the next rows of (question, document, sentence)."""
        found = [["Question", "Document", "Sentence"]]
        while len(found) <= rows:
            row = self.rows[self.row_cursor % len(self.rows)]
            self.row_cursor += 1
            if _settable(" ".join(row), False, latin):
                found.append(list(row))
        return found


def _flat(text: str) -> str:
    return " ".join(text.split())


def _settable(text: str, ascii_only: bool, latin: bool) -> bool:
    if ascii_only:
        return text.isascii()
    return not latin or all(ord(c) < 256 for c in text)


def _wikiqa(shared: Path) -> list[str]:
    """WikiQA documents (train and dev), their sentences in order."""
    sentences: dict[str, dict[int, str]] = {}
    for split in ("train", "dev"):
        path = shared / "wikiqa" / f"WikiQA-{split}.tsv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                number = int(row["SentenceID"].rsplit("-", 1)[1])
                sentences.setdefault(row["DocumentID"], {})[number] = row["Sentence"]
    return [" ".join(s[k] for k in sorted(s)) for s in sentences.values()]


def _wikiqa_rows(shared: Path) -> list[tuple[str, str, str]]:
    """WikiQA's (question, document title, sentence) rows, train then dev."""
    rows = []
    for split in ("train", "dev"):
        path = shared / "wikiqa" / f"WikiQA-{split}.tsv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows.append((row["Question"], row["DocumentTitle"], row["Sentence"]))
    return rows


def kinds(n: int) -> list[str]:
    """Return the kind of each of n files: MIX's shares (largest remainders), a few scans."""
    scans = max(1, n // SCANS_EVERY)
    rest = n - scans
    total = sum(MIX.values())
    counts = {kind: rest * share // total for kind, share in MIX.items()}
    by_remainder = sorted(MIX, key=lambda kind: -(rest * MIX[kind] % total))
    for kind in by_remainder[: rest - sum(counts.values())]:
        counts[kind] += 1
    return [kind for kind, count in counts.items() for _ in range(count)] + ["scan"] * scans


def generate(folder: Path, n: int, shared: Path, seed: int = 7) -> tuple[list[Made], list[Asked]]:
    """Write n documents into folder; return the files and the questions."""
    folder.mkdir(parents=True, exist_ok=True)
    prose = Prose(shared, seed)
    order = kinds(n)
    random.Random(seed).shuffle(order)
    made = []
    for number, kind in enumerate(order):
        data, item = _document(kind, number, prose)
        path = folder / item.path
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        made.append(item)
    return made, questions(made, prose)


def _document(kind: str, number: int, prose: Prose) -> tuple[bytes, Made]:
    """Return one file's bytes and what it is."""
    rng = random.Random(prose.seed * 1_000_003 + number)
    latin = kind.startswith("pdf")
    lead = prose.lead(kind == "scan", latin) if kind in (*PROSE_KINDS, "scan") else None
    title, first = prose.squad[lead] if lead is not None else ("", None)
    count = {"pdf": rng.randint(2, 9), "pdf-tables": rng.randint(1, 3), "eml": rng.randint(0, 2),
             "scan": 1}.get(kind, rng.randint(1, 5))  # fmt: skip
    paragraphs = [_flat(first["context"])] if first else []
    paragraphs += [prose.paragraph(kind == "scan", latin) for _ in range(count)]
    title = f"{title} ({number:06d})"
    if kind in PROSE_KINDS:
        table = prose.table(rng.randint(8, 30), latin=True) if kind == "pdf-tables" else None
        data, pages = prose_file(kind, title, paragraphs, number, table)
    elif kind == "xlsx":
        sheets = {"Questions": prose.table(rng.randint(20, 150)), "Batch": [["Batch"], [title]]}
        data, pages = w.xlsx(sheets)
    elif kind == "csv":
        data, pages = w.csv_file(prose.table(rng.randint(20, 300)))
    else:
        data, pages = w.scan(paragraphs, number)
    suffix = (".pdf" if number % 2 else ".png") if kind == "scan" else SUFFIX.get(kind, "." + kind)
    path = f"{FOLDER[kind]}/{kind.split('-')[0]}-{number:06d}{suffix}"
    return data, Made(path, kind, pages, [lead] if lead is not None else [])


def prose_file(kind: str, title: str, paragraphs: list[str], number: int, table=None) -> tuple:
    """Return a file of one of PROSE_KINDS setting the paragraphs (a part each), and its pages."""
    headings = [f"Part {i + 1}" for i in range(len(paragraphs))]
    if kind in ("pdf", "pdf-tables"):
        return w.pdf(title, paragraphs, table)
    if kind == "docx":
        return w.docx(title, paragraphs, headings)
    if kind == "pptx":
        sentences = [re.split(r"(?<=[.!?]) (?=[A-Z])", p) for p in paragraphs]
        return w.pptx(title, list(zip(headings, sentences, strict=True)))
    if kind == "html":
        return w.html_page(title, paragraphs, headings)
    if kind == "md":
        return w.markdown(title, paragraphs, headings)
    if kind == "txt":
        return w.plain_text(title, paragraphs)
    return w.email(title, paragraphs, number)


def questions(made: list[Made], prose: Prose) -> list[Asked]:
    """Return the questions of the SQuAD paragraphs set in text-layer files, formats in turn."""
    holders: dict[int, list[Made]] = {}
    for item in made:
        if item.kind != "scan":
            for number in item.paragraphs:
                holders.setdefault(number, []).append(item)
    by_kind: dict[str, list[Asked]] = {}
    for number, items in holders.items():
        for qa in prose.squad[number][1]["qas"]:
            answers = tuple(dict.fromkeys(_flat(a["text"]) for a in qa["answers"]))
            files = tuple(item.path for item in items)
            asked = Asked(qa["id"], qa["question"], answers, files, items[0].kind)
            by_kind.setdefault(items[0].kind, []).append(asked)
    turns = [by_kind[kind] for kind in PROSE_KINDS if kind in by_kind]
    longest = max((len(t) for t in turns), default=0)
    return [t[i] for i in range(longest) for t in turns if i < len(t)]


def gold_spans(asked: Asked, texts: dict[str, str]) -> list[tuple[str, int, int]]:
    """Return every place an answer stands in the indexed text of a file holding it."""
    spans = []
    for answer in asked.answers:
        pattern = re.compile(r"\s+".join(re.escape(word) for word in answer.split()))
        for name in asked.files:
            spans += [(name, m.start(), m.end()) for m in pattern.finditer(texts.get(name, ""))]
    return spans


def write_plan(path: Path, made: list[Made], asked: list[Asked]) -> None:
    """Keep what was generated next to (not inside) the folder."""
    plan = {"files": [asdict(m) for m in made], "questions": [asdict(a) for a in asked]}
    path.write_text(json.dumps(plan) + "\n", encoding="utf-8")


def read_plan(path: Path) -> tuple[list[Made], list[Asked]]:
    """Read what write_plan kept."""
    plan = json.loads(path.read_text(encoding="utf-8"))
    asked = [Asked(**{**a, "answers": tuple(a["answers"]), "files": tuple(a["files"])})
             for a in plan["questions"]]  # fmt: skip
    return [Made(**m) for m in plan["files"]], asked
