"""A question in a language the index's model does not read: answered by the multilingual
companion (index/multilingual/), built by the first such question, kept up to date with the
index, never built for English questions. Fast: fakes stand in for both models."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys

import pytest

from indexer import Settings, build_index, load_index
from indexer.answer import companion
from indexer.errors import ModelLoadError
from indexer.store.versions import current_version

from .conftest import ROOT
from .fakes import FakeEmbedder

ENGLISH_MODEL = "all-MiniLM-L6-v2 [onnx-int8, passages pooled]"  # reads English only
DOCS = {
    "harbour.txt": (
        "The Port of Kiel\n\nThe port of Kiel was founded in 1242. Today about 180 cruise "
        "ships call at Kiel every year.\nThe ferry to Oslo leaves daily at 14:00.\n"
    ),
    "notes/lighthouse.txt": (
        "Lighthouse\n\nThe lighthouse keeper logged 412 ships in 1911. The lamp was replaced "
        "in 1923.\n"
    ),
}
GERMAN = "Wann wurde der Hafen von Kiel gegründet?"
# German words a multilingual model reads as their English ones; the fake below does the same.
WORDS = {"wann": "when", "wurde": "was", "der": "the", "hafen": "port", "von": "of",
         "gegründet": "founded", "leuchtturm": "lighthouse", "ersetzt": "replaced",
         "lampe": "lamp", "die": "the", "wo": "where", "liegt": "lies"}  # fmt: skip
BUILDING = re.compile(
    r"^German question on an English index: building the multilingual vectors once, ~\d+ s$"
)


class MultilingualFake(FakeEmbedder):
    """The fake, reading the German words above as English: a multilingual model in miniature."""

    def encode(self, texts):
        return super().encode(
            [" ".join(WORDS.get(w, w) for w in re.findall(r"\w+", t.lower())) for t in texts]
        )


@pytest.fixture
def multilingual(monkeypatch) -> MultilingualFake:
    """The companion's embedder, as multilingual_embedder gives it to every companion."""
    fake = MultilingualFake(name="multilingual-e5-small [fake]")
    monkeypatch.setattr(companion, "multilingual_embedder", lambda settings: fake)
    return fake


def english_model() -> FakeEmbedder:
    return FakeEmbedder(name=ENGLISH_MODEL)


def write(docs, files: dict[str, str]) -> None:
    for name, text in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")


@pytest.fixture
def english(tmp_path):
    """An English folder built with the English model: (docs, index folder, settings)."""
    docs, index_dir, settings = tmp_path / "docs", tmp_path / "index", Settings()
    write(docs, DOCS)
    build_index(docs, index_dir, settings, english_model())
    return docs, index_dir, settings


def ask(index_dir, settings, question: str, heard: list | None = None):
    heard = [] if heard is None else heard
    index = load_index(index_dir, settings, english_model())
    return index.answer(question, progress=lambda *stage: heard.append(stage))


def assert_exact(answer, docs) -> None:
    """Every quote and related passage is its file's text[start:end]."""
    assert answer.quotes or answer.related
    for place in [*answer.quotes, *answer.related]:
        text = (docs / place.source).read_text(encoding="utf-8")
        assert text[place.start : place.end] == place.text, place.source


def test_a_german_question_on_an_english_index_builds_the_companion_once(
    english, multilingual, caplog
):
    docs, index_dir, settings = english
    heard: list = []
    with caplog.at_level(logging.INFO, logger="verbatim"):
        answer = ask(index_dir, settings, GERMAN, heard)
    said = heard[0][0]
    assert BUILDING.match(said), said
    assert heard[0][1:] == (0, 0)  # a sentence, before the build's counted stages
    assert [stage for stage, *_ in heard[1:]] and all(total for *_, total in heard[1:])
    assert [r.getMessage() for r in caplog.records if r.name == "verbatim"] == [said]
    assert not answer.refused
    assert answer.quotes[0].source == "harbour.txt"
    assert "1242" in answer.quotes[0].text
    assert answer.reason == "Found with the multilingual vectors: the question is in German."
    assert_exact(answer, docs)
    assert current_version(index_dir / companion.FOLDER) is not None

    embedded = len(multilingual.texts)
    heard.clear()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="verbatim"):
        again = ask(index_dir, settings, GERMAN, heard)
    assert heard == [] and not caplog.records  # said once: the companion is on disk
    assert again.quotes[0].text == answer.quotes[0].text
    assert len(multilingual.texts) == embedded + 1  # the question alone


def test_english_questions_never_build_the_companion(english, multilingual):
    _, index_dir, settings = english
    for question in [
        "When was the port of Kiel founded?",
        "What are malum prohibitum considerations?",  # named Latin, but barely
        "What ends near the Millingen aan de Rijn?",  # named Dutch, but barely
        "WHO won 2010 mlb mvp",
        "1242?",
    ]:
        ask(index_dir, settings, question)
    assert not (index_dir / companion.FOLDER).exists()
    assert multilingual.texts == []


def test_an_index_whose_model_reads_the_language_answers_itself(tmp_path, multilingual):
    docs, index_dir, settings = tmp_path / "docs", tmp_path / "index", Settings()
    write(docs, DOCS)
    build_index(docs, index_dir, settings, FakeEmbedder())  # a model that reads every language
    load_index(index_dir, settings, FakeEmbedder()).answer(GERMAN)
    assert not (index_dir / companion.FOLDER).exists()


def test_the_companion_follows_the_index_embedding_only_what_changed(english, multilingual):
    docs, index_dir, settings = english
    ask(index_dir, settings, GERMAN)
    multilingual.texts.clear()
    added = "Lamps\n\nThe new lamp of the Kiel lighthouse was replaced in 1990.\n"
    write(docs, {"lamps.txt": added, "harbour.txt": DOCS["harbour.txt"] + "Kiel lies north.\n"})
    build_index(docs, index_dir, settings, english_model())
    heard: list = []
    answer = ask(index_dir, settings, "Wann wurde die Lampe im Leuchtturm von Kiel ersetzt?", heard)
    assert re.fullmatch(
        r"German question: updating the multilingual vectors \(2 files changed\), ~\d+ s",
        heard[0][0],
    )
    embedded = multilingual.texts[:-1]  # the question is the last
    assert any("1990" in text for text in embedded) and any("north" in t for t in embedded)
    assert not any("412 ships" in text for text in embedded)  # unchanged: not embedded again
    assert_exact(answer, docs)
    index = load_index(index_dir, settings, english_model())
    built = load_index(index_dir / companion.FOLDER, companion.settings_of(index), multilingual)
    assert companion._files(built.manifest) == companion._files(index.manifest)


def test_housekeeping_of_the_index_folder_leaves_the_companion_alone(english, multilingual):
    docs, index_dir, settings = english
    ask(index_dir, settings, GERMAN)
    inside = sorted(p.relative_to(index_dir) for p in (index_dir / "multilingual").rglob("*"))
    for n in range(3):  # each build removes stale versions of the index folder
        write(docs, {f"more/{n}.txt": f"Note\n\nNote number {n} about the harbour.\n"})
        build_index(docs, index_dir, settings, english_model())
    still = sorted(p.relative_to(index_dir) for p in (index_dir / "multilingual").rglob("*"))
    assert still == inside
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    env["PYTHONPATH"] = str(ROOT)
    checked = subprocess.run(
        [sys.executable, "-m", "indexer", "check", "--index", str(index_dir)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "multilingual" not in checked.stdout
    assert checked.stdout.strip().endswith(f"The index in {index_dir}/ is intact.")


def test_on_milvus_the_companion_is_kept_in_the_index_folder(tmp_path, multilingual):
    from indexer.store.milvus.store import release

    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    settings = Settings(milvus_uri=str(tmp_path / "milvus" / "verbatim.db"))
    write(docs, DOCS)
    try:
        build_index(docs, index_dir, settings, english_model())
        heard: list = []
        answer = ask(index_dir, settings, GERMAN, heard)
    finally:
        release(settings.milvus_uri)
    assert BUILDING.match(heard[0][0])
    assert current_version(index_dir / companion.FOLDER) is not None
    assert "1242" in answer.quotes[0].text
    assert_exact(answer, docs)


def test_a_companion_that_cannot_be_built_leaves_the_index_answering(english, monkeypatch, caplog):
    _, index_dir, settings = english

    class Missing(FakeEmbedder):
        def encode(self, texts):
            raise ModelLoadError("Cannot load the embedding model 'multilingual-e5-small'.")

    monkeypatch.setattr(companion, "multilingual_embedder", lambda s: Missing(name="e5 [x]"))
    index = load_index(index_dir, settings, english_model())
    with caplog.at_level(logging.INFO, logger="verbatim"):
        first, second = index.answer(GERMAN), index.answer(GERMAN)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [
        "The multilingual vectors could not be built: Cannot load the embedding model "
        "'multilingual-e5-small'."
    ]  # once: not tried again for the same version of the index
    assert "multilingual" not in first.reason + second.reason


def test_the_page_says_it_on_the_bar_and_in_a_toast(english, multilingual, monkeypatch):
    import app

    docs, index_dir, settings = english
    toasts, bar = [], []
    monkeypatch.setattr("gradio.Info", lambda message, duration=None: toasts.append(message))
    page = app.Verbatim(docs, index_dir, settings, english_model())
    history, *_ = page.respond(GERMAN, [], progress=lambda at, desc: bar.append(desc))
    assert len(toasts) == 1 and BUILDING.match(toasts[0])
    assert bar[0] == toasts[0] and all(desc.startswith(toasts[0] + " · ") for desc in bar[1:])
    assert "1242" in history[-1]["content"]
    page.respond(GERMAN, history, progress=lambda at, desc: bar.append(desc))
    assert len(toasts) == 1


def test_the_mcp_answer_says_what_the_question_set_off(english, multilingual):
    from indexer.page.live_index import LiveIndex
    from indexer.page.mcp_tools import answer_record

    docs, index_dir, settings = english
    live = LiveIndex(docs, index_dir, settings, english_model())
    first, second = answer_record(live, GERMAN, None), answer_record(live, GERMAN, None)
    assert BUILDING.match(first["note"]) and "note" not in second
    assert first["quotes"][0]["text"] == second["quotes"][0]["text"]
    assert first["reason"] == "Found with the multilingual vectors: the question is in German."
