"""The selection suite: every visible collection's tuning part, its plain baselines, the rankers.

Usage: python -m bench.select [--collections squad,wikiqa,wikiqa-train,seeds,xquad-en,...]
                              [--work DIR] [--shared DIR] [--limit N] [--json OUT]

The default runs every collection, XQuAD in its 12 languages; `--limit 2400` (SQuAD's tuning
part is 4,639 questions) is what the README's tables were made with.

Design choices are made on the mean over these collections, never on one, and a choice that
puts any collection below its best plain baseline (the best sentence of the whole collection
by dense cosine, by BM25, or by their RRF fusion) does not ship. Each collection's candidates
are gathered once through the product's own stages (bench/common/candidates.py, kept under
--work) so every ranker is scored on exactly the same units in the same run. The model is the
configured one (VERBATIM_MODEL): run once per model to compare them.

WikiQA (train, and dev's tuning part) is measured only: nothing shipped is fitted on it.
SciFact's visible half of the test claims is judged by document: a quote is right when it
comes from an abstract judged relevant to the claim (bench.quality reports its nDCG@10).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from bench.common import candidates, corpora, runs, splits
from bench.common.metrics import overlaps_half, quote_holds_gold, write_json

REPO = Path(__file__).resolve().parents[1]
XQUAD = tuple(f"xquad-{language}" for language in corpora.XQUAD_LANGUAGES)
COLLECTIONS = ("squad", "wikiqa", "wikiqa-train", "scifact", "seeds", *XQUAD)
BASELINES = ("dense", "bm25", "fusion")


def load_collection(name: str, shared: Path):
    """Return (corpus with its tuning questions only, the rule that says a quote is right)."""
    if name == "squad":
        corpus = corpora.squad(shared)
        return _part(corpus, splits.part("squad", corpus.questions, "tune")), quote_holds_gold
    if name == "wikiqa":
        corpus = corpora.wikiqa(shared)
        return _part(corpus, splits.part("wikiqa", corpus.questions, "tune")), overlaps_half
    if name == "wikiqa-train":
        return corpora.wikiqa(shared, "train"), overlaps_half
    if name == "scifact":  # claims, not questions: a quote is right from a relevant abstract
        corpus = corpora.scifact(shared)
        claims = [
            dataclasses.replace(q, gold=tuple((file, 0, 0) for file in q.relevant))
            for q in splits.part("scifact", corpus.questions, "tune")
        ]
        return _part(corpus, claims), cites_gold_file
    if name == "seeds":
        return corpora.seeds(REPO / "seeds", shared.parent / "qa" / "seeds-dev.jsonl"), (
            quote_holds_gold
        )
    if name.startswith("xquad-"):  # all of XQuAD here is SQuAD's tuning part
        return corpora.xquad(shared, name.split("-", 1)[1]), quote_holds_gold
    raise SystemExit(f"error: unknown collection {name!r}; choose from {', '.join(COLLECTIONS)}.")


def cites_gold_file(span, gold) -> bool:
    """Whether a quote comes from a file the collection judges relevant (SciFact)."""
    return any(span[0] == file for file, _, _ in gold)


def _part(corpus, questions):
    return dataclasses.replace(corpus, questions=questions)


def gathered(name: str, args, settings, embedder) -> list[candidates.Row]:
    """Return a collection's candidate dump, gathering it first if it is not kept yet."""
    folder = runs.work_folder(args.work, name, settings)
    dump = folder / f"candidates-{args.limit or 'all'}.pkl"
    if dump.exists():
        return candidates.load(dump)
    corpus, correct = load_collection(name, args.shared)
    docs = REPO / "seeds" if name == "seeds" else folder / "docs"
    files = None if name == "seeds" else corpus.files
    bench, _ = runs.prepare(name, docs, folder / "index", settings, embedder, files)
    questions = runs.sample(corpus.questions, args.limit)
    rows = candidates.collect(bench.index, questions, correct, bench.progress)
    candidates.save(dump, rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Gather every collection, score each ranker on it, print the selection table."""
    args = _parser().parse_args(argv)
    from bench.common import selection
    from indexer import Settings
    from indexer.embed.choice import embedder_for

    settings = Settings.from_env()
    embedder = embedder_for(settings)
    began = time.perf_counter()
    dumps = {}
    for name in [c.strip() for c in args.collections.split(",") if c.strip()]:
        dumps[name] = gathered(name, args, settings, embedder)
    table = selection.table(dumps, settings.model)
    print(selection.render(table, settings.model))
    write_json(args.json, {"model": settings.model, "table": table})
    print(f"{time.perf_counter() - began:.0f} s; wrote {args.json}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collections", default=",".join(COLLECTIONS))
    parser.add_argument("--limit", type=int, help="at most N questions per collection")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-bench"))
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "select.json")
    return parser


if __name__ == "__main__":
    sys.exit(main())
