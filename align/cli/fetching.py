"""Subcommands fetch, run, demo: from URLs to the documents frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

from align.cli.main import main
from align.cli.options import data_option, langs_option
from align.cli.preflight import check_data_dir
from align.errors import BitextError
from align.store.batches import DEFAULT_BATCH_ITEMS, DEFAULT_BATCH_SECONDS
from align.store.delta import frame_path
from scrapers.http.options import DEFAULT_DELAY, FetchOptions
from scrapers.langtags import SUPPORTED_LANGS

if TYPE_CHECKING:
    from scrapers.sites.base import SiteAdapter

F = TypeVar("F", bound=Callable[..., Any])
# The CLI states no fetch default of its own: these are FetchOptions' (scrapers/http/options.py).
FETCH_DEFAULTS: Final = FetchOptions()
LANGS_HELP: Final = f"Languages to keep, e.g. de,en (default: {','.join(SUPPORTED_LANGS)})."


def site_delays_text() -> str:
    """``--delay``'s default in words, from the site adapters' polite delays and ``DEFAULT_DELAY``."""
    from scrapers.sites.generic import GenericAdapter
    from scrapers.sites.kremlin import KremlinAdapter
    from scrapers.sites.mid import MidAdapter

    adapters: tuple[type[SiteAdapter], ...] = (MidAdapter, KremlinAdapter, GenericAdapter)
    by_delay: dict[float, list[str]] = {}
    for adapter in adapters:
        if adapter.host_delay and adapter.hosts:
            by_delay.setdefault(adapter.host_delay, []).append(min(adapter.hosts, key=len))
    sites = "; ".join(f"{delay:g} for {' and '.join(hosts)}" for delay, hosts in sorted(by_delay.items()))
    return f"{sites}; {DEFAULT_DELAY:g} elsewhere; longer if robots.txt asks"


class DelayOption(click.Option):
    """``--delay``: its default is each site's own, described when help is shown (site modules load late)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = f"Seconds between requests to one host [default: {site_delays_text()}]."
        return super().get_help_record(ctx)


def fetch_options(func: F) -> F:
    """The politeness and cache options shared by ``fetch`` and ``run``; defaults are FetchOptions'."""
    decorators = [
        click.option("--site", default=None, help="Site adapter by name (mid.ru, kremlin.ru, generic); default: by host."),
        click.option("--delay", cls=DelayOption, type=click.FloatRange(min=0), default=FETCH_DEFAULTS.delay),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=FETCH_DEFAULTS.timeout,
                     show_default=True, help="Connect/read timeout in seconds."),
        click.option("--deadline", type=click.FloatRange(min=0, min_open=True), default=FETCH_DEFAULTS.deadline,
                     show_default=True, help="Longest time one request may take in all (connect and every read), "
                                             "in seconds: a server that trickles its answer fails like a timeout."),
        click.option("--retries", type=click.IntRange(min=0), default=FETCH_DEFAULTS.max_retries, show_default=True,
                     help="Retries after a failed attempt (429/5xx, timeouts, the anti-bot page), "
                          f"the first after {FETCH_DEFAULTS.backoff:g} s, each further one waiting twice as long."),
        click.option("--offline", is_flag=True, help="Use only responses already in the cache."),
        click.option("--ignore-robots", is_flag=True, help="Do not read or obey robots.txt."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Raw-response cache [default: DATA/cache]."),
        click.option("--batch-items", default=DEFAULT_BATCH_ITEMS, show_default=True, type=click.IntRange(min=1),
                     help="Commit the fetched (with `run`, also the aligned) items every N items (a crash loses at most one batch)."),
        click.option("--batch-seconds", default=DEFAULT_BATCH_SECONDS, show_default=True,
                     type=click.FloatRange(min=0, min_open=True), help="... or every S seconds, whichever comes first."),
    ]  # fmt: skip
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def _batches(params: dict[str, Any]) -> dict[str, Any]:
    """Take ``--batch-items``/``--batch-seconds`` out of the fetch options' values."""
    return {"batch_items": params.pop("batch_items"), "batch_seconds": params.pop("batch_seconds")}


def _options(data_dir: Path, cache_dir: Path | None, **params: Any) -> FetchOptions:
    return FetchOptions(
        delay=params["delay"], timeout=params["timeout"], deadline=params["deadline"], max_retries=params["retries"],
        offline=params["offline"], respect_robots=not params["ignore_robots"],
        cache_dir=cache_dir or data_dir / "cache",
    )  # fmt: skip


def fetch_urls(
    urls: Sequence[str], *, data_dir: Path, options: FetchOptions, site: str | None,
    langs: Sequence[str] | None, quiet: bool,
    batch_items: int = DEFAULT_BATCH_ITEMS, batch_seconds: float = DEFAULT_BATCH_SECONDS,
) -> tuple[list[str], int]:  # fmt: skip
    """Fetch and store each item (one fetch run, committed in batches), print its summary; one error
    line per item that stored nothing.

    Returns the doc_ids stored and the number of URLs that stored nothing.
    """
    from align.cli.fetch_errors import error_text
    from align.cli.fetch_progress import plan_line, progress, request_delay
    from align.jobs.documents import DocumentsWriter, summary_lines
    from scrapers.errors import ScraperError
    from scrapers.item import fetch_item

    plan = plan_line(len(urls), len(langs or SUPPORTED_LANGS), request_delay(urls, options, site))
    stored: list[str] = []
    failed = 0
    with DocumentsWriter(data_dir, site=site, batch_items=batch_items, batch_seconds=batch_seconds) as writer:
        for url in urls:
            try:
                with progress(quiet, slow=plan is not None, plan=plan if not stored and not failed else None) as show:
                    result = fetch_item(url, options=options, site=site, langs=langs, progress=show)
                kept = writer.add(result, source_url=url)
            except (ScraperError, BitextError) as err:
                click.echo(f"bitext: error: {error_text(err)}", err=True)
                failed += 1
                continue
            stored.append(result.doc_id)
            if not quiet:
                for line in summary_lines(result, kept_earlier=kept):
                    click.echo(line, err=True)
    if stored and not quiet:
        click.echo(f"stored in {frame_path(data_dir, 'documents')}", err=True)
    return stored, failed


@main.command("fetch")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@data_option
@langs_option(LANGS_HELP)
@fetch_options
@click.pass_context
def fetch(ctx: click.Context, /, urls: tuple[str, ...], data_dir: Path, langs: list[str] | None, **params: Any) -> None:
    """Find every language version of each URL's item and store them in DATA/documents/ (in batches).

    One line per language on stderr: what was found, or why a version is absent.

    \b
    Example:
        bitext fetch https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975
        bitext fetch --site mid.ru --delay 0 --langs ru,en http://127.0.0.1:8000/ru/foreign_policy/news/1527258/?lang=en
    """
    site, cache_dir, batches = params.pop("site"), params.pop("cache_dir"), _batches(params)
    check_data_dir(data_dir)  # before the first request: a folder we cannot write costs no network time
    options = _options(data_dir, cache_dir, **params)
    _, failed = fetch_urls(urls, data_dir=data_dir, options=options, site=site, langs=langs, quiet=ctx.obj["quiet"],
                           **batches)
    if failed:
        ctx.exit(1)


@main.command("run")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@data_option
@langs_option(LANGS_HELP)
@fetch_options
@click.pass_context
def run(ctx: click.Context, /, urls: tuple[str, ...], data_dir: Path, langs: list[str] | None, **params: Any) -> None:
    """Fetch each URL's item in every language, then align what was stored.

    \b
    Example:
        bitext run https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975
    """
    site, cache_dir, batches = params.pop("site"), params.pop("cache_dir"), _batches(params)
    check_data_dir(data_dir)  # before the first request: a folder we cannot write costs no network time
    options = _options(data_dir, cache_dir, **params)
    doc_ids, failed = fetch_urls(
        urls, data_dir=data_dir, options=options, site=site, langs=langs, quiet=ctx.obj["quiet"], **batches
    )
    if doc_ids:
        _align(data_dir, doc_ids, **batches)
    if failed:
        ctx.exit(1)


def _align(data_dir: Path, doc_ids: Sequence[str], **batches: Any) -> None:
    from align.cli.aligning import describe
    from align.jobs.documents import align_fetched

    for doc in align_fetched(data_dir, doc_ids, **batches).documents:
        click.echo(describe(doc), err=True)


@main.command("demo")
@data_option
@click.pass_context
def demo(ctx: click.Context, data_dir: Path) -> None:
    """Run the main job offline on the bundled sample site (served on 127.0.0.1).

    Fetches the sample item in both mid.ru layouts, five languages each, then
    aligns it, and prints where the results are.

    \b
    Example:
        bitext demo -d /tmp/bitext-demo
    """
    from scrapers.testing.demo import demo_urls, sample_site

    check_data_dir(data_dir)
    options = FetchOptions(delay=0, timeout=10, max_retries=1, backoff=0.1, cache_dir=data_dir / "cache")
    with sample_site() as site:
        if not ctx.obj["quiet"]:
            click.echo(f"sample site serving on {site.base_url}", err=True)
        doc_ids, failed = fetch_urls(
            demo_urls(site), data_dir=data_dir, options=options, site="mid.ru", langs=None, quiet=ctx.obj["quiet"]
        )
    if failed or not doc_ids:
        raise BitextError(f"the demo could not fetch the sample item; see the lines above. {data_dir} keeps what it held")
    _align(data_dir, doc_ids)
    from align.formats.bundle import write_standard_exports

    exports = write_standard_exports(data_dir, data_dir / "exports")
    click.echo(
        f"results are in {data_dir}/: documents, sentences, alignments and units (Delta tables) and runs;\n"
        f"exports: {', '.join(str(p) for p in exports)}\n"
        f"next: bitext show {doc_ids[0]} -d {data_dir}   |   bitext export tmx -d {data_dir} --langs ru,en -o FILE"
    )
