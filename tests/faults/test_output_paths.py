"""An export replaces a regular file only: links are followed, anything else is one clear line."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import ExportError
from align.formats.output_paths import checked_output
from tests.align.frames_factory import make_frames


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_frames().write(tmp_path / "aligned")


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bitext: error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_symlink_is_followed_and_kept(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.tmx"
    target.write_text("old")
    link = tmp_path / "link.tmx"
    link.symlink_to(target)
    result = run("export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("<?xml")


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.tmx"
    link.symlink_to(tmp_path / "new.tmx")
    assert checked_output(link) == tmp_path / "new.tmx"


def test_a_symlink_to_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "folder")
    with pytest.raises(ExportError, match="is a folder"):
        checked_output(link)


@pytest.mark.parametrize("command", ["tmx", "jsonl", "csv"])
def test_a_fifo_is_refused_and_kept(data: Path, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", command, "-d", str(data), "--langs", "ru,en", "-o", str(fifo))
    one_line_error(result, str(fifo), "named pipe", "`-o -`")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_device_is_refused_and_kept(data: Path) -> None:
    before = os.stat("/dev/null")
    result = run("export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", "/dev/null")
    one_line_error(result, "/dev/null", "character device")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_folder_is_refused(data: Path, tmp_path: Path) -> None:
    result = run("export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(tmp_path))
    one_line_error(result, str(tmp_path), "is a folder")


def test_a_file_as_parent_is_refused(data: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run("export", "jsonl", "-d", str(data), "--langs", "ru,en", "-o", str(tmp_path / "file" / "x.jsonl"))
    one_line_error(result, "is a file")
    assert (tmp_path / "file").read_text() == "x"


def test_missing_parents_are_created_and_the_mode_follows_the_umask(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "x.csv"
    result = run("export", "csv", "-d", str(data), "--langs", "ru,en", "-o", str(out))
    assert result.exit_code == 0, result.output
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_a_replaced_file_keeps_its_mode(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.tmx"
    out.write_text("old")
    out.chmod(0o640)
    assert run("export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line(data: Path) -> None:
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "align", "export", "jsonl", "-d", str(data), "--langs", "ru,en"],
            stdout=full, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2], check=False,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "no space left on device" in done.stderr and "Traceback" not in done.stderr


def test_usage_errors_are_one_line_with_status_2() -> None:
    result = run("align", "--bogus")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bitext: error: No such option '--bogus'")
