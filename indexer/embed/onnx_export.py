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
SECONDS_PER_MB = 0.1  # of weights: what the export takes (measured, see expected_seconds)


def exported_model(source: str) -> tuple[Path, str]:
    """Return (folder, file name) of the model's int8 ONNX copy, exporting it on first use."""
    config = "avx512_vnni" if _cpu_has("avx512_vnni") else "avx2"
    source = Path(source)
    if not source.is_dir():
        raise FileNotFoundError(f"the onnx-int8 backend needs a model folder, not '{source}'")
    # A copy of the model folder, never the installed package, receives the exported files.
    folder = cache_root() / "verbatim" / "onnx" / f"{source.name}-{_folder_key(source)}"
    file_name = f"onnx/model_qint8_{config}.onnx"
    if not (folder / file_name).is_file():
        _export(source, folder, config)
    return folder, file_name


def _export(source: Path, folder: Path, config: str) -> None:
    """Export source to int8 ONNX in a staging copy, then move it into place whole."""
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    for stale in folder.parent.glob(f"{folder.name}.tmp-*"):  # exports killed part-way
        if not _alive(stale.name.rsplit("-", 1)[-1]):
            shutil.rmtree(stale, ignore_errors=True)
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
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    NOTICES.info("The model is ready (%.1f s).", time.perf_counter() - began)


def expected_seconds(source: Path) -> int:
    """Return how long the export of a model folder likely takes, to 10 s: it grows with the
    weights (on 2 cores, 7 s for the English model's 91 MB, 49 s for multilingual-e5's 471 MB)."""
    size = sum(path.stat().st_size for path in source.glob("*.safetensors"))
    size = size or sum(path.stat().st_size for path in source.glob("*.bin"))
    return int(max(10, round(size / 1e6 * SECONDS_PER_MB, -1)))


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
