"""Fixtures for every test: each starts with a process-wide HTTP throttle and robots book that know no host.

Clients share one per-host throttle and one book of robots.txt rules, so a test
whose server failed would otherwise leave its backoff, a pause, or its robots
rules to the next test that gets the same port.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapers.http.robots import shared_robots
from scrapers.http.throttle import shared_throttle


@pytest.fixture(autouse=True)
def _fresh_shared_throttle() -> Iterator[None]:
    for shared in (shared_throttle(), shared_robots()):
        shared.reset()
    yield
    for shared in (shared_throttle(), shared_robots()):
        shared.reset()
