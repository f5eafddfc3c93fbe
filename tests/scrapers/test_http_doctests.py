"""The examples in the HTTP layer's docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import scrapers.http.client
import scrapers.http.clock
import scrapers.http.retry
import scrapers.http.robots
import scrapers.sites.interstitials
import scrapers.testing.localsite

MODULES = [
    scrapers.http.robots, scrapers.http.client, scrapers.http.clock, scrapers.http.retry,
    scrapers.sites.interstitials, scrapers.testing.localsite,
]  # fmt: skip


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
