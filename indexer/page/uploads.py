"""Save uploaded files into the documents folder under clean names that never collide."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
import uuid
from pathlib import Path

from ..read.documents import SUPPORTED_LABEL, SUPPORTED_SUFFIXES

MAX_NAME_CHARS = 100


class UploadRejected(ValueError):
    """An uploaded file cannot be saved into the documents folder."""


class SavedUpload:
    """Where one upload landed and the sentence that tells the user."""

    def __init__(self, path: Path, message: str, renamed: bool):
        self.path = path
        self.message = message
        self.renamed = renamed


def clean_upload_name(name: str) -> str:
    """Return a safe file name for an upload: base name only, no dangerous characters.

    Raises UploadRejected for a type the indexer does not read.
    """
    base = re.split(r"[\\/]", str(name))[-1]  # a Windows path is a path too
    base = "".join(ch for ch in base if ch.isprintable())
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRejected(
            f"{base or name!r} is not a {SUPPORTED_LABEL} file; only those can be indexed."
        )
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE)  # spaces and the rest
    stem = re.sub(r"-{2,}", "-", stem).strip(".-_ ")  # no hidden files, no "..": nothing odd
    stem = stem[:MAX_NAME_CHARS] or "document"
    return stem + suffix


def save_upload(docs_dir: Path, source: Path, name: str) -> SavedUpload:
    """Copy source into docs_dir under the cleaned name; never overwrite another document."""
    clean = clean_upload_name(name)
    docs_dir = Path(docs_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    data = Path(source).read_bytes()
    stem, suffix = clean[: -len(Path(clean).suffix)], Path(clean).suffix
    root = docs_dir.resolve()
    # Written whole under a hidden name (the indexer skips dot files), then linked into
    # place: a rebuild never reads half a file, and a link never replaces an existing name.
    staging = docs_dir / f".upload-{uuid.uuid4().hex}{suffix}"
    staging.write_bytes(data)
    try:
        for number in range(1, 1000):
            candidate = clean if number == 1 else f"{stem}-{number}{suffix}"
            target = docs_dir / candidate
            if target.parent.resolve() != root:  # cannot happen with a clean name; refuse anyway
                raise UploadRejected(f"{name!r} would be saved outside the documents folder.")
            if target.is_file() and not target.is_symlink() and _same_bytes(target, data):
                return SavedUpload(target, f"{candidate} is already in the documents.", False)
            try:
                _publish(staging, target, data)
            except FileExistsError:  # taken, maybe by a link or a concurrent upload: next name
                continue
            if candidate != name:
                why = "another document has that name" if number > 1 else "name cleaned"
                return SavedUpload(target, f"{name} saved as {candidate} ({why}).", True)
            return SavedUpload(target, f"{candidate} saved.", False)
    finally:
        staging.unlink(missing_ok=True)
    raise UploadRejected(f"Too many documents are named like {clean}; rename the file.")


def _publish(staging: Path, target: Path, data: bytes) -> None:
    """Give the staged file its name, or fail with FileExistsError if the name is taken."""
    try:
        os.link(staging, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive create, then write
        with open(target, "xb") as handle:
            handle.write(data)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(data).digest()
    except OSError:
        return False


def save_uploads(docs_dir: Path, items: list) -> tuple[list[SavedUpload], list[str]]:
    """Save each uploaded file; return what was saved and the sentence for each refusal."""
    saved, refused = [], []
    for item in items:
        path = Path(uploaded_path(item))
        try:
            saved.append(save_upload(docs_dir, path, path.name))
        except UploadRejected as error:
            refused.append(str(error))
    return saved, refused


def sweep_forever(folder: Path, max_age: float, every: float) -> threading.Thread:
    """Delete files older than max_age seconds under folder, every few seconds, in a thread.

    Gradio writes each upload's body to a temporary file before checking its name; a rejected
    upload's body is never moved, so without this it would stay on disk for good.
    """

    def run() -> None:
        while True:
            sweep(folder, max_age)
            time.sleep(every)

    thread = threading.Thread(target=run, name="upload-sweeper", daemon=True)
    thread.start()
    return thread


def sweep(folder: Path, max_age: float) -> int:
    """Delete the files under folder older than max_age seconds; return how many went."""
    removed, now = 0, time.time()
    for path in Path(folder).glob("*"):
        with contextlib.suppress(OSError):  # gone already, or being written
            if path.is_file() and now - path.stat().st_mtime > max_age:
                path.unlink()
                removed += 1
    return removed


def uploaded_path(item) -> str:
    """Return the server path of an uploaded file (a path string or a file record)."""
    if isinstance(item, dict):
        return item["path"]
    return getattr(item, "path", None) or str(item)
