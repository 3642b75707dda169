"""Damaged index files: never a traceback, never a silently different answer, a build repairs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import IndexerError, Settings, build_index, load_index
from indexer.store.versions import current_version

from .fakes import FakeEmbedder

FILES = {
    "otters.txt": "Sea otters hold hands while they sleep so they do not drift apart.",
    "herons.md": "# Herons\n\nGrey herons stand still in shallow water to catch fish.",
    "owls.txt": "Barn owls swallow their prey whole and cough up pellets.",
}
LATER = {"bats.txt": "Bats find insects in the dark by echolocation."}
QUESTIONS = ["Why do otters hold hands?", "How do herons catch fish?", "How do bats find insects?"]
SETTINGS = Settings(min_answer_score=-1.0)  # the fake embedder's scores are not calibrated
# garbled rewrites the file at the same size; overwritten changes 64 bytes in place (same inode,
# as a disk or a sync tool would), under any memory map a running process holds on it.
DAMAGES = ("empty", "half", "garbled", "overwritten", "deleted")


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def answers(index) -> list:
    return [
        [(q.source, q.start, q.end) for q in index.answer(question).quotes]
        for question in QUESTIONS
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, Path, list, list]:
    """Two versions built from the same folder, never loaded, and reference answers."""
    return two_versions(tmp_path_factory.mktemp("corruption"))


def two_versions(base: Path) -> tuple[Path, Path, list, list]:
    """Build two versions from one folder (the second adds a file); answers of clean builds."""
    docs, index_dir = base / "docs", base / "index"
    write(docs, FILES)
    build_index(docs, index_dir, SETTINGS, FakeEmbedder())
    write(docs, LATER)
    build_index(docs, index_dir, SETTINGS, FakeEmbedder())
    # References from separate clean builds, so the template's versions stay never loaded.
    reference = {}
    for name, files in (("before", FILES), ("after", {**FILES, **LATER})):
        write(base / name / "docs", files)
        build_index(base / name / "docs", base / name / "index", SETTINGS, FakeEmbedder())
        reference[name] = answers(load_index(base / name / "index", SETTINGS, FakeEmbedder()))
    return docs, index_dir, reference["before"], reference["after"]


# Every file of a version (texts/* is each file's indexed text), and the pointer beside them.
LAYOUT = [
    "CURRENT", "manifest.json", "checksums.json", "vectors.npy", "unit_vectors.npy", "units.npy",
    "passages.jsonl", "passages.offsets.npy", "bm25/data.csc.index.npy",
    "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy", "bm25/params.index.json",
    "bm25/vocab.index.json", "texts/*",
]  # fmt: skip


def locate(index_dir: Path, name: str) -> Path:
    """Return the path of a layout name in the current version of index_dir."""
    if name == "CURRENT":
        return index_dir / name
    (found, *_) = sorted(current_version(index_dir).glob(name))
    return found


def test_the_layout_lists_every_file_of_a_version(template):
    _, index_dir, _, _ = template
    folder = current_version(index_dir)
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    listed = {n for n in LAYOUT if "*" not in n and n != "CURRENT"}
    assert files - listed == {p for p in files if p.startswith("texts/")}


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "half":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbled":
        middle = len(data) // 2
        flipped = bytes(b ^ 0x5A for b in data[middle : middle + 16])
        path.write_bytes(data[:middle] + flipped + data[middle + 16 :])
    elif how == "overwritten":
        start = max(0, len(data) // 2 - 32)
        with open(path, "r+b") as handle:
            handle.seek(start)
            handle.write(bytes(b ^ 0x5A for b in data[start : start + 64]))
    else:
        path.unlink()


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("name", LAYOUT)
def test_a_damaged_file_is_passed_over_or_refused_and_the_next_build_repairs(
    template, tmp_path, name, how
):
    docs, index_dir, before, after = template
    work = tmp_path / "index"
    shutil.copytree(index_dir, work)
    damage(locate(work, name), how)

    try:
        index = load_index(work, SETTINGS, FakeEmbedder())
    except IndexerError as error:  # refused: one sentence that says how to recover
        message = str(error)
        assert "\n" not in message and "build" in message, message
    else:
        got = answers(index)
        if index.notice:  # an intact version serves, and says so
            assert "\n" not in index.notice and "damaged" in index.notice
            # The previous version; or, with the pointer lost, the newest intact one.
            assert got == (after if "bats.txt" in index.manifest.files else before)
        else:  # nothing that matters was touched (the pointer rewritten to the same name)
            assert got == after, name

    build_index(docs, work, SETTINGS, FakeEmbedder())
    repaired = load_index(work, SETTINGS, FakeEmbedder())
    assert repaired.notice is None
    assert answers(repaired) == after


def test_check_command_reports_each_version_and_fails_on_damage(template, tmp_path):
    from .test_core_cli import run

    _, index_dir, _, _ = template
    work = tmp_path / "index"
    shutil.copytree(index_dir, work)
    result = run("check", "--index", str(work), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": intact") == 2 and "is intact." in result.stdout
    damage(locate(work, "texts/*"), "garbled")  # same size: only the checksum sees it
    result = run("check", "--index", str(work), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout
    assert "(current): damaged: texts/" in result.stdout and "does not match" in result.stdout
    assert result.stderr.startswith("warning: The index in") and "damaged (texts/" in result.stderr
    assert f"run `python -m indexer build --index {work}` to repair it." in result.stderr


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("name", LAYOUT)
def test_with_no_earlier_version_a_damaged_index_is_refused_then_rebuilt(tmp_path, name, how):
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write(docs, FILES)
    build_index(docs, index_dir, SETTINGS, FakeEmbedder())
    damage(locate(index_dir, name), how)
    try:
        index = load_index(index_dir, SETTINGS, FakeEmbedder())
    except IndexerError as error:
        assert "\n" not in str(error) and "python -m indexer build" in str(error)
    else:
        if name == "texts/*":  # served: a text is checked when it is read, and refused then
            with pytest.raises(IndexerError, match="damaged.*python -m indexer build"):
                [index.document_text(source) for source in index.manifest.files]
        else:  # only a lost pointer leaves the one version intact: served, and said so
            assert name == "CURRENT" and index.notice and "damaged" in index.notice
    build_index(docs, index_dir, SETTINGS, FakeEmbedder())
    repaired = load_index(index_dir, SETTINGS, FakeEmbedder())
    assert repaired.notice is None
    assert [repaired.document_text(source) for source in sorted(FILES)] == [
        FILES[source] for source in sorted(FILES)
    ]


def test_a_version_checksummed_with_sha256_before_xxh3_is_still_checked(tmp_path):
    import hashlib
    import json

    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    write(docs, FILES)
    build_index(docs, index_dir, SETTINGS, FakeEmbedder())
    folder = current_version(index_dir)
    listing = json.loads((folder / "checksums.json").read_text(encoding="utf-8"))
    old = {
        name: {
            "size": entry["size"],
            "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
        }
        for name, entry in listing.items()
    }
    (folder / "checksums.json").write_text(json.dumps(old), encoding="utf-8")
    assert load_index(index_dir, SETTINGS, FakeEmbedder()).notice is None
    damage(folder / "vectors.npy", "overwritten")
    with pytest.raises(IndexerError, match=r"vectors\.npy does not match its checksum"):
        load_index(index_dir, SETTINGS, FakeEmbedder())
