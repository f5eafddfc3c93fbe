"""The examples in the HTTP layer's docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import scrapers.http.client
import scrapers.http.robots
import scrapers.testing.localsite


@pytest.mark.parametrize("module", [scrapers.http.robots, scrapers.http.client, scrapers.testing.localsite])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
