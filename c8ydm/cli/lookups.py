"""The look-up cache of a session on disk: one JSON file per session in the cache directory.

``App.client_for`` hands it to the client (``c8ydm.api.cache.LookupCache``), so that the commands
of a session share rarely-changing look-ups (the bulk creation-ramp bounds) for a few minutes.
Never fails a command: an unreadable or unwritable cache only means the look-up is sent again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from c8ydm.cli.completion import cache_dir

LOOKUP_TTL_SECONDS = 300.0  # as the name cache of completion: five minutes


def lookups_path(identity: str) -> Path:
    """The file of one session (``identity``: its URL, tenant and user) in the cache directory."""
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "lookups" / f"{digest}.json"


class DiskCache:
    """A ``LookupCache`` in one JSON file: ``{key: {"time": <epoch seconds>, "value": ...}}``."""

    def __init__(
        self, path: Path, ttl_seconds: float = LOOKUP_TTL_SECONDS, clock: Callable[[], float] = time.time
    ) -> None:
        self.path, self._ttl, self._clock = path, ttl_seconds, clock

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> Any | None:
        entry = self._load().get(key)
        if not isinstance(entry, dict) or not 0 <= self._clock() - float(entry.get("time", 0)) <= self._ttl:
            return None
        return entry.get("value")

    def put(self, key: str, value: Any) -> None:
        data = self._load()
        data[key] = {"time": self._clock(), "value": value}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache is a convenience: a read-only home must not break the command
