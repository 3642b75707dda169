"""The query language of ask, find, search and the MCP tools, parsed once into a Query.

    "exact phrase"   -word   -"a phrase"   type:pdf   in:contracts/   after:2024-03-01
    before:2025-01-01   lang:de

A phrase matches the indexed text whatever its case, line breaks and hyphenation; `-word` and
`-"phrase"` drop the passages holding them; type:, in: and lang: may be given more than once
(or as type:pdf,docx) and keep the files any of them names; after: and before: compare the
file's modified date in the documents folder the index was built from. What is left is the
free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..errors import QueryError

FILTERS = ("type", "in", "after", "before", "lang")
HELP = (
    '"exact phrase", -word, -"phrase", type:pdf, in:folder/ (or a file), '
    "after:YYYY-MM-DD and before:YYYY-MM-DD (the file's modified date), lang:de"
)
SYNTAX = """query syntax (find, ask and search):
  "exact phrase"     these words in this order, whatever the case, line breaks, hyphenation
  -word, -"phrase"   leave out the passages that hold them
  type:pdf           files of a format or extension; several: type:pdf type:docx
  in:contracts/      files in a folder, or one file (as the index names them)
  after:2024-03-01   files modified on that day or later
  before:2024-03-01  files modified before that day
                     (both: the file's modified date in the documents folder)
  lang:de            files in a language (ISO 639-1 code, as detected)
  anything else is the free text: find keeps the passages holding all its words"""
_OPEN, _CLOSE = '"“„«「『', '"”“»」』'  # straight, English, German, French, CJK quotes
_PHRASE = re.compile(f"(-?)[{_OPEN}]([^{_CLOSE}]*)(?:[{_CLOSE}]|$)")
_FILTER = re.compile(r"(-?)([A-Za-z]+):(\"[^\"]*\"?|\S*)")
_EXCLUDED = re.compile(r"-([^\W\d_](?:[\w'’-]*\w)?)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Query:
    """A query read: the phrases and words it needs or excludes, the files it keeps, the rest."""

    text: str  # the free text: what is left once the syntax is taken out
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # words and phrases a passage must not hold
    types: tuple[str, ...] = ()  # formats or extensions: pdf, docx, md, txt…
    places: tuple[str, ...] = ()  # files or folders, as the index names them
    after: date | None = None  # modified on this day or later
    before: date | None = None  # modified before this day
    languages: tuple[str, ...] = ()
    # The question as a reader asks it: the free text with the phrases' words in their places.
    question: str = field(default="", compare=False)

    @property
    def filters_files(self) -> bool:
        """Whether the query keeps only some files (by type, place, date or language)."""
        return bool(self.types or self.places or self.after or self.before or self.languages)

    @property
    def filters_said(self) -> str:
        """Return the filters as they are written: 'type:pdf in:contracts/ after:2024-03-01'."""
        said = [f"type:{kind}" for kind in self.types] + [f"in:{place}" for place in self.places]
        said += [f"after:{self.after}"] if self.after else []
        said += [f"before:{self.before}"] if self.before else []
        return " ".join(said + [f"lang:{code}" for code in self.languages])

    @property
    def narrows(self) -> bool:
        """Whether the query asks more than its free text: filters, phrases or exclusions."""
        return self.filters_files or bool(self.phrases or self.excluded)


def parse_query(query: str) -> Query:
    """Read the syntax out of a query; a filter it does not know or cannot read is one sentence."""
    found: dict[str, list] = {name: [] for name in (*FILTERS, "phrases", "excluded")}
    free, asked, at = [], [], 0
    while at < len(query):
        starts_token = at == 0 or query[at - 1].isspace()
        quoted = query[at] in _OPEN or _opens_excluded(query, at)
        phrase = _PHRASE.match(query, at) if quoted else None
        if phrase and (starts_token or not phrase.group(1)):
            words = " ".join(phrase.group(2).split())
            if words:
                found["excluded" if phrase.group(1) else "phrases"].append(words)
                if not phrase.group(1):
                    asked.append(words)
            at = phrase.end()
            continue
        token = _FILTER.match(query, at) if starts_token else None
        if token and _is_filter(token):
            _read_filter(token, found)
            at = token.end()
            continue
        excluded = _EXCLUDED.match(query, at) if starts_token else None
        if excluded:
            found["excluded"].append(excluded.group(1))
            at = excluded.end()
            continue
        end = _token_end(query, at)
        free.append(query[at:end])
        asked.append(query[at:end])
        at = end
    after, before = (found[name][-1] if found[name] else None for name in ("after", "before"))
    if after and before and after >= before:
        raise QueryError(
            f"after:{after} is not before before:{before}; no file can be modified in between."
        )
    return Query(
        " ".join("".join(free).split()), tuple(found["phrases"]), tuple(found["excluded"]),
        tuple(dict.fromkeys(found["type"])), tuple(dict.fromkeys(found["in"])), after, before,
        tuple(dict.fromkeys(found["lang"])), " ".join(" ".join(asked).split()),
    )  # fmt: skip


def _opens_excluded(query: str, at: int) -> bool:
    return query[at] == "-" and at + 1 < len(query) and query[at + 1] in _OPEN


def _token_end(query: str, at: int) -> int:
    """Return where the run of free text starting at `at` stops: before the next syntax."""
    end = at + 1
    while end < len(query) and not (query[end - 1].isspace() and not query[end].isspace()):
        if query[end] in _OPEN:
            return end
        end += 1
    return end


def _is_filter(token: re.Match) -> bool:
    """Whether a `word:value` is meant as a filter: a known one, or one that looks like it
    (a lower-case word with a value), but not a link (https://…) or a time (10:30)."""
    key, value = token.group(2), token.group(3)
    if key.lower() in FILTERS:
        return True
    return key.islower() and len(key) <= 12 and bool(value) and not value.startswith("//")


def _read_filter(token: re.Match, found: dict) -> None:
    negated, key, value = token.group(1), token.group(2), token.group(3).strip('"')
    name = key.lower()
    if name not in FILTERS:
        raise QueryError(
            f"{key}: is not a filter; use type:, in:, after:, before: or lang:, or put the "
            f'words in quotes ("{key}:{value}") to find them as text.'
        )
    if negated:
        raise QueryError(
            f"-{name}: cannot exclude; name what to keep instead ({name}:…), or exclude words "
            "with -word."
        )
    if not value:
        example = {"type": "pdf", "in": "contracts/", "lang": "de"}.get(name, "2024-03-01")
        raise QueryError(f"{name}: needs a value, as in {name}:{example}.")
    if name in ("after", "before"):
        found[name].append(_date(name, value))
    elif name == "lang":
        codes = [code.lower() for code in value.split(",") if code]
        bad = next((code for code in codes if not _LANGUAGE.fullmatch(code)), None)
        if bad is not None:
            raise QueryError(f"lang: takes a language code such as de, en or zh, not {bad!r}.")
        found[name].extend(codes)
    elif name == "type":
        found[name].extend(kind.lower().lstrip(".") for kind in value.split(",") if kind)
    else:
        found[name].append(value)


def _date(name: str, value: str) -> date:
    """Read a date given as YYYY-MM-DD, or say in one sentence what the filter takes."""
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise QueryError(
        f"{name}: takes a date as YYYY-MM-DD (the file's modified date), not {value!r}."
    )
