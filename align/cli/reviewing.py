"""Subcommand review: the browser app for reading and correcting an item's units (align/review/)."""

from __future__ import annotations

import errno
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from urllib.parse import urlencode

import click

from align.cli.main import main
from align.cli.options import data_option
from align.errors import FrameError, InputError
from align.store.delta import frame_path

HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def review_address(port: int, token: str, doc_id: str | None) -> str:
    """``http://127.0.0.1:PORT/?token=...`` (the item page when ``doc_id`` is given)."""
    if doc_id:
        return f"http://{HOST}:{port}/item?{urlencode({'doc': doc_id, 'token': token})}"
    return f"http://{HOST}:{port}/?{urlencode({'token': token})}"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: any free port); a port in use is one clear error."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} on {HOST} is in use; choose another with `--port`, or `--port 0` for any")
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@main.command("review")
@click.argument("doc_id", required=False)
@data_option
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
def review(doc_id: str | None, data_dir: Path, port: int, no_browser: bool) -> None:
    """Review and correct aligned units in the browser: all languages of a unit side by side.

    Starts a local web app on 127.0.0.1 and prints its address, which carries a
    token for this session only; every correction is stored at once (a run with
    step "correct"), logged, and can be undone. Ctrl-C stops the server.

    \b
    Example:
        bitext review -d aligned/
        bitext review mid.ru:1527258 -d aligned/ --port 8800 --no-browser
    """
    try:
        import uvicorn

        from align.review.app import create_app, new_token
    except ImportError as err:
        raise InputError(f"`bitext review` needs Starlette and uvicorn ({err.name} is missing). "
                         "Hint: pip install 'bitext[review]'") from err
    from align.review.session import load_item
    from align.store.tables import table_exists

    if not table_exists(data_dir, "units"):
        raise FrameError(f"{frame_path(data_dir, 'units')}: no units here. Hint: run `bitext align -d {data_dir}` "
                         "first, or point `-d/--data` at the folder that holds them")
    if doc_id:
        load_item(data_dir, doc_id)  # an unknown or half-written item: one line, before the server starts
    sock = bind(port)
    port = sock.getsockname()[1]
    token = new_token()
    address = review_address(port, token, doc_id)
    click.echo(f"bitext review: {address}")
    sys.stdout.flush()  # a script or test reading the address through a pipe needs it now, not at exit
    click.echo("  (the address carries this session's token; Ctrl-C stops the server)", err=True)
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(address,)).start()
    try:
        config = uvicorn.Config(create_app(data_dir, token, port=port), log_level="warning", access_log=False)
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down on Ctrl-C, then raises it again: the normal way to stop
        pass
    finally:
        sock.close()
    click.echo("bitext review: stopped; every correction was saved as it was made", err=True)
