"""Turn the shared benchmark sets into folders of plain-text files and located gold answers."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Question:
    """A benchmark question: gold spans (file, start, end) or graded relevant files."""

    id: str
    text: str
    gold: tuple[tuple[str, int, int], ...] = ()
    relevant: dict[str, int] = field(default_factory=dict)
    group: str = ""  # questions that share a group go to the same split part (an article)

    @property
    def answerable(self) -> bool:
        """Whether the documents hold an answer."""
        return bool(self.gold or self.relevant)


@dataclass
class Corpus:
    """A benchmark's documents (file name -> text) and its questions."""

    name: str
    files: dict[str, str]
    questions: list[Question]
    renamed: dict[str, str] = field(default_factory=dict)  # file name -> original title


def squad(shared: Path) -> Corpus:
    """SQuAD v2.0 dev: one file per article, its paragraphs joined by a blank line."""
    data = json.loads((shared / "squad-v2-dev" / "dev-v2.0.json").read_text(encoding="utf-8"))
    files, questions, renamed, checks = {}, [], {}, []
    for article in data["data"]:
        name = _file_name(article["title"])
        if name in files:
            raise ValueError(f"Two SQuAD articles map to the file name {name}")
        if name != article["title"] + ".txt":
            renamed[name] = article["title"]
        offset, texts = 0, []
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                gold = []
                for answer in [] if qa.get("is_impossible") else qa["answers"]:
                    start = offset + answer["answer_start"]
                    gold.append((name, start, start + len(answer["text"])))
                    checks.append((gold[-1], answer["text"]))
                gold = tuple(dict.fromkeys(gold))
                questions.append(Question(qa["id"], qa["question"], gold, group=name))
            texts.append(paragraph["context"])
            offset += len(paragraph["context"]) + 2
        files[name] = "\n\n".join(texts)
    for (name, start, end), text in checks:
        if files[name][start:end] != text:
            raise ValueError(f"A SQuAD answer is not at its offset in {name}: {text!r}")
    return Corpus("squad", files, questions, renamed)


XQUAD_LANGUAGES = ("en", "es", "de", "el", "ru", "tr", "ar", "vi", "th", "zh", "hi", "ro")


def xquad(shared: Path, language: str, questions_in: str | None = None) -> Corpus:
    """XQuAD's tuning paragraphs in one language, each paragraph a file; every question answerable.

    questions_in asks the same questions in another language (XQuAD's ids match across
    languages): the documents and gold spans stay those of `language`.
    """
    files, questions = {}, []
    asked = _xquad_questions(shared, questions_in) if questions_in else {}
    data = json.loads(
        (shared / "xquad" / f"xquad.{language}.tune.json").read_text(encoding="utf-8")
    )
    for article in data["data"]:
        for number, paragraph in enumerate(article["paragraphs"], 1):
            name = _file_name(f"{article['title']}_{number:02d}")
            files[name] = paragraph["context"]
            for qa in paragraph["qas"]:
                gold = tuple(
                    dict.fromkeys(
                        (name, a["answer_start"], a["answer_start"] + len(a["text"]))
                        for a in qa["answers"]
                    )
                )
                text = asked.get(qa["id"], qa["question"])
                questions.append(Question(qa["id"], text, gold, group=article["title"]))
    _check_spans(files, questions)
    return Corpus(f"xquad-{language}", files, questions)


def _xquad_questions(shared: Path, language: str) -> dict[str, str]:
    data = json.loads(
        (shared / "xquad" / f"xquad.{language}.tune.json").read_text(encoding="utf-8")
    )
    return {
        qa["id"]: qa["question"]
        for article in data["data"]
        for paragraph in article["paragraphs"]
        for qa in paragraph["qas"]
    }


def scifact(shared: Path) -> Corpus:
    """BEIR SciFact: one file per abstract, the title on the first line; judged dev claims."""
    folder = shared / "scifact"
    files = {}
    for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        files[f"{doc['_id']}.txt"] = f"{doc['title']}\n{doc['text']}"
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(folder / "qrels-dev.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels[row["query-id"]][f"{row['corpus-id']}.txt"] = int(row["score"])
    questions = []
    for line in (folder / "queries-dev.jsonl").read_text(encoding="utf-8").splitlines():
        query = json.loads(line)
        if qrels.get(query["_id"]):  # BEIR scores only judged queries
            questions.append(Question(query["_id"], query["text"], relevant=qrels[query["_id"]]))
    return Corpus("scifact", files, questions)


def wikiqa(shared: Path, split: str = "dev") -> Corpus:
    """WikiQA: one file per document, its sentences in order joined by single spaces."""
    with open(shared / "wikiqa" / f"WikiQA-{split}.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    sentences: dict[str, dict[int, str]] = defaultdict(dict)
    for row in rows:
        sentences[row["DocumentID"]][int(row["SentenceID"].rsplit("-", 1)[1])] = row["Sentence"]
    files, spans = {}, {}
    for doc, by_number in sentences.items():
        name, offset, texts = f"{doc}.txt", 0, []
        for number in sorted(by_number):
            text = by_number[number]
            spans[f"{doc}-{number}"] = (name, offset, offset + len(text))
            texts.append(text)
            offset += len(text) + 1
        files[name] = " ".join(texts)
    gold: dict[str, list] = defaultdict(list)
    asked: dict[str, str] = {}
    for row in rows:
        asked[row["QuestionID"]] = row["Question"]
        if row["Label"] == "1":
            gold[row["QuestionID"]].append(spans[row["SentenceID"]])
    questions = [Question(qid, text, tuple(gold[qid])) for qid, text in asked.items()]
    _check_spans(files, questions)
    return Corpus("wikiqa" if split == "dev" else f"wikiqa-{split}", files, questions)


def write_docs(folder: Path, files: dict[str, str]) -> int:
    """Write files into folder, skipping identical ones and removing strays; return writes."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, text in files.items():
        path = folder / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            written += 1
    for path in folder.iterdir():
        if path.is_file() and path.name not in files:
            path.unlink()
    return written


def _file_name(title: str) -> str:
    """Return title + '.txt', with characters unsafe in file names replaced only if present."""
    safe = re.sub(r"[^\w.,()'&+-]", "_", title).lstrip(".")
    return (safe or "untitled") + ".txt"


def _check_spans(files: dict[str, str], questions: list[Question]) -> None:
    """Fail unless every gold span lies inside its file (offsets were computed, not searched)."""
    for question in questions:
        for name, start, end in question.gold:
            if not 0 <= start < end <= len(files[name]):
                raise ValueError(f"Gold span of {question.id} lies outside {name}")


def seeds(folder: Path, questions_file: Path) -> Corpus:
    """The seeds questions: every place each verbatim answer stands in its file is gold."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}
    questions = []
    for number, line in enumerate(questions_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        sources = [row["source"]] if row.get("source") else []
        gold = tuple(
            (name, match.start(), match.end())
            for name in sources + list(row.get("also") or [])
            for answer in row.get("answers") or []
            for match in re.finditer(re.escape(answer), files.get(name, ""))
        )
        questions.append(Question(str(row.get("id", number)), row["question"], gold))
    return Corpus("seeds", files, questions)
