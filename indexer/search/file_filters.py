"""Which files a query's filters keep: by type, place, modified date and language."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import numpy as np

from .fusion import in_scope
from .query_language import Query


def file_rows(manifest) -> dict[str, range]:
    """Return each file's rows in the index (files in manifest order; copies hold none)."""
    rows, start = {}, 0
    for name, entry in manifest.files.items():
        rows[name] = range(start, start + entry.passages)
        start += entry.passages
    return rows


def kept_rows(manifest, query: Query) -> np.ndarray | None:
    """Return a mask of the rows in the files the filters keep; None when nothing is filtered.

    A copy that the filters keep keeps the passages of the file it copies, cited with it.
    """
    if not query.filters_files:
        return None
    mask = np.zeros(manifest.passages, dtype=bool)
    rows = file_rows(manifest)
    for name, entry in manifest.files.items():
        if keeps(query, name, entry, manifest.docs_dir):
            owner = rows[entry.same_as or name]
            mask[owner.start : owner.stop] = True
    return mask


def keeps(query: Query, name: str, entry, docs_dir: str = "") -> bool:
    """Whether a file passes every filter of a query (each filter keeps any value it names)."""
    if query.types and not _of_type(name, entry.format, query.types):
        return False
    if query.places and not any(_in(name, place) for place in query.places):
        return False
    if query.languages and (entry.language or "") not in query.languages:
        return False
    if query.after or query.before:
        modified = modified_date(name, docs_dir)
        if modified is None:
            return False  # gone from the folder (or a machine without it): no date to compare
        if query.after and modified < query.after:
            return False
        if query.before and modified >= query.before:
            return False
    return True


def _in(name: str, place: str) -> bool:
    place = place.strip("/")
    return not place or in_scope(name, place)


def _of_type(name: str, format_: str, types: tuple[str, ...]) -> bool:
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    aliases = {"text": "txt", "markdown": "md", "email": "eml"}
    return any(kind in (format_, suffix, aliases.get(format_)) for kind in types)


def modified_date(name: str, docs_dir: str) -> date | None:
    """Return a file's modified date (local time) in the documents folder; None if it is gone."""
    try:
        return datetime.fromtimestamp(os.stat(Path(docs_dir) / name).st_mtime).date()
    except (OSError, ValueError):
        return None
