"""A fresh process answers without loading what it does not use (issue 32: the cold path)."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest

from indexer import Settings, build_index
from indexer.read import languages
from indexer.read.terms import STOP_WORDS, question_terms
from indexer.read.unpacked import SortedWords
from indexer.search import spelling
from indexer.store.keywords import KeywordIndex

from .conftest import ROOT, SEEDS

# Each costs a fresh process a share of its start and is needed only to build, or for Milvus.
NOT_FOR_ANSWERS = (
    "scipy",  # bm25s imports it: BM25 is scored from the saved arrays
    "bm25s",
    "pymilvus",
    "indexer.search.milvus_index",
    "indexer.build.update",
    "indexer.read.documents",  # the file formats' readers: answering reads no file
    "spellchecker",  # its word lists are read, its code is not needed
    "torch",
    "sentence_transformers",
)
SENTENCES = [
    "Who founded Anthropic, and when did the company release its first model?",
    "Wer hat Anthropic gegründet und wann erschien das erste Modell?",
    "¿Quién fundó Anthropic y cuándo lanzó su primer modelo?",
    "Qui a fondé Anthropic et quand a-t-elle publié son premier modèle ?",
    "Кто основал Anthropic и когда компания выпустила первую модель?",
    "Ποιος ίδρυσε την Anthropic και πότε κυκλοφόρησε το πρώτο της μοντέλο;",
    "Anthropic'i kim kurdu ve ilk modelini ne zaman yayımladı?",
    "من أسس أنثروبيك ومتى أصدرت أول نموذج لها؟",
    "Ai đã thành lập Anthropic và khi nào công ty phát hành mô hình đầu tiên?",
    "ใครเป็นผู้ก่อตั้ง Anthropic และบริษัทเปิดตัวโมเดลแรกเมื่อใด",
    "谁创立了Anthropic，该公司何时发布了第一个模型？",
    "Anthropic की स्थापना किसने की और कंपनी ने अपना पहला मॉडल कब जारी किया?",
    "Cine a fondat Anthropic și când a lansat compania primul său model?",
    "UN ANNOUNCEMENT IN CAPITALS",
]


def run_python(code: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """An empty user cache for this test; the language model and word lists load again after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    languages._identifier.cache_clear()
    spelling._dictionary.cache_clear()
    yield tmp_path / "cache"
    languages._identifier.cache_clear()
    spelling._dictionary.cache_clear()


@pytest.mark.model
def test_a_cold_ask_loads_nothing_only_building_or_milvus_needs(tmp_path):
    build_index(SEEDS, tmp_path / "index", Settings())
    question = "Who fonded Antropic?"  # misspelt: the word lists are read too
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['indexer', 'ask', {question!r}, '--index', {str(tmp_path / 'index')!r}]\n"
        "try:\n    runpy.run_module('indexer', run_name='__main__')\n"
        "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
        f"print('LOADED', [m for m in {NOT_FOR_ANSWERS!r} if m in sys.modules])\n"
    )
    out = run_python(probe).stdout
    assert "Dario Amodei" in out
    assert "'Antropic' as 'Anthropic'" in out
    assert "LOADED []" in out, out


def test_importing_the_package_loads_neither_answering_nor_building():
    probe = (
        "import sys, indexer\n"
        "print('LOADED', [m for m in ('indexer.answer.index', 'indexer.build.update', 'faiss')"
        " if m in sys.modules])\n"
        "from indexer import BuildReport, Index, build_index, load_index\n"
        "print(Index.__module__, build_index.__module__)\n"
    )
    out = run_python(probe).stdout
    assert "LOADED []" in out, out
    assert "indexer.answer.index indexer.build.update" in out


def test_the_cached_language_model_names_every_language_as_py3langid_does(own_cache):
    import py3langid

    texts = SENTENCES + [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [line for text in texts for line in text.splitlines() if line.strip()]
    identifier = languages._identifier()
    assert isinstance(identifier.nb_ptc, np.memmap)  # mapped from the cache, not unpacked
    assert any(own_cache.rglob("ptc.npy"))
    assert [identifier.classify(t) for t in texts] == [py3langid.classify(t) for t in texts]
    names = [languages.detect(t) for t in SENTENCES[:13]]
    assert names == ["en", "de", "es", "fr", "ru", "el", "tr", "ar", "vi", "th", "zh", "hi", "ro"]


def test_without_a_writable_cache_the_language_is_still_named(own_cache):
    own_cache.parent.mkdir(parents=True, exist_ok=True)
    own_cache.write_text("a file where the cache folder would be", encoding="utf-8")
    assert languages.detect(SENTENCES[1]) == "de"
    assert "founded" in spelling._dictionary("en")


def test_the_cached_word_lists_hold_the_words_pyspellchecker_ships(own_cache):
    from importlib.util import find_spec
    from pathlib import Path

    resources = Path(find_spec("spellchecker").origin).parent / "resources"
    for code in ("en", "de", "ru"):
        shipped = set(spelling._words(resources / f"{code}.json.gz"))
        cached = spelling._dictionary(code)
        assert isinstance(cached, SortedWords)
        sample = random.Random(code).sample(sorted(shipped), 2000)
        assert all(word in cached for word in sample)
        others = [w + "q" for w in sample] + [w[:-1] for w in sample] + [w.upper() for w in sample]
        assert [w in cached for w in others] == [w in shipped for w in others]


def test_sorted_words_answer_as_a_set_does(tmp_path):
    rng = random.Random(7)
    letters = "abcdeéßжя中"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(3000)}
    SortedWords.write(words, tmp_path / "words")
    found = SortedWords(tmp_path / "words")
    probes = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 7))) for _ in range(5000)}
    probes |= words | {min(words) + "a", max(words) + "a", "", "\uffff"}
    assert {p for p in probes if p in found} == probes & words


def test_keyword_scores_without_bm25s_equal_bm25s_scores(tmp_path, fake_embedder):
    import bm25s

    build_index(SEEDS, tmp_path / "index", Settings(), fake_embedder)
    folder = next((tmp_path / "index").glob("v-*")) / "bm25"
    ours, theirs = KeywordIndex.load(folder), bm25s.BM25.load(str(folder), mmap=True)
    terms = sorted(t for t in ours.vocab_dict if t)
    rng = random.Random(3)
    asked = [question_terms(q, {"en"}) for q in SENTENCES]
    asked += [rng.sample(terms, rng.randint(1, 6)) + ["notaterm"] for _ in range(200)]
    for query in asked:
        known = [t for t in query if t in theirs.vocab_dict]
        expected = theirs.get_scores(known) if known else np.zeros(ours.num_docs)
        assert np.array_equal(ours.scores(query), np.asarray(expected, dtype=np.float32))


def test_the_stop_words_are_bm25s_english_ones():
    from bm25s.stopwords import STOPWORDS_EN

    assert frozenset(STOPWORDS_EN) == STOP_WORDS
