"""Damage done after a version was loaded: found at the next read, never served, healed by a build.

The same files and damages as test_core_corruption, applied after a first load (whose check
once exempted a version from later ones), through the API, the page's handlers, the CLI as a
subprocess and a running `indexer chat`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest

import app
from indexer import IndexerError, build_index, load_index

from .fakes import FakeEmbedder
from .test_core_cli import ROOT, TIMEOUT, run
from .test_core_corruption import (
    DAMAGES,
    FILES,
    LATER,
    LAYOUT,
    QUESTIONS,
    SETTINGS,
    answers,
    damage,
    locate,
    two_versions,
    write,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, Path, list, list]:
    """Two versions built from the same folder, and reference answers (see test_core_corruption)."""
    return two_versions(tmp_path_factory.mktemp("late-damage"))


def copied(index_dir: Path, tmp_path: Path) -> Path:
    """Return a copy of a template's index folder, for one case to damage."""
    shutil.copytree(index_dir, tmp_path / "index")
    return tmp_path / "index"


def texts_stand(index, docs: Path) -> bool:
    """Whether every indexed file's text, as the index gives it, is the file's text."""
    return all(
        index.document_text(name) == (docs / name).read_text(encoding="utf-8")
        for name in index.manifest.files
    )


def one_sentence(error: Exception) -> None:
    message = str(error)
    assert "\n" not in message and "build" in message and "damaged" in message, message


def expected(index, before: list, after: list) -> list:
    """The answers of the version an index serves: the one with bats.txt, or the earlier one."""
    return after if "bats.txt" in index.manifest.files else before


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("name", LAYOUT)
def test_damage_after_a_first_load_is_never_served_through_the_api(template, tmp_path, name, how):
    docs, index_dir, before, after = template
    work = copied(index_dir, tmp_path)
    served = load_index(work, SETTINGS, FakeEmbedder())  # every byte checked, then served
    assert answers(served) == after
    damage(locate(work, name), how)

    # The index still loaded answers from the bytes it checked, or says it is damaged.
    try:
        assert answers(served) == after
        assert texts_stand(served, docs)
    except IndexerError as error:
        one_sentence(error)

    # A new load passes over the damaged version, or refuses it in one sentence.
    try:
        fresh = load_index(work, SETTINGS, FakeEmbedder())
    except IndexerError as error:
        one_sentence(error)
    else:
        if fresh.notice:  # passed over, and said so
            assert "damaged" in fresh.notice
            assert answers(fresh) == expected(fresh, before, after)
        else:  # nothing loaded was hit: a text (checked when read) or its checksum entry
            assert name in ("texts/*", "checksums.json") and answers(fresh) == after, name
        try:
            assert texts_stand(fresh, docs)
        except IndexerError as error:
            one_sentence(error)

    build_index(docs, work, SETTINGS, FakeEmbedder())
    repaired = load_index(work, SETTINGS, FakeEmbedder())
    assert repaired.notice is None and answers(repaired) == after
    assert texts_stand(repaired, docs)


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("name", LAYOUT)
def test_damage_after_a_first_load_is_never_served_by_the_page(template, tmp_path, name, how):
    from .test_app_handlers import RecordingProgress

    docs, index_dir, before, after = template
    work = copied(index_dir, tmp_path)
    page = app.Verbatim(docs, work, SETTINGS, FakeEmbedder())

    def quoted() -> list:
        asked = [page.ask(question)[1] for question in QUESTIONS]
        return [
            [(s["source"], s["start"], s["end"]) for s in sources if s["kind"] == "quote"]
            for sources in asked
        ]

    assert quoted() == after  # the page loaded the version and answered from it
    damage(locate(work, name), how)
    try:  # the running page heals: it loads the newest intact version, or says why it cannot
        assert quoted() == expected(page.live.index, before, after)
        view, _, text = page.open_citation("otters.txt")
        assert text == FILES["otters.txt"] and "Sea otters" in view
    except gr.Error as error:
        one_sentence(error)
        assert "Traceback" not in str(error)

    page.rebuild(progress=RecordingProgress())
    assert page.live.index.notice is None and quoted() == after
    assert page.open_citation("otters.txt")[2] == FILES["otters.txt"]


# -- the CLI as a subprocess, with the real model -------------------------------------------


@pytest.fixture(scope="module")
def cli_template(tmp_path_factory) -> tuple[Path, Path, dict, dict]:
    """Two versions built and asked once by the CLI; each question's quotes in both."""
    base = tmp_path_factory.mktemp("late-damage-cli")
    docs, index_dir = base / "docs", base / "index"
    write(docs, FILES)
    assert run("build", str(docs), "--index", str(index_dir), cwd=base).returncode == 0
    before = {q: cli_quotes(base, index_dir, q)[1] for q in QUESTIONS}
    write(docs, LATER)
    assert run("build", str(docs), "--index", str(index_dir), cwd=base).returncode == 0
    after = {q: cli_quotes(base, index_dir, q)[1] for q in QUESTIONS}
    return docs, index_dir, before, after


def cli_quotes(
    cwd: Path, index_dir: Path, question: str
) -> tuple[subprocess.CompletedProcess, list]:
    result = run("ask", "--json", "--index", str(index_dir), question, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode:
        return result, []
    record = json.loads(result.stdout)
    return result, [(q["source"], q["start"], q["end"]) for q in record["quotes"]]


@pytest.mark.model
@pytest.mark.parametrize("name", LAYOUT)
def test_damage_after_a_first_load_is_never_served_by_the_cli(cli_template, tmp_path, name):
    docs, index_dir, before, after = cli_template
    work = copied(index_dir, tmp_path)
    question = QUESTIONS[-1]  # bats: answered only by the version the damage hits
    damage(locate(work, name), "overwritten")

    result, quotes = cli_quotes(tmp_path, work, question)
    if result.returncode:
        assert result.returncode == 1 and result.stderr.startswith("error: ")
        assert result.stderr.count("\n") == 1 and "python -m indexer build" in result.stderr
    elif result.stderr:  # passed over, and said so: the earlier version, or the pointer's
        assert "warning: The index in" in result.stderr and "damaged" in result.stderr
        assert quotes == (after if name == "CURRENT" else before)[question], result.stderr
    else:  # `ask` reads no text file; texts are checked when read (the viewer, the API)
        assert name == "texts/*" and quotes == after[question]

    built = run("build", str(docs), "--index", str(work), cwd=tmp_path)
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    result, quotes = cli_quotes(tmp_path, work, question)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    assert quotes == after[question]


@pytest.mark.model
def test_a_running_chat_passes_over_damage_done_while_it_runs(cli_template, tmp_path):
    """A long-running `indexer chat` re-checks before each answer: the damaged version is left."""
    _, index_dir, _, _ = cli_template
    work = copied(index_dir, tmp_path)
    chat = subprocess.Popen(
        [sys.executable, "-m", "indexer", "chat", "--index", str(work)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    chat.stdin.write("How do herons catch fish?\n")
    chat.stdin.flush()
    first = chat.stdout.readline()
    assert "herons" in first.lower(), first
    damage(locate(work, "vectors.npy"), "overwritten")
    out, err = chat.communicate("How do herons catch fish?\n\n", timeout=TIMEOUT)
    assert chat.returncode == 0 and "Traceback" not in err, err
    assert "warning: The index in" in err and "damaged (vectors.npy does not match" in err, err
    assert "serving the previous version" in err and "herons.md" in out
