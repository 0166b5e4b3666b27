"""How often and how long to poll for a status (contract §1.12): intervals, backoff, one deadline.

The UI follows operations with real-time notifications; c8ydm polls instead. The first look comes
soon after an operation is created (devices often answer within a second), later looks back off to
``MAX_POLL_INTERVAL_SECONDS`` so that a long firmware update costs few requests. ``timeout_seconds``
is an overall deadline (cli-surface.md: ``--timeout`` is "an overall deadline, not per item").
``sleep`` and ``clock`` are injectable so that tests never sleep::

    run = PollPolicy(timeout_seconds=60).start()
    while not done():
        if not run.pause():       # sleeps the next interval; False once the deadline has passed
            raise WaitTimeoutError(...)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

POLL_INTERVAL_SECONDS = 0.5  # the first pause; the Go CLI polls every 1 s (§1.12)
MAX_POLL_INTERVAL_SECONDS = 5.0  # the longest pause between two looks
BACKOFF_FACTOR = 1.5  # each pause is this much longer than the previous one, up to the maximum
DEFAULT_TIMEOUT_SECONDS = 600.0  # the overall deadline of a wait when the user gives none


@dataclass(frozen=True)
class PollPolicy:
    """Intervals and deadline of one kind of wait; ``timeout_seconds=None`` waits forever."""

    interval_seconds: float = POLL_INTERVAL_SECONDS
    max_interval_seconds: float = MAX_POLL_INTERVAL_SECONDS
    backoff_factor: float = BACKOFF_FACTOR
    timeout_seconds: float | None = DEFAULT_TIMEOUT_SECONDS
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    def with_timeout(self, timeout_seconds: float | None) -> PollPolicy:
        """The same policy with another deadline (None keeps this one)."""
        if timeout_seconds is None:
            return self
        return PollPolicy(
            interval_seconds=self.interval_seconds,
            max_interval_seconds=self.max_interval_seconds,
            backoff_factor=self.backoff_factor,
            timeout_seconds=timeout_seconds,
            sleep=self.sleep,
            clock=self.clock,
        )

    def start(self) -> PollRun:
        """Begin one wait: its deadline counts from now."""
        return PollRun(self)


class PollRun:
    """One wait under a policy: the next interval and the time left before the deadline."""

    def __init__(self, policy: PollPolicy) -> None:
        self.policy = policy
        self.started = policy.clock()
        self._interval = policy.interval_seconds
        self.polls = 0

    @property
    def elapsed_seconds(self) -> float:
        """Seconds since the wait began."""
        return self.policy.clock() - self.started

    @property
    def remaining_seconds(self) -> float | None:
        """Seconds left before the deadline (never negative), or None without a deadline."""
        if self.policy.timeout_seconds is None:
            return None
        return max(0.0, self.policy.timeout_seconds - self.elapsed_seconds)

    @property
    def is_expired(self) -> bool:
        """Whether the deadline has passed."""
        remaining = self.remaining_seconds
        return remaining is not None and remaining <= 0

    def next_interval(self) -> float:
        """The next pause (backoff applied), cut short by the deadline."""
        interval = self._interval
        self._interval = min(self.policy.max_interval_seconds, self._interval * self.policy.backoff_factor)
        remaining = self.remaining_seconds
        return interval if remaining is None else min(interval, remaining)

    def pause(self) -> bool:
        """Sleep until the next look; False (without sleeping) once the deadline has passed."""
        if self.is_expired:
            return False
        self.policy.sleep(self.next_interval())
        self.polls += 1
        return True


__all__ = [
    "BACKOFF_FACTOR",
    "DEFAULT_TIMEOUT_SECONDS",
    "MAX_POLL_INTERVAL_SECONDS",
    "POLL_INTERVAL_SECONDS",
    "PollPolicy",
    "PollRun",
]
