"""Our own questions of the kinds issue 19 names: table rows by label, paraphrase, near misses.

Written here from the failure kinds, never from held-back questions, and never used to choose
anything. `python -m bench.cases` reports how the product answers all of them; the tests
(tests/test_core_reader_cases.py) hold it to the ones it answers right.
"""

from __future__ import annotations

from pathlib import Path

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

# (question, words the first quote must hold)
ANSWERABLE = [
    ("How many trees does Jonagold have, according to the table?", "| Jonagold | 505 |"),
    ("What does Boskoop sell for per kg?", "| Boskoop | 310 | 10 | 0.80 EUR |"),
    ("How many tonnes of Cox Orange were harvested?", "| Cox Orange | 150 | 5 |"),
    ("When did Ada Whitcombe die?", "She died in 1987"),
    ("What image did critics use for the clean-up programme?", "a sleeping giant"),
    ("Who is the Kirkstall footbridge named after?", "is named after her"),
    ("What would bring salmon back to the river?", "if the mills stopped dumping dye"),
]
# Near misses: the documents discuss the subject, never the asked fact.
NEAR_MISSES = [
    "In what year was Ada Whitcombe born?",  # only the year of death is written
    "What is the name of the committee that approved the survey?",  # only "a committee"
    "How long is the Kirkstall footbridge in metres?",  # a figure never given
    "How many pear trees does the cooperative have?",  # only apples are counted
]


def write_documents(folder: Path) -> Path:
    """Write the two documents the questions are about into folder; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "orchard_report.md").write_text(ORCHARD, encoding="utf-8")
    (folder / "whitcombe.txt").write_text(WHITCOMBE, encoding="utf-8")
    return folder
