"""The review web app (Starlette): the corpus page, the item page, one JSON endpoint for corrections.

Every request but the static assets must carry the session token (``?token=``
on pages, the ``X-Bitext-Token`` header on corrections, which a cross-site
form cannot set) and name this server in its ``Host`` header (no DNS
rebinding); pages are sent with a strict Content-Security-Policy (no inline
script, nothing from elsewhere) and ``Referrer-Policy: no-referrer`` so the
token does not leak.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from align.errors import BitextError
from align.review.edits import ACTIONS, Target
from align.review.history import REDO, UNDO
from align.review.overview import corpus, known_items
from align.review.pages import Grid, corpus_page, error_page, item_page, rows_html
from align.review.risk import unit_risks
from align.review.session import Item, VersionConflict, correct, current_item, history

STATIC: Final = Path(__file__).parent / "static"
TOKEN_HEADER: Final = "x-bitext-token"
# No inline script or style can run, nothing loads from elsewhere. 'unsafe-eval' stays allowed because browser
# automation (Playwright's wait_for_function, the checks' scripts) evaluates its predicates with eval; the page
# itself never calls it, and texts are escaped, so nothing from the store can reach an eval.
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Guard(BaseHTTPMiddleware):
    """Refuses requests without the session token or for another host; adds the security headers."""

    def __init__(self, app: Any, token: str, hosts: frozenset[str]) -> None:
        super().__init__(app)
        self.token, self.hosts = token, hosts

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.headers.get("host", "") not in self.hosts:
            return _refuse(request, 403, "this review server answers only to its own address (127.0.0.1)")
        if not request.url.path.startswith("/static/"):
            given = request.headers.get(TOKEN_HEADER) if request.method != "GET" else request.query_params.get("token")
            if not given or not secrets.compare_digest(given, self.token):
                what = "missing" if not given else "wrong"
                return _refuse(request, 403, f"the session token is {what}: open the address `bitext review` "
                                             "printed (it ends in ?token=...)")
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response


def _refuse(request: Request, status: int, message: str) -> Response:
    if request.method == "GET":
        response: Response = HTMLResponse(error_page(message), status_code=status)
    else:
        response = JSONResponse({"error": message}, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def _grid(item: Item) -> Grid:
    return Grid(item, unit_risks(item.rows, item.langs, item.pivot))


def create_app(data_dir: str | Path, token: str, *, port: int) -> Starlette:
    """The app over ``data_dir``, answering to ``127.0.0.1:port`` / ``localhost:port`` with ``token``."""
    data = str(data_dir)

    def corpus_view(request: Request) -> Response:
        items, queue = corpus(data)
        return HTMLResponse(corpus_page(data, items, queue, token))

    def item_view(request: Request) -> Response:
        doc_id = request.query_params.get("doc", "")
        try:
            item = current_item(data, doc_id)
        except BitextError as err:
            known = ", ".join(known_items(data)[:10]) or "none"
            return HTMLResponse(error_page(f"{err} (items here: {known})"), status_code=404)
        stacks = history(data, item)
        page = item_page(_grid(item), token, item.version, can_undo=bool(stacks.done), can_redo=bool(stacks.undone))
        return HTMLResponse(page)

    async def correct_view(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "the request body is not JSON"}, status_code=400)
        problem = _body_problem(body)
        if problem:
            return JSONResponse({"error": problem}, status_code=400)
        target = Target(int(body["unit"]), body.get("lang"), body.get("sent"), bool(body.get("every_language", True)))
        try:
            outcome = await run_in_threadpool(
                correct, data, str(body["doc"]), str(body["action"]), target, str(body["version"]))
        except VersionConflict as err:
            return JSONResponse({"error": str(err), "conflict": True}, status_code=409)
        except BitextError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        grid = _grid(outcome.item)
        splice = outcome.splice
        # the row after the change too: its paragraph mark depends on the row before it
        stop = min(len(grid.item.rows), splice.start + len(splice.after) + 1)
        removed = len(splice.before) + (1 if stop > splice.start + len(splice.after) else 0)
        return JSONResponse({
            "version": outcome.item.version, "start": splice.start, "removed": removed,
            "html": rows_html(grid, splice.start, stop), "total": len(grid.item.rows),
            "can_undo": bool(outcome.history.done), "can_redo": bool(outcome.history.undone),
            "message": _said(outcome.entry.action, target.unit),
        })

    hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})
    return Starlette(
        routes=[
            Route("/", corpus_view),
            Route("/item", item_view),
            Route("/api/correct", correct_view, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(Guard, token=token, hosts=hosts)],
    )


def _body_problem(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    for key in ("doc", "version", "action", "unit"):
        if key not in body:
            return f"the request has no `{key}`"
    if body["action"] not in (*ACTIONS, UNDO, REDO):
        return f"unknown action `{body['action']}`"
    if not isinstance(body["unit"], int) or (body.get("sent") is not None and not isinstance(body["sent"], int)):
        return "`unit` and `sent` must be integers"
    return None


def _said(action: str, unit: int) -> str:
    done = {
        "merge": f"merged unit {unit} with the next", "split": f"split unit {unit}",
        "move-previous": f"moved to unit {unit - 1}", "move-next": f"moved to unit {unit + 1}",
        "confirm": f"confirmed unit {unit}", "confirm-up-to": f"confirmed units 0–{unit}",
        UNDO: "undone", REDO: "redone",
    }
    return f"{done.get(action, action)}; saved"
