"""Fixtures for every test: no proxy from the environment, and a process-wide HTTP throttle and robots book that know no host.

Clients share one per-host throttle and one book of robots.txt rules, so a test
whose server failed would otherwise leave its backoff, a pause, or its robots
rules to the next test that gets the same port.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapers.http.robots import shared_robots
from scrapers.http.throttle import shared_throttle

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _no_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must not wander to a proxy the machine happens to configure."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(autouse=True)
def _fresh_shared_throttle() -> Iterator[None]:
    for shared in (shared_throttle(), shared_robots()):
        shared.reset()
    yield
    for shared in (shared_throttle(), shared_robots()):
        shared.reset()
