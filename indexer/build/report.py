"""What a build did: the report the CLI prints, the page shows and the manifest keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..errors import counted
from ..read.paged import Skipped


@dataclass(frozen=True)
class Changes:
    """How the documents folder differs from the version in service, file by file."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (copy, original)

    def any_content(self) -> bool:
        """Whether any file was added, changed, removed or renamed."""
        return bool(self.added or self.changed or self.removed or self.renamed)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: files by fate, skipped files with reasons, passages and time."""

    changes: Changes
    skipped: list[Skipped] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0
    seconds: float = 0.0
    full_rebuild_reason: str | None = None
    repaired: str | None = None  # the damage found in the version that was in service
    low_confidence: list[str] = field(default_factory=list)  # "a.pdf p. 3: read by OCR, 61 %"
    ocr_pages: int = 0  # pages the OCR engine read in this build (not from its cache)
    languages: str = ""  # "81% German, 19% English": the documents' text by language
    model_note: str = ""  # said when some of the text is in languages the model does not read
    model: str = ""  # the model that embedded the documents
    read: int = 0  # files opened and decoded by this build
    resumed_reads: int = 0  # files an interrupted build had read (not read again)
    resumed_files: int = 0  # files whose text an interrupted build had embedded
    resumed_texts: int = 0  # the texts those took to embed (not embedded again)
    reused_reads: int = 0  # unchanged files taken from the version in service (not read again)

    def lines(self) -> list[str]:
        """Return the report as the CLI prints it: what happened to whom, then the summary."""
        c, lines = self.changes, []
        if self.repaired:
            lines.append(f"Repaired the index ({self.repaired}): a whole new version was written.")
        if self.full_rebuild_reason:
            lines.append(f"Rebuilt everything: {self.full_rebuild_reason}")
        lines += [f"renamed {old} -> {new} (not embedded again)" for old, new in c.renamed]
        lines += [
            f"identical copy {copy} = {original} (embedded once, both cited)"
            for copy, original in c.duplicates
        ]
        lines += [f"skipped {skipped.path}: {skipped.reason}" for skipped in self.skipped]
        lines += [f"low OCR confidence: {page}" for page in self.low_confidence]
        if self.resumed_reads or self.resumed_files:
            lines.append(
                f"resumed an interrupted build: {counted(self.resumed_reads, 'file')} it had read "
                f"and {counted(self.resumed_files, 'file')} it had embedded "
                f"({counted(self.resumed_texts, 'text')}) were not done again"
            )
        if self.reused_reads:
            lines.append(
                f"{counted(self.reused_reads, 'unchanged file')} taken from the index, "
                f"not read again; {counted(self.read, 'file')} read"
            )
        if self.languages and self.languages != "100% English":  # said when it matters
            lines.append(f"documents: {self.languages}; model {self.model}")
        if self.model_note:
            lines.append(f"note: {self.model_note}")
        return [*lines, self.summary()]

    def summary(self) -> str:
        """Return the one-line summary people read after a build."""
        c = self.changes
        return (
            f"{len(c.added)} added, {len(c.changed)} changed, {len(c.removed)} removed, "
            f"{len(c.renamed)} renamed, {len(c.unchanged)} unchanged, "
            f"{counted(len(c.duplicates), 'duplicate')}, {len(self.skipped)} skipped; "
            f"{counted(self.passages, 'passage')} ({self.embedded} embedded)"
            + (f", {counted(self.ocr_pages, 'page')} read by OCR" if self.ocr_pages else "")
            + f" in {self.seconds:.1f} s"
        )

    def to_record(self) -> dict:
        """Return the report as JSON values: the manifest of the version it made keeps it."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> BuildReport:
        """Read a report back from to_record's values."""
        record, changes = dict(record), dict(record["changes"])
        for pairs in ("renamed", "duplicates"):
            changes[pairs] = [tuple(pair) for pair in changes[pairs]]
        record["changes"] = Changes(**changes)
        record["skipped"] = [Skipped(**item) for item in record["skipped"]]
        return cls(**record)
