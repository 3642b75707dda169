"""The index a server answers from: loaded on first use, swapped whole for each new version."""

from __future__ import annotations

import threading
from pathlib import Path

from ..answer.followups import contextual_question
from ..answer.index import Index, load_index
from ..build.update import BuildReport, Progress, build_index
from ..embed.choice import embedder_for
from ..embed.embedders import Embedder
from ..errors import DocumentsFolderError, IndexDamagedError, IndexerError, NoIndexError
from ..read.documents import find_files
from ..search.query import check_question
from ..settings import Settings, resolved_folder
from ..store.versions import current_version


class LiveIndex:
    """A documents folder, its index folder and the version in service, safe across threads."""

    def __init__(self, docs_dir, index_dir, settings=None, embedder: Embedder | None = None):
        # Resolved here as in Settings: paths the page builds under them compare with theirs.
        self.docs_dir = Path(resolved_folder(docs_dir))
        self.index_dir = Path(resolved_folder(index_dir))
        self.settings = settings or Settings.from_env()
        if embedder is None:
            # Two copies of the model: a rebuild embeds in its own thread while the
            # answering copy, shared by concurrent questions behind a lock, stays free.
            self.query_embedder = embedder_for(self.settings)
            self.build_embedder = embedder_for(self.settings)
        else:
            self.query_embedder = self.build_embedder = embedder
        self._index: Index | None = None
        self._seen: str | None = None  # the version in service when _index was loaded
        self._load_lock = threading.Lock()

    @property
    def index(self) -> Index:
        """Return the index loaded, loading it on first use (current() also takes up new ones)."""
        index = self._index
        if index is None:
            with self._load_lock:
                if self._index is None:
                    self._index, self._seen = self._load()
                index = self._index
        return index

    @property
    def version(self) -> str:
        """Name the version in service when the index was last loaded or checked."""
        return self._seen or ""

    def current(self) -> Index:
        """Return the index in service, first taking up a version put in service since it loaded.

        Any process may build (`python -m indexer build` in a terminal, a second page): the
        pointer to the version in service, a small file (on Milvus, the alias), is read at
        each question, and a new version is loaded once, by the first question to see it.
        """
        return self._follow(quiet=True)

    def reload(self) -> None:
        """Load the newest index version and put it in service; answers in flight finish."""
        fresh = self._load()
        with self._load_lock:
            self._index, self._seen = fresh

    def _follow(self, quiet: bool) -> Index:
        index = self.index
        if self._in_service(index) == self._seen:
            return index
        with self._load_lock:
            if self._index is index:  # not taken up meanwhile by another thread
                try:
                    self._index, self._seen = self._load()
                except IndexerError:
                    if not quiet:
                        raise
                    # A version that cannot serve (another model, say): keep the one loaded,
                    # and do not try it again at every question.
                    self._seen = self._in_service(index)
            return self._index

    def _in_service(self, index: Index | None = None) -> str | None:
        """Name the version the store has in service now; cheap, as it is read at each question."""
        if not self.settings.milvus_uri:
            current = current_version(self.index_dir)
            return current.name if current else None
        if index is None:
            return None
        from ..store.milvus.store import calls  # Milvus is an optional install

        with calls(self.settings.milvus_uri):
            return index.versions.current()

    def _load(self) -> tuple[Index, str | None]:
        """Load the newest version and name it; with none and no documents, say it is empty."""
        seen = self._in_service()  # read first: a version put in service meanwhile comes next
        try:
            index = load_index(self.index_dir, self.settings, self.query_embedder)
        except NoIndexError:
            if self.has_documents():
                raise
            raise DocumentsFolderError(
                f"The documents folder {self.docs_dir}/ holds no documents yet: add files to "
                "it, then ask again."
            ) from None
        return index, seen if seen is not None else self._in_service(index)

    def has_documents(self) -> bool:
        """Whether the documents folder holds any file of a type the indexer reads."""
        return self.docs_dir.is_dir() and bool(find_files(self.docs_dir))

    def build(
        self, progress: Progress | None = None, embedder: Embedder | None = None
    ) -> BuildReport:
        """Update the index incrementally, then serve the new version; return the report."""
        report = build_index(
            self.docs_dir,
            self.index_dir,
            self.settings,
            embedder or self.build_embedder,
            progress=progress,
        )
        self._follow(quiet=False)  # the version it wrote, if it wrote one
        return report

    def warm_up(self) -> threading.Thread:
        """Load the index and the model in a thread, so the first question is not the slow one.

        The thread's `error` holds the IndexerError that stopped it, if any.
        """

        def run() -> None:
            try:
                try:
                    self.index.encode_query("warm up")
                except (NoIndexError, DocumentsFolderError):  # nothing indexed yet: the model
                    self.query_embedder.encode(["warm up"])  # loads now all the same
            except IndexerError as error:
                thread.error = error

        thread = threading.Thread(target=run, name="warm-up", daemon=True)
        thread.error = None
        thread.start()
        return thread

    def answer(self, question: str, previous: str = "", scope: str | None = None, progress=None):
        """Answer question, read as a follow-up of previous; return (answer, question as read).

        scope, a file or folder of the index, limits the answer to it; progress hears a build
        the question sets off (the multilingual vectors, see answer.companion).
        """
        # Checked before reading it as a follow-up: an empty box is never the last question.
        question = check_question(question, self.settings.max_query_chars)
        read_as = contextual_question(question, previous)
        answered = self._healing(lambda index: index.answer(read_as, scope or None, progress))
        return answered, read_as

    def find(self, query: str, page: int = 1):
        """Return a page of every passage matching query (search.find) in the version in service."""
        from ..search.find import find

        return self._healing(lambda index: find(index, query, page))

    def document_text(self, source: str) -> str:
        """Return a file's indexed text from the version in service (checked as it is read)."""
        return self.document(source)[0]

    def document(self, source: str) -> tuple[str, Index]:
        """Return a file's indexed text and the version it was read from, so both agree."""
        return self._healing(lambda index: (index.document_text(source), index))

    def _healing(self, call):
        """Run call on the index; if it finds the version damaged, load the newest intact one.

        Damage done after a version was loaded (a disk, a sync tool, a person) is seen here,
        so a long-running page passes over it as a fresh start would, or says it in one sentence.
        """
        try:
            return call(self.current())
        except IndexDamagedError:
            self.reload()  # checks every byte again; refuses in one sentence if nothing is intact
            return call(self.index)

    def files(self) -> list[str]:
        """Return the names of the indexed files, or none if there is no index yet."""
        return sorted(self.current().manifest.files)
