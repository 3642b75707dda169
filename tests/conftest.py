"""Shared fixtures: a fake embedder, a copy of the seeds, and the real model loaded once."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest

from indexer import Settings

from .fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SLOW_MARKS = ("model", "browser")
MODEL_FIXTURES = {"real_embedder", "app_server"}  # each loads the real model


def pytest_addoption(parser):
    parser.addoption(
        "--full",
        action="store_true",
        help="also run the tests marked model and browser (the README's test command, CI)",
    )


def pytest_collection_modifyitems(config, items):
    """Run the fast suite unless --full (or an explicit -m) asks for more."""
    unmarked = [
        item.nodeid
        for item in items
        if MODEL_FIXTURES & set(item.fixturenames) and not item.get_closest_marker("model")
    ]
    if unmarked:  # a test that loads the model must say so, or the fast suite is not fast
        raise pytest.UsageError(f"tests using the real model lack @pytest.mark.model: {unmarked}")
    if config.getoption("--full") or config.option.markexpr:
        return
    slow = [item for item in items if any(item.get_closest_marker(m) for m in SLOW_MARKS)]
    if slow:
        items[:] = [item for item in items if item not in slow]
        config.hook.pytest_deselected(items=slow)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture(params=["local", "milvus"])
def any_store(request, tmp_path: Path) -> Settings:
    """Settings for each store: the index folder, and Milvus Lite (the real engine) in a file."""
    if request.param == "local":
        return Settings()
    return Settings(milvus_uri=str(tmp_path / "milvus" / "verbatim.db"))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled all-MiniLM-L6-v2 on the default backend, loaded once; never skipped.

    The English model itself, not the setting 'auto' (test_core_multilingual has its own), so
    a test that indexes other languages cannot leave another model behind for the next."""
    from indexer.embed.choice import embedder_for
    from indexer.settings import DEFAULT_MODEL

    embedder = embedder_for(Settings(model=DEFAULT_MODEL))
    embedder.encode(["warm up"])
    return embedder


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_number(text: str, offset: int) -> int:
    """Return the 1-based line of text[offset], counted independently of the indexer."""
    return len(_LINE_BREAK.findall(text, 0, offset)) + 1


@pytest.fixture
def assert_located():
    """Check that a passage, hit or quote is an exact slice of its source, on the right lines."""

    def check(record, source_text: str) -> None:
        where = f"{record.source} [{record.start}:{record.end}]"
        assert source_text[record.start : record.end] == record.text, where
        assert record.line_start == line_number(source_text, record.start), where
        assert record.line_end == line_number(source_text, record.end - 1), where

    return check


@pytest.fixture
def docs_text():
    """Return a function reading a document the way the indexer cites it (newlines kept)."""

    def read(folder: Path, name: str) -> str:
        with open(Path(folder) / name, encoding="utf-8", newline="") as handle:
            return handle.read()

    return read


# -- the app, served as a user runs it ------------------------------------------------------


def free_port() -> int:
    """Return a port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """`python app.py` running as a subprocess; docs and index are its folders, absolute."""

    def __init__(self, url: str, docs: Path, index: Path, process, log: Path):
        self.url = url
        self.docs = docs
        self.index = index
        self.process = process
        self.log = log

    def client(self):
        from gradio_client import Client

        return Client(self.url, verbose=False)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> AppServer:
    """Start `python app.py` once as the README does, then stop it at the end.

    No flags: from a folder holding a copy of the seeds, the app reads its default relative
    folders seeds/ and index/, as a fresh clone does.
    """
    base = tmp_path_factory.mktemp("app")
    shutil.copytree(SEEDS, base / "seeds")
    with running_app(base, [], docs="seeds") as app:
        yield app


@contextlib.contextmanager
def running_app(base: Path, flags: list[str], docs: str = "docs", index: str = "index"):
    """Run `python app.py FLAGS` from base (its own temporary folders) until the block ends."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    log = base / "app.log"
    (base / "tmp").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_TEMP_DIR": str(base / "gradio"),
        "TMPDIR": str(base / "tmp"),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("VERBATIM_AUTH", "VERBATIM_DOCS_DIR", "VERBATIM_INDEX_DIR"):
        env.pop(name, None)  # the folders are the defaults or the flags, as in the README
    command = [sys.executable, str(ROOT / "app.py"), *flags]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=base, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"app.py exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"app.py did not answer on {url} in time:\n{log.read_text()}")
            time.sleep(0.5)
        yield AppServer(url, base / docs, base / index, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
