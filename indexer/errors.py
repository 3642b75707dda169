"""Expected failures, each carrying one sentence a person can act on; counts said right."""

from pathlib import Path


class IndexerError(Exception):
    """Base class for failures the CLI and the app show as one sentence."""


class DocumentsFolderError(IndexerError):
    """The documents folder is missing, not a folder, or holds nothing to index."""


class NoIndexError(IndexerError):
    """There is no built index where one was expected."""


class IndexMismatchError(IndexerError):
    """The index on disk was built with another model, splitter or format."""


class ModelChangedError(IndexMismatchError):
    """The index was built with another model; rebuild_reason says so to a build."""

    def __init__(self, message: str, rebuild_reason: str):
        super().__init__(message)
        self.rebuild_reason = rebuild_reason


class BuildInProgressError(IndexerError):
    """Another build holds the index folder's lock."""


class QueryError(IndexerError):
    """The question cannot be searched (empty or too long)."""


class ModelLoadError(IndexerError):
    """The embedding model could not be loaded."""


class SettingsError(IndexerError):
    """A setting from the environment, a flag or code has a value it does not accept."""


class DocumentNotIndexedError(IndexerError):
    """A file was asked for by name but is not in the index."""


class IndexDamagedError(IndexerError):
    """Every version of the index failed its checks; a build repairs it."""


class StoreUnavailableError(IndexerError):
    """The configured store (a Milvus server or Milvus Lite file) cannot be used right now."""


class DiskFullError(IndexerError):
    """The disk holding the index ran out of space while a build wrote to it."""


BUILD = "`python -m indexer build`"  # how the messages name the fix; the CLI adds the flags given


def with_flags(message: str, flags: list[str]) -> str:
    """Return a message whose build command carries the flags a command was given, so the
    fix it names builds the index that command reads (`--index nope/`), not the default one."""
    return (
        message.replace(BUILD, f"`python -m indexer build {' '.join(flags)}`") if flags else message
    )


def not_a_folder(path) -> DocumentsFolderError:
    """Say that the documents folder given is missing, or is a file."""
    if Path(path).exists():
        return DocumentsFolderError(
            f"{path} is a file, not a folder; give the folder that holds the documents."
        )
    return DocumentsFolderError(f"The documents folder {path}/ does not exist.")


def counted(number: int, noun: str) -> str:
    """Return "1 passage", "2 passages": a count with its noun in the right number."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
