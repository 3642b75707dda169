"""OCR readings kept inside the index folder by the page image's hash: no page is read twice.

A reading is a small JSON file of words and boxes, named by the hash of the page's pixels with
the engine and languages that read it. It carries its own checksum: a damaged one is read again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import xxhash

from .ocr import OcrPage, Word

FOLDER = "ocr"  # under the index folder, beside the versions: kept across builds


def page_key(image, reader_id: str) -> str:
    """Return the key of a page image read by one engine and language set."""
    digest = xxhash.xxh3_128()
    digest.update(f"{reader_id}|{image.mode}|{image.size}|".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


class OcrCache:
    """Readings by key, as files under index_dir/ocr/."""

    def __init__(self, index_dir: str | Path):
        self.folder = Path(index_dir) / FOLDER

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> OcrPage | None:
        """Return the reading kept under key, or None if there is none or it is damaged."""
        try:
            record = json.loads(self._path(key).read_text(encoding="utf-8"))
            body = record["page"]
            if record["sha256"] != _checksum(body):
                return None
            words = tuple(
                Word(text, left, top, width, height, conf, (block, par), line)
                for text, left, top, width, height, conf, block, par, line in body["words"]
            )
            return OcrPage(words, tuple(body["size"]), body["turn"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, page: OcrPage) -> None:
        """Keep a reading (written whole, then renamed into place)."""
        body = {
            "size": list(page.size),
            "turn": page.turn,
            "words": [
                [
                    w.text,
                    w.left,
                    w.top,
                    w.width,
                    w.height,
                    round(w.confidence, 4),
                    *w.paragraph,
                    w.line,
                ]
                for w in page.words
            ],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(key)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(
            json.dumps({"sha256": _checksum(body), "page": body}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(partial, path)

    def keep_only(self, keys: set[str]) -> int:
        """Delete the readings no indexed page uses; return how many were deleted."""
        removed = 0
        for path in self.folder.glob("*"):
            if path.stem not in keys and not path.name.endswith(".partial"):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
