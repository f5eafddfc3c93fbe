"""Faults end to end: each gets its designed outcome at the fetch_item level."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scrapers.errors import HttpStatusError, RobotsDisallowed
from scrapers.http.options import FetchOptions
from scrapers.item import fetch_item, is_copy, version_problem
from scrapers.language import LanguageGuess
from scrapers.records import Article, ItemResult
from scrapers.testing.localsite import (
    Route,
    RouteSpec,
    interstitial_route,
    load_manifest,
    serve,
)
from scrapers.testing.sample_site import NEW_PATHS, OLD_PATHS, SAMPLE_DIR
from scrapers.testing.sample_site.build import load_texts, render_new, render_old

FAST = FetchOptions(delay=0, timeout=3, max_retries=1, backoff=0.01)
TEXTS = load_texts()
BASE_ROUTES = dict(load_manifest(SAMPLE_DIR).routes)


def fetch_with(overrides: dict[str, RouteSpec], start: str, *, options: FetchOptions = FAST) -> tuple[ItemResult, list[str]]:
    with serve({**BASE_ROUTES, **overrides}) as site:
        result = fetch_item(site.url(start), options=options, site="mid.ru")
        return result, list(site.hits)


def langs_of(result: ItemResult) -> list[str]:
    return [d.lang for d in result.documents]


def test_404_for_one_language() -> None:
    result, _ = fetch_with({NEW_PATHS["es"]: Route(status=404)}, NEW_PATHS["en"])
    assert langs_of(result) == ["de", "en", "fr", "ru"]
    [absence] = result.absences
    assert (absence.lang, absence.reason) == ("es", "HTTP 404 Not Found (not retried)")
    assert absence.url is not None and absence.url.endswith(NEW_PATHS["es"])


def test_de_page_that_is_really_english() -> None:
    english = render_new(TEXTS["en"], links=NEW_PATHS)
    result, _ = fetch_with({NEW_PATHS["de"]: Route.html(english)}, NEW_PATHS["ru"])
    assert langs_of(result) == ["en", "es", "fr", "ru"]
    [absence] = result.absences
    assert (absence.lang, absence.reason) == ("de", "language check: detected en")


def test_interstitial_is_retried() -> None:
    real = BASE_ROUTES[OLD_PATHS["fr"]]
    result, hits = fetch_with({OLD_PATHS["fr"]: (interstitial_route(), real)}, OLD_PATHS["en"])
    assert langs_of(result) == ["de", "en", "es", "fr", "ru"]
    assert sum(hit == OLD_PATHS["fr"] for hit in hits) == 2


def test_interstitial_that_never_ends_is_an_absence() -> None:
    result, _ = fetch_with({OLD_PATHS["fr"]: interstitial_route()}, OLD_PATHS["en"])
    [absence] = result.absences
    assert absence.lang == "fr"
    assert absence.reason.startswith('the site served its anti-bot interstitial ("Data processing... Please, wait.")')


def test_500_then_success() -> None:
    real = BASE_ROUTES[NEW_PATHS["fr"]]
    result, _ = fetch_with({NEW_PATHS["fr"]: (Route(status=500), real)}, NEW_PATHS["en"])
    assert langs_of(result) == ["de", "en", "es", "fr", "ru"]


def test_page_without_article_body() -> None:
    result, _ = fetch_with({NEW_PATHS["de"]: Route.html(render_new(TEXTS["de"], body=False))}, NEW_PATHS["en"])
    assert langs_of(result) == ["en", "es", "fr", "ru"]
    [absence] = result.absences
    assert (absence.lang, absence.reason) == ("de", "no article body found on the page")


def test_slow_response_is_an_absence_after_retries() -> None:
    slow = Route(status=200, body=BASE_ROUTES[NEW_PATHS["es"]].body, delay=2.0)
    options = FetchOptions(delay=0, timeout=0.3, max_retries=1, backoff=0.01)
    result, _ = fetch_with({NEW_PATHS["es"]: slow}, NEW_PATHS["en"], options=options)
    [absence] = result.absences
    assert absence.lang == "es"
    assert absence.reason.startswith("timed out after 0.3 s")
    assert absence.reason.endswith("Gave up after 2 attempts")


def test_robots_disallow_for_one_language() -> None:
    robots = Route(body=b"User-agent: *\nDisallow: /ru/foreign_policy/news/1527258/?lang=fr\n", content_type="text/plain")
    result, _ = fetch_with({"/robots.txt": robots}, NEW_PATHS["en"])
    assert "fr" not in langs_of(result)
    [absence] = result.absences
    assert absence.lang == "fr" and "robots.txt" in absence.reason


def test_a_different_item_behind_the_rule_url() -> None:
    other = render_new(TEXTS["de"], links=NEW_PATHS).replace("6. Oktober 2016", "20. August 2026")
    result, _ = fetch_with({NEW_PATHS["de"]: Route.html(other)}, NEW_PATHS["en"])
    [absence] = result.absences
    assert (absence.lang, absence.reason) == ("de", "different item: dated 2026-08-20, expected 2016-10-06")


def test_switcher_to_another_id_with_another_number_is_rejected() -> None:
    fr_elsewhere = "/fr/a/-/asset_publisher/Z/content/id/999"
    page = render_old(TEXTS["fr"]).replace("1868-06-10-2016", "1900-01-01-2017")
    links = {**OLD_PATHS, "fr": fr_elsewhere}
    routes = {OLD_PATHS["en"]: Route.html(render_old(TEXTS["en"], links=links)), fr_elsewhere: Route.html(page)}
    with serve(routes) as site:
        result = fetch_item(site.url(OLD_PATHS["en"]), options=FAST, site="mid.ru", langs=["en", "fr"])
    [absence] = result.absences
    assert absence.lang == "fr"
    assert absence.reason == "different item: its URL carries another id"


@pytest.mark.parametrize("error", [HttpStatusError, RobotsDisallowed])
def test_start_page_failure_stops_the_item(error: type[Exception]) -> None:
    overrides: dict[str, RouteSpec] = {NEW_PATHS["en"]: Route(status=404)}
    if error is RobotsDisallowed:
        overrides = {"/robots.txt": Route(body=b"User-agent: *\nDisallow: /\n", content_type="text/plain")}
    with pytest.raises(error):
        fetch_with(overrides, NEW_PATHS["en"])


def article(*paragraphs: str, published: datetime | None = None, number: str | None = None) -> Article:
    return Article("T", published, number, paragraphs, ("text",) * len(paragraphs))


def test_copy_of_another_version_is_rejected() -> None:
    body = ("A long enough paragraph that would never repeat across translations.", "Another long paragraph, also unique to one text.")
    kept = {"en": article(*body)}
    problem = version_problem("de", article(*body), LanguageGuess("de", 0.9), reference=None, same_item=True, kept=kept)
    assert problem == "body is a copy of the en version"


def test_short_shared_paragraphs_are_not_a_copy() -> None:
    assert not is_copy(article("Sergey Lavrov:", "Ein langer deutscher Absatz über die Lage in Syrien."),
                       article("Sergey Lavrov:", "A long English paragraph about the situation in Syria."))  # fmt: skip


def test_doc_number_rescues_a_different_url_id() -> None:
    day = datetime(2016, 10, 6, tzinfo=UTC)
    reference = article("x", published=day, number="1868-06-10-2016")
    same = article("y", published=day, number="1868-06-10-2016")
    assert version_problem("de", same, LanguageGuess("de", 1.0), reference=reference, same_item=False, kept={}) is None


def test_a_pdf_where_a_page_was_expected() -> None:
    result, _ = fetch_with({NEW_PATHS["fr"]: Route(body=b"%PDF-1.4 ...", content_type="application/pdf")}, NEW_PATHS["en"])
    [absence] = result.absences
    assert (absence.lang, absence.reason) == ("fr", "not an HTML page (application/pdf)")
