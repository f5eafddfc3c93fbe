"""`bitext review` in a headless browser: first render, scrolling and one correction on a 2,000-unit item.

A synthetic item of five languages (the English sentences of the reference
item ../shared/seeds/*.txt cycled, each other language a tagged copy of
similar length; 1-1 units, every 25th a 2-1 and a low score) is stored, a
real `bitext review` process serves it, and Debian's chromium (Playwright)
measures, in the same run:

* first render: navigation until the last row is in the DOM and two frames were painted,
  for the 2,000-unit item and for a 100-unit baseline item;
* scrolling: the page scrolled from top to bottom one screen per frame; the longest frame and the
  frames over 50 ms (a stall), as served and with ``content-visibility: auto`` added to the rows (the
  variant the stylesheet does not use: it made scrolling worse);
* one correction (Merge with next, then Confirm, in the middle of the item): click until the rows are spliced,
  against the baseline of reloading the whole 2,000-unit page.

Run from the repository root: ``python benchmarks/review.py [--units 2000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import polars as pl

from align import ALIGNMENTS_SCHEMA, DOCUMENTS_SCHEMA, SENTENCES_SCHEMA, units_schema

# the benchmark stores its synthetic item with the store's own writer, as the tests' frames factory does
from align.store.tables import frame_path, make_provenance, write_frame

LANGS = ("ru", "de", "en", "es", "fr")
SEEDS = REPO_ROOT.parent / "shared" / "seeds"


def english_sentences() -> list[str]:
    texts = sorted(SEEDS.glob("*.txt"))
    if not texts:
        return [f"Sentence number {i} of the synthetic item, long enough to wrap in a grid cell." for i in range(50)]
    from align import split_sentences

    lines = [line.strip() for line in texts[0].read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40]
    return [s for line in lines for s in split_sentences(line, "en")]


def store_item(data_dir: Path, doc_id: str, units: int) -> None:
    english = english_sentences()
    sents: dict[str, list[str]] = {lang: [] for lang in LANGS}
    groups: list[dict[str, list[int]]] = []
    for u in range(units):
        group: dict[str, list[int]] = {}
        for lang in LANGS:
            count = 2 if lang == "ru" and u % 25 == 0 else 1
            group[lang] = list(range(len(sents[lang]), len(sents[lang]) + count))
            for k in range(count):
                sents[lang].append(f"[{lang} {u}.{k}] {english[(u + k) % len(english)]}")
        groups.append(group)
    scores = [0.3 if u % 25 == 0 else 0.9 for u in range(units)]
    sentence_rows = [(doc_id, lang, i // 4, i, text) for lang in LANGS for i, text in enumerate(sents[lang])]
    unit_columns: dict[str, Any] = {"doc_id": [doc_id] * units, "unit": list(range(units)), "score": scores}
    for lang in LANGS:
        unit_columns[f"text_{lang}"] = [" ".join(sents[lang][i] for i in g[lang]) for g in groups]
        unit_columns[f"sents_{lang}"] = [g[lang] for g in groups]
    pairs = []
    for a, b in combinations(sorted(LANGS), 2):
        src, tgt = (b, a) if b == "ru" else (a, b)
        for g, score in zip(groups, scores, strict=True):
            pairs.append((doc_id, src, tgt, g[src], g[tgt], " ".join(sents[src][i] for i in g[src]),
                          " ".join(sents[tgt][i] for i in g[tgt]), score, f"{len(g[src])}-{len(g[tgt])}"))
    now = pl.datetime(2026, 12, 4, time_zone="UTC")
    documents = pl.DataFrame({"doc_id": [doc_id] * 5, "lang": list(LANGS)}).with_columns(
        url=pl.lit("http://127.0.0.1/item"), title=pl.lit(f"synthetic item of {units} units"), published=now,
        doc_number=pl.lit(None, pl.Utf8()), paragraphs=pl.lit(["p"]), para_kinds=pl.lit(["text"]),
        original_lang=pl.lit("ru"), detected_lang=pl.col("lang"), lang_confidence=pl.lit(1.0), fetched_at=now,
        html_sha256=pl.lit("0" * 64),
    ).cast(dict(DOCUMENTS_SCHEMA))  # type: ignore[arg-type]
    provenance = make_provenance(aligner="benchmark", scorer="fixed")
    frames = {
        "documents": documents,
        "sentences": pl.DataFrame(sentence_rows, schema=SENTENCES_SCHEMA, orient="row"),
        "alignments": pl.DataFrame(pairs, schema=ALIGNMENTS_SCHEMA, orient="row"),
        "units": pl.DataFrame(unit_columns, schema=units_schema(list(LANGS))),
    }
    for name, frame in frames.items():
        write_frame(frame, frame_path(data_dir, name), provenance=provenance)


def start_server(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "align", "review", "-d", str(data_dir), "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert process.stdout is not None
    return process, process.stdout.readline().split(": ", 1)[1].strip()


PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
SCROLL = """async (step) => {
  const frames = []; let last = performance.now();
  while (window.scrollY + innerHeight < document.documentElement.scrollHeight - 2) {
    window.scrollBy(0, step);
    await new Promise(r => requestAnimationFrame(r));
    const now = performance.now(); frames.push(now - last); last = now;
  }
  return frames;
}"""


TIMING = """() => { const n = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return [n.responseEnd - n.requestStart, fcp ? fcp.startTime : NaN, n.domInteractive]; }"""
PHASES: dict[int, list[list[float]]] = {}


def first_render(page: Any, url: str, units: int) -> float:
    """Seconds until the last of about ``units`` rows is in the DOM (merges take a few away) and painted;
    the browser's own timings (page received, first contentful paint, DOM parsed, ms) go to ``PHASES``."""
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_selector("#units > tr:last-child", state="attached")
    assert page.locator("#units > tr").count() > units - 10
    page.evaluate(PAINTED)
    elapsed = time.perf_counter() - started
    PHASES.setdefault(units, []).append(page.evaluate(TIMING))
    return elapsed


def scroll(page: Any) -> tuple[float, int]:
    frames = page.evaluate(SCROLL, 900)
    return max(frames), sum(1 for f in frames if f > 50)


def correction(page: Any, unit: int, name: str) -> tuple[float, float]:
    """Seconds from the click until the server's answer arrived, and until the rows were spliced and painted."""
    button = page.locator(f'[data-unit="{unit}"]').get_by_role("button", name=name, exact=True)
    button.scroll_into_view_if_needed()
    started = time.perf_counter()
    with page.expect_response(lambda r: r.url.endswith("/api/correct")):
        button.click()
    answered = time.perf_counter() - started
    page.wait_for_selector("body:not([aria-busy])")
    page.evaluate(PAINTED)
    return answered, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--baseline-units", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("skipped: no chromium on PATH (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "aligned"
        store_item(data_dir, "bench:big", args.units)
        store_item(data_dir, "bench:small", args.baseline_units)
        process, address = start_server(data_dir)
        token = address.rsplit("token=", 1)[1]
        base = address.split("/?")[0]
        big, small = (f"{base}/item?doc=bench%3A{name}&token={token}" for name in ("big", "small"))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                renders = {n: [first_render(page, url, n) for _ in range(args.repeat)]
                           for n, url in ((args.units, big), (args.baseline_units, small))}
                first_render(page, big, args.units)
                served = scroll(page)
                variant = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True).new_page()
                first_render(variant, big, args.units)
                variant.add_style_tag(content="table.grid tbody tr { content-visibility: auto; "
                                              "contain-intrinsic-size: auto 7rem; }")
                skipped = scroll(variant)
                merges, confirms, reloads = [], [], []
                for k in range(args.repeat):
                    first_render(page, big, args.units)
                    merges.append(correction(page, args.units // 2 + 2 * k, "Merge with next"))
                    confirms.append(correction(page, args.units // 2 + 2 * k, "Confirm"))
                    reloads.append(first_render(page, big, args.units))
                browser.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    med = statistics.median
    big_render, small_render = med(renders[args.units]), med(renders[args.baseline_units])
    print(f"first render, {args.units} units: {big_render:.3f} s (median of {args.repeat}); "
          f"{args.baseline_units} units: {small_render:.3f} s; ratio {big_render / small_render:.2f}")
    for n in (args.units, args.baseline_units):
        got, fcp, parsed = (med([p[k] for p in PHASES[n][: args.repeat]]) / 1000 for k in range(3))
        print(f"  {n} units: page received {got:.3f} s, first contentful paint {fcp:.3f} s, DOM parsed {parsed:.3f} s")
    print(f"scroll top to bottom, as served: longest frame {served[0]:.0f} ms, {served[1]} frames over 50 ms; "
          f"with content-visibility auto on the rows: {skipped[0]:.0f} ms, {skipped[1]} over 50 ms")
    for name, times in (("merge", merges), ("confirm", confirms)):
        answered, done = med([t[0] for t in times]), med([t[1] for t in times])
        print(f"one {name} in the middle of the item: answered {answered:.3f} s, spliced and painted {done:.3f} s; "
              f"reloading the page instead {med(reloads):.3f} s; ratio {done / med(reloads):.2f}")


if __name__ == "__main__":
    main()
