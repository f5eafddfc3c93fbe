"""Real clients read the exported TMX: the TMX 1.4 DTD, translate-toolkit and OmegaT 3.6.

Runs ``../shared/tools/check_tmx.sh`` (``TMXCHECK_SCRIPT`` overrides the path) on
TMX files exported from a frame holding 1-1, 2-1 and 1-2 units. OmegaT segments
the translated document into sentences, so the 2-1 unit is only used through the
sentence-level pieces the exporter adds; the sentences file holds every source
sentence and also the whole multi-sentence source, which OmegaT splits and
translates piece by piece. When the tools are not installed
(``check_tmx.sh --setup``) the tests skip, and fail if ``CI`` is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from align.cli import main
from align.formats.tmx_read import tmx_alignments
from tests.align.frames_factory import Frames, make_frames

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(os.environ.get("TMXCHECK_SCRIPT", REPO.parent / "shared" / "tools" / "check_tmx.sh"))
VENV_PYTHON = (
    Path(os.environ.get("TMXCHECK_VENV", Path.home() / ".cache" / "tmxcheck" / "venv")) / "bin" / "python"
)
CHECK_PYTHON = Path(os.environ.get("TMXCHECK_PYTHON", VENV_PYTHON))
OMEGAT_JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
KEPT_DIR = re.compile(
    r"^tmxcheck: kept work dir (\S+)$", re.MULTILINE
)  # "tmxcheck: kept work dir /tmp/tmxcheck.AbC123"


def _missing_tool() -> str | None:
    if not SCRIPT.is_file():
        return f"{SCRIPT} not found (set TMXCHECK_SCRIPT)"
    if not (os.environ.get("JAVA") or shutil.which("java")) or not OMEGAT_JAR.is_file():
        return f"OmegaT not installed ({OMEGAT_JAR}); run `bash {SCRIPT} --setup`"
    probe = subprocess.run([str(CHECK_PYTHON), "-c", "import lxml, translate"], check=False, capture_output=True)
    if probe.returncode != 0:
        return f"{CHECK_PYTHON} lacks translate-toolkit; run `bash {SCRIPT} --setup`"
    return None


@pytest.fixture(scope="module")
def tools() -> None:
    problem = _missing_tool()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the real-client TMX check: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def frames() -> Frames:
    return make_frames()


def _export(frames: Frames, tmp_path: Path, langs: str, *extra: str) -> Path:
    data = frames.write(tmp_path / "aligned")
    out = tmp_path / f"lavrov.{langs.replace(',', '-')}.tmx"
    result = CliRunner().invoke(
        main, ["-q", "export", "tmx", "-d", str(data), "--langs", langs, "-o", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    return out


def _sentences_file(frames: Frames, tmp_path: Path, src: str, tgt: str) -> Path:
    """Every source sentence of the units that have both sides, then each multi-sentence source whole."""
    units = frames.units.filter((pl.col(f"text_{src}") != "") & (pl.col(f"text_{tgt}") != ""))
    by_index = dict(frames.sentences.filter(pl.col("lang") == src).select("sent", "text").iter_rows())
    lines = [by_index[i] for group in units[f"sents_{src}"].to_list() for i in group]
    lines += [
        text for text, group in units.select(f"text_{src}", f"sents_{src}").iter_rows() if len(group) > 1
    ]
    path = tmp_path / f"sentences.{src}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check(
    tmx: Path, src: str, tgt: str, sentences: Path, *, keep: bool = False
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"TMXCHECK_TMPDIR": str(tmx.parent), "TMXCHECK_KEEP": "1" if keep else "0"}
    return subprocess.run(
        ["bash", str(SCRIPT), str(tmx), src, tgt, str(sentences)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize(("langs", "src", "tgt"), [("ru,en", "ru-RU", "en-GB"), ("en,ru", "en-GB", "ru-RU")])
def test_bilingual_tmx_passes_dtd_translate_toolkit_and_omegat(
    tools: None, frames: Frames, tmp_path: Path, langs: str, src: str, tgt: str
) -> None:
    tmx = _export(frames, tmp_path, langs)
    sentences = _sentences_file(frames, tmp_path, *langs.split(","))
    result = _check(tmx, src, tgt, sentences)
    for check in ("xml", "ttk", "omegat"):
        assert f"PASS [{check}]" in result.stdout, result.stdout
    assert result.returncode == 0 and "3 passed, 0 failed" in result.stdout


def test_without_sentence_pieces_omegat_misses_the_multi_sentence_unit(
    tools: None, frames: Frames, tmp_path: Path
) -> None:
    """Why the pieces exist: the same export without them leaves the 2-1 unit untranslated."""
    tmx = _export(frames, tmp_path, "ru,en", "--no-sentence-pieces")
    result = _check(tmx, "ru-RU", "en-GB", _sentences_file(frames, tmp_path, "ru", "en"))
    assert "PASS [xml]" in result.stdout and "FAIL [omegat]" in result.stdout, result.stdout
    assert "left untranslated" in result.stdout


def test_multilingual_tmx_and_omegats_own_memory_imports_back(
    tools: None, frames: Frames, tmp_path: Path
) -> None:
    tmx = _export(frames, tmp_path, "ru,en,de", "--multilingual")
    result = _check(tmx, "ru-RU", "de-DE", _sentences_file(frames, tmp_path, "ru", "de"), keep=True)
    assert result.returncode == 0 and "3 passed, 0 failed" in result.stdout, result.stdout
    work = Path(KEPT_DIR.search(result.stdout).group(1))  # type: ignore[union-attr]
    try:
        written_by_omegat = work / "omegat-project" / "omegat-project-omegat.tmx"
        pairs = tmx_alignments(written_by_omegat, doc_id="omegat")
        assert set(pairs.select("src_lang", "tgt_lang").unique().rows()) == {("ru", "de")}
        by_source = dict(pairs.select("src_text", "tgt_text").iter_rows())
        assert by_source["Дамы и господа!"] == "Meine Damen und Herren,"
        assert len(by_source) >= 6
    finally:
        shutil.rmtree(work, ignore_errors=True)


TTK_WRITER = """
import sys
from translate.storage import tmx
store = tmx.tmxfile(sourcelanguage="en", targetlanguage="fr")
store.addtranslation("Good morning & welcome", "en", "Bonjour et bienvenue", "fr")
store.addtranslation("<b>Bold</b> move", "en", "Coup <b>audacieux</b>", "fr")
with open(sys.argv[1], "wb") as fh:
    store.serialize(fh)
"""


def test_a_tmx_written_by_translate_toolkit_imports(tools: None, tmp_path: Path) -> None:
    path = tmp_path / "ttk.tmx"
    subprocess.run(
        [str(CHECK_PYTHON), "-c", TTK_WRITER, str(path)], check=True, capture_output=True, timeout=120
    )
    frame = tmx_alignments(path)
    assert frame.select("src_lang", "tgt_lang", "src_text", "tgt_text").rows() == [
        ("en", "fr", "Good morning & welcome", "Bonjour et bienvenue"),
        ("en", "fr", "<b>Bold</b> move", "Coup <b>audacieux</b>"),
    ]
