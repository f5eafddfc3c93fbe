"""Fixtures of the review tests: a stored item, a `bitext review` server, Debian's chromium under Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.review.served import Server, start_server, stop_server, write_item


@pytest.fixture
def item_dir(tmp_path: Path) -> Path:
    return write_item(tmp_path / "aligned")


@pytest.fixture
def server(item_dir: Path) -> Iterator[Server]:
    running = start_server(item_dir)
    yield running
    if running.process.poll() is None:
        stop_server(running)


@pytest.fixture(scope="module")
def viewer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per module for the tests that only look (each correcting test gets its own `server`)."""
    running = start_server(write_item(tmp_path_factory.mktemp("viewed") / "aligned"))
    yield running
    if running.process.poll() is None:
        stop_server(running)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; missing, it fails under CI=true and skips elsewhere."""
    path = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        sync_playwright = None  # type: ignore[assignment]
    if path is None or sync_playwright is None:
        missing = "chromium (apt-get install chromium)" if path is None else "playwright (pip install playwright)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} is needed for the browser tests")
        pytest.skip(f"{missing} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    page.errors = errors
    yield page
    context.close()
