"""What the review tests share: a small stored item (with a hostile sentence) and a `bitext review` server process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.align.frames_factory import SAMPLE_SCORES, SAMPLE_UNITS, UnitSpec, make_frames

ROOT = Path(__file__).resolve().parents[2]
DOC_ID = "mid.ru:1527258"
HOSTILE_EN = 'He wrote "<script>window.__xss = 1</script>" & <b>more</b> in the statement.'
# our own translations of the hostile sentence
HOSTILE_RU = 'Он написал «<script>window.__xss = 1</script>» & <b>ещё</b> в заявлении.'
HOSTILE_DE = 'Er schrieb „<script>window.__xss = 1</script>“ & <b>mehr</b> in die Erklärung.'
UNITS: list[UnitSpec] = [
    *SAMPLE_UNITS[:5],
    {"ru": [HOSTILE_RU], "en": [HOSTILE_EN], "de": [HOSTILE_DE]},
    SAMPLE_UNITS[5],
]
SCORES: list[float | None] = [*SAMPLE_SCORES[:5], 0.8, SAMPLE_SCORES[5]]


def write_item(data_dir: Path, *, units: list[UnitSpec] | None = None, scores: list[float | None] | None = None,
               doc_id: str = DOC_ID) -> Path:
    """One stored item (ru pivot, en, de): 1-1, 2-1, 1-2 and 1-0 units and the hostile sentence."""
    make_frames(units or UNITS, scores or SCORES, doc_id=doc_id).write(data_dir)
    return data_dir


@dataclass
class Server:
    """A running `bitext review` (a real process on 127.0.0.1)."""

    process: subprocess.Popen[str]
    address: str
    data_dir: Path

    @property
    def base(self) -> str:
        return self.address.split("/?")[0].split("/item?")[0]

    @property
    def token(self) -> str:
        return self.address.rsplit("token=", 1)[1]

    def item_url(self, doc_id: str = DOC_ID) -> str:
        from urllib.parse import urlencode

        return f"{self.base}/item?{urlencode({'doc': doc_id, 'token': self.token})}"


def start_server(data_dir: Path, *args: str) -> Server:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "align", "review", "-d", str(data_dir), "--port", "0", "--no-browser", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("bitext review: http://127.0.0.1:"):
        process.kill()
        raise AssertionError(f"no address printed: {line!r} {process.communicate()[1]}")
    return Server(process, line.split(": ", 1)[1].strip(), data_dir)


def stop_server(server: Server) -> str:
    """Ctrl-C the server; returns its stderr."""
    server.process.send_signal(signal.SIGINT)
    _, err = server.process.communicate(timeout=20)
    return err


