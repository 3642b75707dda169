"""Verbatim: answer questions about a folder of documents with exact, cited quotes."""

from typing import TYPE_CHECKING

from .errors import IndexerError
from .records import Answer, Hit, Quote
from .settings import Settings

if TYPE_CHECKING:
    from .answer.index import Index, load_index
    from .build.update import BuildReport, build_index

__all__ = [
    "Answer",
    "BuildReport",
    "Hit",
    "Index",
    "IndexerError",
    "Quote",
    "Settings",
    "build_index",
    "load_index",
]


def __getattr__(name: str):
    """Import the answering or the building stages on first use of their names: a process
    importing a stage (the model alone, or answering alone) does not pay for the others."""
    if name in ("Index", "load_index"):
        from .answer import index as stage
    elif name in ("BuildReport", "build_index"):
        from .build import update as stage
    else:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    return getattr(stage, name)
