"""Fixtures for every test: each starts with a process-wide HTTP throttle that knows no host.

Clients share one per-host throttle (scrapers.http.throttle.shared_throttle), so a
test whose server failed would otherwise leave its backoff, or a pause, to the
next test that gets the same port.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapers.http.throttle import shared_throttle


@pytest.fixture(autouse=True)
def _fresh_shared_throttle() -> Iterator[None]:
    shared_throttle().reset()
    yield
    shared_throttle().reset()
