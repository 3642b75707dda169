"""Fixed tuning and untouched parts of every visible question set (bench/splits.json).

Weights, thresholds and settings are chosen on the tuning parts only; the untouched parts are
reported beside them and never looked at while choosing. The parts are drawn once, by seed,
and committed: `python -m bench.common.splits` redraws them only if the file is missing.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from bench.common import corpora

SPLITS = Path(__file__).resolve().parents[1] / "splits.json"
SEED = 20261129
TUNE_SHARE = {"squad": 0.4, "wikiqa": 0.5, "scifact": 0.5}  # the rest stays untouched
PARTS = ("tune", "untouched")


def draw(shared: Path) -> dict:
    """Draw the tuning part of each set: whole articles for SQuAD, questions elsewhere."""
    rng = random.Random(SEED)
    loaded = {
        "squad": corpora.squad(shared),
        "wikiqa": corpora.wikiqa(shared),
        "scifact": corpora.scifact(shared),
    }
    splits = {"seed": SEED, "tune_share": TUNE_SHARE}
    for name, corpus in loaded.items():
        groups = sorted({q.group or q.id for q in corpus.questions})
        rng.shuffle(groups)
        splits[name] = sorted(groups[: round(TUNE_SHARE[name] * len(groups))])
    return splits


def part(name: str, questions: list, which: str) -> list:
    """Return the questions of a benchmark that belong to one part ("tune" or "untouched")."""
    if which not in PARTS:
        raise ValueError(f"unknown part {which!r}; choose from {PARTS}")
    tune = set(json.loads(SPLITS.read_text(encoding="utf-8"))[name])
    return [q for q in questions if ((q.group or q.id) in tune) == (which == "tune")]


def main() -> int:
    """Write bench/splits.json if it is missing (it is committed; redrawing would leak)."""
    if SPLITS.exists():
        print(f"{SPLITS} exists; the parts are fixed. Delete it only to start a new protocol.")
        return 0
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SPLITS.parents[2] / "shared" / "bench"
    SPLITS.write_text(json.dumps(draw(shared), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SPLITS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
