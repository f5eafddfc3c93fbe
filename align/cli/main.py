"""The ``bitext`` click group: logging flags and the mapping of errors to exit codes.

Exit codes: 0 success; 1 a bitext error (bad input, failed fetch, schema
problem), reported as one line on stderr; 2 a usage error (click's own).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from align import __version__
from align.errors import BitextError


def _user_errors() -> tuple[type[BaseException], ...]:
    """Exception types that are the user's input, not our bug: one line, no traceback."""
    from scrapers.errors import ScraperError  # the CLI is the one place align may import scrapers

    return (BitextError, ScraperError)


class BitextGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _user_errors() as err:
            click.echo(f"bitext: error: {err}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("bitext: interrupted; everything stored before is kept", err=True)
            sys.exit(130)


@click.group(cls=BitextGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bitext")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Fetch every language version of a page, align its sentences, export them.

    \b
    Example:
        bitext run https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2490975
        bitext export tmx --langs ru,en -o lavrov.ru-en.tmx
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")
    # httpx logs every request at INFO too; ours already does, once
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet
