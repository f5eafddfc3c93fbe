"""Storing a corpus item by item: the Delta store against the Parquet-era layout, in one run.

N synthetic items of five languages (small per item: a few sentences, every
language pair, a few units) are stored in batches of B items by the writer
``bitext align`` uses (:class:`align.store.batches.BatchWriter`: one commit
each to sentences, alignments and units for the batch's items (an append for
items a table has no rows of, else a replace whose predicate names the batch's
items), then one append of the batch's items to ``DATA/run_items/``, and every
10 batches a compaction of the files written since the last one, whose time
counts in its batch). Item ids are
in random order, as real ids arrive.

Reported for each layout: seconds per batch over the first, the second and
the last cycle of batches (a cycle: the batches between two compactions, the
compaction included) and the ratios last/first and last/second (the point:
storing batch k must not cost O(k); the first cycle writes to an empty table
and is cheaper than any later one); the same first/last in CPU seconds of the
process (all its threads, ``time.process_time``: less moved than wall time by
other load on a shared machine); the slowest batch, total seconds, files on
disk (for Delta after ``compact``), and milliseconds to read one item's units
from the full store (median of 20 reads of random items).

The baseline is the Parquet layout of commit 9ae9029 (``DATA/<frame>.parquet``,
each store reads the whole file, drops the item's old rows and writes the file
again atomically), reimplemented here in a few lines.

    python benchmarks/store.py                 # 10,000 items, batches of 50
    python benchmarks/store.py --items 2000 --batch 50
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import combinations
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# the store's own writer, runs and compaction are what this measures: internal on purpose
from align import ALIGNMENTS_SCHEMA, SENTENCES_SCHEMA, units_schema
from align.store.batches import COMPACT_EVERY_BATCHES, BatchWriter
from align.store.housekeeping import compact
from align.store.runs import start_run

LANGS = ("de", "en", "es", "fr", "ru")
SENTENCES = 4  # per language and item
Frames = dict[str, pl.DataFrame]


def item_frames(doc_ids: list[str]) -> Frames:
    """Sentences, alignments and units of ``doc_ids`` (synthetic, a few hundred bytes per item)."""
    sentences, alignments, units = [], [], []
    for doc in doc_ids:
        for lang in LANGS:
            sentences += [(doc, lang, s, s, f"{lang} sentence {s} of {doc}.") for s in range(SENTENCES)]
        for src, tgt in combinations(LANGS, 2):
            alignments += [(doc, src, tgt, [s], [s], f"{src} {s}", f"{tgt} {s}", 0.9, "1-1") for s in range(SENTENCES)]
        for s in range(SENTENCES):
            row: dict[str, object] = {"doc_id": doc, "unit": s, "score": 0.9}
            for lang in LANGS:
                row[f"text_{lang}"], row[f"sents_{lang}"] = f"{lang} sentence {s} of {doc}.", [s]
            units.append(row)
    return {
        "sentences": pl.DataFrame(sentences, schema=SENTENCES_SCHEMA, orient="row"),
        "alignments": pl.DataFrame(alignments, schema=ALIGNMENTS_SCHEMA, orient="row"),
        "units": pl.DataFrame(units, schema=units_schema(list(LANGS))),
    }


def delta_store(data: Path) -> Callable[[list[str], dict[str, Frames]], None]:
    """The align job's writer (:class:`align.store.batches.BatchWriter`), one batch per call."""
    run = start_run(data, "align", aligner="benchmarks/store.py", scorer="synthetic")
    tables = ("sentences", "alignments", "units")
    writer = BatchWriter(data, run, tables, batch_items=10**9, batch_seconds=10.0**9)

    def store(ids: list[str], items: dict[str, Frames]) -> None:
        for doc in ids:
            writer.add(doc, items[doc])
        writer.flush()  # the commits of one batch, and every 10th batch a compaction, as in `bitext align`

    return store


def parquet_store(data: Path) -> Callable[[list[str], dict[str, Frames]], None]:
    """The Parquet-era ``replace_items``: read the whole file, drop the items, write it all again."""

    def store(ids: list[str], items: dict[str, Frames]) -> None:
        for name in ("sentences", "alignments", "units"):
            path = data / f"{name}.parquet"
            rows = pl.concat([items[doc][name] for doc in ids])
            if path.exists():
                kept = pl.read_parquet(path).filter(~pl.col("doc_id").is_in(ids))
                rows = pl.concat([kept, rows], how="diagonal_relaxed")
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=data)
            os.close(fd)
            rows.write_parquet(tmp, metadata={"bitext": "{}"})
            os.replace(tmp, path)

    return store


def batches(items: int, size: int, seed: int) -> Iterator[list[str]]:
    ids = [f"bench.example:{n}" for n in random.Random(seed).sample(range(10 * items), items)]
    for start in range(0, items, size):
        yield ids[start : start + size]


def files_on_disk(data: Path) -> int:
    return sum(1 for p in data.rglob("*") if p.is_file())


def per_item(frames: Frames) -> dict[str, Frames]:
    parts = {name: frame.partition_by("doc_id", as_dict=True) for name, frame in frames.items()}
    return {str(key[0]): {name: parts[name][key] for name in frames} for key in parts["units"]}


def measure(name: str, data: Path, store: Callable[[list[str], dict[str, Frames]], None], args: argparse.Namespace,
            read_one: Callable[[str], pl.DataFrame]) -> dict[str, float]:
    times, cpu, ids_seen = [], [], []
    started = time.perf_counter()
    for k, ids in enumerate(batches(args.items, args.batch, args.seed)):
        items = per_item(item_frames(ids))  # built before the clock starts: only storing is timed
        t0, c0 = time.perf_counter(), time.process_time()
        store(ids, items)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        ids_seen += ids
        if args.verbose and k % 20 == 0:
            print(f"  {name}: batch {k + 1}, {times[-1]:.3f}s", file=sys.stderr)
    total = time.perf_counter() - started
    if name == "delta":
        compact(data, keep_hours=0)
    picks = random.Random(args.seed + 1).sample(ids_seen, min(20, len(ids_seen)))
    reads = []
    for doc in picks:
        t0 = time.perf_counter()
        got = read_one(doc)
        reads.append(time.perf_counter() - t0)
        assert got.height == SENTENCES, (doc, got.height)
    # first and last: the mean of the first and of the last COMPACT_EVERY_BATCHES batches (one compaction
    # cycle each, the compaction's time included), so both figures are what a batch costs on average there
    tail = max(1, min(COMPACT_EVERY_BATCHES, len(times) // 4))
    first, last = statistics.mean(times[:tail]), statistics.mean(times[-tail:])
    second = statistics.mean(times[tail : 2 * tail]) if len(times) >= 2 * tail else first
    cpu_first, cpu_last = statistics.mean(cpu[:tail]), statistics.mean(cpu[-tail:])
    return {"first": first, "second": second, "last": last, "ratio": last / first, "ratio2": last / second,
            "cpu_first": cpu_first, "cpu_last": cpu_last, "cpu_ratio": cpu_last / cpu_first,
            "total": total, "max": max(times),
            "files": files_on_disk(data), "read_ms": 1000 * statistics.median(reads)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--layout", choices=["both", "delta", "parquet"], default="both")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bitext-store-bench-"))
    results = {}
    try:
        if args.layout in ("both", "delta"):
            data = root / "delta"
            data.mkdir()
            units = str(data / "units")
            results["delta"] = measure("delta", data, delta_store(data), args,
                                       lambda doc: pl.scan_delta(units).filter(pl.col("doc_id") == doc).collect())
        if args.layout in ("both", "parquet"):
            data = root / "parquet"
            data.mkdir()
            units = str(data / "units.parquet")
            results["parquet"] = measure("parquet", data, parquet_store(data), args,
                                         lambda doc: pl.scan_parquet(units).filter(pl.col("doc_id") == doc).collect())
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.items} items of {len(LANGS)} languages, batches of {args.batch} "
          f"({args.items // args.batch} batches); figures: mean s per batch over a cycle of {COMPACT_EVERY_BATCHES} batches")
    print(f"{'layout':<9}{'first s':>9}{'second s':>9}{'last s':>9}{'last/first':>11}{'last/second':>12}"
          f"{'cpu first':>10}{'cpu last':>9}{'cpu l/f':>8}{'max s':>8}{'total s':>9}{'files':>7}{'read ms':>9}")
    for name, r in results.items():
        print(f"{name:<9}{r['first']:>9.3f}{r['second']:>9.3f}{r['last']:>9.3f}{r['ratio']:>11.2f}{r['ratio2']:>12.2f}"
              f"{r['cpu_first']:>10.3f}{r['cpu_last']:>9.3f}{r['cpu_ratio']:>8.2f}{r['max']:>8.3f}{r['total']:>9.1f}"
              f"{r['files']:>7.0f}{r['read_ms']:>9.2f}")


if __name__ == "__main__":
    main()
