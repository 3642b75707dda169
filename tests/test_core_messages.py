"""What the command line says, through a real subprocess: fixes that name the folders given,
chat's Ctrl+C and Ctrl+D on a terminal, a build with no library warnings, progress of real work."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import Settings, build_index

from .conftest import ROOT, SEEDS
from .fakes import FakeEmbedder
from .test_core_cli import TIMEOUT, assert_one_sentence_error, run

EXAMPLES = ROOT / "bench" / "examples" / "seeds-questions.jsonl"


@pytest.mark.parametrize(
    "command", [["ask", "Anything?"], ["search", "anything"], ["check"], ["eval", "q.jsonl"]]
)
def test_a_missing_index_names_the_folder_given_in_the_build_it_suggests(tmp_path, command):
    (tmp_path / "q.jsonl").write_text('{"question": "Anything?", "answers": [], "source": null}\n')
    result = run(*command, "--index", "nope/", cwd=tmp_path)
    assert_one_sentence_error(result)
    assert "run `python -m indexer build --index nope/` first." in result.stderr, result.stderr
    spaced = run(*command, "--index", "my index/", cwd=tmp_path)  # as a shell takes it back
    assert "run `python -m indexer build --index 'my index/'` first." in spaced.stderr
    plain = run(*command, cwd=tmp_path)  # nothing given: the default folders, the bare command
    assert "run `python -m indexer build` first." in plain.stderr, plain.stderr


def _terminal_chat(index: Path, cwd: Path):
    """Start `indexer chat` on a pseudo-terminal, as a person runs it; return it and the pty."""
    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer", "chat", "--index", str(index)],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
        # As a shell starts a job in the foreground: Ctrl+C reaches it even when this test run
        # was itself started in the background (where SIGINT is inherited as ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(terminal)
    return process, controller


def _read_until(controller: int, process, ending: bytes | None) -> bytes:
    """Read the terminal until it shows `ending` (or, if None, until the process ends)."""
    shown, deadline = b"", time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if ending is not None and shown.endswith(ending):
            return shown
        ready, _, _ = select.select([controller], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the process ended and closed the terminal
                chunk = b""
            if not chunk and process.poll() is not None:
                return shown
            shown += chunk
        elif ending is None and process.poll() is not None:
            return shown
    raise AssertionError(f"the chat never showed {ending!r}: {shown!r}")


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("chat")
    result = run("build", str(SEEDS), "--index", str(work / "index"), cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "index"


@pytest.mark.model
def test_ctrl_c_in_chat_ends_the_session_quietly_with_130(seeds_index, tmp_path):
    process, controller = _terminal_chat(seeds_index, tmp_path)
    try:
        _read_until(controller, process, b"? ")
        process.send_signal(signal.SIGINT)
        shown = _read_until(controller, process, None)
        assert process.wait(TIMEOUT) == 130
    finally:
        os.close(controller)
        process.kill()
    said = process.stderr.read().decode()
    assert shown == b"\r\n", shown  # the prompt's line ends; nothing else is said
    assert "index" not in said and "Traceback" not in said, said


@pytest.mark.model
def test_ctrl_d_in_chat_ends_the_prompt_line(seeds_index, tmp_path):
    process, controller = _terminal_chat(seeds_index, tmp_path)
    try:
        shown = _read_until(controller, process, b"? ")
        assert shown.startswith(b"Ask about the documents")
        os.write(controller, b"\x04")  # Ctrl+D at the start of a line: the end of input
        rest = _read_until(controller, process, None)
        assert process.wait(TIMEOUT) == 0
    finally:
        os.close(controller)
        process.kill()
    assert rest == b"\r\n", rest  # the shell's next prompt starts on a line of its own
    assert process.stderr.read() == b""


@pytest.mark.model
def test_a_build_of_html_that_is_a_link_or_xml_prints_no_library_warning(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "handbook-link.html").write_text("https://example.com/handbook\n", encoding="utf-8")
    (docs / "minutes.htm").write_text("minutes-2024.txt", encoding="utf-8")
    (docs / "verwandlung.txt").write_text(  # a TEI text: XML, its body read as the text
        '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
        "<teiHeader><title>Die Verwandlung</title></teiHeader><text><body><p>Als Gregor "
        "Samsa eines Morgens aus unruhigen Träumen erwachte.</p><p>Er lag auf seinem "
        "panzerartig harten Rücken.</p></body></text></TEI>\n",
        encoding="utf-8",
    )
    result = run("build", str(docs), "--index", str(tmp_path / "index"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "bs4" not in result.stderr, result.stderr
    assert "3 added" in result.stdout
    from indexer.read.documents import read_document

    def text(name: str) -> str:
        return read_document(docs, docs / name, 10**6).text

    assert text("handbook-link.html") == "https://example.com/handbook"  # read as written
    assert text("minutes.htm") == "minutes-2024.txt"
    tei = text("verwandlung.txt")
    assert "Als Gregor Samsa eines Morgens" in tei and "panzerartig harten Rücken." in tei
    assert "<p>" not in tei and "TEI" not in tei


def test_ocr_progress_counts_the_pages_ocr_reads_not_those_kept_from_before(tmp_path):
    from .scans import image_pdf, page_scan

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scan.pdf").write_bytes(image_pdf([page_scan().image]))
    steps = []

    def progress(*step) -> None:
        steps.append(step)

    first = build_index(docs, tmp_path / "index", Settings(), FakeEmbedder(), progress)
    ocr = [step for step in steps if "OCR" in step[0]]
    assert first.ocr_pages == 1 and ocr == [("Reading scanned pages (OCR)", 1, 1)], steps
    (docs / "notes.txt").write_text("A new note, so the build has work to do.\n")
    steps.clear()
    again = build_index(docs, tmp_path / "index", Settings(), FakeEmbedder(), progress)
    assert again.ocr_pages == 0  # the page came from the readings kept in the index folder
    assert not [step for step in steps if "OCR" in step[0]], steps


def test_the_model_preparation_notice_says_how_long_each_bundled_model_takes(tmp_path):
    from indexer.embed.embedders import resolve_model
    from indexer.embed.onnx_export import expected_seconds

    # Measured on 2 cores (bench.perf --only first-use): the English model's export 4.7 s.
    # (multilingual-e5-small's copy is written without an export: test_core_e5_first_use.)
    assert expected_seconds(Path(resolve_model("all-MiniLM-L6-v2"))) == 5
    bigger = tmp_path / "bert-base"
    bigger.mkdir()
    with open(bigger / "model.safetensors", "wb") as weights:
        weights.truncate(438_000_000)  # that size, sparse: nothing is written
    assert expected_seconds(bigger) == 20  # a model folder of another size: by its weights


def test_the_readme_eval_example_ships_with_the_clone_and_holds_its_answers():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "`python -m indexer eval bench/examples/seeds-questions.jsonl --docs seeds" in readme
    rows = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines()]
    assert 8 <= len(rows) <= 10 and len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        if row["source"] is None:
            assert row["answers"] == []
            continue
        text = (SEEDS / row["source"]).read_text(encoding="utf-8")
        assert row["answers"] and all(span in text for span in row["answers"]), row


@pytest.mark.model
def test_the_readme_eval_example_runs_from_a_clone(tmp_path):
    result = run(
        "eval", str(EXAMPLES), "--docs", str(SEEDS), "--index", str(tmp_path / "index"), "--json",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)["metrics"]
    assert (metrics["answerable"], metrics["unanswerable"]) == (8, 2)
    assert metrics["citation_correct"] == 1.0 and metrics["first_quote_hit"] >= 0.5
