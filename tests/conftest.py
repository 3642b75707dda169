"""Shared fixtures: a fake embedder, a copy of the seeds, and the real model loaded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import Settings

from .fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled all-MiniLM-L6-v2, loaded once; a missing model fails, never skips."""
    from indexer.embedding import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm up"])
    return embedder
