"""Every case of the fault matrix meets its designed outcome, in one line, with the stored data intact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.align.frames_factory import make_frames
from tests.faults.cases import ALL
from tests.faults.matrix import Case, run_case

SLOW = os.environ.get("BITEXT_SLOW_FAULTS") == "1"  # the 30 MB cases; `python benchmarks/faults.py` runs them


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_frames(doc_id="tm:base").write(tmp_path_factory.mktemp("faults") / "data")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.mark.parametrize("case", [c for c in ALL if SLOW or not c.slow], ids=lambda c: c.id)
def test_case_meets_its_designed_outcome(case: Case, base: Path, tmp_path: Path) -> None:
    result = run_case(case, base, tmp_path)
    assert result.passed, f"{case.id}: {result.problem} ({result.outcome}: {result.message})"
