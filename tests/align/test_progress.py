"""Progress of long jobs: one line a minute off a terminal, a redrawn line on one; align-files with embeddings."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.progress import Progress, duration
from tests.align.test_jobs import EN, RU


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_one_line_a_minute_with_rate_and_eta() -> None:
    out = io.StringIO()
    times = iter([0.0, 10.0, 59.0, 61.0, 100.0, 125.0, 130.0])
    progress = Progress(100, "items", "aligning", stream=out, clock=times.__next__)
    for _ in range(5):
        progress.advance(10)  # at 10, 59, 61, 100, 125 s
    progress.close()  # at 130 s
    assert out.getvalue().splitlines() == [
        "aligning: 30/100 items, 0.492 items/s, ETA 2m22s",  # the first minute is over at 61 s
        "aligning: 50/100 items, 0.4 items/s, ETA 2m05s",  # a minute after the last line
        "aligning: 50/100 items in 2m10s, 0.385 items/s",
    ]


def test_on_a_terminal_the_line_is_redrawn() -> None:
    out = Terminal()
    progress = Progress(4, "sentences", "embedding", stream=out, clock=iter([0.0, 1.0, 2.0, 3.0]).__next__)
    progress.advance(1)
    progress.advance(1)
    progress.close()
    assert out.getvalue() == (
        "\r\x1b[Kembedding: 1/4 sentences, 1 sentences/s, ETA 3s"
        "\r\x1b[Kembedding: 2/4 sentences, 1 sentences/s, ETA 2s"
        "\r\x1b[Kembedding: 2/4 sentences in 3s, 0.667 sentences/s\n"
    )


@pytest.mark.parametrize(("seconds", "text"), [(4.4, "4s"), (125, "2m05s"), (11_220, "3h07m")])
def test_durations_read_like_a_clock(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_align_files_with_embeddings_shows_progress_and_throughput_and_reuses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BITEXT_EMBED_CACHE", str(tmp_path / "cache"))
    (tmp_path / "doc.en").write_text("\n".join(EN[:2]) + "\n", encoding="utf-8")
    (tmp_path / "doc.ru").write_text("\n".join(RU[:2]) + "\n", encoding="utf-8")
    args = ["align-files", str(tmp_path / "doc.en"), str(tmp_path / "doc.ru"), "-s", "embedding"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0].startswith("[0]:[0]:")
    assert re.search(r"^embedding: 4/4 sentences in \d+s", first.stderr, re.MULTILINE), first.stderr
    assert re.search(r"^embedded 4 sentences in [\d.]+ s \([\d.]+/s\), 0 from the cache", first.stderr, re.MULTILINE)
    second = CliRunner().invoke(main, args)
    assert second.stdout == first.stdout
    assert "embedded 0 sentences in 0.0 s, 4 from the cache (100%)" in second.stderr
    quiet = CliRunner().invoke(main, ["-q", *args])
    assert quiet.stderr == ""
