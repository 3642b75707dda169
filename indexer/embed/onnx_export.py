"""Export a model once into an int8 ONNX copy in the cache: the only step that needs torch."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import time
import warnings
from pathlib import Path

from ..read.unpacked import cache_root

# Long one-time steps say what they do; the CLI and the app print these lines on stderr.
NOTICES = logging.getLogger("verbatim")
SECONDS_PER_MB = 0.05  # of weights: what the export takes (measured, see expected_seconds)


def exported_model(source: str) -> tuple[Path, str]:
    """Return (folder, file name) of the model's int8 ONNX copy, exporting it on first use."""
    config = int8_config()
    source = Path(source)
    if not source.is_dir():
        raise FileNotFoundError(f"the onnx-int8 backend needs a model folder, not '{source}'")
    # A copy of the model folder, never the installed package, receives the exported files.
    folder = cache_root() / "verbatim" / "onnx" / f"{source.name}-{_folder_key(source)}"
    file_name = int8_file(config)
    if not (folder / file_name).is_file():
        _export(source, folder, config)
    return folder, file_name


def _export(source: Path, folder: Path, config: str) -> None:
    """Export source to int8 ONNX in a staging copy, then move it into place whole."""
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    clear_stale(folder)
    began = time.perf_counter()
    NOTICES.info(
        "Preparing the model once: an int8 ONNX copy into %s (about %d s)…",
        folder.parent,
        expected_seconds(source),
    )
    staging = folder.with_name(folder.name + f".tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns("onnx", "*.onnx"))
    with _quiet_export():
        exported = SentenceTransformer(
            str(staging), device="cpu", backend="onnx", local_files_only=True
        )
        export_dynamic_quantized_onnx_model(exported, config, str(staging))
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:  # complete folders appear whole; another process may have won the race
        os.rename(staging, folder)
    except OSError:  # or the folder holds the copy for the other setting (a shared cache)
        if not (folder / int8_file(config)).is_file():
            os.replace(staging / int8_file(config), folder / int8_file(config))
        shutil.rmtree(staging, ignore_errors=True)
    NOTICES.info("The model is ready (%.1f s).", time.perf_counter() - began)


def int8_config() -> str:
    """Return the int8 setting this CPU runs fastest: avx512_vnni's int8 weights, else avx2's."""
    return "avx512_vnni" if _cpu_has("avx512_vnni") else "avx2"


def int8_file(config: str) -> str:
    """Return the file the export names for the setting: avx2's weights are uint8 ("quint8")."""
    return f"onnx/model_{'qint8' if config == 'avx512_vnni' else 'quint8'}_{config}.onnx"


def clear_stale(folder: Path) -> None:
    """Remove the staging copies of folder whose writers were killed part-way."""
    for stale in folder.parent.glob(f"{folder.name}.tmp-*"):
        if not _alive(stale.name.rsplit("-", 1)[-1]):
            shutil.rmtree(stale, ignore_errors=True)


def expected_seconds(source: Path) -> int:
    """Return how long the export of a model folder likely takes, to 5 s: it grows with the
    weights (on 2 cores, 4.7 s for the English model's 91 MB: bench.perf --only first-use)."""
    size = sum(path.stat().st_size for path in source.glob("*.safetensors"))
    size = size or sum(path.stat().st_size for path in source.glob("*.bin"))
    return int(max(5, 5 * round(size / 1e6 * SECONDS_PER_MB / 5)))


@contextlib.contextmanager
def _quiet_export():
    """Keep the one-time export's advice out of the log: it is saved, and traced as intended.

    The libraries log "saving is heavily recommended" (it is saved below), a renamed argument,
    and tracer warnings about constants; none is a fault of this export.
    """
    loggers = [logging.getLogger(name) for name in ("sentence_transformers", "transformers")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _alive(pid: str) -> bool:
    """Whether a process id (from a staging folder's name) still runs."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _folder_key(folder: Path) -> str:
    """Return a short key that changes when the model's weights change."""
    weights = sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))
    stamp = "|".join(f"{w.name}:{w.stat().st_size}:{w.stat().st_mtime_ns}" for w in weights)
    return hashlib.sha256(stamp.encode()).hexdigest()[:12]


def _cpu_has(flag: str) -> bool:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            return any(flag in line.split() for line in handle if line.startswith("flags"))
    except OSError:
        return False
