"""A rebuild reads only the files that changed: an unchanged file's reading is taken from the
version in service (its bytes' sha256 and the reader the same), and the index it makes is the
one a build from scratch makes.

Every format reader is reached through indexer.read.documents._decode_document: the tests count
the files it is called for.
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from bench.common import file_writers as w
from indexer import Settings, build_index, load_index
from indexer.build import reuse
from indexer.read import documents
from indexer.records import format_citation
from indexer.store.milvus.store import release

from .fakes import FakeEmbedder, all_passages

PARAGRAPHS = [
    "The harbour master recorded that the ferry Albatross ran aground on 3 March 1954.",
    "Salvage crews refloated the ferry after nine days using empty oil drums.",
    "The orchard held two hundred and forty quince trees planted by the Lindqvist family.",
]
TABLE = [["Question", "Answer"], ["Who kept the ledger?", "The miller"], ["When?", "In 1921"]]


def write_folder(docs: Path) -> None:
    """A folder of the formats people keep: a scan read by OCR, a workbook, slides, a copy, and
    a file that is skipped."""
    files = {
        "reports/report.pdf": w.pdf("Harbour report", PARAGRAPHS, TABLE)[0],
        "reports/scan.pdf": w.scan(PARAGRAPHS[:2], 1)[0],
        "letters/letter.docx": w.docx("Letter", PARAGRAPHS, ["One", "Two", "Three"])[0],
        "sheets/book.xlsx": w.xlsx({"Questions": TABLE, "Batch": [["Batch"], ["b-7"]]})[0],
        "sheets/table.csv": w.csv_file(TABLE)[0],
        "slides/deck.pptx": w.pptx("Deck", [("One", PARAGRAPHS[:2]), ("Two", PARAGRAPHS[2:])])[0],
        "web/page.html": w.html_page("Page", PARAGRAPHS, ["A", "B", "C"])[0],
        "notes/note.md": w.markdown("Note", PARAGRAPHS, ["A", "B", "C"])[0],
        "notes/plain.txt": w.plain_text("Plain", PARAGRAPHS)[0],
        "notes/copy.txt": w.plain_text("Plain", PARAGRAPHS)[0],
        "mail/message.eml": w.email("Ferry", PARAGRAPHS, 3)[0],
        "notes/empty.txt": b"   \n",
    }  # fmt: skip
    for name, data in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(data)


@pytest.fixture(scope="module")
def pages_read(tmp_path_factory) -> Path:
    """The OCR cache of the folder's scan, read once for every test."""
    base = tmp_path_factory.mktemp("reuse")
    write_folder(base / "docs")
    build_index(base / "docs", base / "index", Settings(), FakeEmbedder())
    return base / "index" / "ocr"


@pytest.fixture
def folder(pages_read, tmp_path, any_store) -> tuple[Path, Path, Settings]:
    """The folder built once into an index of either store (its scan from the OCR cache)."""
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write_folder(docs)
    shutil.copytree(pages_read, index_dir / "ocr")
    build_index(docs, index_dir, any_store, FakeEmbedder())
    yield docs, index_dir, any_store
    release(any_store.milvus_uri)


@pytest.fixture
def decoded(monkeypatch) -> list[str]:
    """The names of the files the format readers are asked to read, in order."""
    names: list[str] = []
    decode = documents._decode_document

    def counting(name, *args):
        names.append(name)
        return decode(name, *args)

    monkeypatch.setattr(documents, "_decode_document", counting)
    return names


def from_scratch(docs: Path, pages_read: Path, tmp_path: Path) -> Path:
    """Build the folder into a new index folder (local), reading every file."""
    index_dir = tmp_path / "scratch"
    shutil.copytree(pages_read, index_dir / "ocr")
    build_index(docs, index_dir, Settings(), FakeEmbedder())
    return index_dir


def assert_same_index(index_dir: Path, settings: Settings, scratch: Path) -> None:
    """The rebuilt index holds what a build from scratch holds: files as read, passages with
    their lines and pages, units, vectors, texts and citations."""
    got, want = (
        load_index(index_dir, settings, FakeEmbedder()),
        load_index(scratch, Settings(), FakeEmbedder()),
    )
    files = {path: {**vars(entry), "indexed_at": ""} for path, entry in got.manifest.files.items()}
    assert files == {p: {**vars(e), "indexed_at": ""} for p, e in want.manifest.files.items()}
    assert got.manifest.skipped == want.manifest.skipped
    got_passages, want_passages = all_passages(got), all_passages(want)
    assert [p.to_record() for p in got_passages] == [p.to_record() for p in want_passages]
    assert got.manifest.units == want.manifest.units
    zero = np.zeros(got.manifest.dimension, dtype=np.float32)
    citations = [
        format_citation(index.hit(i, zero)) for index in (got, want) for i in range(len(index))
    ]
    assert citations[: len(got)] == citations[len(got) :]
    for path in got.manifest.files:
        assert got.document_text(path) == want.document_text(path)


def test_a_rebuild_after_one_file_changed_reads_only_that_file(
    folder, decoded, pages_read, tmp_path
):
    docs, index_dir, settings = folder
    rewritten = ["The kestrel ledger was rewritten in May.", *PARAGRAPHS[1:]]
    (docs / "letters/letter.docx").write_bytes(w.docx("Letter", rewritten, ["A", "B", "C"])[0])
    report = build_index(docs, index_dir, settings, FakeEmbedder())
    # The changed file, and the file skipped before (tried again, as every build does).
    assert decoded == ["letters/letter.docx", "notes/empty.txt"]
    assert report.changes.changed == ["letters/letter.docx"] and report.read == 2
    assert report.reused_reads == 10
    assert "10 unchanged files taken from the index, not read again; 2 files read" in report.lines()
    assert [s.path for s in report.skipped] == ["notes/empty.txt"]
    assert report.changes.duplicates == [("notes/plain.txt", "notes/copy.txt")]
    index = load_index(index_dir, settings, FakeEmbedder())
    assert index.search("kestrel ledger", 1)[0].source == "letters/letter.docx"
    # The scan keeps its OCR marks, the workbook its sheets and rows, the PDF its pages.
    entries = index.manifest.files
    assert entries["reports/scan.pdf"].ocr and entries["reports/scan.pdf"].page_starts
    assert entries["sheets/book.xlsx"].parts["labels"] == ["Questions", "Batch"]
    assert entries["slides/deck.pptx"].parts["kind"] == "slide"
    assert report.ocr_pages == 0
    decoded.clear()
    assert_same_index(index_dir, settings, from_scratch(docs, pages_read, tmp_path))
    assert len(decoded) == 12  # the build from scratch read every file


def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(folder, decoded):
    docs, index_dir, settings = folder
    path = docs / "notes/plain.txt"
    status = path.stat()
    data = path.read_bytes().replace(b"Albatross", b"Albatrozz")
    assert len(data) == status.st_size
    path.write_bytes(data)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # as cp -p or rsync leave it
    report = build_index(docs, index_dir, settings, FakeEmbedder())
    assert sorted(decoded) == ["notes/empty.txt", "notes/plain.txt"]
    assert report.changes.changed == ["notes/plain.txt"]
    assert "Albatrozz" in load_index(index_dir, settings, FakeEmbedder()).document_text(
        "notes/plain.txt"
    )


def test_another_reader_reads_every_file_again(folder, decoded, monkeypatch):
    """A reader upgrade (its code, its libraries, its settings) is not taken for the old one:
    every file is read again, and a file it reads otherwise is a changed file."""
    docs, index_dir, settings = folder
    monkeypatch.setattr(reuse, "_code", lambda: "the reader, improved")
    decode = documents._decode_document

    def improved(name, suffix, *args):
        found = decode(name, suffix, *args)
        if name == "notes/note.md":
            return replace(found, text=found.text + "\nImproved.\n")
        return found

    monkeypatch.setattr(documents, "_decode_document", improved)
    report = build_index(docs, index_dir, settings, FakeEmbedder())
    assert len(decoded) == 12 and report.reused_reads == 0
    assert report.changes.changed == ["notes/note.md"]
    # Nothing else changed: the next build takes every file from the version the reader made.
    decoded.clear()
    assert build_index(docs, index_dir, settings, FakeEmbedder()).reused_reads == 11
    assert decoded == ["notes/empty.txt"]


def test_a_new_reader_setting_reads_every_file_again(folder, decoded):
    docs, index_dir, settings = folder
    report = build_index(
        docs, index_dir, replace(settings, max_file_chars=9_000_000), FakeEmbedder()
    )
    assert len(decoded) == 12 and report.reused_reads == 0


def test_a_renamed_or_copied_file_is_read_and_reported_as_before(folder, decoded):
    docs, index_dir, settings = folder
    (docs / "sheets/book.xlsx").rename(docs / "sheets/renamed.xlsx")
    shutil.copy(docs / "reports/report.pdf", docs / "reports/again.pdf")
    report = build_index(docs, index_dir, settings, FakeEmbedder())
    assert sorted(decoded) == ["notes/empty.txt", "reports/again.pdf", "sheets/renamed.xlsx"]
    assert report.changes.renamed == [("sheets/book.xlsx", "sheets/renamed.xlsx")]
    assert ("reports/report.pdf", "reports/again.pdf") in report.changes.duplicates
    assert report.embedded == 0


def test_the_reader_stamp_follows_the_reader_source(tmp_path, monkeypatch):
    code = tmp_path / "read"
    shutil.copytree(reuse.READ_CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(reuse, "READ_CODE", code)
    reuse._code.cache_clear()
    try:
        before = reuse.reader_stamp(tmp_path, Settings(), "")
        with open(code / "pdf_tables.py", "a", encoding="utf-8") as handle:
            handle.write("\n# a reader fixed\n")
        reuse._code.cache_clear()
        assert reuse.reader_stamp(tmp_path, Settings(), "") != before
    finally:
        reuse._code.cache_clear()


def test_every_library_the_readers_import_is_in_the_reader_stamp():
    """A new version of a library read/ parses with may read a file otherwise."""
    imported = set()
    for path in reuse.READ_CODE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                imported.add(node.module.split(".")[0])
    outside = {name for name in imported if name not in sys.stdlib_module_names}
    owners = metadata.packages_distributions()
    needed = {dist.lower() for name in outside for dist in owners.get(name, [name])}
    assert needed and needed <= set(reuse.READER_LIBRARIES)
