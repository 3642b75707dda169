"""The real-files scale benchmark's folder: every format written, indexed, its answers found."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bench.common import real_files
from bench.scale_files import QUALITY_QUESTIONS, indexed_texts
from indexer import build_index, load_index
from indexer.settings import Settings
from tests.fakes import FakeEmbedder

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
TEXT_KINDS = ("txt", "md", "html", "csv", "eml")


def _text_digests(folder: Path, made) -> dict[str, str]:
    return {
        item.path: hashlib.sha256((folder / item.path).read_bytes()).hexdigest()
        for item in made
        if item.kind in TEXT_KINDS
    }


def test_a_small_generated_folder_is_indexed_whole_and_holds_its_answers(tmp_path):
    docs = tmp_path / "docs"
    made, asked = real_files.generate(docs, 30, SHARED, seed=5)
    assert {item.kind for item in made} == {*real_files.MIX, "scan"}
    assert sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file()) == sorted(
        item.path for item in made
    )
    settings = Settings()
    report = build_index(docs, tmp_path / "index", settings, FakeEmbedder())
    assert report.skipped == []
    assert report.ocr_pages >= 1  # the scan was read, not passed over
    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    texts = indexed_texts(index)
    assert set(texts) == {item.path for item in made}
    assert all(texts[item.path].strip() for item in made)
    checked = asked[:QUALITY_QUESTIONS]
    assert len(checked) == QUALITY_QUESTIONS
    assert {q.kind for q in checked} == set(real_files.PROSE_KINDS)
    for question in checked:
        gold = real_files.gold_spans(question, texts)
        assert gold, question
        assert not any(question.text in text for text in texts.values())  # no table repeats it
        for source, start, end in gold:
            found = " ".join(texts[source][start:end].split())
            assert found in question.answers


def test_the_same_seed_writes_the_same_folder(tmp_path):
    first, asked = real_files.generate(tmp_path / "a", 12, SHARED, seed=9)
    again, asked_again = real_files.generate(tmp_path / "b", 12, SHARED, seed=9)
    assert first == again and asked == asked_again
    assert _text_digests(tmp_path / "a", first) == _text_digests(tmp_path / "b", again)
    other, _ = real_files.generate(tmp_path / "c", 12, SHARED, seed=10)
    assert [m.paragraphs for m in other] != [m.paragraphs for m in first]


def test_the_mix_gives_each_kind_its_share_and_a_few_scans():
    kinds = real_files.kinds(1000)
    assert len(kinds) == 1000 and kinds.count("scan") == 5
    total = sum(real_files.MIX.values())
    for kind, share in real_files.MIX.items():
        assert abs(kinds.count(kind) - 995 * share / total) < 1, kind
    assert set(real_files.kinds(30)) == {*real_files.MIX, "scan"}
