"""The import graph of ``align`` and ``scrapers``, read from the source with ``ast`` (nothing is imported).

Every import statement counts: module level, inside functions, under ``if
TYPE_CHECKING:`` and in ``try`` blocks. A cycle that only a function-level or
a type-checking import closes is still a cycle: the two modules cannot be
understood, moved or type-checked apart. Rules (``../shared/DESIGN.md``):

* ``scrapers`` never imports ``align``;
* ``align`` imports ``scrapers`` only in ``align/jobs/documents.py``, ``align/jobs/crawling.py`` and ``align/cli/``;
* no cycles among the modules of either package.

``from package import name`` goes to ``package.name`` when that is a module;
when ``package/__init__.py`` only re-exports ``name`` (an eager ``from m import
name``, or an entry of its lazy ``_EXPORTS`` table) it goes to the module that
defines it, since that is the only code the import needs. A package's
``__init__`` that an import runs on the way to a submodule is not an edge.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("align", "scrapers")
# the modules of align that may import scrapers: the pipeline steps that store fetched items (one item, a crawl), and the CLI
ALIGN_MAY_IMPORT_SCRAPERS = ("align.jobs.documents", "align.jobs.crawling", "align.cli")
LAZY_TABLE = "_EXPORTS"  # name -> defining module, in a package __init__ with a lazy __getattr__


@dataclass(frozen=True)
class Edge:
    """``importer`` imports ``target`` (one of our modules) at ``line``."""

    importer: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{module_files()[self.importer].relative_to(ROOT)}:{self.line} imports {self.target}"


@cache
def module_files() -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the packages."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


@cache
def _tree(module: str) -> ast.Module:
    path = module_files()[module]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_package(module: str) -> bool:
    return module_files()[module].name == "__init__.py"


def _ours(name: str) -> str | None:
    """The module of ours that importing ``name`` loads (``a.b.C`` -> ``a.b``), or None if not ours."""
    while name:
        if name in module_files():
            return name
        name = name.rpartition(".")[0]
    return None


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if _is_package(module) else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


@cache
def _reexports(package: str) -> dict[str, str]:
    """Names a package ``__init__`` takes from elsewhere at run time: eager imports and its lazy table."""
    found: dict[str, str] = {}
    for node in _tree(package).body:  # module level only: TYPE_CHECKING blocks are ast.If, not looked into
        if isinstance(node, ast.ImportFrom):
            source = _absolute(package, node)
            for alias in node.names:
                found[alias.asname or alias.name] = source
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == LAZY_TABLE for target in targets):
                found.update(ast.literal_eval(node.value))
    return found


def _target(package: str, name: str) -> str | None:
    """Where ``from package import name`` leads among our modules."""
    submodule = f"{package}.{name}"
    if submodule in module_files():
        return submodule
    if package in module_files() and _is_package(package):
        source = _reexports(package).get(name)
        if source is not None and source != package and _ours(source):
            return _target(source, name) if _is_package(source) else source
    return _ours(package)


def edges_of(module: str) -> Iterator[Edge]:
    """Every import in ``module`` of one of our modules, wherever the statement stands."""
    for node in ast.walk(_tree(module)):
        targets: list[str | None] = []
        if isinstance(node, ast.Import):
            targets = [_ours(alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            targets = [_target(source, alias.name) for alias in node.names]
        for target in targets:
            if target is not None and target != module:
                yield Edge(module, target, node.lineno)


@cache
def graph() -> dict[str, tuple[Edge, ...]]:
    return {module: tuple(edges_of(module)) for module in module_files()}


def cycles(edges: dict[str, tuple[Edge, ...]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for edge in edges.get(module, ()):
            if edge.target not in index:
                visit(edge.target)
                low[module] = min(low[module], low[edge.target])
            elif edge.target in on_stack:
                low[module] = min(low[module], index[edge.target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


# --- the rules ---------------------------------------------------------------------------------


def test_scrapers_never_imports_align() -> None:
    bad = [
        str(edge)
        for module, edges in graph().items()
        if module.split(".")[0] == "scrapers"
        for edge in edges
        if edge.target.split(".")[0] == "align"
    ]
    assert not bad, "scrapers must not import align:\n" + "\n".join(bad)


def _may_import_scrapers(module: str) -> bool:
    return any(module == allowed or module.startswith(allowed + ".") for allowed in ALIGN_MAY_IMPORT_SCRAPERS)


def test_align_imports_scrapers_only_in_the_pipeline_and_the_cli() -> None:
    bad = [
        str(edge)
        for module, edges in graph().items()
        if module.split(".")[0] == "align" and not _may_import_scrapers(module)
        for edge in edges
        if edge.target.split(".")[0] == "scrapers"
    ]
    assert not bad, f"only {', '.join(ALIGN_MAY_IMPORT_SCRAPERS)} may import scrapers:\n" + "\n".join(bad)


def test_there_are_no_import_cycles() -> None:
    edges = graph()
    report = []
    for component in cycles(edges):
        members = set(component)
        lines = [str(e) for m in component for e in edges[m] if e.target in members]
        report.append(" <-> ".join(component) + "\n  " + "\n  ".join(lines))
    assert not report, "import cycles (move the code the importers share to where it belongs):\n" + "\n".join(report)


def test_package_internals_do_not_import_from_the_facades() -> None:
    """Code inside a package imports names from their modules, not from the lazy ``align``/``scrapers`` roots."""
    bad = []
    for module in module_files():
        for node in ast.walk(_tree(module)):
            if not isinstance(node, ast.ImportFrom) or module in PACKAGES:
                continue
            package = _absolute(module, node)
            if package not in PACKAGES:
                continue
            names = [
                a.name for a in node.names if a.name != "__version__" and f"{package}.{a.name}" not in module_files()
            ]
            if names:
                bad.append(f"{module_files()[module].relative_to(ROOT)}:{node.lineno} imports {names} from {package}")
    assert not bad, "\n".join(bad)


# --- the reader itself, on imports known to be in the tree ----------------------------------------


@pytest.mark.parametrize(
    ("importer", "target", "how"),
    [
        ("align.jobs.documents", "scrapers.errors", "inside a function"),
        ("align.jobs.documents", "scrapers.records", "under TYPE_CHECKING"),
        ("align.scorers.anchors", "align.scorers.features", "`from package import submodule`"),
        ("align.scorers.base", "align.pairwise.beads", "under TYPE_CHECKING"),
        ("align.jobs.aligning", "align.scorers", "inside a function"),
        ("align.store.tables", "align._version", "`from align import __version__`, which align re-exports"),
        ("align", "align.pairwise.aligner", "a facade's TYPE_CHECKING import of a lazy name"),
        ("align", "align.study", "`from align import study` in the facade"),
    ],
)
def test_the_reader_sees_every_kind_of_import(importer: str, target: str, how: str) -> None:
    assert target in {edge.target for edge in graph()[importer]}, f"{importer} -> {target} ({how}) not seen"


def test_a_reexported_name_leads_to_its_module_not_to_the_facade() -> None:
    assert "align" not in {edge.target for edge in graph()["align.store.tables"]}


def test_the_cycle_finder_on_a_made_up_graph() -> None:
    def edge(a: str, b: str) -> Edge:
        return Edge(a, b, 1)

    made_up = {"a": (edge("a", "b"),), "b": (edge("b", "c"),), "c": (edge("c", "a"),), "d": (edge("d", "a"),)}
    assert cycles(made_up) == [["a", "b", "c"]]
    assert cycles({"a": (edge("a", "b"),), "b": ()}) == []
