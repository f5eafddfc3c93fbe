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


def _tree_rss_kb(pid: int) -> int:
    """Summed VmRSS of ``pid`` and all its descendants (from /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii", errors="replace") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` itself so far (from /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_bitext(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str, float, float]:
    """Wall seconds, peak MB of the process tree, stderr of ``python -m align ARGS``, CPU seconds of the
    whole tree and of the command's own process (the writer: what does not run in parallel)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "align", *args], cwd=REPO_ROOT, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, env={**os.environ, **(env or {}),
                                                                       "PYTHONPATH": str(REPO_ROOT)})
    peak, own = [0], [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            try:
                own[0] = _cpu_seconds(proc.pid)
            except (OSError, IndexError, ValueError):
                pass  # it has just exited
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"bitext {' '.join(args)} failed ({proc.returncode}):\n{err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, peak[0] / 1024, err, cpu, own[0]


def stored_units(folder: Path) -> pl.DataFrame:
    return read_frame(folder, "units").drop("run_id").sort("doc_id", "unit")


def fresh_copy(source: Path, name: str, root: Path) -> Path:
    target = root / name
    shutil.copytree(source, target)
    return target


def extrapolate(rate: float) -> str:
    if rate <= 0:
        return "n/a"
    return ", ".join(f"{n:,} items {_clock(n / rate)}" for n in (10_000, 100_000))


def _clock(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=4, help="paragraphs per item and language")
    parser.add_argument("--sentences", type=int, default=4, help="sentences per paragraph (mean)")
    parser.add_argument("--embed-items", type=int, default=10, help="items aligned with the embedding scorer (0: skip)")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="keep the folders here")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="bitext-corpus-"))
    root.mkdir(parents=True, exist_ok=True)
    corpus = root / "corpus"
    frame = documents(args.items, args.paragraphs, args.sentences)
    write_documents(frame, corpus)
    paragraphs = frame.select(pl.col("paragraphs").list.len()).sum().item()
    print(f"{args.items} items x {len(LANGS)} languages, {paragraphs} paragraphs in all; load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")

    configs = [("workers 1", ["--workers", "1"]), ("workers 2", ["--workers", "2"])]
    if not args.skip_ray:
        configs.append(("ray, 2 actors", ["--engine", "ray", "--workers", "2"]))
    baseline_seconds, baseline_units = 0.0, None
    print("| engine | wall s | items/s | speedup vs workers 1 | CPU s (all processes) | CPU s of the writer process "
          "| peak MB (process tree) | units = workers 1 | extrapolated |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, options in configs:
        folder = fresh_copy(corpus, name.replace(" ", "_").replace(",", ""), root)
        seconds, peak, _, cpu, own = run_bitext(["-q", "align", "-d", str(folder), *options])
        units = stored_units(folder)
        if baseline_units is None:
            baseline_seconds, baseline_units = seconds, units
        rate = args.items / seconds
        print(f"| {name} | {seconds:.1f} | {rate:.2f} | {baseline_seconds / seconds:.2f} | {cpu:.0f} | {own:.0f} | {peak:.0f} | "
              f"{units.equals(baseline_units)} | {extrapolate(rate)} |", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.embed_items:
        embedding_figures(frame, args.embed_items, root)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


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
        seconds, _, err, _, _ = run_bitext(["align", "-d", str(folder), "--scorer", "embedding", "--workers", "1"], env)
        found = re.search(r"embedded (\d+) sentences in ([\d.]+) s(?: \(([\d.]+)/s\))?, (\d+) from the cache", err)
        if not found:
            raise SystemExit(f"no embedding summary in:\n{err[-1500:]}")
        embedded, hits = int(found[1]), int(found[4])
        rate = found[3] or "-"
        print(f"| {name} | {seconds:.1f} | {embedded} | {hits} | {hits / max(1, embedded + hits):.1%} | {rate} |", flush=True)


if __name__ == "__main__":
    main()
