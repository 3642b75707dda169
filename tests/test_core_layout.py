"""The shape of the package: no import cycle, stages read the index through its interface."""

from __future__ import annotations

import ast

from .conftest import ROOT

PACKAGE = ROOT / "indexer"
# The index's arrays and bm25s's internals: only the store, search and keyword modules read them.
INTERNALS = {"units_from", "_units_from", "retriever", "vocab_dict", "stored"}
OWNERS = {"search", "store", "keywords"}
MAX_LINES = 330


def modules() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text(encoding="utf-8")) for path in PACKAGE.glob("*.py")}


def imports_of(tree: ast.Module) -> set[str]:
    """Return the package modules a module imports anywhere, function bodies included."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import store
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("indexer."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("indexer."))
    return found


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
    graph = {name: imports_of(tree) - {name} for name, tree in modules().items()}
    assert graph["search"] >= {"answers", "store"}  # the graph is really read
    assert find_cycle(graph) is None


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
    assert "vocab_dict" in readers["keywords"]  # the check sees attribute reads


def test_modules_stay_short():
    sizes = {path.name: len(path.read_text().splitlines()) for path in PACKAGE.glob("*.py")}
    sizes["app.py"] = len((ROOT / "app.py").read_text().splitlines())
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
