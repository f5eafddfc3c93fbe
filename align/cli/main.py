"""The ``bitext`` click group: logging flags and the mapping of errors to exit codes.

Exit codes: 0 success; 1 a bitext error (bad input, failed fetch, schema
problem, a file or folder the system refuses), reported as one line on stderr;
2 a usage error (an unknown option, a bad option value), one line as well.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from align import __version__
from align.errors import BitextError


def _user_errors() -> tuple[type[BaseException], ...]:
    """Exception types that are the user's input, not our bug: one line, no traceback."""
    from scrapers.errors import ScraperError  # the CLI is the one place align may import scrapers

    return (BitextError, ScraperError)


class BitextGroup(click.Group):
    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors too are one line (``bitext: error: ...``), with click's exit status 2."""
        standalone = standalone_mode
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as err:
            if not standalone:
                raise
            if type(err).__name__ == "NoArgsIsHelpError":  # plain `bitext`: the help, as click shows it
                err.show()
                sys.exit(err.exit_code)
            command = err.ctx.command_path if err.ctx else "bitext"
            message = " ".join(err.format_message().split())
            click.echo(f"bitext: error: {message} (see `{command} --help`)", err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            if not standalone:
                raise
            click.echo(f"bitext: error: {' '.join(err.format_message().split())}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            if not standalone:
                raise
            click.echo("bitext: interrupted; everything stored before is kept", err=True)
            sys.exit(130)
        if not standalone:
            return result
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _user_errors() as err:
            from align.cli.fetch_errors import error_text

            click.echo(f"bitext: error: {error_text(err)}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            # the reader left (`| head`): stop quietly, and keep Python from failing on the final flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as err:  # the environment, not a bug: permissions, full disk, a file in the way
            from align.cli.os_errors import describe_os_error

            click.echo(f"bitext: error: {describe_os_error(err)}", err=True)
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
