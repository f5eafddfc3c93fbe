"""The bundled sample site: up to date with its texts, served by ``scrapers.testing.demo``."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from scrapers.testing.demo import demo_urls, sample_site
from scrapers.testing.sample_site import GENERIC_PATHS, LANGS, NEW_PATHS, OLD_PATHS, SAMPLE_DIR
from scrapers.testing.sample_site.build import (
    load_texts,
    render_generic,
    render_new,
    render_old,
)


@pytest.mark.parametrize(
    ("folder", "render", "paths"),
    [("old", render_old, OLD_PATHS), ("new", render_new, NEW_PATHS), ("generic", render_generic, GENERIC_PATHS)],
)
def test_committed_pages_match_the_texts(folder: str, render: Callable[..., str], paths: dict[str, str]) -> None:
    """Catches a text edited without re-running ``python -m scrapers.testing.sample_site.build``."""
    texts = load_texts()
    for lang in LANGS:
        committed = (SAMPLE_DIR / folder / f"{lang}.html").read_text(encoding="utf-8")
        assert committed == render(texts[lang], links=paths), f"{folder}/{lang}.html is stale"


def test_manifest_serves_every_page() -> None:
    routes = json.loads((SAMPLE_DIR / "site.json").read_text(encoding="utf-8"))["routes"]
    expected = {*OLD_PATHS.values(), *NEW_PATHS.values(), *GENERIC_PATHS.values()}
    assert expected <= {route["path"] for route in routes}


def test_sample_site_serves_the_demo_urls() -> None:
    with sample_site() as site:
        urls = demo_urls(site)
        assert urls == [site.url(OLD_PATHS["en"]), site.url(NEW_PATHS["en"])]
        assert site.base_url.startswith("http://127.0.0.1:")
        for url in urls:
            response = httpx.get(url, trust_env=False)
            assert response.status_code == 200
            assert load_texts()["en"].title.split(",")[0] in response.text
