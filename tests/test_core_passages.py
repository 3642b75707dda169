"""Passages and sentences: exact offsets, right line numbers, structure kept, sizes bounded."""

from __future__ import annotations

import random
import re
import textwrap
from itertools import pairwise

import pytest

from indexer import Settings
from indexer.read.passages import split_passages
from indexer.read.sentences import sentence_spans

from .conftest import SEEDS

SETTINGS = Settings()
MAX, MIN = SETTINGS.passage_max_chars, SETTINGS.passage_min_chars
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def split(text: str, source: str = "doc.txt"):
    return split_passages(source, text, MAX, MIN)


def seed_text(path) -> str:
    return path.read_bytes().decode("utf-8")


def covered(text: str, passages) -> set[int]:
    return {i for p in passages for i in range(p.start, p.end)}


def table_header_lines(text: str) -> set[int]:
    """Offsets of table headers and separators: they go into the rows' prefix, not their text."""
    offsets = set()
    for line, following in pairwise(re.finditer(r"[^\r\n]+", text)):
        if following.group().startswith("|") and set(following.group().strip()) <= set("|-: "):
            offsets.update(range(line.start(), following.end()))
    return offsets


def assert_complete(text: str, passages) -> None:
    """No word of the document is lost: every non-space character is in some passage."""
    inside = covered(text, passages) | table_header_lines(text)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and i not in inside]
    if lost:
        first = lost[0]
        pytest.fail(f"{len(lost)} characters in no passage, from {text[first : first + 40]!r}")


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_seed_passage_is_an_exact_slice_on_the_right_lines(path, assert_located):
    text = seed_text(path)
    passages = split(text, path.name)
    assert passages
    for passage in passages:
        assert passage.source == path.name
        assert_located(passage, text)
        assert 0 < len(passage.text) <= MAX
        assert passage.text == passage.text.strip()
    assert_complete(text, passages)
    starts = [p.start for p in passages]
    assert starts == sorted(starts)
    for before, after in pairwise(passages):
        assert before.end <= after.start, "passages overlap"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_table_rows_are_one_passage_each_with_their_header(path):
    text = seed_text(path)
    passages = split(text, path.name)
    lines = text.split("\n")

    def is_separator(line: str) -> bool:
        return line.startswith("|") and set(line.strip()) <= set("|-: ")

    rows, header = [], None
    for number, line in enumerate(lines):
        if not line.startswith("|") or is_separator(line):
            continue
        if number + 1 < len(lines) and is_separator(lines[number + 1]):
            header = line
        else:
            rows.append((line, header))
    if path.name.startswith("002"):
        assert len(rows) == 12  # three tables of four rows
    for row, header in rows:
        matching = [p for p in passages if row in p.text]
        assert len(matching) == 1, row
        (passage,) = matching
        assert passage.text == row, "a table row is a passage of its own"
        assert header in passage.prefix.split("\n")
        assert header not in passage.text
        # The header shown above a quoted row is an exact slice of the text, on its own line.
        start, end, line = passage.header
        assert text[start:end] == header == passage.header_text
        assert lines[line - 1] == header


def test_seed_headings_are_detected_and_recorded():
    path = SEEDS / "002_6d34ce2141a5a6b8.txt"
    passages = split(seed_text(path), path.name)
    assert {p.heading for p in passages} == {
        "Technical Deep Dive",
        "Key Players & Case Studies",
        "Industry Impact & Market Dynamics",
        "Risks, Limitations & Open Questions",
        "AINews Verdict & Predictions",
    }

    def heading_of(words: str) -> str | None:
        (passage,) = [p for p in passages if words in p.text]
        return passage.heading

    assert heading_of("Venture capital funding for AI startups hit") == (
        "Industry Impact & Market Dynamics"
    )
    assert heading_of("| Meta | Open-source | Llama 3 70B |") == "Key Players & Case Studies"
    assert heading_of("Within 12 months, a 'AI Safety Certification Board'") == (
        "AINews Verdict & Predictions"
    )

    withheld = SEEDS / "003_6e8c9ce309fc04e5.txt"
    withheld_passages = split(seed_text(withheld), withheld.name)
    (why,) = [p for p in withheld_passages if "This marks a major milestone" in p.text]
    assert why.heading == "Why It Matters"
    assert "Anthropic Withholds AI Model Deemed Too Dangerous for Release" in why.prefix

    faq = SEEDS / "004_0496f1b9ade24f07.txt"
    faq_passages = split(seed_text(faq), faq.name)
    (answer,) = [p for p in faq_passages if "A jailbreak is a technique" in p.text]
    assert answer.heading == "FAQ"


def _paragraphs(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    words = ["the", "model", "market", "safety", "review", "agency", "release", "audit", "risk"]
    paragraphs = []
    for _ in range(count):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(4, 18))).capitalize() + "."
            for _ in range(rng.randint(1, 9))
        ]
        paragraphs.append(" ".join(sentences))
    return paragraphs


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings_give_exact_passages_and_lines(newline, assert_located):
    body = "\n\n".join(_paragraphs(1, 40))
    text = ("Field Notes\n\n" + body + "\n").replace("\n", newline)
    passages = split(text)
    assert len(passages) > 5
    for passage in passages:
        assert_located(passage, text)
        assert len(passage.text) <= MAX
        assert passage.heading == "Field Notes"
        assert "\r" not in passage.text[:1] + passage.text[-1:]
    assert_complete(text, passages)
    assert passages[-1].line_end == text.count(newline)  # the last line, not the empty one after


def test_line_endings_do_not_change_the_passages():
    body = "Overview\n\n" + "\n\n".join(_paragraphs(2, 25)) + "\n"
    shapes = {}
    for newline in ("\n", "\r\n", "\r"):
        passages = split(body.replace("\n", newline))
        shapes[newline] = [
            (p.line_start, p.line_end, p.text.replace(newline, "\n")) for p in passages
        ]
    assert shapes["\n"] == shapes["\r\n"] == shapes["\r"]


def test_mixed_line_endings_count_lines_like_an_editor(assert_located):
    text = "Title line\r\nFirst paragraph ends here.\rSecond one ends here.\nThird one, done.\r\n"
    passages = split(text)
    for passage in passages:
        assert_located(passage, text)
    (third,) = [p for p in passages if "Third one" in p.text]
    assert third.line_end == 4


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            " ".join(f"Sentence number {i} is here." for i in range(8000))[:200_000], id="sentences"
        ),
        pytest.param(
            " ".join(f"word{i % 997}" for i in range(40_000))[:200_000], id="no-punctuation"
        ),
        pytest.param("x" * 200_000, id="no-spaces"),
    ],
)
@pytest.mark.parametrize("around", ["", "Intro paragraph.\n\n"], ids=["alone", "after-text"])
def test_one_enormous_line_is_cut_into_bounded_exact_passages(line, around, assert_located):
    text = around + line + "\n"
    passages = split(text)
    assert len(passages) >= 200_000 // MAX
    for passage in passages:
        assert len(passage.text) <= MAX
        assert_located(passage, text)
    assert_complete(text, passages)
    if "Sentence number" in line:  # cut between sentences where there are sentences
        assert all(p.text.endswith(".") for p in passages[:-1])


P1 = (
    "The company, founded by former OpenAI researchers Dario Amodei and Daniela Amodei, has "
    "long positioned itself as the safety-first alternative to OpenAI. Its Constitutional AI "
    "approach, which uses a set of written principles to guide model behavior, was seen as a "
    "differentiator by many observers in the field."
)
P2 = (
    "OpenAI, Anthropic's primary competitor, has taken a different path. Despite internal "
    "turmoil over safety, OpenAI continues to ship aggressively. Its GPT-4o model, released "
    "in May 2024, included multimodal capabilities and real-time voice interaction without "
    "any pre-deployment government review."
)


@pytest.mark.parametrize("width", [60, 66, 72, 80])
def test_hard_wrapped_paragraphs_are_not_cut_into_headings(width, assert_located):
    text = "Key Players\n\n" + textwrap.fill(P1, width) + "\n\n" + textwrap.fill(P2, width) + "\n"
    passages = split(text)
    for passage in passages:
        assert_located(passage, text)
        # A wrapped line that happens to be followed by a capitalised name is not a heading.
        assert passage.heading == "Key Players", passage.heading
    assert_complete(text, passages)
    # Wrapped lines are joined: passages run over several lines and end at sentence ends.
    assert any(p.line_end > p.line_start + 1 for p in passages)
    for passage in passages:
        assert passage.text.endswith((".", "Key Players")), passage.text[-40:]
    flat = [" ".join(p.text.split()) for p in passages]
    for sentence in (
        "has long positioned itself as the safety-first alternative to OpenAI.",
        "Its GPT-4o model, released in May 2024, included multimodal",
    ):
        assert any(sentence in f for f in flat), sentence


def test_markdown_headings_are_recorded_without_hashes(assert_located):
    text = (
        "# Field Guide to Herons\n"
        "\n"
        "Herons are wading birds found near water. They stand still for long periods.\n"
        "\n"
        "## Feeding\n"
        "\n"
        "Grey herons catch fish with a fast strike of the bill. They also eat frogs.\n"
        "\n"
        "### Nesting ###\n"
        "\n"
        "Herons nest in colonies called heronries, high in tall trees.\n"
        "\n"
        "#hashtag is not a heading, and neither is this line.\n"
    )
    passages = split(text, "herons.md")
    for passage in passages:
        assert_located(passage, text)

    def heading_of(words: str) -> str | None:
        (passage,) = [p for p in passages if words in p.text]
        return passage.heading

    assert heading_of("stand still for long periods") == "Field Guide to Herons"
    assert heading_of("fast strike of the bill") == "Feeding"
    assert heading_of("colonies called heronries") == "Nesting"
    assert heading_of("#hashtag is not a heading") == "Nesting"
    (feeding,) = [p for p in passages if "fast strike" in p.text]
    assert "Field Guide to Herons" in feeding.prefix  # the title gives context to embeddings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Google's close ties to U.S. defense agencies matter. The next sentence starts here.",
            [
                "Google's close ties to U.S. defense agencies matter.",
                "The next sentence starts here.",
            ],
        ),
        (
            "It is a 'deploy and learn' vs. 'test and certify' split. Another one follows.",
            ["It is a 'deploy and learn' vs. 'test and certify' split.", "Another one follows."],
        ),
        (
            "Jailbreaks bypass them in 3.2% of cases. That is too high.",
            ["Jailbreaks bypass them in 3.2% of cases.", "That is too high."],
        ),
        (
            "Some tasks, e.g. data analysis, run for weeks. Others do not.",
            ["Some tasks, e.g. data analysis, run for weeks.", "Others do not."],
        ),
        (
            "Dr. Amodei founded the company. It is in San Francisco.",
            ["Dr. Amodei founded the company.", "It is in San Francisco."],
        ),
        (
            "OpenAI's revenue is $3.4B this year. Anthropic's is lower.",
            ["OpenAI's revenue is $3.4B this year.", "Anthropic's is lower."],
        ),
        ("Wait! Really? Yes.", ["Wait!", "Really?", "Yes."]),
    ],
)
def test_sentences_are_not_cut_at_abbreviations_or_numbers(text, expected):
    spans = sentence_spans(text)
    assert [text[start:end] for start, end in spans] == expected


def test_sentence_spans_are_exact_slices_of_a_larger_text():
    path = SEEDS / "002_6d34ce2141a5a6b8.txt"
    text = seed_text(path)
    start = text.index("Consider the revenue implications.")
    end = text.index("| Metric | Anthropic |")
    spans = sentence_spans(text, start, end)
    assert len(spans) == 5
    for a, b in spans:
        assert start <= a < b <= end
        piece = text[a:b]
        assert piece == piece.strip() and piece
    pieces = [text[a:b] for a, b in spans]
    assert (
        "Anthropic's annualized revenue is estimated at around $850 million, primarily "
        "from API access to Claude models." in pieces
    )
    assert (
        pieces[-1] == "Early signs support this: Anthropic's enterprise contracts now include "
        "'safety guarantee' clauses that competitors cannot match."
    )
