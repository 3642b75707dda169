"""The kind of answer each XQuAD question asks for, read in its own language; and its gold answer.

    python -m bench.kinds [--shared ../shared/bench] [--languages de,th] [--json OUT] [--show K]

No model: XQuAD's tuning questions (338, the same in 12 languages) are parallel, so the kind
the English rules read in the English question (money, percent, date, number, name; place for
"where") is the reference for the same question in every language. Per language: how often the
kind read from the language's own question agrees with it ("before": the English rules alone,
as the product read every language until now; "after": with the language's table,
indexer/answer/kinds_asked.py), precision and recall per kind after; and, for the questions with
a kind, the share of gold answer texts (answers[].text in that language) in which the checks
find something of that kind: "holds" is the check that lets a sentence be quoted
(has_number, has_money, has_date, a name the question does not give), "marked" the span
fillers.py marks; names in scripts without capitals cannot be checked and are not counted.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from bench.common.corpora import XQUAD_LANGUAGES
from bench.common.metrics import write_json
from indexer.answer.fillers import asked_kind, best_filler
from indexer.answer.kinds_asked import asked_kinds
from indexer.answer.questions import (
    UNCASED,
    has_date,
    has_money,
    has_name,
    has_number,
    read_needs,
)
from indexer.read.languages import detect

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("money", "percent", "date", "number", "name", "place")
_WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)


def main() -> int:
    """Read every language's questions before and after; print the table and per-kind P/R."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--languages", default=",".join(XQUAD_LANGUAGES))
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "kinds.json")
    parser.add_argument("--show", default="", help="print the misread questions of a kind")
    args = parser.parse_args()
    english = _questions(args.shared, "en")
    reference = {i: _kind(q, "en", "en") for i, (q, _) in english.items()}
    rows = {}
    for language in args.languages.split(","):
        asked = _questions(args.shared, language)
        rows[language] = measure(asked, reference, english, language, args.show)
    print(table(rows))
    print()
    print(per_kind(rows))
    write_json(args.json, rows)
    return 0


def measure(asked: dict, reference: dict, english: dict, language: str, show: str) -> dict:
    """Return one language's agreement, per-kind counts and gold-answer shares."""
    detected = {i: detect(q) for i, (q, _) in asked.items()}
    before = {i: _kind(q, "en", "en") for i, (q, _) in asked.items()}
    after = {i: _kind(q, detected[i], language) for i, (q, _) in asked.items()}
    counts = {k: Counter() for k in KINDS}
    for i, truth in reference.items():
        for kind in KINDS:
            hit, said = truth == kind, after[i] == kind
            counts[kind]["tp" if hit and said else "fn" if hit else "fp" if said else "tn"] += 1
        if show and show in (truth, after[i]) and truth != after[i]:
            print(f"{language} {truth} -> {after[i]}: {asked[i][0]} | {english[i][0]}")
    held = {"before": [], "after": [], "marked before": [], "marked after": []}
    for i, truth in reference.items():
        if truth is None or (truth in ("name", "place") and language in UNCASED):
            continue
        question, answers = asked[i]
        calendar = read_needs(english[i][0], "en").calendar
        for when, code in (("before", "en"), ("after", language)):
            held[when].append(any(_holds(a, question, truth, calendar, code) for a in answers))
            if truth in ("money", "percent", "date", "number"):
                marks = [best_filler(a, question, truth, code) for a in answers]
                held[f"marked {when}"].append(any(mark is not None for mark in marks))
    agree = {w: sum(reference[i] == k[i] for i in reference) / len(reference) for w, k in
             (("before", before), ("after", after))}  # fmt: skip
    return {
        "questions": len(reference),
        "with a kind": sum(k is not None for k in reference.values()),
        "agreement": agree,
        "per kind": {k: dict(c) for k, c in counts.items()},
        "gold holds": {w: _share(v) for w, v in held.items()},
        "checked": len(held["after"]),
        "marked": len(held["marked after"]),
    }


def table(rows: dict) -> str:
    """Return the per-language table as markdown."""
    lines = [
        "| language | kind agrees before | after | gold holds it before | after | marked before "
        "| after |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for language, row in rows.items():
        agree, held = row["agreement"], row["gold holds"]
        lines.append(
            f"| {language} | {agree['before']:.3f} | **{agree['after']:.3f}** | "
            f"{held['before']:.3f} | **{held['after']:.3f}** | {held['marked before']:.3f} | "
            f"**{held['marked after']:.3f}** |"
        )
    return "\n".join(lines)


def per_kind(rows: dict) -> str:
    """Return precision / recall per kind and language, after, as markdown."""
    lines = ["| language | " + " | ".join(f"{k} P/R" for k in KINDS) + " |"]
    lines.append("|---|" + "---:|" * len(KINDS))
    for language, row in rows.items():
        cells = []
        for kind in KINDS:
            c = Counter(row["per kind"][kind])
            precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
            recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
            cells.append(f"{precision:.2f}/{recall:.2f} ({c['tp'] + c['fn']})")
        lines.append(f"| {language} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _kind(question: str, language: str, table: str) -> str | None:
    """Return the one kind a question asks for, read as a language; place where nothing else."""
    kind = asked_kind(read_needs(question, language), question)
    if kind is None and (
        _WHERE.search(question) if table == "en" else "place" in asked_kinds(question, language)
    ):
        return "place"
    return kind


def _holds(answer: str, question: str, kind: str, calendar: bool, language: str) -> bool:
    """Whether a gold answer holds its kind, by the check that lets a sentence be quoted."""
    if kind in ("name", "place"):
        return has_name(answer, question, language)
    if kind == "date":
        return has_date(answer, calendar, language)
    if kind == "money":
        return has_money(answer, language)
    return has_number(answer, language)


def _share(values: list[bool]) -> float:
    return sum(values) / len(values) if values else float("nan")


def _questions(shared: Path, language: str) -> dict[str, tuple[str, list[str]]]:
    data = json.loads((shared / "xquad" / f"xquad.{language}.tune.json").read_text("utf-8"))
    return {
        qa["id"]: (qa["question"], [a["text"] for a in qa["answers"]])
        for article in data["data"]
        for paragraph in article["paragraphs"]
        for qa in paragraph["qas"]
    }


if __name__ == "__main__":
    raise SystemExit(main())
