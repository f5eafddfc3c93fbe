"""The examples in the HTTP layer's docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import scrapers.http
import scrapers.localsite
import scrapers.robots


@pytest.mark.parametrize("module", [scrapers.robots, scrapers.http, scrapers.localsite])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
