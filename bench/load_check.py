"""What checking every byte at each load costs: load time with and without the check.

Run by `python -m bench.perf --only load`, on the SciFact index (15k passages, built by the
`build` part if missing) and on bench.scale's synthetic 1M-passage version (written if
missing). "Without" checks sizes and array headers only, as loads did before every load
checked every byte; "with" is the product as shipped. The page cache is warm (an untimed
load first): the figures are the check's own cost, not the disk's.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.common import metrics as m

RUNS = 5


def measure(index_dir: Path, embedder, settings) -> dict:
    """Time load_local_index with and without the full check, alternating, median of RUNS."""
    from indexer.search import local_index
    from indexer.store import integrity, versions

    def load() -> float:
        began = time.perf_counter()
        local_index.load_local_index(index_dir, settings, embedder)
        return time.perf_counter() - began

    checked = versions.damage
    folder = versions.open_version(index_dir).folder
    load()  # warm the page cache and the imports
    timings: dict[str, list[float]] = {"with": [], "without": []}
    try:
        for _ in range(RUNS):
            versions.damage = checked
            timings["with"].append(load())
            versions.damage = lambda version, texts=False: checked(version, full=False)
            timings["without"].append(load())
    finally:
        versions.damage = checked
    began = time.perf_counter()
    assert integrity.damage(folder) is None
    hash_seconds = time.perf_counter() - began
    checked_bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {
        "passages": _rows(folder),
        "gb": checked_bytes / 1e9,
        "with_s": statistics.median(timings["with"]),
        "without_s": statistics.median(timings["without"]),
        "check_alone_s": hash_seconds,
        "rss": m.peak_rss_mb(),
    }


def _rows(folder: Path) -> int:
    import numpy as np

    return int(np.load(folder / "vectors.npy", mmap_mode="r").shape[0])


def scifact(index_dir: Path) -> dict:
    """The check's cost on the real SciFact index, with the real model."""
    from indexer.embed.choice import embedder_for
    from indexer.settings import Settings

    settings = Settings.from_env()
    return measure(index_dir, embedder_for(settings), settings)


def synthetic(size: int, work: Path) -> dict:
    """The check's cost on bench.scale's synthetic version of `size` passages (written once)."""
    from bench import scale

    index_dir = work / f"n{size}-local"
    if not (index_dir / "WRITTEN").is_file():
        scale._write(size, index_dir, 11, "local")
    return measure(index_dir, scale.QueryVectorsOnly(), scale._settings("local", index_dir))


def rows(results: list[tuple[str, dict]]) -> list[tuple[str, str, str]]:
    """The perf table's rows for the load check: (label, result) each."""
    out = []
    for label, r in results:
        share = (r["with_s"] - r["without_s"]) / r["without_s"]
        out.append(
            (
                f"load, {label} ({r['passages']:,} passages, {r['gb']:.2f} GB): "
                "with / without the check",
                f"{r['with_s']:.2f} / {r['without_s']:.2f} s",
                f"+{share:.0%} of load time, +{r['with_s'] - r['without_s']:.2f} s "
                f"(the check alone: {r['check_alone_s']:.2f} s)",
            )
        )
    return out
