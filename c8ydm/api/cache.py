"""Short-lived answers to look-ups that rarely change (e.g. the tenant's bulk creation-ramp bounds).

``client.cache`` is a ``LookupCache``: by default ``MemoryCache`` (this process: a staged rollout
creating many bulk operations reads the bounds once); the CLI gives the client a cache on disk
per session (``cli/lookups.py``), so that the commands of one session share it for a few minutes.
A cache only ever saves requests: a missing or unreadable entry means "look it up". Stdlib only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

LOOKUP_TTL_SECONDS = 300.0  # how long a cached look-up is used: tenant options change rarely


class LookupCache(Protocol):
    """Values by key (JSON-able), each kept for at most the cache's time to live."""

    def get(self, key: str) -> Any | None:
        """The value stored under ``key`` if it is still fresh, else None."""

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-able, not None) under ``key``."""


class MemoryCache:
    """A ``LookupCache`` in this process's memory."""

    def __init__(
        self, ttl_seconds: float = LOOKUP_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl, self._clock = ttl_seconds, clock
        self._values: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any | None:
        stored = self._values.get(key)
        if stored is None or self._clock() - stored[0] > self._ttl:
            return None
        return stored[1]

    def put(self, key: str, value: Any) -> None:
        self._values[key] = (self._clock(), value)


__all__ = ["LOOKUP_TTL_SECONDS", "LookupCache", "MemoryCache"]
