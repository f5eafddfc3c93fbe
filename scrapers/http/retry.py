"""When to retry: the statuses worth another try and the server's Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after_seconds(value: str | None, *, at: datetime | None = None) -> float | None:
    """Retry-After as seconds: '120' -> 120.0; 'Wed, 21 Oct 2026 07:28:00 GMT' -> seconds from ``at`` (now).

    >>> retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT", at=datetime(2026, 10, 21, 7, 27, tzinfo=UTC))
    60.0
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (at or now())).total_seconds())


def now() -> datetime:
    return datetime.now(UTC)
