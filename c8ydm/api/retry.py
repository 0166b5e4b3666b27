"""When and how long to wait before retrying a request (contract §14(d), §1.10).

Only idempotent requests are retried: on 429/502/503/504 and on connection errors before a response.
Delays grow exponentially with full jitter; a ``Retry-After`` header (seconds or an HTTP date) is
honoured. Both the number of attempts and the total time spent waiting are capped. ``sleep``,
``random`` and ``clock`` are injectable so that tests never sleep.
"""

from __future__ import annotations

import email.utils
import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_ATTEMPTS = 5  # first try included
BASE_DELAY_SECONDS = 0.5  # ceiling of the first backoff; doubles per attempt
MAX_DELAY_SECONDS = 30.0  # ceiling of any single backoff
MAX_TOTAL_WAIT_SECONDS = 120.0  # all waits of one request together, Retry-After included

RETRY_STATUS_CODES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta seconds or HTTP date); None if unusable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - now)


@dataclass
class RetryPolicy:
    """A retry decision maker for one client. ``attempt`` counts tries already made, from 1."""

    max_attempts: int = MAX_ATTEMPTS
    base_delay_seconds: float = BASE_DELAY_SECONDS
    max_delay_seconds: float = MAX_DELAY_SECONDS
    max_total_wait_seconds: float = MAX_TOTAL_WAIT_SECONDS
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    random: Callable[[], float] = field(default=_random.random, repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False)

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def is_retryable_request(self, method: str, *, idempotent: bool | None = None) -> bool:
        """Whether a request may be retried at all: idempotent methods only, unless overridden."""
        if idempotent is not None:
            return idempotent
        return method.upper() in IDEMPOTENT_METHODS

    def is_retryable_status(self, status_code: int) -> bool:
        """Whether a response status is worth another try (429, 502, 503, 504)."""
        return status_code in RETRY_STATUS_CODES

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: uniform in [0, min(max, base * 2**(attempt-1))]."""
        ceiling = min(self.max_delay_seconds, self.base_delay_seconds * (2.0 ** max(0, attempt - 1)))
        return self.random() * ceiling

    def next_delay(self, attempt: int, *, waited: float, retry_after: str | None = None) -> float | None:
        """Seconds to sleep before the next try, or None to give up.

        Gives up after ``max_attempts`` tries, or when the wait would pass ``max_total_wait_seconds``.
        A ``Retry-After`` longer than the remaining budget gives up rather than retrying too early.
        """
        if attempt >= self.max_attempts:
            return None
        remaining = self.max_total_wait_seconds - waited
        if remaining <= 0:
            return None
        server_delay = parse_retry_after(retry_after, now=self.clock())
        if server_delay is not None:
            return server_delay if server_delay <= remaining else None
        return min(self.backoff(attempt), remaining)
