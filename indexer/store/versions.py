"""Which version of an index to serve: the current one if intact, else the newest intact one."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IndexDamagedError, IndexMismatchError, NoIndexError
from .disk import MANIFEST, POINTER, TEXTS
from .integrity import damage
from .manifest import FORMAT_VERSION, Manifest


def current_version(index_dir: Path) -> Path | None:
    """Return the folder the pointer names, or None if there is none (not checked whole)."""
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    folder = index_dir / name
    return folder if name.startswith("v-") and "/" not in name and folder.is_dir() else None


@dataclass(frozen=True)
class Version:
    """An intact version, ready to load; notice says why it is not the one the pointer names."""

    folder: Path
    manifest: Manifest
    notice: str | None = None
    damage: str | None = None  # what was wrong with the version the pointer names
    stamps: dict = field(default_factory=dict)  # its files as checked: see changed_since


def stamps_of(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Return the inode, size and change time of each file of a version but its texts.

    Texts are checked against their hash each time they are read; the rest is checked whole
    at load, and a long-running process compares these stamps before it serves again.
    """
    found = {}
    for path in _served_files(folder):
        with contextlib.suppress(FileNotFoundError):  # removed meanwhile: checked as missing
            found[path.relative_to(folder).as_posix()] = _stamp(path)
    return found


def _served_files(folder: Path):
    """Yield every file of a version but its texts (listing thousands of them costs time)."""
    for path in folder.iterdir():
        if path.is_dir() and path.name != TEXTS:
            yield from (inner for inner in path.rglob("*") if inner.is_file())
        elif path.is_file():
            yield path


def changed_since(folder: Path, stamps: dict) -> str | None:
    """Return which file of a loaded version changed on disk since it was checked, or None."""
    for name, stamp in stamps.items():
        try:
            now = _stamp(folder / name)
        except FileNotFoundError:
            continue  # removed by a later build: the open maps still hold the bytes checked
        if now != stamp:
            return f"{name} changed on disk after it was checked"
    return None


def _stamp(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    # The change time moves on every write, even one that restores the modification time.
    return status.st_ino, status.st_size, status.st_ctime_ns


def open_version(index_dir: Path, texts: bool = False) -> Version:
    """Return the version to serve: the current one, else the newest intact earlier one.

    Fails with one sentence when there is no index, or when every version is damaged. Texts
    are checked too when texts is True (a build, which must not keep a damaged one).
    """
    current = current_version(index_dir)
    candidates = _versions(index_dir, current)
    if not candidates:
        raise NoIndexError(f"No index in {index_dir}/; run `python -m indexer build` first.")
    first_damage = None if current else f"its {POINTER} pointer is missing or unreadable"
    for folder in candidates:
        stamps = stamps_of(folder)  # before the check: a change during it shows later
        problem = damage(folder, texts=texts)
        if problem is None:
            try:
                manifest = _read_manifest(folder, index_dir)
            except (OSError, ValueError, TypeError, KeyError) as error:
                problem = f"{MANIFEST} is unreadable ({type(error).__name__})"
        if problem is None:
            notice = None
            if folder != current or first_damage:
                built = manifest.built_at.replace("T", " ").replace("+00:00", " UTC")
                notice = (
                    f"The index in {index_dir}/ is damaged ({first_damage}); serving the "
                    f"previous version, built {built}. Run `python -m indexer build` to repair it."
                )
            return Version(folder, manifest, notice, first_damage, stamps)
        first_damage = first_damage or problem
    raise IndexDamagedError(
        f"The index in {index_dir}/ is damaged ({first_damage}) and no intact version is left; "
        "run `python -m indexer build` to rebuild it."
    )


def _versions(index_dir: Path, current: Path | None) -> list[Path]:
    """Return the versions worth trying, the pointer's first, then older ones, newest first.

    A version newer than the pointer's was never served (a build stopped before the swap).
    """
    folders = sorted((p for p in index_dir.glob("v-*") if p.is_dir()), reverse=True)
    if current is None:
        return folders
    return [current] + [f for f in folders if f.name < current.name]


def _read_manifest(folder: Path, index_dir: Path) -> Manifest:
    record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if record.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"The index in {index_dir}/ has format {record.get('format_version')}, "
            f"this version reads {FORMAT_VERSION}; rebuild it with `python -m indexer build`."
        )
    return Manifest.from_record(record)


def remove_stale(index_dir: Path, keep: int = 2) -> None:
    """Delete interrupted builds, never-served and damaged versions, and all but `keep` others.

    The current version and the newest intact earlier ones are kept (the lock must be held).
    """
    for leftover in index_dir.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in index_dir.glob(f".{POINTER}.*"):
        leftover.unlink(missing_ok=True)
    current = current_version(index_dir)
    if current is None:
        return  # nothing known to be in service: keep everything for open_version to choose
    kept = [v for v in _versions(index_dir, current) if damage(v, full=False) is None][:keep]
    for folder in index_dir.glob("v-*"):
        if folder not in kept:
            shutil.rmtree(folder, ignore_errors=True)
