"""The documents folder as a reader manages it: each file's state, a trash to undo deletes."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from ..errors import DocumentsFolderError, counted
from ..read.documents import find_files, relative_name

TRASH = "trash"  # inside the index folder: never indexed, never lost
COLUMNS = ["file", "state", "passages", "size", "indexed"]
STAMP = "%Y%m%d-%H%M%S-%f"  # a trash entry's folder: when it was trashed, local time


def documents_table(docs_dir: Path, index, needle: str = "") -> list[list]:
    """Return one row per file (COLUMNS): indexed, copy, skipped and why, changed, new."""
    manifest = index.manifest if index is not None else None
    files = manifest.files if manifest else {}
    skipped = {s.path: s.reason for s in manifest.skipped} if manifest else {}
    present = (
        {relative_name(docs_dir, p): p for p in find_files(docs_dir)} if docs_dir.is_dir() else {}
    )
    rows = []
    for name in sorted(set(present) | set(files) | set(skipped)):
        if needle and needle.lower() not in name.lower():
            continue
        entry, path = files.get(name), present.get(name)
        size = _size(path)
        if name in skipped:
            state = f"skipped: {skipped[name]}"
        elif entry is None:
            state = "not indexed yet: rebuild to add it"
        elif path is None:
            state = "deleted since indexed: rebuild to remove it"
        elif index.freshness.is_stale(name):
            state = "changed since indexed: rebuild to update it"
        elif entry.same_as:
            state = f"identical copy of {entry.same_as}"
        else:
            state = "indexed" + ocr_note(entry, index.settings.ocr_low_confidence)
        passages = entry.passages if entry else 0
        indexed = _when(_parse_iso(manifest.indexed_at(name))) if entry else ""
        rows.append([name, state, passages, size, indexed])
    return rows


def ocr_note(entry, below: float) -> str:
    """Say which pages of a file OCR read, naming those read with low confidence."""
    if not entry.ocr:
        return ""
    low = [
        f"p. {mark['page']}: read by OCR, {mark['confidence']:.0%} confidence"
        for mark in entry.ocr
        if mark["confidence"] < below
    ]
    return f" ({counted(len(entry.ocr), 'page')} read by OCR{''.join('; ' + n for n in low)})"


def move_to_trash(docs_dir: Path, index_dir: Path, name: str) -> str:
    """Move a document into the index folder's trash; return where it went (restorable)."""
    source = _inside(docs_dir, name)
    if not source.is_file():
        raise DocumentsFolderError(f"{name} is not a file in the documents folder.")
    stamp = datetime.now().strftime(STAMP)
    target = Path(index_dir) / TRASH / stamp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)
    return f"{stamp}/{name}"


def trash_entries(index_dir: Path) -> list[str]:
    """Return what the trash holds, newest first, as "<when>/<file name>"."""
    trash = Path(index_dir) / TRASH
    if not trash.is_dir():
        return []
    found = [p.relative_to(trash).as_posix() for p in trash.rglob("*") if p.is_file()]
    return sorted(found, reverse=True)


def trash_choices(index_dir: Path) -> list[tuple[str, str]]:
    """Return the trash as (what a person reads, the entry): "a.pptx — trashed 7 Dec 17:58"."""
    return [(_trash_label(entry), entry) for entry in trash_entries(index_dir)]


def _trash_label(entry: str) -> str:
    stamp, _, name = entry.partition("/")
    try:
        when = datetime.strptime(stamp, STAMP)
    except ValueError:  # not put there by move_to_trash: shown as it is
        return entry
    return f"{name} — trashed {_when(when)}"


def restore(docs_dir: Path, index_dir: Path, entry: str) -> str:
    """Move a trashed document back; a name taken meanwhile gets "-restored". Return the name."""
    trash = (Path(index_dir) / TRASH).resolve()
    source = (trash / entry).resolve()
    if trash not in source.parents or not source.is_file():
        raise DocumentsFolderError(f"{entry} is not in the trash.")
    name = entry.split("/", 1)[1]
    target = _inside(docs_dir, name)
    if target.exists():
        target = target.with_name(f"{target.stem}-restored{target.suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)
    for folder in sorted(source.parents, key=lambda p: len(p.parts), reverse=True):
        if folder != trash and trash in folder.parents and not any(folder.iterdir()):
            folder.rmdir()  # empty folders the restore left behind
    return relative_name(Path(docs_dir).resolve(), target)


def scopes(index) -> list[str]:
    """Return what a question can be limited to: each folder ("dir/") and each file."""
    names = sorted(index.manifest.files) if index is not None else []
    folders = sorted({name.rsplit("/", 1)[0] + "/" for name in names if "/" in name})
    return folders + names


def _inside(docs_dir: Path, name: str) -> Path:
    """Return the path of a document name, refusing one that leads outside the folder."""
    root = Path(docs_dir).resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise DocumentsFolderError(f"{name} is not inside the documents folder.")
    return root / name


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text).astimezone()  # the local time of a UTC stamp
    except ValueError:
        return None


def _when(moment: datetime | None) -> str:
    """Say when, as people write it: "7 Dec 17:58", with the year when it is not this one."""
    if moment is None:
        return ""
    year = "" if moment.year == datetime.now().year else f" {moment.year}"
    return f"{moment.day} {moment:%b}{year} {moment:%H:%M}"


def _size(path: Path | None) -> str:
    if path is None:
        return ""
    size = path.stat().st_size
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"
