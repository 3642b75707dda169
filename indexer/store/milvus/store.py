"""The index on Milvus: each version three collections, an alias naming the one in service.

The same client calls serve Milvus Lite (a path ending in .db: the engine in one file) and a
Milvus server or cluster (http(s)://host:19530). A version stamped S is
- `<name>_S_p`, a row per passage: its vector, its keyword terms (the product's own stemmed
  tokens, so the engine's BM25 ranks passages as the local store does), record and units;
- `<name>_S_u`, a row per sentence or table row: its vector, passage and offsets;
- `<name>_S_m`, the manifest, each file's indexed text and the term statistics, in chunks,
  and last a `complete` row.
The alias `<name>` is moved to a version's `_m` only once all of it is written, so a build that
stops part-way leaves the previous version answering; the next build drops what it left.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import re
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from ...errors import (
    IndexDamagedError,
    IndexerError,
    IndexMismatchError,
    NoIndexError,
    StoreUnavailableError,
)
from .. import disk
from ..integrity import text_damage
from ..manifest import FORMAT_VERSION, Manifest, Served
from .rows import COMPLETE, read_meta, read_rows, write_rows


def connect(settings):
    """Return a MilvusClient for the settings' URI, or fail in one sentence."""
    uri = settings.milvus_uri
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise StoreUnavailableError(
            'The Milvus store needs pymilvus and milvus-lite: pip install -e ".[milvus]".'
        ) from None
    # pymilvus logs every failed call with its traceback; the failure reaches people as one
    # sentence (see unreachable) instead.
    for library in ("pymilvus", "milvus_lite"):
        logging.getLogger(library).setLevel(logging.CRITICAL)
    if uri.endswith(".db"):
        Path(uri).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    try:
        return MilvusClient(uri=uri, token=settings.milvus_token, timeout=20)
    except Exception as error:  # the client raises many kinds; all mean "not reachable"
        raise unreachable(uri, error) from None


def _held_elsewhere(uri: str) -> bool:
    """Whether another process holds a Milvus Lite file's documented lock ({file}/LOCK)."""
    lock = Path(uri).expanduser() / "LOCK"
    try:
        with open(lock, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def unreachable(uri: str, error: Exception) -> StoreUnavailableError:
    """Return the one sentence for a Milvus that cannot be used right now."""
    cause = f"{type(error).__name__}: {getattr(error, 'message', None) or error}"
    if uri.endswith(".db") and _held_elsewhere(uri):
        return StoreUnavailableError(
            f"The Milvus Lite file {uri} is open in another process (the app?); stop it, or "
            "rebuild from that process's page."
        )
    return StoreUnavailableError(
        f"Milvus at {uri} cannot be reached ({cause[:160]}); start the server or fix "
        "VERBATIM_MILVUS_URI (unset it to use the index folder)."
    )


@contextlib.contextmanager
def calls(uri: str):
    """Turn a failing Milvus call into the one sentence for an unreachable Milvus."""
    try:
        yield
    except IndexerError:
        raise
    except Exception as error:
        raise unreachable(uri, error) from None


class Versions:
    """The versions of one named index on a Milvus: which exist, which serves."""

    def __init__(self, client, name: str, uri: str):
        self.client, self.name, self.uri = client, name, uri
        self.where = f"Milvus ({uri}, collection {name})"

    def stamps(self) -> list[str]:
        """Return the stamps of every version present, whole or not, newest first."""
        pattern = re.compile(rf"{re.escape(self.name)}_(v\w+?)_[pum]")
        found = {m.group(1) for c in self.client.list_collections() if (m := pattern.fullmatch(c))}
        return sorted(found, reverse=True)

    def current(self) -> str | None:
        """Return the stamp the alias points at, or None if there is no alias."""
        if self.name not in self.client.list_aliases().get("aliases", []):
            return None
        target = self.client.describe_alias(self.name)["collection_name"]
        return target[len(self.name) + 1 : -2]

    def collection(self, stamp: str, part: str) -> str:
        """Return the collection name of one part ("p", "u", "m") of a version."""
        return f"{self.name}_{stamp}_{part}"

    def is_whole(self, stamp: str) -> bool:
        """Whether a version's three collections exist and its last row was written."""
        names = set(self.client.list_collections())
        if not all(self.collection(stamp, part) in names for part in "pum"):
            return False
        self.load(stamp)
        rows = self.client.get(self.collection(stamp, "m"), ids=[COMPLETE])
        return bool(rows)

    def load(self, stamp: str) -> None:
        """Make a version's collections searchable (a reopened Milvus Lite file starts unloaded)."""
        for part in "pum":
            self.client.load_collection(self.collection(stamp, part))

    def serving(self) -> tuple[str, str | None]:
        """Return the stamp to serve and a notice if it is not the alias's; or fail."""
        current, stamps = self.current(), self.stamps()
        if current is None and not stamps:
            raise NoIndexError(f"No index in {self.where}; run `python -m indexer build` first.")
        if current is not None and self.is_whole(current):
            return current, None
        for stamp in stamps:
            if (current is None or stamp < current) and self.is_whole(stamp):
                return stamp, (
                    f"The index in {self.where} is incomplete; serving the previous version. "
                    "Run `python -m indexer build` to repair it."
                )
        raise NoIndexError(f"No whole index in {self.where}; run `python -m indexer build`.")

    def remove_stale(self) -> None:
        """Drop every version but the one in service and the newest whole one before it.

        With no alias nothing is known to serve: everything is kept for `serving` to choose.
        """
        current = self.current()
        if current is None:
            return
        stamps = self.stamps()
        kept = {current, *[s for s in stamps if s < current and self.is_whole(s)][:1]}
        for stamp in stamps:
            if stamp not in kept:
                for part in "pum":
                    with contextlib.suppress(Exception):
                        self.client.drop_collection(self.collection(stamp, part))

    def switch_to(self, stamp: str) -> None:
        """Point the alias at a whole version: one call, so readers see the old or the new."""
        target = self.collection(stamp, "m")
        if self.current() is None:
            self.client.create_alias(target, self.name)
        else:
            self.client.alter_alias(target, self.name)


def new_stamp() -> str:
    """Return a version stamp that sorts by time (a letter first: names may not start with one)."""
    return "v" + datetime.now(timezone.utc).strftime("%Y%m%dt%H%M%S%f") + uuid.uuid4().hex[:6]


def read_manifest(client, versions: Versions, stamp: str) -> Manifest:
    """Return a version's manifest; refuse one written in another format."""
    record = json.loads(read_meta(client, versions.collection(stamp, "m"), "manifest"))
    if record.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"The index in {versions.where} has format {record.get('format_version')}, this "
            f"version reads {FORMAT_VERSION}; rebuild it with `python -m indexer build`."
        )
    return Manifest.from_record(record)


class MilvusStore:
    """The store seam over Milvus: versions as collections, switched by an alias."""

    def __init__(self, settings, index_dir: Path):
        self.settings, self.index_dir = settings, index_dir
        self.client = connect(settings)
        self.versions = Versions(self.client, settings.milvus_collection, settings.milvus_uri)

    def lock(self, progress=None):
        """Hold the build lock (a file in the index folder of the machine that builds)."""
        return disk.build_lock(self.index_dir, self.settings.build_wait_seconds, progress)

    def remove_stale(self) -> None:
        """Drop interrupted builds and versions older than the previous one."""
        with calls(self.settings.milvus_uri):
            self.versions.remove_stale()

    def served(self) -> Served | None:
        """Return the version in service's files and texts; None if there is none whole."""
        try:
            with calls(self.settings.milvus_uri):
                stamp, _ = self.versions.serving()
                manifest = read_manifest(self.client, self.versions, stamp)
        except IndexerError:  # an outage is said by previous(), as before
            return None
        meta = self.versions.collection(stamp, "m")

        def text(sha256: str) -> str:
            with calls(self.settings.milvus_uri):
                found = read_meta(self.client, meta, f"text/{sha256}")
            if text_damage(found.encode("utf-8", "surrogatepass"), sha256):
                raise IndexDamagedError(f"The text {sha256} on Milvus does not match its hash.")
            return found

        return Served(manifest, text)

    def previous(self, model: str, weights: str, splitter: dict) -> disk.Previous:
        """Return the version in service's rows by file hash, if they may be reused."""
        with calls(self.settings.milvus_uri):
            try:
                stamp, notice = self.versions.serving()
                manifest = read_manifest(self.client, self.versions, stamp)
                disk.check_compatible(manifest, model, splitter, self.versions.where, weights)
                stored = read_rows(self.client, self.versions, stamp, manifest)
            except NoIndexError:
                return disk.Previous()
            except IndexerError as error:
                return disk.Previous(unusable=getattr(error, "rebuild_reason", str(error)))
        return disk.Previous(manifest, disk.files_of(manifest, stored), notice=notice)

    def write(self, manifest: Manifest, stored: disk.Stored, texts: dict, progress) -> None:
        """Write a whole new version, then move the alias to it."""
        built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        manifest = replace(manifest, built_at=built_at)
        stamp = new_stamp()
        with calls(self.settings.milvus_uri):
            write_rows(
                self.client, self.versions, stamp, manifest, stored, texts, progress,
                self.settings.ann_min_rows,
            )  # fmt: skip
            self.versions.switch_to(stamp)


def release(uri: str) -> None:
    """Close a Milvus Lite file in this process, so another process may open it.

    Milvus Lite serves a file from inside the process that opened it and holds its lock until
    released (or the process ends); a server URI needs nothing.
    """
    if not uri.endswith(".db"):
        return
    try:
        from milvus_lite.server_manager import server_manager_instance
    except ImportError:
        return
    server_manager_instance.release_server(uri)
