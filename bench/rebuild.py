"""The cost of a rebuild against the folder's size: one file changed in folders of N files.

    python -m bench.rebuild [--sizes 100 400] [--rebuilds 3] [--model] [--seed 7]

Each folder is generated (bench/common/real_files.py: PDFs, some with ruled tables, Word,
spreadsheets, slides, web pages, text, e-mail, a scan read by OCR) and built once; then, --rebuilds
times, one Word letter is rewritten with a new opening sentence and the folder rebuilt with
`build_index`. Reported: the first build, and each rebuild's seconds (all of it, and its reading
stage: from the call to the last file read or taken), files read and files taken from the index.
The fake embedder (tests/fakes.py) by default, so the figures are the build's own work;
--model embeds with the bundled model instead.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.common import file_writers as w
from bench.common import metrics as m
from bench.common import real_files

ROOT = Path(__file__).resolve().parent.parent


def measure(n: int, args) -> dict:
    """Build a folder of n files, then rebuild it after each of --rebuilds one-file changes."""
    from indexer import Settings, build_index

    embedder = _embedder(args.model)
    work = args.work / f"rebuild-{n}-seed{args.seed}"
    shutil.rmtree(work, ignore_errors=True)
    docs, index_dir = work / "docs", work / "index"
    made, _ = real_files.generate(docs, n, args.shared, args.seed)
    letters = [item.path for item in made if item.kind == "docx"]
    print(f"== {n} files: first build", file=sys.stderr, flush=True)
    began = time.perf_counter()
    first = build_index(docs, index_dir, Settings(), embedder)
    result = {"files": n, "passages": first.passages, "first_build_s": time.perf_counter() - began}
    rebuilds = []
    for number in range(args.rebuilds):
        letter = letters[number % len(letters)]
        opening = f"Revision {number}: the kestrel ledger of {n} files was amended."
        (docs / letter).write_bytes(w.docx("Letter", [opening], ["Revised"])[0])
        began = time.perf_counter()
        stages = _Stages(began)
        report = build_index(docs, index_dir, Settings(), embedder, stages)
        seconds = time.perf_counter() - began
        assert report.changes.changed == [letter], report.summary()
        rebuilds.append(
            {"seconds": seconds, "reading_s": stages.reading(), "read": report.read,
             "reused": getattr(report, "reused_reads", 0)}
        )  # fmt: skip
        print(f"   rebuild {number + 1}: {seconds:.2f} s", file=sys.stderr, flush=True)
    result["rebuilds"] = rebuilds
    result["rebuild_p50_s"] = statistics.median(r["seconds"] for r in rebuilds)
    result["reading_p50_s"] = statistics.median(r["reading_s"] for r in rebuilds)
    return result


class _Stages:
    """A progress callback that notes when the reading stage ends."""

    def __init__(self, began: float):
        self.began = self.last = began

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "Reading files":
            self.last = time.perf_counter()

    def reading(self) -> float:
        """Return the seconds from the build's call to its last file read."""
        return self.last - self.began


def _embedder(model: bool):
    if model:
        from indexer.embed.choice import embedder_for
        from indexer.settings import Settings

        embedder = embedder_for(Settings())
        embedder.encode(["warm up"])
        return embedder
    from tests.fakes import FakeEmbedder

    return FakeEmbedder()


def table(results: list[dict]) -> str:
    """Return the results as the README's table."""
    lines = [
        "| files | passages | first build | rebuild p50 | its reading stage p50 | files read "
        "| taken from the index |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        last = r["rebuilds"][-1]
        lines.append(
            f"| {r['files']} | {r['passages']:,} | {r['first_build_s']:.1f} s "
            f"| {r['rebuild_p50_s']:.2f} s | {r['reading_p50_s']:.2f} s | {last['read']} "
            f"| {last['reused']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure each size in turn; print the table and write the JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.rebuild", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--rebuilds", type=int, default=3)
    parser.add_argument("--model", action="store_true", help="embed with the bundled model")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-rebuild"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "rebuild.json")
    args = parser.parse_args(argv)
    results = [measure(n, args) for n in args.sizes]
    print(table(results), flush=True)
    m.write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
