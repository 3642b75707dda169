"""Verbatim: answer questions about a folder of documents with exact, cited quotes."""

from .answer.index import Index, load_index
from .build.update import BuildReport, build_index
from .errors import IndexerError
from .records import Answer, Hit, Quote
from .settings import Settings

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
