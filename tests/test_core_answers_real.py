"""Answers with the real model over the seeds: the right sentence quoted, or an honest refusal."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from indexer import Settings, build_index, load_index

from .conftest import SEEDS

pytestmark = pytest.mark.model

ANTHROPIC_PAUSE = "002_6d34ce2141a5a6b8.txt"
WITHHELD = "003_6e8c9ce309fc04e5.txt"
RECALL = "004_0496f1b9ade24f07.txt"
MAX_QUOTE_CHARS = 400

# (question, a short span the first quote must hold (or one of several), the file it is in);
# written for these tests, about other facts than the dev question set.
ANSWERABLE = [
    ("How many times have Meta's Llama 3 models been downloaded?", "350 million", ANTHROPIC_PAUSE),
    (
        "How large is the market for AI safety services expected to become by 2028?",
        "$8.5 billion by 2028",
        ANTHROPIC_PAUSE,
    ),
    ("In which month did OpenAI release GPT-4o?", "released in May 2024", ANTHROPIC_PAUSE),
    (
        "How many GitHub stars does the open-source guardrails library have?",
        "12,000+ stars",
        ANTHROPIC_PAUSE,
    ),
    (
        "How much revenue could a six-month launch delay cost Anthropic?",
        "$200–300 million",
        ANTHROPIC_PAUSE,
    ),
    (
        "Which Chinese AI chatbots operate under different constraints?",
        "Baidu's Ernie Bot and ByteDance's Doubao",
        ANTHROPIC_PAUSE,
    ),
    ("What adversarial bypass rate does the table give for RLHF?", "7.1%", ANTHROPIC_PAUSE),
    (
        "In which fields did the withheld model show dangerous proficiency?",
        "cybersecurity and biological science",
        WITHHELD,
    ),
    (
        "Who will likely demand private audits of the unreleased model?",
        "Regulatory bodies in the US and UK",
        WITHHELD,
    ),
    (
        "Why would pulling an AI model from the market break services for so many users?",
        # Either sentence of the FAQ answer says why.
        ("integrated into countless applications and workflows", "halting services for millions"),
        RECALL,
    ),
]

UNANSWERABLE = [
    "What is a good recipe for banana bread?",
    "Who won the 2022 FIFA World Cup final?",
    "How tall is the Eiffel Tower?",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    index_dir = tmp_path_factory.mktemp("real") / "index"
    settings = Settings()
    build_index(SEEDS, index_dir, settings, real_embedder)
    return load_index(index_dir, settings, real_embedder)


@pytest.mark.parametrize(("question", "gold", "source"), ANSWERABLE, ids=lambda v: str(v)[:40])
def test_first_quote_answers_the_question(index, question, gold, source, assert_located):
    answer = index.answer(question)
    assert not answer.refused, f"refused; closest: {[h.text[:80] for h in answer.related]}"
    first = answer.quotes[0]
    golds = gold if isinstance(gold, tuple) else (gold,)
    assert any(g in first.text for g in golds), f"first quote: {first.text!r}"
    assert first.source == source
    assert len(first.text) <= MAX_QUOTE_CHARS
    text = (SEEDS / source).read_bytes().decode("utf-8")
    assert_located(first, text)


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_questions_the_documents_do_not_answer_are_refused(index, question):
    answer = index.answer(question)
    assert answer.refused, f"answered with {[q.text for q in answer.quotes]}"
    assert answer.quotes == []


def test_both_backends_embed_alike(real_embedder):
    from indexer.embed.embedders import SentenceTransformerEmbedder

    torch_embedder = SentenceTransformerEmbedder(backend="torch")
    texts = ["Anthropic's annualized revenue is estimated at $850 million.", "Who founded it?"]
    default, reference = real_embedder.encode(texts), torch_embedder.encode(texts)
    assert real_embedder.name == "all-MiniLM-L6-v2 [onnx-int8, passages pooled]"
    assert torch_embedder.name == "all-MiniLM-L6-v2"
    assert np.allclose(np.linalg.norm(default, axis=1), 1.0, atol=1e-5)
    assert (default * reference).sum(axis=1).min() > 0.97  # int8 keeps the meaning


def test_the_readme_python_example_runs_as_written(tmp_path, monkeypatch, capsys):
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)  # the example builds "seeds" into "index" where it runs
    exec(compile(example, "README.md (Python API)", "exec"), {})
    printed = capsys.readouterr().out
    assert "3 added" in printed and "report.pdf is not in the index" in printed
    assert "'refused': False" in printed  # the founders' question is answered


DISTRACTORS = {
    "sourdough.txt": (
        "# Sourdough at home\n\nA starter is flour and water left to ferment for a week. Feed it "
        "daily and keep it warm. The founders of the village bakery kept theirs for forty years, "
        "and their bread made money every market day.\n\nBake at 240 degrees for 45 minutes."
    ),
    "glaciers.md": (
        "# Glaciers\n\nGlacier caves form when meltwater runs under the ice. Several research "
        "agencies monitor how much ice is lost a year, and their reports are released in May."
        "\n\n| Glacier | Loss per year |\n|---|---|\n| Aletsch | 50 m |\n| Rhone | 30 m |\n"
    ),
}


def test_unrelated_files_do_not_change_a_first_quote(tmp_path, real_embedder):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    questions = [q for q, _, _ in ANSWERABLE] + ["Who founded Anthropic?"]
    settings = Settings()

    def first_quotes() -> list:
        build_index(docs, tmp_path / "index", settings, real_embedder)
        index = load_index(tmp_path / "index", settings, real_embedder)
        answers = [index.answer(q) for q in questions]
        return [None if a.refused else (a.quotes[0].source, a.quotes[0].start) for a in answers]

    alone = first_quotes()
    for name, text in DISTRACTORS.items():
        (docs / name).write_text(text, encoding="utf-8")
    assert first_quotes() == alone
    assert sum(q is not None for q in alone) >= len(questions) - 1  # there is something to keep


def test_a_full_and_an_incremental_build_give_the_same_vectors_and_answers(tmp_path, real_embedder):
    import json

    questions = [q for q, _, _ in ANSWERABLE] + UNANSWERABLE
    dev = SEEDS.parent.parent / "shared" / "qa" / "seeds-dev.jsonl"
    questions += [json.loads(line)["question"] for line in dev.read_text().splitlines() if line]
    settings = Settings()
    build_index(SEEDS, tmp_path / "full", settings, real_embedder)
    docs = tmp_path / "docs"
    docs.mkdir()
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    for name in names[:2]:  # two files, then the third
        shutil.copy(SEEDS / name, docs / name)
    build_index(docs, tmp_path / "step", settings, real_embedder)
    shutil.copy(SEEDS / names[2], docs / names[2])
    report = build_index(docs, tmp_path / "step", settings, real_embedder)
    assert report.changes.added == [names[2]] and report.changes.unchanged == names[:2]

    full = load_index(tmp_path / "full", settings, real_embedder)
    step = load_index(tmp_path / "step", settings, real_embedder)
    for array in ("vectors", "unit_vectors", "units"):
        a, b = np.asarray(getattr(full.stored, array)), np.asarray(getattr(step.stored, array))
        assert a.tobytes() == b.tobytes(), array  # byte-identical, not merely close
    for question in questions:
        assert full.answer(question).to_record() == step.answer(question).to_record(), question


def test_the_light_onnx_path_embeds_as_sentence_transformers_does(real_embedder):
    from sentence_transformers import SentenceTransformer

    from indexer.embed.embedders import resolve_model
    from indexer.embed.onnx_export import exported_model

    folder, file_name = exported_model(resolve_model("all-MiniLM-L6-v2"))
    reference = SentenceTransformer(
        str(folder), backend="onnx", model_kwargs={"file_name": file_name}, local_files_only=True
    )
    texts = [
        "Who founded Anthropic?",
        "A jailbreak circumvents safety filters.",
        "x",
        "word " * 200,
    ]
    ours = real_embedder.encode(texts)
    theirs = np.concatenate([reference.encode([t], normalize_embeddings=True) for t in texts])
    assert np.abs(ours - theirs).max() < 1e-5


def test_each_sentence_is_encoded_once_and_its_passage_pooled_from_them(real_embedder):
    sentences = [f"Sentence {i} says the lighthouse keeper counted {i} ships." for i in range(80)]
    engine = real_embedder._engine()
    assert len(engine.tokenizer.encode(" ".join(sentences)).ids) > engine.window  # > one pass
    vector, parts = real_embedder.encode_parts(sentences)
    # Each sentence's vector is exactly its vector alone: encoded once, in no one's context.
    assert np.abs(parts - real_embedder.encode(sentences)).max() < 1e-6
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)
    # The passage is pooled from all of them: the last sentences count, nothing is cut off.
    first_half, _ = real_embedder.encode_parts(sentences[:40])
    assert float(vector @ first_half) < 0.9999
    assert float(vector @ parts.mean(axis=0)) > float(vector @ parts[0])


def test_a_text_longer_than_the_window_is_read_to_its_end(real_embedder):
    engine = real_embedder._engine()
    body = "The harbour crane lifts forty tonnes. " * 60 + "Zebras graze on the quay at dawn."
    assert len(engine.tokenizer.encode(body).ids) > engine.window
    whole = real_embedder.encode([body])[0]
    head = engine.tokenizer.decode(engine.tokenizer.encode(body).ids[1 : engine.window - 1])
    truncated = real_embedder.encode([head])[0]
    zebras = real_embedder.encode(["Zebras graze on the quay at dawn."])[0]
    assert float(whole @ zebras) > float(truncated @ zebras)  # its last sentence is in it


def test_answering_from_the_command_line_never_imports_torch(tmp_path):
    build_index(SEEDS, tmp_path / "index", Settings())
    assert "Dario Amodei" in ask_without_torch(tmp_path / "index", "Who founded Anthropic?")


def ask_without_torch(index_dir, question: str) -> str:
    """Answer through the CLI in a fresh process; fail if torch or transformers got imported."""
    import subprocess
    import sys

    probe = (
        "import sys; from indexer.cli import main; "
        f"code = main(['ask', {question!r}, '--index', {str(index_dir)!r}]); "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') "
        "if m in sys.modules]; print('HEAVY', heavy); sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout, result.stdout
    return result.stdout
