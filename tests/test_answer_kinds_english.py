"""English questions are read exactly as before the answer kinds were read in other languages.

tests/data/english_kinds.jsonl was written by the code of 97f9475, before the per-language
tables: 651 English questions (XQuAD en's 338, the 25 of ../shared/qa/seeds-dev.jsonl, and 288
of SQuAD v2 dev's tuning articles: every 20th, all that mention money and all whose language
the detector gets wrong), each with the sentence holding its answer. Each row: question, text,
the QuestionNeeds fields in order, the asked kind, the filler's span in the text, and what the
text holds (number, money, date, calendar date, a new name). The texts are from SQuAD and
XQuAD (CC BY-SA 4.0).
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from indexer.answer.fillers import asked_kind, best_filler
from indexer.answer.questions import (
    QuestionNeeds,
    analyse,
    has_date,
    has_money,
    has_name,
    has_number,
)

ROWS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "english_kinds.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
]
FIELDS = [f.name for f in fields(QuestionNeeds)]


def test_the_expectations_cover_hundreds_of_questions_of_every_kind():
    kinds = {row[3] for row in ROWS}
    assert len(ROWS) >= 600
    assert {"money", "percent", "date", "number", "name", None} <= kinds
    assert sum(row[4] is not None for row in ROWS) >= 100  # fillers marked


@pytest.mark.parametrize("row", ROWS, ids=range(len(ROWS)))
def test_english_question_needs_kind_and_filler_are_unchanged(row):
    question, text, needs, kind, filler, holds = row
    read = analyse(question)
    got = {name: getattr(read, name) for name in FIELDS}
    got["names"] = list(got["names"])
    assert got == dict(zip(FIELDS, needs, strict=True))
    assert asked_kind(read, question) == kind
    found = best_filler(text, question, kind, "en")
    assert ([found.start, found.end] if found else None) == filler
    assert [
        has_number(text, read.language),
        has_money(text, read.language),
        has_date(text, False, read.language),
        has_date(text, True, read.language),
        has_name(text, question, read.language),
    ] == holds
