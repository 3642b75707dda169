"""How the product answers our own table-row, paraphrase and near-miss questions, step by step.

Usage: python -m bench.cases [--work DIR]

Builds an index of the two documents of bench/common/own_cases.py with the configured model,
then asks every question of the product and of the product without each step
(bench.quality's ablations), and prints one table: right quote, wrong quote or refusal.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.common import own_cases
from bench.common.runs import variant
from bench.quality import ABLATIONS


def verdict(answer, words: str | None) -> str:
    """Say what an answer did: refused, or quoted the right (or a wrong) unit."""
    if answer.refused:
        return "refused" + (" (wrong)" if words else " (right)")
    right = words is not None and words in answer.quotes[0].text
    return f"quoted {answer.score:.2f}" + (" (right)" if right else " (wrong)")


def main() -> int:
    """Print the table of own questions for the product and each ablation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="where to build (default: a temporary folder)")
    args = parser.parse_args()
    from indexer import Settings, build_index, load_index

    work = args.work or Path(tempfile.mkdtemp(prefix="verbatim-cases-"))
    settings = Settings.from_env()
    docs = own_cases.write_documents(work / "docs")
    print(build_index(docs, work / "index", settings).summary(), file=sys.stderr)
    products, changes = {"product": load_index(work / "index", settings)}, {}
    for step, change in ABLATIONS.items():
        changes = {**changes, **change}
        products[f"{list(products)[-1]} −{step}"] = variant(products["product"], **changes)
    cases = [(q, words, "answerable") for q, words in own_cases.ANSWERABLE]
    cases += [(q, None, "near miss") for q in own_cases.NEAR_MISSES]
    print("| question | kind | " + " | ".join(products) + " |")
    print("|---|---|" + "---|" * len(products))
    right = dict.fromkeys(products, 0)
    for question, words, kind in cases:
        cells = []
        for label, product in products.items():
            cells.append(verdict(product.answer(question), words))
            right[label] += cells[-1].endswith("(right)")
        print(f"| {question} | {kind} | " + " | ".join(cells) + " |")
    print("| **right** | | " + " | ".join(f"**{n} / {len(cases)}**" for n in right.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
