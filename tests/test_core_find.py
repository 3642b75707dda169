"""Find and the query language, on both stores: phrases, exclusions, filters, pages, parity."""

from __future__ import annotations

import numpy as np
import pytest

from indexer import Settings, build_index, load_index
from indexer.errors import QueryError
from indexer.search.find import PER_PAGE, find
from indexer.search.phrases import holds
from indexer.store.milvus.store import release

from .conftest import line_number
from .fakes import FakeEmbedder, all_passages
from .library import write_library

LEASE, DRAFT, TERMS = "contracts/lease.txt", "contracts/lease-draft.md", "contracts/terms.pdf"
GERMAN, CHINESE = "notes/kuendigung.txt", "notes/hetong.txt"
THAI, ARABIC = "notes/thai.txt", "notes/arabic.txt"


def _built(docs, index_dir, settings):
    build_index(docs, index_dir, settings, FakeEmbedder())
    return load_index(index_dir, settings, FakeEmbedder())


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return write_library(tmp_path_factory.mktemp("library") / "docs")


@pytest.fixture(scope="module", params=["local", "milvus"])
def library(request, docs, tmp_path_factory):
    """The library built into each store (Milvus Lite: the real engine in a file)."""
    work = tmp_path_factory.mktemp(request.param)
    uri = str(work / "m" / "verbatim.db") if request.param == "milvus" else ""
    settings = Settings(milvus_uri=uri or None)
    yield _built(docs, work / "index", settings)
    if uri:
        release(uri)


def sources(found) -> set[str]:
    return {group.source for group in found.groups}


def highlighted(found) -> list[str]:
    return [
        match.hit.text[start:end]
        for group in found.groups
        for match in group.matches
        for start, end in match.highlights
    ]


def test_a_phrase_matches_across_case_punctuation_and_a_line_break(library):
    found = find(library, '"force MAJEURE, as agreed"')
    assert (found.total, found.files, sources(found)) == (1, 1, {LEASE})
    assert highlighted(found) == ["Force\nMajeure, as agreed"]
    hit = found.groups[0].matches[0].hit
    text = library.document_text(LEASE)
    assert text[hit.start : hit.end] == hit.text  # the excerpt is the indexed text, exactly
    assert (hit.line_start, hit.line_end) == (
        line_number(text, hit.start),
        line_number(text, hit.end - 1),
    )
    record = found.to_record()["groups"][0]["matches"][0]
    start, end = record["highlights"][0]
    assert record["text"][start:end] == "Force\nMajeure, as agreed"
    assert record["citation"].startswith(f"{LEASE}, line")
    # Exact: the comma is part of the phrase, and a phrase ends at a word's end.
    assert find(library, '"force majeure as agreed"').total == 0
    assert find(library, '"force majeur"').total == 0


def test_a_word_broken_by_a_hyphen_at_a_line_end_is_found_whole(library):
    found = find(library, '"international notice"')
    assert sources(found) == {LEASE}
    assert highlighted(found) == ["inter-\nnational notice"]


def test_excluded_words_and_phrases_leave_their_passages_out(library):
    assert sources(find(library, '"force majeure"')) == {LEASE, DRAFT, TERMS}
    assert sources(find(library, '"force majeure" -draft')) == {LEASE, TERMS}
    assert sources(find(library, '"force majeure" -"every obligation" -DRAFT')) == {LEASE}
    assert sources(find(library, "majeure -Kündigung")) == {LEASE, DRAFT, TERMS}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("majeure type:pdf", {TERMS}),
        ("majeure type:md type:pdf", {DRAFT, TERMS}),
        ("majeure type:txt,md", {LEASE, DRAFT}),
        ("majeure in:contracts/", {LEASE, DRAFT, TERMS}),
        ("majeure in:contracts/lease.txt", {LEASE}),
        ("majeure after:2024-01-15", {LEASE, DRAFT}),  # the day itself is kept
        ("majeure before:2024-01-15", {TERMS}),
        ("after:2024-03-01 before:2025-01-01", {DRAFT}),
        ("lang:de", {GERMAN}),
        ("lang:zh,th", {CHINESE, THAI}),
        ("in:notes/ lang:ar", {ARABIC}),
    ],
)
def test_each_filter_keeps_only_its_files(library, query, expected):
    found = find(library, query)
    assert sources(found) == expected
    assert found.total == sum(group.count for group in found.groups) == len(expected)


def test_filters_that_keep_nothing_say_why(library):
    found = find(library, "majeure type:docx")
    assert (found.total, found.groups) == (0, [])
    assert found.note == "No indexed file passes type:docx."
    assert find(library, "majeure in:notes/").note.startswith("No passage matches")


def test_a_german_phrase_and_word(library):
    found = find(library, '"KÜNDIGUNG des mietvertrags"')
    assert sources(found) == {GERMAN}
    assert highlighted(found) == ["Kündigung des Mietvertrags"]
    assert highlighted(find(library, "kündigung lang:de")) == ["Kündigung"] * 3


def test_chinese_thai_and_arabic_phrases(library):
    found = find(library, "“合同终止”")
    assert sources(found) == {CHINESE}
    assert highlighted(found) == ["合同终止", "合同终止"]
    assert highlighted(find(library, '"ผู้เช่าต้องชำระค่าเช่า"')) == ["ผู้เช่าต้องชำระค่าเช่า"]
    # Typed without vowel signs, found with them, and highlighted with them.
    assert highlighted(find(library, '"ينتهي العقد"')) == ["يَنتهي العقدُ"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("majeure colour:red", "colour:"),
        ("majeure after:2024-13-01", "after:"),
        ("majeure before:yesterday", "before:"),
        ("majeure lang:german", "lang:"),
        ("majeure type:", "type:"),
        ("majeure -type:pdf", "-type:"),
    ],
)
def test_a_bad_filter_is_one_sentence_naming_it(library, query, named):
    for attempt in (lambda: find(library, query), lambda: library.answer(f"What? {query}")):
        with pytest.raises(QueryError) as raised:
            attempt()
        message = str(raised.value)
        assert named in message and "\n" not in message and message.endswith(".")
        assert message.count(". ") == 0, message  # one sentence


def test_free_words_must_all_be_in_a_passage_and_rank_it(library):
    assert sources(find(library, "rent landlord")) == {LEASE}
    assert find(library, "rent Kündigung").total == 0
    ranked = find(library, "majeure")
    assert ranked.ranked_by == "relevance"
    best = [group.matches[0].score for group in ranked.groups]
    assert best == sorted(best, reverse=True) and best[0] > 0
    in_order = find(library, '"force majeure"')
    assert in_order.ranked_by == "file order"
    positions = [m.hit.position for group in in_order.groups for m in group.matches]
    assert positions == sorted(positions)


def test_every_match_is_listed_50_a_page(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    paragraph = (
        "Paragraph {n} of the ledger notes one needle among the hay, with enough words around "
        "it that it stands as a passage of its own: the clerk counted the bales, wrote the "
        "figure down, and signed the page before the lamp went out at the end of the day."
    )
    (docs / "ledger.txt").write_text(
        "\n\n".join(paragraph.format(n=n) for n in range(130)), encoding="utf-8"
    )
    (docs / "other.txt").write_text(paragraph.format(n=999) + "\n", encoding="utf-8")
    index = _built(docs, tmp_path / "index", Settings())
    holding = [p for p in all_passages(index) if "needle" in p.text]
    assert len(holding) >= 120
    first = find(index, "needle")
    assert first.total == len(holding) and first.files == 2
    assert first.pages == -(-len(holding) // PER_PAGE)
    seen = []
    for page in range(1, first.pages + 1):
        found = find(index, "needle", page)
        matches = [m for group in found.groups for m in group.matches]
        assert len(matches) == min(PER_PAGE, len(holding) - (page - 1) * PER_PAGE)
        assert {g.source: g.count for g in found.groups} == {
            g.source: {"ledger.txt": len(holding) - 1, "other.txt": 1}[g.source]
            for g in found.groups
        }
        seen += [m.hit.position for m in matches]
    assert sorted(seen) == sorted({p for p in seen}) and len(seen) == len(holding)
    for beyond in (0, first.pages + 1):
        with pytest.raises(QueryError, match="Page"):
            find(index, "needle", beyond)


def test_both_stores_find_the_same(docs, tmp_path):
    local = _built(docs, tmp_path / "local", Settings())
    uri = str(tmp_path / "m" / "verbatim.db")
    milvus = _built(docs, tmp_path / "unused", Settings(milvus_uri=uri))
    try:
        for query in [
            "majeure", '"force majeure" -draft', "rent landlord", "majeure type:pdf,md",
            "lang:de", "“合同终止”", '"ينتهي العقد"', "after:2024-01-15", "majeure in:notes/",
            "kündigung",
        ]:  # fmt: skip
            assert find(milvus, query).to_record() == find(local, query).to_record(), query
    finally:
        release(uri)


def test_ask_answers_only_from_the_files_its_filters_keep(library):
    answer = library.answer("What suspends every obligation of the parties? type:pdf")
    cited = {quote.source for quote in answer.quotes} | {hit.source for hit in answer.related}
    assert cited == {TERMS}
    other = library.answer("What suspends every obligation of the parties? in:notes/")
    assert TERMS not in {hit.source for hit in other.related} and other.related
    phrased = library.answer('What is suspended? "every obligation"')  # one passage holds it
    assert {hit.source for hit in phrased.related} | {q.source for q in phrased.quotes} == {TERMS}
    nothing = library.answer("What suspends every obligation? type:docx")
    assert nothing.refused and nothing.reason == "No indexed file passes type:docx."


def test_a_quoted_phrase_in_a_question_must_be_in_the_quote(tmp_path, any_store):
    from .conftest import SEEDS

    index = _built(SEEDS, tmp_path / "index", any_store)  # some passages of a file hold it
    plain = index.answer("What is Anthropic's annualized revenue?")
    assert not plain.refused and not holds(plain.quotes[0].text, "government contracts")
    phrased = index.answer('What is Anthropic\'s annualized revenue? "government contracts"')
    assert not phrased.refused
    assert all(holds(quote.text, "government contracts") for quote in phrased.quotes)
    missing = index.answer('What is Anthropic\'s revenue? "quarterly dividend"')
    assert missing.refused and "“quarterly dividend”" in missing.reason


def test_a_phrase_looked_for_in_some_rows_is_found_as_in_all():
    from indexer.search.phrases import SCAN_SHARE, FoldedText

    texts = [f"Row {n}: the force\nmajeure clause {n % 7}, Force Majeure again." for n in range(99)]
    folded = FoldedText(texts)
    every = folded.find("force majeure")
    some = [3, 17, 50, 98]
    assert len(some) * SCAN_SHARE < len(texts)  # searched row by row
    found = folded.find("force majeure", some)
    keep = np.isin(every[0], some)
    assert all(np.array_equal(a, b[keep]) for a, b in zip(found, every, strict=True))
    assert found[0].tolist() == [3, 3, 17, 17, 50, 50, 98, 98]
    rows, starts, ends = found
    spans = zip(rows, starts, ends, strict=True)
    shown = [texts[r][slice(*folded.offsets(r, s, e))] for r, s, e in spans]
    assert shown[:2] == ["force\nmajeure", "Force Majeure"]


def test_free_words_alone_are_found_without_folding_the_passages(docs, tmp_path):
    index = _built(docs, tmp_path / "index", Settings())
    assert find(index, "majeure landlord").total == 1
    assert getattr(index, "_folded", None) is None  # the keyword index sufficed
    assert find(index, '"force majeure"').total == 3
    assert index._folded.rows == len(index)


def test_a_control_character_in_a_query_never_joins_two_passages(library):
    # The draft's passage ends "signed." and the lease's begins "Lease": they are apart.
    assert find(library, '"signed.\x00Lease agreement"').total == 0
    assert find(library, '"not signed."').total == 1
