"""The command line through a real subprocess: the bundled model, real output, real exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

REVENUE_FILE = "002_6d34ce2141a5a6b8.txt"
TIMEOUT = 300


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m indexer ARGS` from cwd, with no VERBATIM_* settings but `env` leaking in."""
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")} | extra
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def assert_one_sentence_error(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert len(lines[0]) > 10


@pytest.mark.parametrize("command", [[], ["build"], ["ask"], ["search"], ["eval"]])
def test_help_of_every_command(command, tmp_path):
    result = run(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
    assert "--index" in result.stdout or not command


def test_ask_without_an_index_says_so_in_one_line(tmp_path):
    result = run(
        "ask", "What is in the documents?", "--index", str(tmp_path / "none"), cwd=tmp_path
    )
    assert_one_sentence_error(result)
    assert "build" in result.stderr


def test_build_of_a_missing_folder_says_so_in_one_line(tmp_path):
    result = run("build", str(tmp_path / "no-docs"), "--index", str(tmp_path / "idx"), cwd=tmp_path)
    assert_one_sentence_error(result)
    assert "no-docs" in result.stderr


def test_build_of_a_file_says_it_is_not_a_folder(tmp_path):
    (tmp_path / "README.md").write_text("# Notes\n", encoding="utf-8")
    result = run("build", "README.md", "--index", str(tmp_path / "idx"), cwd=tmp_path)
    assert_one_sentence_error(result)
    assert result.stderr == (
        "error: README.md is a file, not a folder; give the folder that holds the documents.\n"
    )


@pytest.fixture(scope="module")
def built_index(tmp_path_factory) -> Path:
    """The seeds built by `python -m indexer build` with the bundled model, once."""
    work = tmp_path_factory.mktemp("cli")
    result = run("build", str(SEEDS), "--index", str(work / "index"), cwd=work)
    assert result.returncode == 0, result.stderr
    assert "3 added" in result.stdout
    assert "Traceback" not in result.stderr
    return work / "index"


@pytest.mark.model
def test_ask_quotes_the_revenue_with_file_and_line(built_index, tmp_path):
    result = run(
        "ask",
        "How much money does Anthropic make a year?",
        "--index",
        str(built_index),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "$850" in out
    citation = re.search(re.escape(REVENUE_FILE) + r"\D{0,12}?(\d+)(?:\s*[-–]\s*(\d+))?", out)
    assert citation, out
    first = int(citation.group(1))
    last = int(citation.group(2) or first)
    cited = (SEEDS / REVENUE_FILE).read_text(encoding="utf-8").split("\n")[first - 1 : last]
    assert any("$850" in line for line in cited), f"lines {first}-{last} do not hold the quote"


@pytest.mark.model
def test_search_json_lists_k_exact_passages(built_index, tmp_path):
    result = run(
        "search",
        "Anthropic annual revenue",
        "--k",
        "3",
        "--json",
        "--index",
        str(built_index),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 3
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    for hit in hits:
        text = (SEEDS / hit["source"]).read_text(encoding="utf-8")
        assert text[hit["start"] : hit["end"]] == hit["text"]
        assert hit["line_start"] == text.count("\n", 0, hit["start"]) + 1
    assert any("$850" in hit["text"] for hit in hits)


def test_readme_has_one_settings_table_and_it_is_the_generated_one():
    from indexer.settings import markdown_table
    from scripts.update_readme import settings_block

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = settings_block(readme)
    assert readme[start:end] == markdown_table() + "\n"  # the whole table, row for row
    assert readme.count("| `VERBATIM_TOP_K` |") == 1  # and no second, hand-kept table


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        (
            "VERBATIM_TOP_K",
            "abc",
            "VERBATIM_TOP_K must be a whole number from 1 to 1,000, not 'abc'.",
        ),
        ("VERBATIM_BATCH_SIZE", "0", "VERBATIM_BATCH_SIZE must be a whole number from 1 to 4,096"),
        ("VERBATIM_MAX_QUERY_CHARS", "-1", "VERBATIM_MAX_QUERY_CHARS must be a whole number"),
        ("VERBATIM_BACKEND", "gpu", "VERBATIM_BACKEND must be one of onnx-int8, torch, not 'gpu'."),
        ("VERBATIM_MIN_ANSWER_SCORE", "nan", "VERBATIM_MIN_ANSWER_SCORE must be a number"),
    ],
)
def test_a_bad_setting_is_one_sentence_and_exit_1(tmp_path, variable, value, sentence):
    result = run("ask", "x", "--index", str(tmp_path / "none"), cwd=tmp_path, env={variable: value})
    assert result.returncode == 1
    assert_one_sentence_error(result)
    assert result.stderr.startswith("error: " + sentence), result.stderr


def test_app_refuses_a_bad_port_in_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "--port", "abc", "--index", str(tmp_path / "i")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert_one_sentence_error(result)
    assert result.returncode == 1
    assert result.stderr == "error: --port must be a whole number from 0 to 65,535, not 'abc'.\n"


@pytest.mark.model
def test_chat_answers_three_questions_and_a_follow_up_with_one_model_load(built_index, tmp_path):
    questions = [
        "How much money does Anthropic make a year?",
        "What is a jailbreak in the context of AI models?",
        "How many times have Meta's Llama 3 models been downloaded?",
        "and OpenAI?",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "chat", "--index", str(built_index)],
        input="\n".join(questions) + "\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    answers = [block for block in result.stdout.split("\n\n[") if block.strip()]
    assert "$850" in result.stdout and "safety filters" in result.stdout
    assert "350 million" in result.stdout
    assert (
        "(read as: How many times have OpenAI's Llama 3 models been downloaded?)" in (result.stdout)
        or "(read as:" in result.stdout
    )
    assert len(answers) >= 4 and "Traceback" not in result.stderr
    # One process, one model: four answers cost one start (the model loads once).
    assert result.stdout.count("[1] ") == 4 - result.stdout.count("do not answer")


def test_verify_says_which_quotes_stand(tmp_path, seeds_copy):
    from indexer import Settings, build_index, load_index
    from indexer.page.conversation_export import to_json, turn_record

    from .fakes import FakeEmbedder

    settings = Settings(min_answer_score=-1.0)
    build_index(seeds_copy, tmp_path / "index", settings, FakeEmbedder())
    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    question = "Anthropic annualized revenue estimated"
    turn = turn_record(question, question, index.answer(question), index.manifest)
    export = tmp_path / "export.json"
    export.write_text(to_json([turn], index.manifest), encoding="utf-8")
    result = run("verify", str(export), "--docs", str(seeds_copy), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("stands: "), result.stdout
    quoted = seeds_copy / turn["quotes"][0]["source"]
    quoted.write_text(quoted.read_text().replace(turn["quotes"][0]["text"], "Gone."), "utf-8")
    result = run("verify", str(export), "--docs", str(seeds_copy), cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("changed: ")
    result = run("verify", str(tmp_path / "nope.json"), cwd=tmp_path)
    assert_one_sentence_error(result)


@pytest.mark.model
def test_a_build_while_another_holds_the_index_waits_says_so_then_builds(tmp_path):
    import fcntl

    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "quay.txt").write_text("The quay crane lifts forty tonnes.\n", encoding="utf-8")
    index_dir.mkdir()
    with open(index_dir / ".lock", "w") as held:  # another build holds the index
        fcntl.flock(held, fcntl.LOCK_EX)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "indexer", "build", str(docs), "--index", str(index_dir)]
        build = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert build.stderr.readline() == "Waiting for another build to finish…\n"
        assert build.poll() is None  # still waiting its turn
    out, err = build.communicate(timeout=TIMEOUT)  # the other build let go
    assert build.returncode == 0 and "Traceback" not in err, err
    assert out.startswith("1 added, 0 changed") and "1 passage (1 embedded)" in out, out


@pytest.mark.model
def test_search_shows_scores_a_reader_can_compare(built_index, tmp_path):
    result = run("search", "Anthropic annual revenue", "--index", str(built_index), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" 1. ") and REVENUE_FILE in result.stdout
    scores = re.findall(r"similarity (\d\.\d\d) · keywords (\d+\.\d)", result.stdout)
    ranked = re.findall(r"(?m)^ ?\d+\. ", result.stdout)
    assert len(scores) == len(ranked) >= 5, result.stdout
    assert all(0 < float(s) <= 1 for s, _ in scores), result.stdout
    assert not re.search(r"\b0\.0\d{3}\b", result.stdout)  # no fusion scores (0.0320)


@pytest.mark.model
def test_eval_show_prints_each_question_beside_its_id(built_index, tmp_path):
    qa = ROOT.parent / "shared" / "qa" / "seeds-dev.jsonl"
    first = json.loads(qa.read_text(encoding="utf-8").splitlines()[0])
    command = ["eval", str(qa), "--docs", str(SEEDS), "--index", str(built_index), "--show"]
    result = run(*command, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert first["question"][:60] in result.stdout


@pytest.mark.model
def test_a_model_that_cannot_load_is_named_instead_of_a_rebuild(built_index, tmp_path):
    result = run("ask", "Who founded Anthropic?", "--index", str(built_index), "--model", "nope",
                 cwd=tmp_path)  # fmt: skip
    assert_one_sentence_error(result)
    assert "The model 'nope' is neither a model folder nor a bundled model" in result.stderr
    assert "leave --model unset" in result.stderr and "rebuild" not in result.stderr


@pytest.mark.model
def test_the_first_build_says_it_prepares_the_model_and_how_long_it_took(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "quay.txt").write_text("The quay crane lifts forty tonnes.\n", encoding="utf-8")
    fresh_cache = {"XDG_CACHE_HOME": str(tmp_path / "cache")}  # as on a new machine
    result = run("build", str(docs), "--index", str(tmp_path / "index"), cwd=tmp_path,
                 env=fresh_cache)  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Preparing the model once: an int8 ONNX copy into "), lines
    assert re.fullmatch(r"The model is ready \(\d+\.\d s\)\.", lines[1]), lines
    again = run("build", str(docs), "--index", str(tmp_path / "index"), cwd=tmp_path,
                env=fresh_cache)  # fmt: skip
    assert "Preparing the model" not in again.stderr  # once
