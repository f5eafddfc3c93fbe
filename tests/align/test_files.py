"""align.files.atomic_replace: the one atomic write of align (exports, frames, embedding cache)."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from align.errors import ExportError
from align.files import atomic_replace
from align.formats.output import open_text_output
from align.scorers.embedding import EmbeddingCache


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_replaces_the_file_with_a_mode_that_follows_the_umask(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "new" / "out.txt"  # the folder is made
    with atomic_replace(target) as tmp:
        assert tmp.parent == target.parent and not target.exists()
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _names(target.parent) == ["out.txt"]


def test_a_failure_in_the_block_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_replace(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert _names(tmp_path) == ["out.txt"]


def test_a_failed_rename_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    (target / "inside").mkdir(parents=True)  # a non-empty folder cannot be replaced by a file
    with pytest.raises(OSError), atomic_replace(target) as tmp:
        tmp.write_text("x", encoding="utf-8")
    assert _names(tmp_path) == ["taken"]


def test_the_file_writers_of_align_leave_nothing_behind_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    with pytest.raises(RuntimeError), open_text_output(tmp_path / "export" / "out.txt") as stream:
        stream.write("half")
        raise RuntimeError("interrupted")
    assert _names(tmp_path / "export") == []

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError("no space left")

    cache = EmbeddingCache(tmp_path / "cache", "test:model")
    monkeypatch.setattr(np, "savez", no_space)
    with pytest.raises(OSError, match="no space left"):
        cache.store(["a"], np.ones((1, 2), dtype=np.float32))
    assert _names(cache.directory) == []  # the cache's own temporary file used to stay behind


def test_embedding_cache_shards_follow_the_umask(tmp_path: Path, umask_022: None) -> None:
    cache = EmbeddingCache(tmp_path, "test:model")
    cache.store(["a", "b"], np.ones((2, 3), dtype=np.float32))
    (shard,) = cache.directory.iterdir()
    assert shard.suffix == ".npz" and stat.S_IMODE(shard.stat().st_mode) == 0o644
    assert EmbeddingCache(tmp_path, "test:model").get("b") is not None


def test_an_export_that_cannot_make_its_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    message = r"file/out\.txt: a folder on this path is a file; choose another `-o/--output`"
    with pytest.raises(ExportError, match=message), open_text_output(tmp_path / "file" / "out.txt"):
        pass


def test_a_killed_writers_old_temporary_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    stale, fresh = tmp_path / ".out.txt.0123abcd.tmp", tmp_path / ".out.txt.4567ef01.tmp"
    other = tmp_path / ".other.txt.0123abcd.tmp"
    for path in (stale, fresh, other):
        path.write_text("half", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    with atomic_replace(target) as tmp:
        tmp.write_text("done", encoding="utf-8")
    assert _names(tmp_path) == sorted([".other.txt.0123abcd.tmp", ".out.txt.4567ef01.tmp", "out.txt"])
