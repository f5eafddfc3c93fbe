"""The fault matrix: every hostile input and environment, its designed outcome, and the stored data's hash.

Each :class:`Case` runs one ``bitext`` command (in process through click's
runner, or as a real ``python -m align`` process where the case needs one)
against a fresh copy of a small data folder, and :func:`run_case` classifies
what happened:

``ok`` / ``warning`` / ``error`` / ``usage``
    exit 0 / exit 0 with a ``bitext: warning:`` line / exit 1 with one
    ``bitext: error:`` line / exit 2 with one line;
``traceback``, ``crash``, ``hang``
    what must never happen: a Python traceback, any other exit or exception,
    or no answer within the case's time limit.

The frames are hashed through the public ``align.read_frame`` before and after
(volatile columns left out, rows in any order); ``intact`` says the rows that
were there before are still there, unchanged. The pytest cases
(``tests/faults/test_matrix.py``) and ``python benchmarks/faults.py`` share this.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import polars.selectors  # pl.selectors
from click.testing import CliRunner

import align
from align.cli import main

ROOT = Path(__file__).resolve().parents[2]
FRAMES = ("documents", "sentences", "alignments", "units")
VOLATILE = frozenset({"fetched_at", "run_id", "created"})
OUTCOMES = ("ok", "warning", "error", "usage")
FAILURES = ("traceback", "crash", "hang")


def data_hash(
    data: Path, *, doc_ids: Iterable[str] | None = None, frames: Sequence[str] = FRAMES, recomputed: bool = False
) -> str:
    """Content hash of the frames under ``data`` (of ``doc_ids`` only, if given); order-free.

    ``recomputed``: for comparing two runs of the same computation, whose scores differ
    in the 9th digit (threaded sums): floats are compared by :func:`scores_close` instead.
    """
    keep = None if doc_ids is None else set(doc_ids)
    digest = hashlib.sha256()
    for name in frames:
        frame = align.read_frame(data, name, missing_ok=True)
        frame = frame.drop([c for c in frame.columns if c in VOLATILE])
        if recomputed:
            frame = frame.drop(pl.selectors.float())
        rows = sorted(repr(row) for row in frame.iter_rows() if keep is None or row[0] in keep)
        digest.update(f"{name}:{len(rows)}\n".encode())
        for row in rows:
            digest.update(row.encode() + b"\n")
    return digest.hexdigest()


def scores_close(data: Path, other: Path, *, tolerance: float = 1e-6) -> bool:
    """The float columns of both folders' frames agree within ``tolerance`` (rows in the same order)."""
    for name in FRAMES:
        a, b = (align.read_frame(d, name, missing_ok=True) for d in (data, other))
        keys = [c for c in a.columns if c not in VOLATILE and a.schema[c] in (pl.String, pl.Int32, pl.Int64)]
        a, b = a.sort(keys), b.sort(keys)
        for column in a.select(pl.selectors.float()).columns:
            if len(a) != len(b) or ((a[column] - b[column]).abs() > tolerance).any():
                return False
    return True


def stored_doc_ids(data: Path) -> set[str]:
    ids: set[str] = set()
    for name in FRAMES:
        ids |= set(align.read_frame(data, name, missing_ok=True)["doc_id"].unique().to_list())
    return ids


@dataclass
class Env:
    """What a case works with: a scratch folder and a data folder holding a few frames."""

    tmp: Path
    data: Path
    notes: list[str] = field(default_factory=list)

    def path(self, name: str) -> Path:
        return self.tmp / name

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path


@dataclass(frozen=True)
class Run:
    """What one command did."""

    exit_code: int | None  # None: it did not end in time
    stderr: str
    stdout: str = ""
    exception: BaseException | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Case:
    """One hostile situation and its designed outcome (one of OUTCOMES)."""

    category: str
    name: str
    action: Callable[[Env], Run]
    expect: str
    contains: str = ""  # a fragment the message must hold
    check: Callable[[Env, Run], str | None] | None = None  # extra check: a problem, or None
    timeout: float = 60.0
    slow: bool = False  # left out of the quick pytest run (the benchmark runs it)

    @property
    def id(self) -> str:
        return f"{self.category}/{self.name}"


@dataclass(frozen=True)
class Result:
    case: Case
    outcome: str
    message: str
    intact: bool
    seconds: float
    problem: str | None = None  # why the outcome is not the designed one

    @property
    def passed(self) -> bool:
        return self.problem is None


def cli(*args: str, timeout: float = 60.0, input: str | None = None) -> Run:
    """``bitext ARGS`` in this process; a command still running after ``timeout`` is a hang."""
    box: dict[str, Any] = {}

    def target() -> None:
        box["result"] = CliRunner().invoke(main, list(args), input=input)

    started = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    seconds = time.monotonic() - started
    if thread.is_alive():
        return Run(None, "", seconds=seconds)
    result = box["result"]
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Run(result.exit_code, result.stderr, result.stdout, exception, seconds)


def process(*args: str, timeout: float = 60.0, stdout: Any = subprocess.PIPE, **kwargs: Any) -> Run:
    """``python -m align ARGS`` as its own process (what a user's shell runs)."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "align", *args], cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE,
            text=True, timeout=timeout, check=False, env=_child_env(), **kwargs,
        )  # fmt: skip
    except subprocess.TimeoutExpired as err:
        return Run(None, (err.stderr or b"").decode() if isinstance(err.stderr, bytes) else err.stderr or "")
    return Run(done.returncode, done.stderr, done.stdout or "", None, time.monotonic() - started)


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}}
    env["PYTHONPATH"] = str(ROOT)
    return env


def classify(run: Run) -> tuple[str, str]:
    """(outcome, message) of a run."""
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    message = next((line for line in lines if line.startswith("bitext: error:")), "")
    message = message or next((line for line in lines if line.startswith("bitext: warning:")), "")
    if run.exit_code is None:
        return "hang", f"no answer within the time limit ({run.seconds:.0f} s)"
    if run.exception is not None:
        return "traceback", f"{type(run.exception).__name__}: {run.exception}"[:200]
    if "Traceback (most recent call last)" in run.stderr:
        return "traceback", next((line for line in reversed(lines) if line.strip()), "")[:200]
    errors = [line for line in lines if line.startswith("bitext: error:")]
    if run.exit_code == 0:
        return ("warning" if message.startswith("bitext: warning:") else "ok"), message
    if run.exit_code in (1, 2) and errors:
        return ("error" if run.exit_code == 1 else "usage"), errors[0]
    return "crash", f"exit {run.exit_code}: {(lines or [''])[-1]}"[:200]


def run_case(case: Case, base: Path, scratch: Path) -> Result:
    """Run ``case`` on a fresh copy of the data folder ``base``; classify it; compare the hashes."""
    tmp = scratch / case.id.replace("/", "__")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    data = tmp / "data"
    shutil.copytree(base, data)
    before_ids = stored_doc_ids(data)
    before = data_hash(data, doc_ids=before_ids)
    env = Env(tmp, data)
    try:
        run = case.action(env)
    except Exception as err:  # noqa: BLE001  # the harness itself, or an in-process call outside the CLI
        run = Run(1, "", exception=err)
    outcome, message = classify(run)
    message = message or "; ".join(dict.fromkeys(env.notes))
    try:
        intact = data_hash(data, doc_ids=before_ids) == before
    except Exception as err:  # noqa: BLE001  # an unreadable frame after the case is a changed hash
        intact, message = False, message or f"frames unreadable afterwards: {err}"
    problem = None
    if outcome != case.expect:
        problem = f"expected {case.expect}, got {outcome}"
    elif case.contains and case.contains not in message + run.stdout:
        problem = f"message lacks {case.contains!r}"
    elif case.check is not None:
        problem = case.check(env, run)
    if problem is None and not intact:
        problem = "stored data changed"
    if problem is None and outcome in ("error", "usage") and _error_lines(run.stderr) != 1:
        problem = "more than one error line"
    return Result(case, outcome, message.removeprefix("bitext: "), intact, run.seconds, problem)


def _error_lines(stderr: str) -> int:
    return sum(1 for line in stderr.splitlines() if line.startswith("bitext: error:"))


@contextmanager
def read_only(folder: Path) -> Iterator[bool]:
    """``folder`` made unwritable for the duration (chmod, or ``chattr +i`` for root); False if impossible."""
    done = None
    if os.geteuid() == 0 and shutil.which("chattr"):
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode == 0:
            done = "chattr"
    elif os.geteuid() != 0:
        folder.chmod(0o555)
        done = "chmod"
    try:
        yield done is not None
    finally:
        if done == "chattr":
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
        elif done == "chmod":
            folder.chmod(0o755)


def summarize(results: Sequence[Result]) -> dict[str, int]:
    """The numbers a fault run is judged by."""
    return {
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "crashes": sum(r.outcome == "crash" for r in results),
        "tracebacks": sum(r.outcome == "traceback" for r in results),
        "hangs": sum(r.outcome == "hang" for r in results),
        "changed hashes": sum(not r.intact for r in results),
    }


def table(results: Sequence[Result]) -> str:
    """The matrix as a fixed-width table: case, outcome, message, data intact."""
    rows = [("case", "outcome", "intact", "message")]
    for r in results:
        outcome = r.outcome if r.passed else f"{r.outcome} (FAIL: {r.problem})"
        rows.append((r.case.id, outcome, "yes" if r.intact else "NO", r.message[:110]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}" for row in rows
    )
