"""ONNX sessions load from a graph optimised once into the cache, and give the same outputs."""

from __future__ import annotations

import numpy as np

from indexer.answer.reader import FOLDER, Reader
from indexer.embed import onnx_session

QUESTION = "When was the university founded?"
SENTENCES = ["The university was founded in 1890 by Rockefeller.", "Its library has many books."]


def _cached(tmp_path):
    return list((tmp_path / "verbatim" / "onnx-optimised").glob(f"*/{onnx_session.OPTIMISED}"))


def test_the_optimised_copy_is_written_once_and_scores_as_the_shipped_file(tmp_path, monkeypatch):
    import onnxruntime

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = Reader(FOLDER)
    (copy,) = _cached(tmp_path)
    written = copy.stat().st_mtime_ns
    second = Reader(FOLDER)
    assert copy.stat().st_mtime_ns == written  # not optimised again
    plain = onnxruntime.InferenceSession(str(FOLDER / "reader.onnx"))
    (expected,) = plain.run(None, first.encode(QUESTION, SENTENCES))
    for reader in (first, second):
        np.testing.assert_allclose(reader.logits(QUESTION, SENTENCES), expected, atol=1e-4)


def test_a_damaged_cached_copy_falls_back_to_the_shipped_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = Reader(FOLDER).logits(QUESTION, SENTENCES)
    (copy,) = _cached(tmp_path)
    copy.write_bytes(b"not a model")
    np.testing.assert_allclose(Reader(FOLDER).logits(QUESTION, SENTENCES), expected, atol=1e-4)


def test_an_unwritable_cache_still_loads(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert Reader(FOLDER).logits(QUESTION, SENTENCES)[0] > 0
