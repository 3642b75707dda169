"""A quote from a scan is said to be one everywhere: chat, Sources, viewer, documents, CLI, JSON."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="verbatim-gradio-"))

import pytest  # noqa: E402

import app  # noqa: E402
from indexer import Settings, build_index, load_index  # noqa: E402
from indexer.answer import followups  # noqa: E402
from indexer.page.conversation_export import to_json, turn_record  # noqa: E402

from .fakes import FakeEmbedder  # noqa: E402
from .scans import degraded, image_bytes, image_pdf, page_scan  # noqa: E402
from .test_core_cli import assert_one_sentence_error, run  # noqa: E402
from .test_core_ocr import HARBOUR, ORCHARD  # noqa: E402

QUESTION = "When did the ferry Albatross run aground?"


def scan_folder(base: Path) -> Path:
    """A scanned PNG, a two-page image-only PDF and a text note."""
    docs = base / "docs"
    docs.mkdir()
    harbour, orchard = page_scan(HARBOUR), degraded(page_scan(ORCHARD), noise=0.05)
    (docs / "harbour.png").write_bytes(image_bytes([harbour.image], "PNG"))
    (docs / "orchard-scan.pdf").write_bytes(image_pdf([orchard.image, harbour.image]))
    (docs / "notes.txt").write_text("Notes on the weather at the cape.\n")
    return docs


@pytest.fixture
def verbatim(tmp_path) -> app.Verbatim:
    state = app.Verbatim(scan_folder(tmp_path), tmp_path / "index", Settings(), FakeEmbedder())
    state.live.build()
    return state


def test_chat_sources_viewer_and_documents_say_read_by_ocr(verbatim):
    history, _, sources, *_ = verbatim.respond(QUESTION, [])
    reply = followups._message_text(history[-1])
    assert "3 March 1954" in reply and "read by OCR" in reply and "% confidence" in reply
    assert "read by OCR" in sources
    text, records = verbatim.ask(QUESTION)
    assert records[0]["ocr"] is True and 0.5 < records[0]["ocr_confidence"] <= 1
    first = records[0]
    link = f"#cite={first['start']}:{first['end']}:{first['source']}"
    viewer, _, indexed = verbatim.open_citation(link)
    assert indexed[first["start"] : first["end"]] == first["text"]
    assert 'class="page-image"' in viewer and 'class="hl"' in viewer
    assert "read by OCR, the quote boxed" in viewer
    rows = {row[0]: row[1] for row in verbatim.documents()}
    assert rows["harbour.png"].startswith("indexed (1 page read by OCR")
    assert rows["orchard-scan.pdf"].startswith("indexed (2 pages read by OCR")
    assert rows["notes.txt"] == "indexed"


def test_a_scanned_page_that_reads_otherwise_now_is_not_drawn(verbatim):
    _, records = verbatim.ask(QUESTION)
    first = records[0]
    # Another picture under the same name: its bytes differ, so no box is drawn on it.
    (verbatim.docs_dir / first["source"]).write_bytes(
        image_bytes([page_scan(ORCHARD).image], "PNG")
        if first["source"].endswith(".png")
        else image_pdf([page_scan(ORCHARD).image, page_scan(ORCHARD).image])
    )
    viewer, _, _ = verbatim.open_citation(
        f"#cite={first['start']}:{first['end']}:{first['source']}"
    )
    assert "page-image" not in viewer and "changed since it was indexed" in viewer


def test_verify_checks_an_ocr_quote_through_the_kept_reading(tmp_path):
    docs = scan_folder(tmp_path)
    index_dir = tmp_path / "index"
    build_index(docs, index_dir, Settings(), FakeEmbedder())
    index = load_index(index_dir, Settings(), FakeEmbedder())
    turn = turn_record(QUESTION, QUESTION, index.answer(QUESTION), index.manifest)
    assert turn["quotes"][0]["ocr"] is True
    export = tmp_path / "export.json"
    export.write_text(to_json([turn], index.manifest), encoding="utf-8")
    env = {"VERBATIM_INDEX_DIR": str(index_dir)}
    result = run("verify", str(export), "--docs", str(docs), cwd=tmp_path, env=env)
    assert result.returncode == 0 and result.stdout.startswith("stands: "), result.stdout
    assert "read by OCR" in result.stdout
    # The scan replaced by another: the quote no longer stands.
    (docs / turn["quotes"][0]["source"]).write_bytes(image_bytes([page_scan(ORCHARD).image], "PNG"))
    result = run("verify", str(export), "--docs", str(docs), cwd=tmp_path, env=env)
    assert result.returncode == 1 and "stand" in result.stdout


def test_a_missing_ocr_language_is_one_sentence_from_the_cli(tmp_path):
    docs = scan_folder(tmp_path)
    result = run("build", str(docs), cwd=tmp_path, env={"VERBATIM_OCR_LANGS": "eng+tha"})
    assert_one_sentence_error(result)
    assert "pip install tessdata-fast-tha" in result.stderr


@pytest.mark.model
def test_cli_build_lists_low_confidence_pages_and_ask_marks_ocr_quotes(tmp_path):
    docs = scan_folder(tmp_path)
    env = {"VERBATIM_OCR_LOW_CONFIDENCE": "0.99"}  # every real scan falls short of 99 %
    result = run("build", str(docs), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "low OCR confidence: harbour.png p. 1: read by OCR, " in result.stdout
    assert "3 pages read by OCR" in result.stdout
    result = run("ask", QUESTION, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    quote = answer["quotes"][0]
    assert "3 March 1954" in quote["text"] and quote["ocr"] is True
    assert 0.5 < quote["ocr_confidence"] <= 1
    result = run("ask", QUESTION, cwd=tmp_path)
    assert "(read by OCR, " in result.stdout
    again = run("build", str(docs), cwd=tmp_path)
    assert "read by OCR" not in again.stdout.splitlines()[-1]  # nothing read twice
