"""Fault injection for tests and benchmarks: latency, 429 with Retry-After, 503, dropped connections.

Off by default. Rules come from `SandboxOptions.faults` (CLI `--fault`) and from the admin endpoint
(endpoints/sandbox_admin.py):

    GET    /sandbox/admin/faults        -> {"faults": [rule, ...]}
    POST   /sandbox/admin/faults[?seed=N] body: [rule, ...] (replaces all rules; draws start from N,
                                        default the sandbox's seed; 200 with the new list)
    DELETE /sandbox/admin/faults        -> 204, no rules any more

A rule is `{"pattern", "kind", "rate", "seconds"}` or the text form `PATTERN:KIND[:RATE[:SECONDS]]`
(`core.options.FaultRule.parse`), e.g. `POST /inventory/.*:429:0.5:2`. The pattern is a regex searched in
`"<METHOD> <path>"`. Every matching rule draws once from a `random.Random(seed)`, so a sequence of
requests meets the same faults on every run. Latency rules add up; the first triggered 429, 503 or
drop ends the request. The admin endpoint itself is never faulted, so rules can always be cleared.

Cumulocity documents no `Retry-After` (contract §1.10, §15.1); the sandbox sends one so clients'
handling of it can be tested.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
from typing import Any

from starlette.responses import Response

from c8ydm.sandbox.core.errors import C8yHTTPError, error_response
from c8ydm.sandbox.core.options import FaultRule

ADMIN_PATH = "/sandbox/admin/faults"
DROP = "drop"


class FaultInjector:
    """Decides, per request, which fault (if any) it meets."""

    def __init__(self, rules: list[FaultRule], seed: int) -> None:
        self._lock = threading.Lock()
        self._rules = list(rules)
        self._seed = seed
        self._random = random.Random(seed)

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def set_rules(self, rules: list[FaultRule], *, seed: int | None = None) -> None:
        """Replace the rules; the draws start again from ``seed`` (default: the sandbox's seed)."""
        with self._lock:
            self._rules = list(rules)
            self._random = random.Random(self._seed if seed is None else seed)

    def decide(self, method: str, path: str) -> tuple[float, FaultRule | None]:
        """(seconds of latency to add, the terminal fault or None) for one request."""
        if path.startswith(ADMIN_PATH):
            return 0.0, None
        target = f"{method} {path}"
        latency = 0.0
        with self._lock:
            for rule in self._rules:
                if not _matches(rule, target) or self._random.random() >= rule.rate:
                    continue
                if rule.kind == "latency":
                    latency += rule.seconds
                else:
                    return latency, rule
        return latency, None

    async def apply(self, method: str, path: str) -> Response | str | None:
        """Sleep for latency; return an error response, `DROP`, or None to serve normally."""
        if not self._rules:
            return None
        latency, rule = self.decide(method, path)
        if latency > 0:
            await asyncio.sleep(latency)
        if rule is None:
            return None
        if rule.kind == "drop":
            return DROP
        if rule.kind == "429":
            response = error_response(429, "general/tooManyRequests", "Too many requests")
            response.headers["Retry-After"] = str(max(0, math.ceil(rule.seconds)))
            return response
        return error_response(503, "general/serviceUnavailable", "Service temporarily unavailable")


def _matches(rule: FaultRule, target: str) -> bool:
    import re  # re caches compiled patterns

    return re.search(rule.pattern, target) is not None


def parse_rules(data: Any) -> list[FaultRule]:
    if not isinstance(data, list):
        raise C8yHTTPError(422, "sandbox/invalidFaults", "expected a JSON list of fault rules")
    try:
        return [FaultRule.parse(it) if isinstance(it, str) else FaultRule.from_json(it) for it in data]
    except (ValueError, KeyError, TypeError) as exc:
        raise C8yHTTPError(422, "sandbox/invalidFaults", str(exc)) from exc
