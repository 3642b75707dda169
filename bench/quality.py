"""Measure retrieval and answer quality on public benchmarks: BM25, dense and the product.

Usage: python -m bench.quality [--only squad,scifact,wikiqa,seeds] [--limit N] [--work DIR]
                               [--json OUT] [--shared DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import corpora, runs, splits
from bench.common.metrics import write_json

REPO = Path(__file__).resolve().parents[1]

BENCHMARKS = ("squad", "scifact", "wikiqa", "seeds", "xquad")
# XQuAD: (documents' language, questions' language); the same questions across languages:
# each language on its own, then each language's questions on the English documents and
# English questions on each language's documents.
_OTHERS = [lang for lang in corpora.XQUAD_LANGUAGES if lang != "en"]
XQUAD_RUNS = (
    [(lang, lang) for lang in corpora.XQUAD_LANGUAGES]
    + [("en", lang) for lang in _OTHERS]
    + [(lang, "en") for lang in _OTHERS]
)
# Steps the product can run without, each turned off on top of the ones before it.
ABLATIONS = {"reader": {"reader": "off"}, "keep": {"keyword_kept": 0}}
LOADERS = {"squad": corpora.squad, "scifact": corpora.scifact, "wikiqa": corpora.wikiqa}
RUNNERS = {
    "squad": runs.run_squad,
    "scifact": runs.run_scifact,
    "wikiqa": runs.run_wikiqa,
}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks, print a markdown table per result, write all of it as JSON."""
    args = _parser().parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        print(f"error: unknown benchmark {', '.join(unknown)}; choose from {BENCHMARKS}.")
        return 2
    from indexer import Settings
    from indexer.embed.choice import embedder_for

    began = time.perf_counter()
    settings = Settings.from_env()
    embedder = embedder_for(settings)
    results = {
        "command": "python -m bench.quality " + " ".join(sys.argv[1:] if argv is None else argv),
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "limit": args.limit,
        "settings": dataclasses.asdict(settings),
        "benchmarks": {},
        "total_seconds": 0.0,
    }
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    for name in chosen:
        for part, result in _run(name, args, parts, settings, embedder):
            label = name if part == "all" else f"{name} ({part})"
            results["benchmarks"][label] = result
            print(_render(label, result), flush=True)
            results["total_seconds"] = round(time.perf_counter() - began, 1)
            _write(args.json, results)  # after each part, so a failure later loses nothing
    print(f"Total time: {results['total_seconds']:.0f} s")
    print(f"Wrote {args.json}")
    return 0


def _write(path: Path, results: dict) -> None:
    write_json(path, _finite(results))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated benchmarks")
    parser.add_argument(
        "--limit", type=int, help="at most N questions per benchmark part, evenly spread"
    )
    parser.add_argument(
        "--parts",
        default="tune,untouched",
        help="which parts of each set (bench/splits.json) to score: tune, untouched, or both; "
        "the seeds questions are never tuned on and are scored whole",
    )
    parser.add_argument(
        "--ablate",
        default=",".join(ABLATIONS),
        help="also answer without these steps, in the same run: "
        + "; ".join(
            f"{k}: {', '.join(f'{s}={v}' for s, v in c.items())}" for k, c in ABLATIONS.items()
        )  # noqa: E501
        + " (each ablation adds to the ones before it); empty: the product alone",
    )
    parser.add_argument(
        "--languages",
        help="XQuAD: only these documents' languages (comma-separated), no cross-language rows",
    )
    parser.add_argument(
        "--pairs",
        help="XQuAD: only these runs, each documents:questions languages (e.g. en:de,de:en)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/verbatim-bench"),
        help="where documents and indexes are kept between runs",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=REPO / "bench" / "results" / "quality.json",
        help="where the results are written",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared" / "bench",
        help="folder holding the benchmark data sets",
    )
    return parser


def _run(name: str, args, parts: list[str], settings, embedder):
    """Prepare a benchmark's documents and index, then yield (part, result) for each part."""
    folder = runs.work_folder(args.work, name, settings)
    if name == "seeds":
        started = time.perf_counter()
        bench, info = runs.prepare(name, REPO / "seeds", folder / "index", settings, embedder)
        _add_variants(bench, args.ablate)
        questions = args.shared.parent / "qa" / "seeds-dev.jsonl"
        result = runs.run_seeds(bench, questions, args.limit)
        yield "all", {"corpus": info, **result, "seconds": round(time.perf_counter() - started, 1)}
        return
    if name == "xquad":
        yield from _run_xquad(args, settings, embedder)
        return
    corpus = LOADERS[name](args.shared)
    bench, info = runs.prepare(
        name, folder / "docs", folder / "index", settings, embedder, corpus.files
    )
    info["renamed"] = corpus.renamed
    _add_variants(bench, args.ablate)
    for which in parts:
        started = time.perf_counter()
        questions = runs.sample(splits.part(name, corpus.questions, which), args.limit)
        result = RUNNERS[name](bench, dataclasses.replace(corpus, questions=questions))
        result["seconds"] = round(time.perf_counter() - started, 1)
        yield which, {"corpus": info, **result}


def _run_xquad(args, settings, embedder):
    """Each XQuAD language on its own index, then across languages, then one summary.

    All of XQuAD here is SQuAD's tuning part: it is reported, and may be tuned on.
    """
    summary = {}
    chosen = args.languages.split(",") if args.languages else None
    runs_chosen = [(lang, lang) for lang in chosen] if chosen else XQUAD_RUNS
    if args.pairs:
        runs_chosen = [tuple(pair.split(":")) for pair in args.pairs.split(",")]
    for documents, asked in runs_chosen:
        corpus = corpora.xquad(args.shared, documents, asked if asked != documents else None)
        folder = runs.work_folder(args.work, f"xquad-{documents}", settings)
        started = time.perf_counter()
        bench, info = runs.prepare(
            corpus.name, folder / "docs", folder / "index", settings, embedder, corpus.files
        )
        questions = runs.sample(corpus.questions, args.limit)
        result = runs.run_squad(bench, dataclasses.replace(corpus, questions=questions))
        result["seconds"] = round(time.perf_counter() - started, 1)
        label = documents if asked == documents else f"{asked} questions, {documents} documents"
        quotes = result["tables"]["Quotes"]["product: answer"]
        summary[label] = {
            "quote@1": quotes["quote@1"],
            "passage@1": result["tables"]["Passage recall (answerable questions)"]["product"][
                "R@1"
            ],
            "false refusals": quotes["false refusals"],
            "build s": info["build_seconds"],
        }
        yield label, {"corpus": info, **result}
    yield (
        "summary",
        {
            "corpus": {"files": 70, "passages": "-", "units": "-", "build_seconds": "-"},
            "questions": {"per language": len(questions)},
            "tables": {"XQuAD tuning articles, per language (default settings)": summary},
            "seconds": 0,
        },
    )


def _add_variants(bench, ablate: str) -> None:
    """Give the bench the product without each chosen step, cumulatively."""
    label, changes = "product", {}
    for step in [s.strip() for s in ablate.split(",") if s.strip()]:
        if step not in ABLATIONS:
            raise SystemExit(f"error: unknown step {step!r}; choose from {', '.join(ABLATIONS)}.")
        label, changes = f"{label} −{step}", {**changes, **ABLATIONS[step]}
        bench.variants[label] = runs.variant(bench.index, **changes)


def _render(name: str, result: dict) -> str:
    """Return a benchmark's tables as markdown: one row per method, one column per metric."""
    info = result["corpus"]
    counts = ", ".join(f"{v} {k}" for k, v in result["questions"].items())
    lines = [
        f"## {name}",
        "",
        f"{info['files']} files, {info['passages']} passages, {info['units']} sentences; "
        f"questions: {counts}; build {info['build_seconds']} s, total {result['seconds']} s",
    ]
    for title, table in result["tables"].items():
        columns = list(dict.fromkeys(c for row in table.values() for c in row))
        first = "metric" if columns == ["value"] else "method"
        lines += ["", f"### {title}", "", f"| {first} | " + " | ".join(columns) + " |"]
        lines.append("|---" + "|---:" * len(columns) + "|")
        for method, row in table.items():
            cells = [_cell(row.get(c)) for c in columns]
            lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    return str(value)


def _finite(value):
    """Replace infinities (a score that always refuses) by None so the JSON stays standard."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
