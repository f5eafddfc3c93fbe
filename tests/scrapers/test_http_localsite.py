"""The local test/demo server itself: routes, sequences, proxy-form targets, manifests."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from scrapers.errors import SiteManifestError
from scrapers.testing.localsite import Route, load_manifest, origin_form, serve


def raw_get(site, target: str, host: str = "www.mid.ru") -> bytes:
    """Send one request line as written, as a proxy client would, and return the raw reply."""
    with socket.create_connection((site.host, site.port), timeout=5) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_routes_are_keyed_by_path_and_query(local_site):
    site = local_site({"/ru/foreign_policy/news/1527258/?lang=en": Route.html("english")})
    assert httpx.get(site.url("/ru/foreign_policy/news/1527258/?lang=en")).text == "english"
    assert httpx.get(site.url("/ru/foreign_policy/news/1527258/")).status_code == 404
    assert site.count("/ru/foreign_policy/news/1527258/?lang=en") == 1


def test_absolute_form_target_is_served(local_site):
    site = local_site({"/en/item?x=1": Route.html("via proxy")})
    reply = raw_get(site, "http://www.mid.ru/en/item?x=1")
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"via proxy")
    assert site.hits == ["http://www.mid.ru/en/item?x=1"]
    assert site.count("/en/item?x=1") == 1


@pytest.mark.parametrize(
    ("target", "path"),
    [("http://www.mid.ru/en/a?b=1", "/en/a?b=1"), ("https://mid.ru", "/"), ("/en/a", "/en/a")],
)
def test_origin_form(target, path):
    assert origin_form(target) == path


def test_sequence_is_served_in_order_and_last_repeats(local_site):
    site = local_site({"/a": (Route(status=500), Route.html("one"), Route.html("two"))})
    answers = [httpx.get(site.url("/a")) for _ in range(4)]
    assert [(r.status_code, r.text) for r in answers[1:]] == [(200, "one"), (200, "two"), (200, "two")]
    assert answers[0].status_code == 500


def test_set_route_replaces_and_restarts(local_site):
    site = local_site({"/a": Route.html("old")})
    site.set_route("/a", Route.html("new"))
    assert httpx.get(site.url("/a")).text == "new"


def test_truncated_route_announces_more_than_it_sends(local_site):
    site = local_site({"/t": Route.html("x" * 100, truncate_at=10)})
    reply = raw_get(site, "/t")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert b"Content-Length: 100" in head and body == b"x" * 10


def test_server_stops_and_frees_the_port():
    with serve({"/": Route.html("up")}) as site:
        assert httpx.get(site.url("/")).text == "up"
        port = site.port
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_manifest_routes_files_relative_to_the_folder(tmp_path, local_site):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "en.html").write_text("<p>English</p>", encoding="utf-8")
    (tmp_path / "site.json").write_text(
        json.dumps(
            {
                "routes": [
                    {"path": "/en/item", "file": "old/en.html"},
                    {"path": "/de/item", "body": "gone", "status": 410, "content_type": "text/plain"},
                    {"path": "/robots.txt", "body": "User-agent: *\nAllow: /\n", "content_type": "text/plain"},
                ]
            }
        ),
        encoding="utf-8",
    )
    manifest = load_manifest(tmp_path)
    assert manifest.routes["/en/item"].content_type == "text/html; charset=utf-8"
    site = local_site(manifest)
    assert httpx.get(site.url("/en/item")).text == "<p>English</p>"
    gone = httpx.get(site.url("/de/item"))
    assert (gone.status_code, gone.text, gone.headers["content-type"]) == (410, "gone", "text/plain")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "no site.json in"),
        ("{not json", "cannot read"),
        ('{"pages": []}', 'has no "routes" list'),
        ('{"routes": [{"file": "a.html"}]}', 'route 1: needs a "path" string'),
        ('{"routes": [{"path": "/a"}]}', 'route 1: needs "file" or "body"'),
        ('{"routes": [{"path": "/a", "file": "missing.html"}]}', "cannot read"),
    ],
)
def test_bad_manifest_is_one_clear_error(tmp_path, content, fragment):
    if content is not None:
        (tmp_path / "site.json").write_text(content, encoding="utf-8")
    with pytest.raises(SiteManifestError) as caught:
        load_manifest(tmp_path)
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)
