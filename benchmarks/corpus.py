"""Aligning a corpus: 1 vs 2 worker processes, local Ray, and the embedding cache cold vs warm, in one run.

N synthetic five-language items (de/en/es/fr/ru; random "words", each language
a fixed pseudo-translation of the Russian original with sentences split,
merged, dropped and added at known rates, as in ``synthetic_text.py``) are
stored as a documents table, then aligned by ``python -m align align`` in a
fresh copy of the folder per configuration, as a user would run it:

* ``--workers 1`` (the baseline), ``--workers 2``, ``--engine ray --workers 2``
  (a local Ray started by the command, its start-up included): wall seconds,
  items per second, speedup against ``--workers 1``, CPU seconds of all the
  processes and of the command's own (the one writer: the part that does not
  run in parallel; on a machine shared with other work the CPU seconds say
  more than the wall time), peak memory (the summed resident memory of the
  command's process tree, sampled every 0.2 s), and whether the stored units
  equal the baseline's row for row;
* ``--scorer embedding`` on the first ``--embed-items`` items: cold (an empty
  ``DATA/embeddings``), then warm after one item was corrected: sentences per
  second, cache hit rate;
* the extrapolation of each rate to 10,000 and 100,000 items.

    python benchmarks/corpus.py                       # 2,000 items, 10 embedded
    python benchmarks/corpus.py --items 200 --skip-ray --embed-items 0
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python benchmarks/x.py` without installing
    sys.path.insert(0, str(REPO_ROOT))

from align import DOCUMENTS_SCHEMA, read_frame

LANGS = ("de", "en", "es", "fr", "ru")
ORIGINAL = "ru"
LENGTH_FACTOR = {"de": 1.15, "en": 1.0, "es": 1.1, "fr": 1.12, "ru": 0.95}  # word length against the original
VOCABULARY = 4000


def _word(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(max(1, length)))


class ItemMaker:
    """Five-language synthetic items: one vocabulary, a fixed pseudo-translation per language."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        words = [_word(self.rng, self.rng.randint(2, 10)) for _ in range(VOCABULARY)]
        self.words = words
        self.translation = {
            lang: {w: _word(self.rng, round(len(w) * LENGTH_FACTOR[lang] + self.rng.randint(-1, 1))) for w in words}
            for lang in LANGS
        }

    def item(self, paragraphs: int, sentences: int) -> dict[str, list[str]]:
        """Paragraphs per language; each language splits, merges, drops or adds a sentence now and then."""
        rng = self.rng
        versions: dict[str, list[str]] = {lang: [] for lang in LANGS}
        for _ in range(paragraphs):
            original = []
            for _ in range(rng.randint(max(1, sentences - 2), sentences + 2)):
                words = rng.choices(self.words, k=rng.randint(5, 28))
                if rng.random() < 0.25:
                    words.insert(rng.randrange(len(words)), str(rng.randint(1, 3000)))
                original.append(words)
            for lang in LANGS:
                versions[lang].append(" ".join(self._render(lang, original)))
        return versions

    def _render(self, lang: str, original: list[list[str]]) -> list[str]:
        rng, table = self.rng, self.translation[lang]
        out: list[str] = []
        for words in original:
            sentence = " ".join(table.get(w, w) for w in words).capitalize() + "."
            roll = rng.random() if lang != ORIGINAL else 1.0
            if roll < 0.02:  # dropped in this translation
                continue
            if roll < 0.04:  # a sentence only this translation has
                out.append(" ".join(table[w] for w in rng.choices(self.words, k=8)).capitalize() + ".")
            if roll < 0.08 and len(words) > 10:  # split in two
                cut = len(words) // 2
                out += [" ".join(table.get(w, w) for w in part).capitalize() + "." for part in (words[:cut], words[cut:])]
            elif roll < 0.12 and out:  # merged with the previous sentence
                out[-1] = out[-1][:-1] + ", " + sentence[0].lower() + sentence[1:]
            else:
                out.append(sentence)
        return out


def documents(items: int, paragraphs: int, sentences: int, seed: int = 7) -> pl.DataFrame:
    maker = ItemMaker(seed)
    fetched = datetime(2026, 12, 1, tzinfo=UTC)
    rows = []
    for n in range(items):
        for lang, paras in maker.item(paragraphs, sentences).items():
            rows.append({
                "doc_id": f"synthetic:{n:06d}", "lang": lang, "url": f"https://example.test/{lang}/{n}",
                "title": f"Item {n}", "published": None, "doc_number": None, "paragraphs": paras,
                "para_kinds": ["text"] * len(paras), "original_lang": ORIGINAL, "detected_lang": lang,
                "lang_confidence": 1.0, "fetched_at": fetched, "html_sha256": "0" * 64,
            })
    return pl.DataFrame(rows, schema=DOCUMENTS_SCHEMA)


def write_documents(frame: pl.DataFrame, folder: Path) -> None:
    """The documents table, as ``bitext fetch`` leaves it (internal writer: the benchmark stands in for a crawl)."""
    from align.store.delta import frame_path
    from align.store.tables import write_frame

    write_frame(frame, frame_path(folder, "documents"), provenance={"step": "fetch", "source": "benchmarks/corpus.py"})


# --- running and measuring ---------------------------------------------------------------------------


def _tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return found


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` itself so far (from /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Measured:
    """One command's figures: wall seconds, peak MB of its process tree, its stderr, CPU seconds of the
    whole tree, of the command's own process (the writer: what does not run in parallel) and of each
    child process (the workers; the last value sampled, every 0.2 s, so a child's last 0.2 s may be missing)."""

    def __init__(self, seconds: float, peak_mb: float, err: str, cpu: float, own: float, children: list[float]):
        self.seconds, self.peak_mb, self.err, self.cpu, self.own, self.children = seconds, peak_mb, err, cpu, own, children

    def workers_cpu(self) -> str:
        busy = sorted((c for c in self.children if c >= 1.0), reverse=True)  # Python helpers (resource tracker) idle
        return " + ".join(f"{c:.0f}" for c in busy) or "-"


def run_together(commands: list[tuple[list[str], dict[str, str]]]) -> list[Measured]:
    """Run ``python -m align ARGS`` for every (ARGS, env) at once; each one's figures (wall time: until it ended).
    ``env`` may name another source tree as PYTHONPATH: the command then runs in it (``-m`` imports from the cwd)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "align", *args], cwd=env.get("PYTHONPATH", REPO_ROOT),
                              stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **env})
             for args, env in commands]
    peaks = [0] * len(procs)
    cpu: list[dict[int, float]] = [{} for _ in procs]

    def sample() -> None:
        while any(proc.poll() is None for proc in procs):
            for n, proc in enumerate(procs):
                rss = 0
                for pid in _tree_pids(proc.pid):
                    try:
                        rss += _rss_kb(pid)
                        cpu[n][pid] = _cpu_seconds(pid)
                    except (OSError, IndexError, ValueError):
                        continue  # it has just exited
                peaks[n] = max(peaks[n], rss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    results: list[tuple[float, str]] = []
    for (args, _), proc in zip(commands, procs, strict=True):
        _, err = proc.communicate()
        results.append((time.perf_counter() - started, err))
        if proc.returncode != 0:
            raise SystemExit(f"bitext {' '.join(args)} failed ({proc.returncode}):\n{err[-2000:]}")
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # all the commands together
    return [Measured(seconds, peaks[n] / 1024, err, total, cpu[n].get(procs[n].pid, 0.0),
                     [c for pid, c in cpu[n].items() if pid != procs[n].pid])
            for n, (seconds, err) in enumerate(results)]


def run_bitext(args: list[str], env: dict[str, str] | None = None) -> Measured:
    """The figures of ``python -m align ARGS`` run alone."""
    return run_together([(args, env or {})])[0]


def stored_units(folder: Path) -> pl.DataFrame:
    return read_frame(folder, "units").drop("run_id").sort("doc_id", "unit")


def extrapolate(rate: float) -> str:
    if rate <= 0:
        return "n/a"
    return ", ".join(f"{n:,} items {_clock(n / rate)}" for n in (10_000, 100_000))


def _clock(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


def _spin(loops: int) -> float:
    """A pure-Python CPU loop (no memory traffic to speak of); its wall seconds."""
    started, total = time.perf_counter(), 0
    for n in range(loops):
        total += n * n % 7
    return time.perf_counter() - started


def cpu_loop_ceiling(loops: int = 20_000_000) -> tuple[float, float, float]:
    """The machine's ceiling for pure CPU work: wall seconds of the loop in one process alone, of the slower of
    two processes running it at once, and the speedup 2 x one / two (2.0 on two idle cores)."""
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [1000, 1000], chunksize=1)  # both processes started before the clock runs
        one = pool.apply(_spin, (loops,))
        two = max(pool.map(_spin, [loops, loops], chunksize=1))
    return one, two, 2 * one / two


def halves(corpus: Path, frame: pl.DataFrame, root: Path, name: str) -> list[Path]:
    """Two copies of the corpus, each with half the items (the first and the second half of the ids)."""
    ids = sorted(frame["doc_id"].unique().to_list())
    folders = []
    for n, part in enumerate((ids[: len(ids) // 2], ids[len(ids) // 2:])):
        folder = root / f"{name}_{n}"
        write_documents(frame.filter(pl.col("doc_id").is_in(part)), folder)
        folders.append(folder)
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=4, help="paragraphs per item and language")
    parser.add_argument("--sentences", type=int, default=4, help="sentences per paragraph (mean)")
    parser.add_argument("--embed-items", type=int, default=10, help="items aligned with the embedding scorer (0: skip)")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--skip-ceiling", action="store_true", help="no ceiling rows (CPU loop, two halves at once)")
    parser.add_argument("--before", type=Path, default=None,
                        help="another source tree (e.g. `git archive REV | tar -x -C DIR`): its --workers 2 as a row")
    parser.add_argument("--repeat", type=int, default=1, help="run the rows this many times, interleaved")
    parser.add_argument("--keep", type=Path, default=None, help="keep the folders here")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="bitext-corpus-"))
    root.mkdir(parents=True, exist_ok=True)
    corpus = root / "corpus"
    frame = documents(args.items, args.paragraphs, args.sentences)
    write_documents(frame, corpus)
    paragraphs = frame.select(pl.col("paragraphs").list.len()).sum().item()
    print(f"{args.items} items x {len(LANGS)} languages, {paragraphs} paragraphs in all; load average before: "
          f"{_load()}; cores: {os.cpu_count()}")

    configs: list[tuple[str, list[str], dict[str, str]]] = [("workers 1", ["--workers", "1"], {}),
                                                             ("workers 2", ["--workers", "2"], {})]
    if args.before:
        configs.append(("workers 2, before", ["--workers", "2"], {"PYTHONPATH": str(args.before.resolve())}))
    if not args.skip_ray:
        configs.append(("ray, 2 actors", ["--engine", "ray", "--workers", "2"], {}))
    halves_folders = [] if args.skip_ceiling else halves(corpus, frame, root, "halves")
    print("| repeat | engine | wall s | items/s | speedup vs workers 1 | CPU s (all processes) | CPU s of the writer "
          "process | CPU s of each worker | peak MB (process tree) | units = workers 1 | load before | extrapolated |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for repeat in range(1, args.repeat + 1):
        baseline_seconds, baseline_units = 0.0, None
        for name, options, env in configs:
            folder = root / f"{name.replace(' ', '_').replace(',', '')}_{repeat}"
            shutil.copytree(corpus, folder)
            load = _load()
            got = run_bitext(["-q", "align", "-d", str(folder), *options], env)
            units = stored_units(folder)
            if baseline_units is None:
                baseline_seconds, baseline_units = got.seconds, units
            rate = args.items / got.seconds
            print(f"| {repeat} | {name} | {got.seconds:.1f} | {rate:.2f} | {baseline_seconds / got.seconds:.2f} | "
                  f"{got.cpu:.0f} | {got.own:.0f} | {got.workers_cpu()} | {got.peak_mb:.0f} | "
                  f"{units.equals(baseline_units)} | {load} | {extrapolate(rate)} |", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
        if halves_folders:  # the ceiling: two independent one-process jobs on half the items each, at once
            copies = [root / f"{folder.name}_{repeat}" for folder in halves_folders]
            for source, copy in zip(halves_folders, copies, strict=True):
                shutil.copytree(source, copy)
            load = _load()
            both = run_together([(["-q", "align", "-d", str(copy), "--workers", "1"], {}) for copy in copies])
            seconds = max(got.seconds for got in both)
            rate = args.items / seconds
            print(f"| {repeat} | ceiling: two halves at once, each `--workers 1` | {seconds:.1f} | {rate:.2f} | "
                  f"{baseline_seconds / seconds:.2f} | {both[0].cpu:.0f} | "
                  f"{' + '.join(f'{got.own:.0f}' for got in both)} | - | {sum(got.peak_mb for got in both):.0f} | - | "
                  f"{load} | {extrapolate(rate)} |", flush=True)
            one, two, ceiling = cpu_loop_ceiling()
            print(f"| {repeat} | ceiling: a pure-Python loop, 1 process vs 2 at once | {one:.2f} vs {two:.2f} | - | "
                  f"{ceiling:.2f} | - | - | - | - | - | {_load()} | - |", flush=True)
            for copy in copies:
                shutil.rmtree(copy, ignore_errors=True)
    print(f"load average after: {_load()}")
    if args.embed_items:
        embedding_figures(frame, args.embed_items, root)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def embedding_figures(frame: pl.DataFrame, items: int, root: Path) -> None:
    """Cold cache, then a re-run after one item's first paragraph was corrected in every language."""
    ids = sorted(frame["doc_id"].unique().to_list())[:items]
    subset = frame.filter(pl.col("doc_id").is_in(ids))
    folder = root / "embedding"
    write_documents(subset, folder)
    env = {"BITEXT_EMBED_CACHE": ""}  # the data folder's own cache, DATA/embeddings
    print("| embedding run | wall s | sentences embedded | from the cache | hit rate | embedded/s (in the model) |")
    print("|---|---|---|---|---|---|")
    for name in ("cold", "warm, one item corrected"):
        if name.startswith("warm"):
            first = ids[0]
            corrected = subset.with_columns(
                pl.when(pl.col("doc_id") == first)
                .then(pl.col("paragraphs").list.eval(pl.element() + pl.lit(" Corrected.")))
                .otherwise(pl.col("paragraphs"))
                .alias("paragraphs")
            )
            write_documents(corrected, folder)
        got = run_bitext(["align", "-d", str(folder), "--scorer", "embedding", "--workers", "1"], env)
        seconds, err = got.seconds, got.err
        found = re.search(r"embedded (\d+) sentences in ([\d.]+) s(?: \(([\d.]+)/s\))?, (\d+) from the cache", err)
        if not found:
            raise SystemExit(f"no embedding summary in:\n{err[-1500:]}")
        embedded, hits = int(found[1]), int(found[4])
        rate = found[3] or "-"
        print(f"| {name} | {seconds:.1f} | {embedded} | {hits} | {hits / max(1, embedded + hits):.1%} | {rate} |", flush=True)


if __name__ == "__main__":
    main()
