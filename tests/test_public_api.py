"""The public API: the names ``align``, ``scrapers`` and ``scrapers.testing`` export, and what importing costs.

Each facade's ``__init__`` lists its names three times, and they must agree:
``__all__`` (what users and ``import *`` see), the lazy ``_EXPORTS`` table
(what ``__getattr__`` imports on first use) and the ``if TYPE_CHECKING:``
imports (what mypy and IDEs see). Every name resolves, is documented and is
defined inside the package. Importing a facade loads none of the heavy
libraries; notebooks and benchmarks use only the public names.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FACADES = ("align", "scrapers", "scrapers.testing")
HEAVY = ("polars", "numpy", "lxml", "lingua", "sacremoses", "bs4", "httpx")
# names a facade defines itself instead of importing lazily
EAGER = {"align": {"__version__"}}


def _facade(name: str) -> types.ModuleType:
    return importlib.import_module(name)


def _public(name: str) -> list[tuple[str, str]]:
    return [(name, member) for member in _facade(name).__all__]


ALL_NAMES = [pair for name in FACADES for pair in _public(name)]


def _sort_key(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: SCREAMING_CASE constants, then CamelCase classes, then the rest."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def _type_checking_imports(facade: str) -> dict[str, str]:
    """Name -> module of the ``from m import name`` statements under ``if TYPE_CHECKING:``."""
    path = Path(_facade(facade).__file__ or "")
    found: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom), f"{path}: only `from m import name` under TYPE_CHECKING"
                for alias in statement.names:
                    # `from align import study` names the submodule align.study
                    module = f"{facade}.{alias.name}" if statement.module == facade else str(statement.module)
                    found[alias.asname or alias.name] = module
    return found


# --- the three lists agree ---------------------------------------------------------------------


@pytest.mark.parametrize("facade", FACADES)
def test_all_is_sorted_and_unique(facade: str) -> None:
    names = _facade(facade).__all__
    assert names == sorted(set(names), key=_sort_key)


@pytest.mark.parametrize("facade", FACADES)
def test_all_lists_the_lazy_table_and_the_eager_names(facade: str) -> None:
    module = _facade(facade)
    assert set(module.__all__) == set(module._EXPORTS) | EAGER.get(facade, set())


@pytest.mark.parametrize("facade", FACADES)
def test_type_checkers_see_every_lazy_name_from_its_module(facade: str) -> None:
    assert _type_checking_imports(facade) == _facade(facade)._EXPORTS


@pytest.mark.parametrize("facade", FACADES)
def test_dir_shows_the_public_names(facade: str) -> None:
    assert dir(_facade(facade)) == sorted(_facade(facade).__all__)


# --- every name ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("facade", "name"), ALL_NAMES, ids=[f"{f}.{n}" for f, n in ALL_NAMES])
def test_every_public_name_resolves_and_is_documented(facade: str, name: str) -> None:
    value = getattr(_facade(facade), name)
    source = _facade(facade)._EXPORTS.get(name)
    if source is not None:  # the very object its module defines, not a copy
        defined = importlib.import_module(source)
        assert value is (defined if source == f"{facade}.{name}" else getattr(defined, name))
    root = facade.split(".")[0] if facade != "scrapers.testing" else facade
    if isinstance(value, types.ModuleType):
        assert value.__name__.startswith(root + "."), value.__name__
        assert (value.__doc__ or "").strip(), f"module {value.__name__} has no docstring"
    elif isinstance(value, type) or inspect.isfunction(value):
        assert value.__module__.startswith(root + "."), f"{name} is defined in {value.__module__}, outside {root}"
        doc = (value.__dict__.get("__doc__") if isinstance(value, type) else value.__doc__) or ""
        assert doc.strip(), f"{name} has no docstring"
        assert not doc.startswith(f"{name}("), f"{name} has only the docstring dataclass makes up"
    else:  # a constant: documented where it is defined, and named like one
        dunder = name.startswith("__") and name.endswith("__")
        assert name.isupper() or dunder, f"{name} is neither a class, a function nor a CONSTANT"


@pytest.mark.parametrize("facade", FACADES)
def test_unknown_names_are_attribute_errors(facade: str) -> None:
    module = _facade(facade)
    with pytest.raises(AttributeError, match=rf"module '{re.escape(facade)}' has no attribute 'no_such_name'"):
        _ = module.no_such_name


@pytest.mark.parametrize("facade", FACADES)
def test_no_public_name_hides_a_submodule(facade: str) -> None:
    """A public name equal to a submodule's would be replaced by the module once anything imports it."""
    module = _facade(facade)
    submodules = {info.name for info in pkgutil.iter_modules(module.__path__)}
    clashes = {name for name in module.__all__ if name in submodules and module._EXPORTS[name] != f"{facade}.{name}"}
    assert not clashes


@pytest.mark.parametrize("facade", ["align", "scrapers.testing"])
def test_the_facade_examples_run(facade: str) -> None:
    assert doctest.testmod(_facade(facade)).failed == 0


# --- what importing costs -------------------------------------------------------------------------


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(out.stdout.splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY)


def test_importing_the_packages_loads_nothing_heavy() -> None:
    loaded = _loaded_after("import align, scrapers, scrapers.testing")
    assert not _heavy(loaded)
    ours = sorted(name for name in loaded if name.split(".")[0] in ("align", "scrapers"))
    assert ours == ["align", "align._version", "scrapers", "scrapers._exports", "scrapers.testing"]


def test_bead_files_and_scores_load_nothing_heavy() -> None:
    """Reading and scoring alignment files (``bitext eval`` in a notebook) needs no frames and no XML."""
    assert not _heavy(_loaded_after("from align import Bead, Scores, format_beads, read_beads, score_many"))


def test_importing_the_scorer_registry_imports_no_scorer() -> None:
    assert "align.scorers.anchors" not in _loaded_after("import align.scorers")


def test_a_public_name_loads_its_module_on_first_use() -> None:
    loaded = _loaded_after("import align; align.read_frame")
    assert "align.store.tables" in loaded and "polars" in loaded


# --- notebooks and benchmarks use the public names ------------------------------------------------

# file (relative to the repository) -> internal modules it may import; the file says why beside the import
INTERNAL_IMPORTS_ALLOWED: dict[str, set[str]] = {
    # the store benchmark measures the store's batch writer, runs and compaction themselves
    "benchmarks/store.py": {"align.store.batches", "align.store.housekeeping", "align.store.runs"},
    # the politeness benchmark adds up the client's waits on the manual clock instead of sleeping them
    "benchmarks/politeness.py": {"scrapers.http.clock"},
    # the review benchmark stores its synthetic 2,000-unit item with the store's writer
    "benchmarks/review.py": {"align.store.tables"},
    # the span cost benchmark times the embedding scorer's model calls themselves
    "benchmarks/span_cost.py": {"align.scorers.embedding"},
    # the Bertalign reference runs on the embedding scorer's sentence vectors, group vectors and input text
    "benchmarks/bertalign_method.py": {"align.scorers.embedding"},
    # the corpus benchmark writes the documents table a crawl of thousands of items would leave
    "benchmarks/corpus.py": {"align.store.delta", "align.store.tables"},
    # the model-free error analysis sorts beads by the scorer's own line features (junk, OCR debris, numbers)
    "benchmarks/anchor_errors.py": {"align.scorers"},
}
# public modules besides the facades: those a facade exports as a name (align.study)
PUBLIC_MODULES = set(FACADES) | {
    module for facade in FACADES for name, module in _facade(facade)._EXPORTS.items() if module == f"{facade}.{name}"
}
# `from align.x import y`, `import scrapers.x` (indented too: imports inside functions count)
IMPORT_OF_OURS = re.compile(
    r"^\s*(?:from\s+((?:align|scrapers)\.[\w.]+)\s+import|import\s+((?:align|scrapers)\.[\w.]+))", re.MULTILINE
)


def _code_of(path: Path) -> str:
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


USERS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("benchmarks/*.py")])


def test_there_are_notebooks_and_benchmarks() -> None:
    assert {path.parent.name for path in USERS} == {"notebooks", "benchmarks"}


@pytest.mark.parametrize("path", USERS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_notebooks_and_benchmarks_import_only_public_names(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    found = {m.group(1) or m.group(2) for m in IMPORT_OF_OURS.finditer(_code_of(path))} - PUBLIC_MODULES
    assert found <= INTERNAL_IMPORTS_ALLOWED.get(relative, set()), (
        f"{relative} imports internal modules {sorted(found)}: use `from align import ...` / "
        "`from scrapers import ...`, or, when the name is not public on purpose, "
        "add it to INTERNAL_IMPORTS_ALLOWED with a comment in the file"
    )
