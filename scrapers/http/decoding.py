"""Bytes to text: the header charset, else the ``<meta>`` charset, else UTF-8."""

from __future__ import annotations

import re

# "text/html; charset=windows-1251" -> "windows-1251"
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# '<meta charset="utf-8">' / '<meta http-equiv="Content-Type" content="text/html; charset=cp1251">' -> "utf-8" / "cp1251"
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
META_SNIFF_BYTES = 4096


def decode_body(body: bytes, content_type: str) -> str:
    """Decode with the first charset that fits the bytes: header, then <meta>, then UTF-8.

    A misconfigured server may send ``charset=utf-8`` for a windows-1251 page that
    says so in its ``<meta>``; when no charset fits, the first one Python knows
    decodes with bad bytes replaced.
    """
    fitting = _first_fitting(body, content_type)
    if fitting is not None:
        return fitting[1]
    candidates = [*_charsets(body, content_type), "utf-8"]
    for candidate in candidates:
        try:
            return body.decode(candidate, errors="replace")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace")  # pragma: no cover - utf-8 is always known


def fitting_charset(body: bytes, content_type: str) -> str | None:
    """The first of header, ``<meta>`` and UTF-8 charsets that decodes the bytes without errors, if any."""
    fitting = _first_fitting(body, content_type)
    return fitting[0] if fitting is not None else None


def _first_fitting(body: bytes, content_type: str) -> tuple[str, str] | None:
    """That charset and the text it decodes (one decode serves both callers)."""
    for candidate in [*_charsets(body, content_type), "utf-8"]:
        try:
            return candidate, body.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return None


def _charsets(body: bytes, content_type: str) -> list[str]:
    found = []
    header = HEADER_CHARSET.search(content_type)
    if header:
        found.append(header.group(1))
    meta = META_CHARSET.search(body[:META_SNIFF_BYTES])
    if meta:
        found.append(meta.group(1).decode("ascii", errors="replace"))
    return found
