"""What the page says about the index, a build and uploads: Markdown, document text escaped."""

from __future__ import annotations

from ..errors import counted
from .render import escape_markdown

_LISTED_FILES = 20

# What the page shows before there is anything to show.
SEED_EXAMPLES = [
    "How much money does Anthropic make a year?",
    "Why did Anthropic pause the release of its tool?",
    "What is a jailbreak in the context of AI models?",
    "What is the Responsible Scaling Policy?",
]
SEED_MARKER = "002_6d34ce2141a5a6b8.txt"  # examples are only offered beside the bundled seeds
VIEWER_PLACEHOLDER = (
    '<p class="muted">Click a citation to open its document at the cited lines, or choose a '
    "file.</p>"
)
EMPTY_CHAT = (
    "**Ask a question below.** Each answer is a sentence quoted word for word from your "
    "documents, with a citation that opens the file at that line; or a plain “not in the "
    "documents”. Follow up with a few words: “and Google?”"
)
SOURCES_PLACEHOLDER = '<p class="muted">The passages behind the latest answer appear here.</p>'


def manifest_markdown(manifest, notice: str | None = None) -> str:
    """Describe the index in service in a few lines (and why it is an older one, if it is)."""
    files = sorted(manifest.files)
    built = (manifest.built_at or "unknown").replace("T", " ").replace("+00:00", " UTC")
    lines = [
        f"**{counted(len(files), 'file')}, {counted(manifest.passages, 'passage')}** · "
        f"model `{_code(manifest.model)}` · built {built}",
        "",
        "Files: " + _name_list(files),
    ]
    if manifest.skipped:
        lines += ["", "Skipped: " + _skipped_list(manifest.skipped)]
    if notice:
        lines += ["", f"**Warning:** {escape_markdown(notice)}"]
    return "\n".join(lines)


def no_index_markdown(error: Exception) -> str:
    """Say there is no index to describe yet, and how to make one."""
    return f"**No index yet.** {escape_markdown(str(error))} Or click **Rebuild index**."


def report_markdown(report) -> str:
    """Describe a build report: files by fate, skipped files with their reasons."""
    changes = report.changes
    rows = [
        ("Added", changes.added),
        ("Changed", changes.changed),
        ("Removed", changes.removed),
        ("Renamed or moved", [f"{old} → {new}" for old, new in changes.renamed]),
        ("Identical copies", [f"{copy} = {original}" for copy, original in changes.duplicates]),
        ("Unchanged", changes.unchanged),
    ]
    lines = [
        f"**Index updated** in {report.seconds:.1f} s: {counted(report.passages, 'passage')}, "
        f"{report.embedded} newly embedded."
    ]
    for label, paths in rows:
        lines.append(f"- {label} ({len(paths)}): {_name_list(paths) if paths else '—'}")
    lines.append(f"- Skipped ({len(report.skipped)}): {_skipped_list(report.skipped) or '—'}")
    if report.languages:
        shown = escape_markdown(f"{report.languages}; model {report.model}")
        lines.append(f"- Documents: {shown}")
    if report.model_note:
        lines.append(f"- Note: {escape_markdown(report.model_note)}")
    if report.low_confidence:
        low = ", ".join(escape_markdown(page) for page in report.low_confidence)
        lines.append(f"- Low OCR confidence ({len(report.low_confidence)}): {low}")
    if report.repaired:
        lines.append(f"\nRepaired the index ({escape_markdown(report.repaired)}).")
    if report.full_rebuild_reason:
        lines.append(f"\nEverything was re-embedded: {escape_markdown(report.full_rebuild_reason)}")
    return "\n".join(lines)


def uploads_markdown(saved: list[str], refused: list[str], total: int) -> str:
    """Describe what became of each uploaded file (saved or refused, with the sentence why)."""
    lines = [f"- {escape_markdown(message)}" for message in saved]
    lines += [f"- Not saved: {escape_markdown(message)}" for message in refused]
    return f"**Uploads** ({len(saved)} of {total} saved):\n\n" + "\n".join(lines)


def indexed_markdown(names: set[str], report) -> str:
    """Say the uploads were indexed, naming any the build skipped and why (a scan needs OCR)."""
    skipped = {s.path: s.reason for s in report.skipped if s.path in names}
    lines = [
        f"- **Not indexed:** {escape_markdown(name)}: {escape_markdown(reason)}"
        for name, reason in sorted(skipped.items())
    ]
    indexed = len(names) - len(skipped)
    head = f"**Indexed** in {report.seconds:.1f} s: {counted(indexed, 'new file')} answerable now."
    return "\n".join([head, *lines])


def follow_up_note(read_as: str) -> str:
    """Say how a follow-up question was read, under its answer."""
    return f"*Read as a follow-up: {escape_markdown(read_as)}*"


def on_its_own_label(question: str) -> str:
    """Label the button that asks a question read as a follow-up as typed instead."""
    shown = question if len(question) <= 60 else question[:59] + "…"
    return f"Ask “{shown}” on its own"


def _skipped_list(skipped) -> str:
    return "; ".join(f"{escape_markdown(s.path)} ({escape_markdown(s.reason)})" for s in skipped)


def _name_list(paths: list[str]) -> str:
    shown = ", ".join(escape_markdown(p) for p in paths[:_LISTED_FILES])
    more = len(paths) - _LISTED_FILES
    return shown + (f" … and {more} more" if more > 0 else "") if paths else "none"


def _code(text: str) -> str:
    """Return text for a Markdown code span, which shows backslash escapes literally."""
    return text.replace("`", "'")
