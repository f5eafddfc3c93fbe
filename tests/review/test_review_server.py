"""The review server as a process: its address, the session token, the Host check, Ctrl-C, and CLI errors."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import polars as pl
from click.testing import CliRunner

from align.cli import main
from align.store.tables import read_frame
from tests.review.served import DOC_ID, Server, start_server, stop_server


def _post(server: Server, headers: dict[str, str], **body: object) -> httpx.Response:
    units = read_frame(server.data_dir, "units").filter(pl.col("doc_id") == DOC_ID)
    payload = {"doc": DOC_ID, "version": units["run_id"][0], "action": "merge", "unit": 0, **body}
    return httpx.post(f"{server.base}/api/correct", content=json.dumps(payload),
                      headers={"Content-Type": "application/json", **headers})


def test_pages_and_changes_need_the_session_token(server: Server) -> None:
    assert server.address.startswith("http://127.0.0.1:")
    assert httpx.get(server.address).status_code == 200
    for url in (server.base + "/", server.base + "/?token=wrong", server.item_url().replace(server.token, "x")):
        answer = httpx.get(url)
        assert answer.status_code == 403 and "token" in answer.text
    before = read_frame(server.data_dir, "units")
    assert _post(server, {}).status_code == 403
    assert _post(server, {"X-Bitext-Token": "wrong"}).status_code == 403
    assert read_frame(server.data_dir, "units").equals(before)  # nothing changed
    answer = _post(server, {"X-Bitext-Token": server.token})
    assert answer.status_code == 200, answer.text
    assert read_frame(server.data_dir, "units").height == before.height - 1


def test_a_request_for_another_host_is_refused(viewer: Server) -> None:
    port = viewer.base.rsplit(":", 1)[1]
    answer = httpx.get(viewer.address, headers={"Host": f"evil.example:{port}"})
    assert answer.status_code == 403  # a DNS-rebinding page cannot read or post through the browser
    assert "Content-Security-Policy" in httpx.get(viewer.address).headers


def test_bad_corrections_get_one_clear_message_and_change_nothing(server: Server) -> None:
    token = {"X-Bitext-Token": server.token}
    answer = _post(server, token, unit=6)
    assert answer.status_code == 400 and "last one" in answer.json()["error"]
    answer = _post(server, token, action="drop-table")
    assert answer.status_code == 400 and "unknown action" in answer.json()["error"]
    answer = _post(server, token, version="align-old")
    assert answer.status_code == 409 and "another tab" in answer.json()["error"]
    assert read_frame(server.data_dir, "units").filter(pl.col("doc_id") == DOC_ID).height == 7


def test_ctrl_c_stops_the_server_and_says_everything_was_saved(item_dir: Path) -> None:
    running = start_server(item_dir, DOC_ID)
    assert "/item?doc=mid.ru%3A1527258&token=" in running.address
    assert httpx.get(running.address).status_code == 200
    err = stop_server(running)
    assert running.process.returncode == 0
    assert "stopped; every correction was saved" in err


def test_cli_errors_are_one_line(item_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["review", "nope:1", "-d", str(item_dir), "--no-browser"])
    assert result.exit_code == 1 and result.output.startswith("bitext: error: ") and "nope:1" in result.output
    result = runner.invoke(main, ["review", "-d", str(tmp_path / "empty"), "--no-browser"])
    assert result.exit_code == 1 and "no units here" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["review", "-d", str(item_dir), "--no-browser", "--port", str(port)])
    assert result.exit_code == 1 and f"port {port}" in result.output and "--port" in result.output
