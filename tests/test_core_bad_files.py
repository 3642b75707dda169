"""Every kind of bad file in one folder beside good ones: the build finishes and says why."""

from __future__ import annotations

import html
import io
import os
import zipfile
from pathlib import Path

import pytest

from indexer import build_index, load_index
from indexer.page.panels import report_markdown
from indexer.settings import Settings
from tests.fakes import FakeEmbedder
from tests.test_core_cli import run
from tests.test_core_formats import PDF_PAGES, write_docx, write_pdf

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
EXPECTED_REASONS = {
    "locked.pdf": "password",
    "truncated.pdf": "corrupt pdf",
    "garbage.pdf": "corrupt pdf",
    "scan.pdf": "ocr",
    "broken.docx": "corrupt word",
    "empty.txt": "empty",
    "photo.txt": "image",  # read by its content: a PNG, whatever its name
    "notes.md": "binary",
    "huge.txt": "limit",
    "secret.txt": "permission denied",
    "dangling.txt": "broken link",
    "bomb.docx": "character limit",
}


def make_bad_folder(docs: Path) -> None:
    """Write good files (PDF, Word, text) and one file of each bad kind."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    docs.mkdir()
    write_pdf(docs / "good.pdf", PDF_PAGES)
    write_docx(docs / "minutes.docx")
    (docs / "good.txt").write_text("Ocelots hunt at night in the rainforest.\n", encoding="utf-8")
    locked = PdfWriter(clone_from=PdfReader(docs / "good.pdf"))
    locked.encrypt(user_password="secret", algorithm="AES-256")
    locked.write(docs / "locked.pdf")
    pdf_bytes = (docs / "good.pdf").read_bytes()
    (docs / "truncated.pdf").write_bytes(pdf_bytes[: len(pdf_bytes) // 3])
    (docs / "garbage.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 60, style="F")  # a picture of a page, no text layer
    scan.output(str(docs / "scan.pdf"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("word/document.xml", "<not xml")
    (docs / "broken.docx").write_bytes(archive.getvalue())
    (docs / "empty.txt").write_bytes(b"")
    (docs / "photo.txt").write_bytes(PNG)
    (docs / "notes.md").write_bytes(bytes(range(32)) * 64)
    (docs / "huge.txt").write_text("Too long to index. " * 12000, encoding="utf-8")  # 228 kB
    write_bomb(docs / "bomb.docx")
    (docs / "secret.txt").write_text("Locked away.\n", encoding="utf-8")
    (docs / "secret.txt").chmod(0)
    (docs / "dangling.txt").symlink_to(docs / "gone.txt")
    (docs / "sub").mkdir()
    (docs / "sub" / "loop").symlink_to(docs, target_is_directory=True)


def write_bomb(path: Path, chars: int = 97_000_000) -> None:
    """Write a .docx of about 130 kB whose text is chars characters long (one enormous run)."""
    from docx import Document

    template = io.BytesIO()
    Document().save(template)
    source = zipfile.ZipFile(io.BytesIO(template.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, source.read(item.filename))
                continue
            with out.open("word/document.xml", "w") as xml:
                xml.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                    b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                )
                for _ in range(chars // 1_000_000):
                    xml.write(b"a" * 1_000_000)
                xml.write(b"</w:t></w:r></w:p></w:body></w:document>")


@pytest.fixture
def bad_folder(tmp_path: Path, monkeypatch) -> Path:
    docs = tmp_path / "docs"
    make_bad_folder(docs)
    if os.geteuid() == 0:  # root reads a chmod 000 file anyway: make the kernel's answer real
        original = Path.read_bytes

        def read_bytes(path: Path) -> bytes:
            if path.name == "secret.txt":
                raise PermissionError(13, "Permission denied", str(path))
            return original(path)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return docs


def test_build_over_every_bad_kind_finishes_and_answers_from_the_good_files(bad_folder, tmp_path):
    settings = Settings(max_file_mb=0.2)
    report = build_index(bad_folder, tmp_path / "index", settings, FakeEmbedder())

    reasons = {s.path: s.reason.lower() for s in report.skipped}
    assert set(reasons) == set(EXPECTED_REASONS)
    for name, words in EXPECTED_REASONS.items():
        assert words in reasons[name], (name, reasons[name])
    assert sorted(report.changes.added) == ["good.pdf", "good.txt", "minutes.docx"]
    assert (bad_folder / "bomb.docx").stat().st_size < 200_000  # small on disk, huge inside
    shown = html.unescape(report_markdown(report))  # what the app shows after a rebuild
    for name, reason in reasons.items():
        assert name in shown and reason.split(":")[0] in shown.lower()

    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    assert index.search("ocelots rainforest", 1)[0].source == "good.txt"
    ferry = index.search("first ferry quay", 1)[0]
    assert (ferry.source, ferry.page) == ("good.pdf", 2)
    assert index.search("Pumpkins budget", 1)[0].source == "minutes.docx"
    skipped = {s.path for s in index.manifest.skipped}
    assert skipped == set(EXPECTED_REASONS)


@pytest.mark.model
def test_cli_build_lists_each_bad_file_with_its_reason(tmp_path):
    docs = tmp_path / "docs"
    make_bad_folder(docs)
    (docs / "secret.txt").unlink()  # root's subprocess could read it; covered above
    result = run(
        "build", str(docs), "--index", str(tmp_path / "index"), cwd=tmp_path,
        env={"VERBATIM_MAX_FILE_MB": "0.2"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for name, words in EXPECTED_REASONS.items():
        if name != "secret.txt":
            line = next(ln for ln in result.stdout.splitlines() if f"skipped {name}:" in ln)
            assert words in line.lower(), line
    assert "3 added" in result.stdout and "11 skipped" in result.stdout
