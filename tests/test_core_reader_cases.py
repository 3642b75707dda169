"""Our own questions of the kinds that failed before the reader: table rows, near misses.

Written here from the three failure kinds of issue 19, never from held-back questions, and
never used to choose anything: the real model and the shipped reader answer them as shipped.
"""

from __future__ import annotations

import pytest

from indexer import Settings, build_index, load_index

ORCHARD = """# Orchard report 2025

The cooperative harvested four apple varieties this autumn. The weather was dry in August,
which kept the fruit small but sweet.

## Harvest by variety

| Variety | Trees | Tonnes | Price per kg |
|---|---|---|---|
| Elstar | 420 | 18 | 1.20 EUR |
| Boskoop | 310 | 10 | 0.80 EUR |
| Jonagold | 505 | 22 | 1.05 EUR |
| Cox Orange | 150 | 5 | 1.40 EUR |

## Outlook

The board expects to replant the oldest Boskoop trees within three years.
"""

WHITCOMBE = """Ada Whitcombe was a British hydrologist who spent most of her career in Yorkshire. \
She died in 1987 in Leeds, a year after she retired from the river authority.

Whitcombe led the first complete survey of the River Aire, walking its length twice to map \
every weir and outfall. Her report argued that the river could carry salmon again within a \
generation if the mills stopped dumping dye into it.

The survey was approved by a parliamentary committee, and its recommendations became the basis \
of the clean-up programme of the following decade. Critics called the programme a sleeping \
giant: slow to start, but impossible to stop once it moved.

The new footbridge over the Aire at Kirkstall is named after her. It is the longest footbridge \
on the river and carries thousands of walkers every weekend.
"""

# Known failures, kept visible: strict, so the day one passes the test says so (README, Quality).
STILL_FAILS = "the reader does not yet tell this near miss or paraphrase apart (issue 19)"
# (question, words the first quote must hold)
ANSWERABLE = [
    ("How many trees does Jonagold have, according to the table?", "| Jonagold | 505 |"),
    ("What does Boskoop sell for per kg?", "| Boskoop | 310 | 10 | 0.80 EUR |"),
    ("How many tonnes of Cox Orange were harvested?", "| Cox Orange | 150 | 5 |"),
    ("When did Ada Whitcombe die?", "She died in 1987"),
    pytest.param(
        "What image did critics use for the clean-up programme?",
        "a sleeping giant",
        marks=pytest.mark.xfail(strict=True, reason=STILL_FAILS),
    ),
    ("Who is the Kirkstall footbridge named after?", "is named after her"),
    ("What would bring salmon back to the river?", "if the mills stopped dumping dye"),
]
# Near misses: the documents discuss the subject, never the asked fact.
NEAR_MISSES = [
    pytest.param(question, marks=pytest.mark.xfail(strict=True, reason=STILL_FAILS))
    for question in (
        "In what year was Ada Whitcombe born?",  # only the year of death is written
        "What is the name of the committee that approved the survey?",  # only "a committee"
        "How long is the Kirkstall footbridge in metres?",  # a figure never given
        "How many pear trees does the cooperative have?",  # only apples are counted
    )
]


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    docs = tmp_path_factory.mktemp("cases")
    (docs / "orchard_report.md").write_text(ORCHARD, encoding="utf-8")
    (docs / "whitcombe.txt").write_text(WHITCOMBE, encoding="utf-8")
    index_dir = docs.parent / (docs.name + "-index")
    build_index(docs, index_dir, Settings(), real_embedder)
    return load_index(index_dir, Settings(), real_embedder)


@pytest.mark.model
@pytest.mark.parametrize(("question", "words"), ANSWERABLE)
def test_own_questions_are_answered_with_the_right_unit(index, question, words):
    answer = index.answer(question)
    assert not answer.refused, answer.reason
    assert words in answer.quotes[0].text


@pytest.mark.model
@pytest.mark.parametrize("question", NEAR_MISSES)
def test_own_near_misses_are_refused(index, question):
    answer = index.answer(question)
    assert answer.refused, [q.text for q in answer.quotes]
