"""Reading a documents folder: every encoding decoded right, every bad file skipped with why."""

from __future__ import annotations

import os
import signal
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest

from indexer import build_index, load_index
from indexer.read.documents import Document, Skipped, find_files, read_document

from .conftest import SEEDS
from .fakes import FakeEmbedder

MAX_BYTES = 50_000_000

FRENCH = (
    "Le comité a étudié la sécurité des modèles à Paris.\n"
    "Voilà pourquoi l'équipe préfère une approche très prudente, déjà adoptée en Île-de-France.\n"
    "Où en est la réglementation européenne ? Ça dépend des États membres.\n"
)
# Mostly valid UTF-8 with multi-byte characters, broken by one stray continuation byte.
CORRUPT_UTF8 = (
    "Résumé : la société a publié un rapport détaillé.\n".encode()
    + b"\x80"
    + "Les conclusions sont déjà connues — voilà tout.\n".encode()
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    + zlib.compress(bytes(range(256)) * 8)
)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read(folder: Path, name: str):
    return read_document(folder, folder / name, MAX_BYTES)


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging if the block runs longer than seconds."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            "Plain text, naïve café, 東京, emoji 🙂.\n".encode(),
            "Plain text, naïve café, 東京, emoji 🙂.\n",
            id="utf-8",
        ),
        pytest.param(
            b"\xef\xbb\xbf" + "Texte avec BOM : déjà vu.\n".encode(),
            "Texte avec BOM : déjà vu.\n",
            id="utf-8-bom",
        ),
        pytest.param(
            "Little-endian UTF-16: Grüße, 東京.\r\n".encode("utf-16"),
            "Little-endian UTF-16: Grüße, 東京.\r\n",
            id="utf-16-bom",
        ),
        pytest.param(
            b"\xfe\xff" + "Big-endian UTF-16: Grüße.\n".encode("utf-16-be"),
            "Big-endian UTF-16: Grüße.\n",
            id="utf-16-be-bom",
        ),
        pytest.param(FRENCH.encode("cp1252"), FRENCH, id="cp1252-french"),
        pytest.param(
            "Prix : 5 € — « très » cher, dit-il.\nÇa coûte déjà trop à Noël.\n".encode("cp1252"),
            "Prix : 5 € — « très » cher, dit-il.\nÇa coûte déjà trop à Noël.\n",
            id="cp1252-euro-quotes",
        ),
        pytest.param(FRENCH.encode("latin-1"), FRENCH, id="latin-1-french"),
    ],
)
def test_text_is_decoded_exactly(tmp_path, data, expected):
    write(tmp_path, "doc.txt", data)
    result = read(tmp_path, "doc.txt")
    assert isinstance(result, Document), result
    # A BOM is not text: offsets and quotes refer to the decoded characters only.
    assert result.text == expected
    assert result.path == "doc.txt"


@pytest.mark.parametrize(
    ("data", "reason_words"),
    [
        pytest.param(PNG, ["image"], id="png-renamed-txt"),  # read as the image it is
        pytest.param(b"", ["empty"], id="empty"),
        pytest.param(b"  \n\t\r\n   \n", ["empty"], id="whitespace-only"),
        pytest.param(CORRUPT_UTF8, ["utf-8"], id="corrupt-utf-8"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(tmp_path, data, reason_words):
    write(tmp_path, "bad.txt", data)
    result = read(tmp_path, "bad.txt")
    assert isinstance(result, Skipped), result
    assert result.path == "bad.txt"
    for word in reason_words:
        assert word in result.reason.lower(), result.reason


def test_unreadable_files_are_skipped(tmp_path):
    (tmp_path / "x.txt").symlink_to(tmp_path / "missing-target.txt")
    names = ["x.txt"]
    if os.geteuid() != 0:  # root reads a chmod 000 file anyway
        locked = write(tmp_path, "locked.txt", "Secret text that cannot be read.\n")
        locked.chmod(0)
        names.append("locked.txt")
    for name in names:
        result = read(tmp_path, name)
        assert isinstance(result, Skipped), result
        assert result.path == name
        assert result.reason.strip()


def test_folder_walk_finds_nested_files_and_ignores_the_rest(tmp_path):
    docs = tmp_path / "docs"
    write(docs, "top.txt", "Top level.\n")
    write(docs, "notes.md", "# Notes\n")
    write(docs, "a/b/deep.txt", "Deep down.\n")
    write(docs, "a/mid.md", "Middle.\n")
    write(docs, ".hidden.txt", "Hidden file.\n")
    write(docs, ".git/COMMIT_EDITMSG.txt", "Git internals.\n")
    write(docs, ".obsidian/cache.md", "Editor state.\n")
    write(docs, "a/.secret/inner.txt", "Inside a hidden folder.\n")
    write(docs, "image.png", PNG)
    write(docs, "data.csv", "a,b\n1,2\n")
    write(docs, "archive.zip", b"PK\x03\x04")
    write(docs, "script.py", "print('hi')\n")
    write(docs, "notes.txt.bak", "Backup.\n")

    names = [path.relative_to(docs).as_posix() for path in find_files(docs)]

    assert sorted(names) == [
        "a/b/deep.txt",
        "a/mid.md",
        "data.csv",
        "image.png",
        "notes.md",
        "top.txt",
    ]


def test_symlink_loop_does_not_hang_or_duplicate(tmp_path, fake_embedder, settings):
    docs = tmp_path / "docs"
    write(docs, "sub/inner.txt", "The inner file talks about pelicans and their nests.\n")
    write(docs, "outer.txt", "The outer file talks about walruses on the ice.\n")
    (docs / "sub" / "back").symlink_to(docs, target_is_directory=True)
    (docs / "sub" / "self").symlink_to(docs / "sub", target_is_directory=True)

    with deadline(20):
        report = build_index(docs, tmp_path / "index", settings, fake_embedder)

    assert sorted(report.changes.added) == ["outer.txt", "sub/inner.txt"]


def test_build_over_bad_files_finishes_and_serves_the_good_ones(tmp_path, settings):
    docs = tmp_path / "docs"
    good = {
        "good.txt": "Ocelots hunt at night in the rainforest. They are small wild cats.\n",
        "nested/deeper/good.md": "# Herons\n\nGrey herons wade in shallow water to catch fish.\n",
        "latin.txt": FRENCH,
    }
    for name, text in good.items():
        write(docs, name, text.encode("cp1252" if name == "latin.txt" else "utf-8"))
    write(docs, "binary.txt", PNG)
    write(docs, "empty.txt", b"")
    write(docs, "blank.md", "   \n\n\t\n")
    write(docs, "corrupt.txt", CORRUPT_UTF8)
    (docs / "x.txt").symlink_to(docs / "gone.txt")
    (docs / "nested" / "loop").symlink_to(docs, target_is_directory=True)
    write(docs, "ignored.dat", "not a supported kind of file\n")

    with deadline(30):
        report = build_index(docs, tmp_path / "index", settings, FakeEmbedder())

    skipped = {s.path: s.reason.lower() for s in report.skipped}
    assert set(skipped) == {"binary.txt", "empty.txt", "blank.md", "corrupt.txt", "x.txt"}
    assert "image" in skipped["binary.txt"]  # a PNG by content, unreadable
    assert "empty" in skipped["empty.txt"]
    assert "empty" in skipped["blank.md"]
    assert "utf-8" in skipped["corrupt.txt"]
    assert sorted(report.changes.added) == sorted(good)

    index = load_index(tmp_path / "index", settings, FakeEmbedder())
    assert index.search("ocelots rainforest", 1)[0].source == "good.txt"
    assert index.search("grey herons", 1)[0].source == "nested/deeper/good.md"
    french_hit = index.search("approche prudente", 1)[0]
    assert french_hit.source == "latin.txt"
    assert "une approche très prudente, déjà adoptée" in french_hit.text


def test_seeds_decode_as_utf8_exactly():
    for path in sorted(SEEDS.glob("*.txt")):
        result = read(SEEDS, path.name)
        assert isinstance(result, Document), result
        assert result.text == path.read_bytes().decode("utf-8")
