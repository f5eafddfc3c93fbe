"""On-disk cache of raw HTTP responses, so that a re-run fetches nothing new.

Layout: ``<root>/<host>/<sha256 of the requested URL>.body`` holds the raw
bytes, and ``.json`` beside it the metadata (requested and final URL, status,
content type, fetch time, body hash). Both are written atomically, the body
first: an entry exists once its ``.json`` does, so an interrupted write leaves
no half entry behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["CachedResponse", "ResponseCache"]

logger = logging.getLogger(__name__)

# "127.0.0.1:8080" -> "127.0.0.1_8080": a folder name that is valid on every OS
UNSAFE_PATH_CHARS = str.maketrans({":": "_", "/": "_", "\\": "_"})


@dataclass(frozen=True)
class CachedResponse:
    """A stored response, as it came off the wire."""

    requested_url: str
    url: str
    status: int
    content_type: str
    fetched_at: datetime
    body: bytes


class ResponseCache:
    """Raw responses keyed by the URL that was requested (before redirects)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def stem(self, requested_url: str) -> Path:
        """Path of the entry without suffix: ``<root>/<host>/<sha256(url)>``."""
        host = (urlsplit(requested_url).netloc or "_").lower().translate(UNSAFE_PATH_CHARS)
        key = hashlib.sha256(requested_url.encode("utf-8")).hexdigest()
        return self.root / host / key

    def load(self, requested_url: str) -> CachedResponse | None:
        """The stored response for ``requested_url``, or ``None`` if absent or damaged."""
        stem = self.stem(requested_url)
        meta_path, body_path = stem.with_suffix(".json"), stem.with_suffix(".body")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            logger.warning("ignoring damaged cache entry %s: %s", meta_path, err)
            return None
        if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            logger.warning("ignoring cache entry %s: body does not match its hash", body_path)
            return None
        return CachedResponse(
            requested_url=meta["requested_url"],
            url=meta["url"],
            status=int(meta["status"]),
            content_type=meta["content_type"],
            fetched_at=datetime.fromisoformat(meta["fetched_at"]),
            body=body,
        )

    def store(self, response: CachedResponse) -> Path:
        """Write ``response`` atomically; returns the path of its ``.json``."""
        stem = self.stem(response.requested_url)
        stem.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "requested_url": response.requested_url,
            "url": response.url,
            "status": response.status,
            "content_type": response.content_type,
            "fetched_at": response.fetched_at.isoformat(),
            "sha256": hashlib.sha256(response.body).hexdigest(),
        }
        _write_atomically(stem.with_suffix(".body"), response.body)
        meta_path = stem.with_suffix(".json")
        _write_atomically(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        return meta_path


# align.files.atomic_replace does this for align; scrapers never imports align, so it keeps its own.
def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
