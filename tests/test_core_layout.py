"""The shape of the package: one folder per stage, imports run one way, no cycle, short modules."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "indexer"
FILES = sorted(PACKAGE.rglob("*.py"))
# The index's arrays and bm25s's internals: only the folder store, its keyword index and the
# loaded local index read them.
INTERNALS = {"units_from", "_units_from", "retriever", "vocab_dict", "stored"}
OWNERS = {"store.disk", "store.keywords", "search.local_index"}
MAX_LINES = 330
# Every folder (a stage) and top-level module, in the order a document travels: each imports only
# from its own place or an earlier one, from reading files to the page and the command line.
ORDER = [
    "errors",
    "settings",
    "read",
    "records",
    "embed",
    "store",
    "build",
    "search",
    "answer",
    "page",
    "cli",
    "__main__",
    "__init__",  # the public API, re-exported from the stages
]
RANK = {place: rank for rank, place in enumerate(ORDER)}


def module_name(path: Path) -> str:
    """Return a file's module name in the package: "store.milvus.rows", "store", "__init__"."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]  # a folder's __init__.py is the folder
    return ".".join(parts)


def modules() -> dict[str, ast.Module]:
    return {module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in FILES}


def imports_of(path: Path, tree: ast.Module, known: set[str]) -> set[str]:
    """Return the package modules a module imports anywhere, function bodies included."""
    here = list(path.relative_to(PACKAGE).parent.parts)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # from ..store import disk: up level - 1 folders from here
                target = here[: len(here) - node.level + 1] + (node.module or "").split(".")
            elif (node.module or "").split(".")[0] == "indexer":
                target = node.module.split(".")[1:]
            else:
                continue
            target = [part for part in target if part]
            for alias in node.names:  # the name imported may be a module itself
                module = ".".join([*target, alias.name])
                found.add(module if module in known else ".".join(target) or "__init__")
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            found.update(name.split(".", 1)[1] for name in names if name.startswith("indexer."))
    return found


def import_graph() -> dict[str, set[str]]:
    """Return each module's imports of other modules of the package."""
    known = {module_name(path) for path in FILES}
    graph = {}
    for path in FILES:
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = imports_of(path, tree, known) - {name}
    return graph


def place(module: str) -> str:
    """Return the folder a module lies in, or the top-level module itself."""
    return module.split(".")[0]


def backward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Return each (module, imported) pair where a module imports from a later place."""
    return sorted(
        (name, other)
        for name, imported in graph.items()
        for other in imported
        if RANK[place(other)] > RANK[place(name)]
    )


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as a path of module names, or None."""
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = "open"
        for other in sorted(graph.get(name, ())):
            if state.get(other) == "open":
                return path[path.index(other) :] + [other] if other in path else [name, other]
            if other not in state and (cycle := visit(other, path + [other])):
                return cycle
        state[name] = "done"
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name, [name])):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_inside_the_package():
    graph = import_graph()
    # The graph is really read: relative imports up folders, module imports, lazy imports.
    assert graph["search.local_index"] >= {"store.disk", "store.versions", "search.fusion"}
    assert graph["store.milvus.rows"] >= {"store.disk", "read.terms", "store.ann"}
    assert graph["answer.index"] >= {"answer.pipeline", "search.milvus_index"}
    assert graph["cli"] >= {"answer.index", "build.watch", "store.milvus.store"}
    assert graph["__init__"] >= {"answer.index", "build.update", "errors", "records"}
    assert find_cycle(graph) is None


def test_the_order_check_finds_an_import_against_the_order():
    graph = {"read.documents": {"page.render", "errors"}, "page.render": {"read.documents"}}
    assert backward_imports(graph) == [("read.documents", "page.render")]
    assert backward_imports({"page.render": {"read.documents"}, "cli": {"page.render"}}) == []


def test_imports_run_from_reading_to_the_page():
    graph = import_graph()
    assert {place(name) for name in graph} == set(ORDER)  # a new folder must take its place
    assert backward_imports(graph) == []


def test_only_the_store_and_search_read_the_index_arrays_and_bm25s_internals():
    readers = {
        name: sorted({node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)})
        for name, tree in modules().items()
    }
    offenders = {
        name: sorted(INTERNALS & set(attrs))
        for name, attrs in readers.items()
        if name not in OWNERS and INTERNALS & set(attrs)
    }
    assert offenders == {}
    assert "vocab_dict" in readers["store.keywords"]  # the check sees attribute reads


def test_modules_stay_short():
    sizes = {str(path.relative_to(ROOT)): len(path.read_text().splitlines()) for path in FILES}
    sizes["app.py"] = len((ROOT / "app.py").read_text().splitlines())
    assert len(sizes) > 50  # every module of every folder is counted
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
