"""The shared per-host throttle: delays, backoff on 429/503/resets, pauses of a failing host.

The client runs on a ManualClock, so waits are checked by what it slept, not by
sleeping; every request still goes to a real server on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest

from scrapers.errors import HttpStatusError, RetryableFetchError, RetryableHttpStatusError
from scrapers.http.client import HttpClient
from scrapers.http.clock import ManualClock
from scrapers.http.options import FetchOptions
from scrapers.http.throttle import BackoffPolicy, HostThrottle, shared_throttle
from scrapers.testing.localsite import Route

ARTICLE = Route.html("<p>The Minister held talks.</p>")
# no robots.txt requests in the counts; backoff 2 s doubling, Retry-After capped at 120 s
OPTIONS = FetchOptions(timeout=2.0, delay=0.0, max_retries=2, backoff=2.0, max_retry_after=120.0, respect_robots=False)


def client_on(clock: ManualClock, options: FetchOptions = OPTIONS, **kwargs: object) -> HttpClient:
    return HttpClient(options, clock=clock, **kwargs)  # type: ignore[arg-type]


def test_requests_to_one_host_are_spaced_by_the_delay_without_real_sleeping(local_site):
    site = local_site({"/a": ARTICLE, "/b": ARTICLE, "/c": ARTICLE})
    clock = ManualClock()
    with client_on(clock, dataclasses.replace(OPTIONS, delay=10.0)) as client:
        for path in ("/a", "/b", "/c"):
            client.get(site.url(path))
    assert clock.slept == [10.0, 10.0]
    assert site.hits == ["/a", "/b", "/c"]


def test_two_clients_on_one_throttle_share_the_hosts_delay(local_site):
    site = local_site({"/a": ARTICLE, "/b": ARTICLE})
    throttle = HostThrottle(ManualClock())
    options = dataclasses.replace(OPTIONS, delay=10.0)
    with HttpClient(options, throttle=throttle) as first, HttpClient(options, throttle=throttle) as second:
        first.get(site.url("/a"))
        second.get(site.url("/b"))
    assert throttle.clock.slept == [10.0]  # type: ignore[attr-defined]


def test_clients_without_a_clock_share_the_process_wide_throttle():
    with HttpClient(OPTIONS) as first, HttpClient(OPTIONS) as second:
        assert first.throttle is second.throttle is shared_throttle()
    with client_on(ManualClock()) as own:
        assert own.throttle is not shared_throttle()


def test_429_waits_the_retry_after_seconds(local_site):
    site = local_site({"/a": (Route(status=429, headers={"Retry-After": "7"}), ARTICLE)})
    clock = ManualClock()
    with client_on(clock) as client:
        assert client.get(site.url("/a")).status == 200
    assert clock.slept == [7.0]
    assert site.count("/a") == 2


def test_503_waits_until_an_http_date_retry_after(local_site):
    clock = ManualClock()
    later = format_datetime(clock.now() + timedelta(seconds=90), usegmt=True)
    site = local_site({"/a": (Route(status=503, headers={"Retry-After": later}), ARTICLE)})
    with client_on(clock) as client:
        assert client.get(site.url("/a")).status == 200
    assert clock.slept == [90.0]


def test_retry_after_beyond_the_cap_waits_the_cap(local_site):
    site = local_site({"/a": (Route(status=503, headers={"Retry-After": "86400"}), ARTICLE)})
    clock = ManualClock()
    with client_on(clock) as client:
        client.get(site.url("/a"))
    assert clock.slept == [120.0]


def test_connection_resets_back_off_exponentially_then_succeed(local_site):
    site = local_site({"/a": (Route(reset=True), Route(reset=True), ARTICLE)})
    clock = ManualClock()
    with client_on(clock) as client:
        assert client.get(site.url("/a")).status == 200
    assert clock.slept == [2.0, 4.0]
    assert site.count("/a") == 3
    assert client.host_state(site.url("/a")).failures == 0  # the success cleared them


def test_a_failed_request_is_a_record_with_url_reason_and_attempts(local_site):
    site = local_site({"/a": Route(reset=True), "/gone": Route(status=404)})
    clock = ManualClock()
    with client_on(clock) as client:
        with pytest.raises(RetryableFetchError) as reset:
            client.get(site.url("/a"))
        with pytest.raises(HttpStatusError):
            client.get(site.url("/gone"))
    assert reset.value.kind == "connection" and reset.value.attempts == 3
    [first, second] = client.failures
    assert (first.url, first.kind, first.attempts, first.retryable) == (site.url("/a"), "connection", 3, True)
    assert first.reason.startswith("connection failed (")
    assert (second.url, second.kind, second.status, second.attempts, second.retryable) == (
        site.url("/gone"), "status", 404, 1, False,
    )  # fmt: skip
    assert second.reason == "HTTP 404 Not Found (not retried)"


def test_backoff_holds_for_the_next_url_of_the_same_host_only(local_site):
    failing = local_site({"/a": Route(status=503, headers={"Retry-After": "30"}), "/b": ARTICLE})
    other = local_site({"/c": ARTICLE})
    clock = ManualClock()
    with client_on(clock, dataclasses.replace(OPTIONS, max_retries=0)) as client:
        with pytest.raises(RetryableHttpStatusError):
            client.get(failing.url("/a"))
        client.get(other.url("/c"))  # another host: no wait
        assert clock.slept == []
        client.get(failing.url("/b"))  # the failing host: its Retry-After first
    assert clock.slept == [30.0]


def test_a_host_that_keeps_failing_is_paused_then_resumed(local_site, caplog):
    site = local_site({"/a": Route(status=503), "/b": ARTICLE})
    clock = ManualClock()
    options = dataclasses.replace(OPTIONS, max_retries=2, pause_after=3, host_pause=600.0)
    with client_on(clock, options) as client:
        with pytest.raises(RetryableHttpStatusError):
            client.get(site.url("/a"))
        state = client.host_state(site.url("/a"))
        assert state.paused and state.wait == 600.0 and state.pauses == 1
        assert client.get(site.url("/b")).status == 200  # waits out the pause, then the host is asked again
        assert not client.host_state(site.url("/b")).paused
    assert clock.slept == [2.0, 4.0, 600.0]
    assert site.hits == ["/a", "/a", "/a", "/b"]
    assert any("pausing requests to" in r.getMessage() for r in caplog.records)


def test_pauses_grow_while_the_host_keeps_failing_and_one_success_clears_them():
    clock = ManualClock()
    throttle = HostThrottle(clock)
    policy = BackoffPolicy(base=1.0, cap=60.0, pause_after=2, pause=100.0, max_pause=250.0)
    waits = [throttle.failed("h", policy) for _ in range(6)]
    assert waits == [1.0, 100.0, 1.0, 200.0, 1.0, 250.0]  # each pause doubles, up to max_pause
    throttle.succeeded("h")
    assert throttle.failed("h", policy) == 1.0
    assert throttle.state("h").pauses == 0


def test_the_backoff_without_retry_after_doubles_up_to_the_cap():
    policy = BackoffPolicy(base=2.0, cap=10.0)
    assert [policy.wait(n, None) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 10.0]
    assert policy.wait(1, 3.5) == 3.5


def test_an_injected_transport_carries_the_requests_to_the_real_server(local_site):
    site = local_site({"/a": ARTICLE})
    seen: list[str] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(str(request.url))
            return super().handle_request(request)

    with client_on(ManualClock(), transport=Recording()) as client:
        assert "talks" in client.get(site.url("/a")).text
    assert seen == [site.url("/a")] and site.hits == ["/a"]
