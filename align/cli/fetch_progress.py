"""What `bitext fetch` says while it works: the time it will take, then each request as it goes.

At 10 s between requests an item in five languages takes about a minute, and a
person should know that before the first request, not after the last. On a
terminal a transient status line shows each request; elsewhere (a log, a pipe)
plain lines do, but only when requests are slow enough to need them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Final
from urllib.parse import urlsplit

import click
from rich.markup import escape

from scrapers.errors import ScraperError
from scrapers.http.options import DEFAULT_DELAY, FetchOptions

# Below this many seconds between requests, a fetch is quick: no plan and no plain progress lines
SLOW_DELAY: Final = 2.0
# Requests for one item: robots.txt, the start page, one page per other language (retries not counted)
BASE_REQUESTS: Final = 2


def request_delay(urls: Sequence[str], options: FetchOptions, site: str | None) -> float:
    """The longest delay between requests that the URLs' hosts will get (``--delay``, else each site's own)."""
    if options.delay is not None:
        return options.delay
    from scrapers.item import host_delays
    from scrapers.sites import adapter_for

    longest = 0.0
    for url in urls:
        try:
            adapter = adapter_for(url, site)
        except ScraperError:
            continue  # fetch_item reports it, in its turn
        host = (urlsplit(url).hostname or "").lower()
        longest = max(longest, host_delays(adapter, url, named=site is not None).get(host, DEFAULT_DELAY))
    return longest


def plan_line(items: int, langs: int, delay: float) -> str | None:
    """How long the fetch will take, when requests are slow; None when it will be quick.

    >>> plan_line(1000, 5, 10.0)
    'fetching 1000 items, 10 s between requests: about 1 min an item in 5 languages, about 17 h in all'
    >>> plan_line(3, 5, 0.0) is None
    True
    """
    if delay < SLOW_DELAY:
        return None
    per_item = (BASE_REQUESTS + langs - 1) * delay
    line = f"fetching {items} item{'s' if items != 1 else ''}, {delay:g} s between requests: "
    line += f"about {_duration(per_item)} an item in {langs} language{'s' if langs != 1 else ''}"
    return line + (f", about {_duration(per_item * items)} in all" if items > 1 else "")


def _duration(seconds: float) -> str:
    """'40 s', '1 min', '17 h' (rounded: a plan, not a promise)."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


@contextmanager
def progress(quiet: bool, *, slow: bool, plan: str | None = None) -> Iterator[Callable[[str], None]]:
    """A callback for progress lines: a status line on a terminal, plain stderr lines when slow, else silent.

    ``plan`` is printed just before the first line, that is before the first
    request (after the arguments were found good).
    """
    if quiet:
        yield lambda _line: None
        return
    pending = [plan] if plan else []

    def announce() -> None:
        while pending:
            click.echo(pending.pop(), err=True)

    # not console.is_terminal: FORCE_COLOR (set by Jupyter kernels) makes rich animate into pipes
    if not sys.stderr.isatty():

        def plain(line: str) -> None:
            announce()
            if slow:
                click.echo(line, err=True)

        yield plain
        return
    from rich.console import Console

    with Console(stderr=True).status("starting") as status:

        def update(line: str) -> None:
            announce()
            status.update(escape(line))

        yield update
