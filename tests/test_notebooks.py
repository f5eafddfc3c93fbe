"""Every notebook in notebooks/ runs headless on a real Jupyter kernel, against frames the test writes.

The kernel is the ``python3`` kernelspec (ipykernel's own when no other is
installed; when none is found at all, the fixture installs one into a temporary
prefix rather than into the user's home). The notebooks read ``BITEXT_DATA``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import nbformat
import polars as pl
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from align.store.delta import frame_path
from align.store.schemas import UNITS_BASE_SCHEMA
from align.store.tables import make_provenance, write_frame
from tests.align.study_frames import alignments_frame, units_frame, write_study_frames

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 300


def test_there_are_notebooks() -> None:
    assert [path.name for path in NOTEBOOKS] == ["translation_choices.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_committed_notebook_has_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code_cells)


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment for the kernel: the repository importable, inline plots, a python3 kernelspec."""
    saved = dict(os.environ)
    if "python3" not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        prefix = tmp_path_factory.mktemp("jupyter")
        install(prefix=str(prefix))
        os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved.get("PYTHONPATH")]))
    os.environ.pop("MPLBACKEND", None)  # a non-interactive backend would swallow the plots
    os.environ.pop("BITEXT_TERM", None)
    yield dict(os.environ)
    os.environ.clear()
    os.environ.update(saved)


def _two_language_folder(data_dir: Path) -> Path:
    """Other frames: English and French only, no documents frame (original language unknown)."""
    langs = ["en", "fr"]
    units = (
        units_frame()
        .select(*UNITS_BASE_SCHEMA.names(), *[col for lang in langs for col in (f"text_{lang}", f"sents_{lang}")])
        .filter(pl.col("text_en").str.len_chars() + pl.col("text_fr").str.len_chars() > 0)
    )
    alignments = alignments_frame().filter((pl.col("src_lang") == "en") & (pl.col("tgt_lang") == "fr"))
    provenance = make_provenance(step="tests/test_notebooks.py")
    write_frame(units, frame_path(data_dir, "units"), provenance=provenance)
    write_frame(alignments, frame_path(data_dir, "alignments"), provenance=provenance)
    return data_dir


def _execute(path: Path, data_dir: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    os.environ["BITEXT_DATA"] = str(data_dir)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    return notebook


def _outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def _text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for output in _outputs(notebook):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_on_five_languages(path: Path, kernel_env: dict[str, str], tmp_path: Path) -> None:
    notebook = _execute(path, write_study_frames(tmp_path))
    assert not [output for output in _outputs(notebook) if output.output_type == "error"]
    images = [output for output in _outputs(notebook) if "image/png" in output.get("data", {})]
    assert len(images) >= 2
    text = _text(notebook)
    assert "original language: ru" in text and "UN-Sicherheitsrat" in text and "omission" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_on_other_frames(path: Path, kernel_env: dict[str, str], tmp_path: Path) -> None:
    notebook = _execute(path, _two_language_folder(tmp_path))
    images = [output for output in _outputs(notebook) if "image/png" in output.get("data", {})]
    assert len(images) >= 2
    text = _text(notebook)
    assert "languages en, fr; original language: unknown" in text and "gap" in text
