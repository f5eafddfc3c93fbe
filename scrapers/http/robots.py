"""robots.txt rules (RFC 9309): which paths our user agent may fetch on a host.

``urllib.robotparser`` is not used because it ignores the ``*`` and ``$``
wildcards of RFC 9309 and picks the first matching rule instead of the longest.
``protego`` decides right (tests/scrapers/test_http_robots.py checks that both
agree) but does not say which rule matched, and a refusal names its rule
(``Disallow: /*?PAGEN``), so the matching is done here, in ~40 lines.
Paths and patterns are compared percent-decoded-then-encoded alike, so
``/ru/п`` and ``/ru/%D0%BF`` are one path.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

__all__ = ["ALLOW_ALL", "ROBOTS_MAX_AGE", "RobotsBook", "RobotsRules", "parse_robots", "shared_robots"]

# RFC 9309 2.4: a crawler should not use a cached robots.txt for more than 24 hours
ROBOTS_MAX_AGE = 24 * 3600.0

# "Disallow: /en/search  # no crawling" -> ("disallow", "/en/search")
ROBOTS_LINE = re.compile(r"^\s*(?P<field>[A-Za-z-]+)\s*:\s*(?P<value>[^#]*?)\s*(?:#.*)?$")
# "bitext/0.1.0 (+https://pypi.org/...)" -> "bitext"; robots groups name this product token
PRODUCT_TOKEN = re.compile(r"^[A-Za-z_-]+")


@dataclass(frozen=True)
class Rule:
    """One Allow/Disallow line; ``pattern`` may hold ``*`` and a final ``$``."""

    allow: bool
    pattern: str

    def matches(self, path: str) -> bool:
        return _pattern_regex(_normalized(self.pattern)).match(_normalized(path)) is not None

    def __str__(self) -> str:
        return f"{'Allow' if self.allow else 'Disallow'}: {self.pattern}"


@dataclass(frozen=True)
class RobotsRules:
    """The rules that apply to one user agent on one host, and the Crawl-delay it asks for (seconds)."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None

    def allows(self, path: str) -> bool:
        """Whether ``path`` (path plus query) may be fetched: the longest matching rule wins, Allow on a tie."""
        return self.forbidding_rule(path) is None

    def forbidding_rule(self, path: str) -> Rule | None:
        """The Disallow rule that forbids ``path``, or None when it may be fetched."""
        if path.startswith("/robots.txt"):
            return None
        best: Rule | None = None
        for rule in self.rules:
            if not rule.matches(path):
                continue
            if best is None or (len(rule.pattern), rule.allow) > (len(best.pattern), best.allow):
                best = rule
        return None if best is None or best.allow else best


ALLOW_ALL = RobotsRules()


class RobotsBook:
    """The rules read per origin and user agent, shared by the clients of a process, each kept ROBOTS_MAX_AGE."""

    def __init__(self, max_age: float = ROBOTS_MAX_AGE) -> None:
        self.max_age = max_age
        self._entries: dict[tuple[str, str], tuple[RobotsRules, float]] = {}
        self._lock = threading.Lock()

    def get(self, origin: str, user_agent: str, now: float) -> RobotsRules | None:
        """The rules read less than ``max_age`` seconds before ``now`` (a monotonic time), else None."""
        with self._lock:
            entry = self._entries.get((origin, user_agent))
        if entry is None or now - entry[1] >= self.max_age:
            return None
        return entry[0]

    def put(self, origin: str, user_agent: str, rules: RobotsRules, now: float) -> None:
        with self._lock:
            self._entries[(origin, user_agent)] = (rules, now)

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()


_SHARED = RobotsBook()


def shared_robots() -> RobotsBook:
    """The process-wide book of robots.txt rules, so that no client asks a host for it again within a day."""
    return _SHARED


@dataclass
class _Group:
    agents: list[str]
    rules: list[Rule]
    crawl_delay: float | None = None


def parse_robots(text: str, user_agent: str) -> RobotsRules:
    """Rules for ``user_agent`` in a robots.txt: its own groups if any name it, else the ``*`` groups.

    Examples
    --------
    >>> rules = parse_robots("User-agent: *\\nDisallow: /private\\nAllow: /private/ok$", "bitext/1.0")
    >>> rules.allows("/private/data"), rules.allows("/private/ok"), rules.allows("/news")
    (False, True, True)
    >>> parse_robots("User-agent: *\\nCrawl-delay: 5\\n", "bitext/1.0").crawl_delay
    5.0
    """
    groups = _groups(text)
    token_match = PRODUCT_TOKEN.match(user_agent.strip())
    token = token_match.group(0).lower() if token_match else user_agent.lower()
    chosen = [group for group in groups if token in group.agents]
    if not chosen:
        chosen = [group for group in groups if "*" in group.agents]
    delays = [group.crawl_delay for group in chosen if group.crawl_delay is not None]
    return RobotsRules(
        rules=tuple(rule for group in chosen for rule in group.rules),
        crawl_delay=max(delays) if delays else None,
    )


def _groups(text: str) -> list[_Group]:
    """Split robots.txt into groups: consecutive User-agent lines followed by their rules."""
    groups: list[_Group] = []
    current: _Group | None = None
    expecting_agents = False
    for line in text.splitlines():
        parsed = ROBOTS_LINE.match(line)
        if parsed is None:
            continue
        field, value = parsed["field"].lower(), parsed["value"]
        if field == "user-agent":
            if current is None or not expecting_agents:
                current = _Group(agents=[], rules=[])
                groups.append(current)
                expecting_agents = True
            current.agents.append(value.lower())
        elif field in ("allow", "disallow") and current is not None:
            expecting_agents = False
            if value:  # an empty Disallow allows everything: no rule
                current.rules.append(Rule(allow=field == "allow", pattern=value))
        elif field == "crawl-delay" and current is not None:
            expecting_agents = False
            current.crawl_delay = _seconds(value)
    return groups


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


@lru_cache(maxsize=4096)
def _normalized(path: str) -> str:
    """One spelling per path: '/ru/п' and '/ru/%d0%bf' -> '/ru/%D0%BF' (reserved characters kept as written)."""
    return quote(unquote(path), safe="/?&=:;+,!$'()*@~[]")


@lru_cache(maxsize=1024)
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """'/a*/b$' -> ^/a.*/b\\Z (anchored at the start, '$' only special at the end)."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.compile(regex + (r"\Z" if anchored else ""))
