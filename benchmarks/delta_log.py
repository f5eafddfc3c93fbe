"""What a commit costs as a Delta table's log grows: the part of the store's growth left after store2.

One table kept open (as :class:`align.store.open_tables.OpenTable` does), one
append of 50 rows per step, a compaction every 10 steps (so the table keeps a
file or two), for N steps. Two tables in the same run: ``kept`` keeps every
commit file (what the store does: the history ``bitext compact --keep-hours``
promises), ``trimmed`` is the baseline: a checkpoint every 10 steps and the
commit files before it deleted, so its log folder holds a handful of entries.
Reported: CPU ms of an append and of ``update_incremental`` (after one commit
by another handle) over the first and the last 100 steps, and entries in
``_delta_log`` at the end.

    python benchmarks/delta_log.py             # 800 steps
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl
from deltalake import DeltaTable, write_deltalake


def run(folder: Path, steps: int, *, trimmed: bool) -> dict[str, float]:
    rows = pl.DataFrame({"doc_id": [f"d{i}" for i in range(50)]}).to_arrow()
    write_deltalake(str(folder), rows)
    table, other = DeltaTable(str(folder)), DeltaTable(str(folder))
    log = folder / "_delta_log"
    appends, updates = [], []
    for step in range(1, steps + 1):
        write_deltalake(other, rows, mode="append")  # another writer's commit: the kept table must catch up
        start = time.process_time()
        table.update_incremental()
        updates.append(time.process_time() - start)
        start = time.process_time()
        write_deltalake(table, rows, mode="append")
        appends.append(time.process_time() - start)
        if step % 10 == 0:
            table.optimize.compact(target_size=1 << 20)
            other.update_incremental()
            if trimmed:
                table.create_checkpoint()
                version = table.version()
                for entry in os.listdir(log):
                    number = entry.split(".")[0]
                    if number.isdigit() and int(number) < version:
                        os.remove(log / entry)
        other.update_incremental()
    return {
        "append_first": 1000 * statistics.mean(appends[:100]), "append_last": 1000 * statistics.mean(appends[-100:]),
        "update_first": 1000 * statistics.mean(updates[:100]), "update_last": 1000 * statistics.mean(updates[-100:]),
        "entries": len(os.listdir(log)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=800)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bitext-delta-log-"))
    try:
        results = {name: run(root / name, args.steps, trimmed=name == "trimmed") for name in ("kept", "trimmed")}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.steps} appends of 50 rows, a compaction every 10; CPU ms, mean of the first and last 100")
    print(f"{'log':<9}{'append first':>13}{'append last':>12}{'last/first':>11}"
          f"{'update first':>13}{'update last':>12}{'last/first':>11}{'entries':>9}")
    for name, r in results.items():
        print(f"{name:<9}{r['append_first']:>13.2f}{r['append_last']:>12.2f}{r['append_last'] / r['append_first']:>11.2f}"
              f"{r['update_first']:>13.2f}{r['update_last']:>12.2f}{r['update_last'] / r['update_first']:>11.2f}"
              f"{r['entries']:>9.0f}")


if __name__ == "__main__":
    main()
