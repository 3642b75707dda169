"""A question in a language the index's model does not read, answered by a multilingual companion.

An English folder is built with the English model, which reads English only: a German question
on it found the right sentence for 0.28 of XQuAD's questions, against 0.71 in English. Such a
question is answered from a companion index of the same texts embedded with multilingual-e5-small,
in the index folder's `multilingual/` (an index folder of its own: versions, lock, checkpoint).
It is built by the first such question (who asks in English never pays for it), from the index's
own texts (no file is read again, so its quotes are the same slices of the same texts), brought
up to date when the index changed (only new texts are embedded), and kept loaded in the process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from ..embed.embedders import E5_MODEL
from ..errors import IndexDamagedError, IndexerError
from ..read.languages import NOT_ENGLISH, name
from ..read.progress import report_progress

FOLDER = "multilingual"  # inside the index folder, beside its versions
# Building the companion, measured on 2 busy cores (multilingual-e5-small, int8 ONNX): 24-28 ms
# a passage or sentence (each is encoded on its own), and about 2 s to load the model and write
# the version. The English model built the same folders 2.3-4.2 times faster (it pools a
# passage from its sentences' passes); a version's build_seconds is only its last build's.
SECONDS_PER_TEXT = 0.025
SECONDS_FIXED = 2.0
NOTICES = logging.getLogger("verbatim")  # the CLI and the app print these lines on stderr


@dataclass
class _Kept:
    """A companion loaded, or the reason it could not be built, for one version of the index."""

    follows: object  # the index's manifest it was checked against
    index: object = None
    failure: str = ""


_kept: dict[Path, _Kept] = {}
_locks: dict[Path, threading.Lock] = {}
_guard = threading.Lock()
_embedders: dict = {}


def answer_elsewhere(index, question: str, scope, progress, load):
    """Answer from the companion if the index's model does not read the question's language;
    None when the index answers it itself (or its companion could not be built).

    load opens an index folder (answer.index.load_index).
    """
    code = unread_language(index, question)
    if code is None:
        return None
    companion = ready(index, code, progress, load)
    if companion is None:
        return None
    answer = companion.answer(question, scope)
    how = f"with the multilingual vectors: the question is in {name(code)}."
    if answer.refused:
        return replace(answer, reason=f"{answer.reason} Searched {how}".strip())
    return replace(answer, reason=f"Found {how}")


def unread_language(index, question: str) -> str | None:
    """Return the question's language code when the index's model does not read it, else None."""
    from ..embed.embedders import reads_language
    from ..read.languages import detect, lead_over_english

    if getattr(index, "index_dir", None) is None:
        return None
    code = detect(question)
    if reads_language(index.embedder, code) or lead_over_english(question) <= NOT_ENGLISH:
        return None
    return code


def ready(index, code: str, progress, load):
    """Return the index's companion, up to date with it, building it first if need be; None
    (said once on stderr) if it cannot be built."""
    folder = Path(index.index_dir) / FOLDER
    with _guard:
        lock = _locks.setdefault(folder, threading.Lock())
    with lock:
        kept = _kept.get(folder)
        if kept is not None and kept.follows is index.manifest:
            if kept.failure:
                return None
            if _still_served(kept.index, folder):
                return kept.index
        try:
            companion = _load(folder, index, load)
            if companion is None or _files(companion.manifest) != _files(index.manifest):
                old = companion.manifest if companion is not None else None
                said = building_message(index.manifest, code, old)
                NOTICES.info(said)
                report_progress(progress, said, 0, 0)  # a sentence, not a count: said first
                _build(folder, index, progress)
                companion = _load(folder, index, load)
        except IndexerError as error:
            NOTICES.warning(f"The multilingual vectors could not be built: {error}")
            _kept[folder] = _Kept(index.manifest, failure=str(error))
            return None
        companion.scans = index.scans  # the OCR readings are the index's, beside its versions
        _kept[folder] = _Kept(index.manifest, companion)
        return companion


def _still_served(companion, folder: Path) -> bool:
    """Whether the companion loaded is the version in service, and intact since its check."""
    from ..store.versions import current_version

    current = current_version(folder)
    if current is None or current.name != companion.folder.name:
        return False  # another process brought it up to date: load that one
    try:
        companion.check_unchanged()
    except IndexDamagedError:
        return False
    return True


def _load(folder: Path, index, load):
    """Load the companion's version in service; None if there is none it can serve."""
    if not folder.is_dir():
        return None
    try:
        return load(folder, settings_of(index), multilingual_embedder(settings_of(index)))
    except IndexerError:  # none yet, damaged, or made with other settings: built again
        return None


def _build(folder: Path, index, progress) -> None:
    """Build or update the companion from the index's own texts."""
    from ..build.update import build_index

    settings = settings_of(index)
    docs = index.manifest.docs_dir or str(index.index_dir)
    reading = index_reading(index)
    build_index(docs, folder, settings, multilingual_embedder(settings), progress, reading)


def settings_of(index):
    """Return the companion's settings: the index's, with the multilingual model, in a folder
    (on Milvus too: the companion is kept locally, in the index folder)."""
    return replace(index.settings, model=E5_MODEL, milvus_uri="")


def multilingual_embedder(settings):
    """Return the process's multilingual-e5-small, loaded once for every companion."""
    from ..embed.choice import embedder_for

    with _guard:
        if E5_MODEL not in _embedders:
            _embedders[E5_MODEL] = embedder_for(settings)
        return _embedders[E5_MODEL]


def index_reading(index):
    """Return the index's files as documents, their texts as it indexed them (no file is read)."""
    from ..build.reading import Reading
    from ..build.reuse import document_of

    texts: dict[str, str] = {}
    documents = []
    for path, entry in index.manifest.files.items():
        if entry.text_sha256 not in texts:
            texts[entry.text_sha256] = index.document_text(path)
        documents.append(document_of(path, entry, texts[entry.text_sha256]))
    return Reading(documents, list(index.manifest.skipped), reader=index.manifest.reader)


def _files(manifest) -> dict:
    """Return what must agree between the index and its companion: each file's bytes and text."""
    return {path: (e.sha256, e.text_sha256) for path, e in manifest.files.items()}


def building_message(manifest, code: str, companion=None) -> str:
    """Say what a question in language code sets off, with an estimate of how long it takes.

    companion is the manifest of the companion built before, if any (only new texts embed).
    """
    known = {e.text_sha256 for e in companion.files.values()} if companion else set()
    new: dict[str, int] = {}
    for entry in manifest.files.values():
        if entry.text_sha256 not in known and not entry.same_as:
            new[entry.text_sha256] = entry.passages + entry.units
    seconds = SECONDS_FIXED + SECONDS_PER_TEXT * sum(new.values())
    asked = name(code)
    if companion is not None:
        now, before = _files(manifest), _files(companion)
        changed = len({p for p in now if before.get(p) != now[p]} | (before.keys() - now.keys()))
        files = f"{changed} file{'s' if changed != 1 else ''} changed"
        return f"{asked} question: updating the multilingual vectors ({files}), ~{_took(seconds)}"
    written = _main_language(manifest)
    on = (
        f"on {_article(written)} {written} index"
        if written != asked
        else "on an index whose model reads English only"
    )
    return f"{asked} question {on}: building the multilingual vectors once, ~{_took(seconds)}"


def _main_language(manifest) -> str:
    """Name the language most of the index's passages are in."""
    shares: dict[str, int] = {}
    for entry in manifest.files.values():
        shares[entry.language or "en"] = shares.get(entry.language or "en", 0) + entry.passages
    return name(max(shares, key=shares.get)) if shares else name("en")


def _article(word: str) -> str:
    return "an" if word[:1] in "AEIO" or word == "Urdu" else "a"


def _took(seconds: float) -> str:
    """Say a duration as a reader estimates one: 40 s, 3 min, 2 h."""
    if seconds < 120:
        return f"{max(1, round(seconds))} s"
    if seconds < 7200:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600)} h"
