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
from datetime import datetime

from c8ydm.api.conventions import parse_timestamp
from c8ydm.api.models.devicecontrol import BulkOperation, BulkProgress

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

    def pause(self, seconds: float | None = None) -> bool:
        """Sleep until the next look (``seconds``, else the policy's next interval), cut short by the
        deadline; False (without sleeping) once the deadline has passed."""
        if self.is_expired:
            return False
        if seconds is None:
            self.policy.sleep(self.next_interval())
        else:
            remaining = self.remaining_seconds
            self.policy.sleep(max(0.0, seconds if remaining is None else min(seconds, remaining)))
        self.polls += 1
        return True


class BulkPollSchedule:
    """Poll a bulk operation cheaply: when to look next, from the bulk operation's own schedule.

    A bulk operation creates one child every ``creationRamp`` seconds from ``startDate``, so it
    cannot end before its estimated finish, ``startDate + creationRamp × all`` (contract §11.1),
    plus the time a device takes for the last child. That time is measured at every look: when
    ``d`` children are done, the d-th (created ``(d - 1) × creationRamp`` after the start) took at
    most the time since then; while none is done it is taken to be twice the time since the start.
    The looks:

    1. the first right after ``startDate`` (``all``, the number of devices, is known from then on);
    2. ``PROGRESS_LOOKS`` more spread over the expected run, the last one at its expected end;
    3. if it has not ended by then, pauses growing by ``TAIL_FACTOR`` from ``MIN_PAUSE_SECONDS`` up
       to a tenth of the run (at least ``MAX_POLL_INTERVAL_SECONDS``).

    So a wait costs a handful of requests whatever the ramp and the number of devices: 3 to 5 for
    1,000 devices at a ramp of 0.01 s or of 1 s. Interface (stable; staged rollouts use it too)::

        schedule = BulkPollSchedule()
        while not bulk.is_finished:
            if not run.pause(schedule.next_pause(bulk, now)):   # now: the current UTC time
                ...  # the deadline passed
            bulk = client.bulk_operations.get(bulk_id)
    """

    MIN_PAUSE_SECONDS = 0.5  # the shortest pause: right after the start, and the tail's first
    PROGRESS_LOOKS = 2  # looks spread over the run, for people following the progress
    UNKNOWN_DEVICE_FACTOR = 2.0  # while no child is done, a device takes this times the time so far
    TAIL_FACTOR = 1.5  # each pause after the expected end is this much longer than the one before
    TAIL_SHARE = 0.1  # the longest tail pause: this share of the run (at least MAX_POLL_INTERVAL)

    def __init__(self) -> None:
        self._device_seconds = 0.0  # the longest time a device was seen (or assumed) to take
        self._tail = self.MIN_PAUSE_SECONDS

    def next_pause(self, bulk: BulkOperation, now: datetime) -> float:
        """Seconds to wait before looking at ``bulk`` (as last read) again; ``now`` in UTC."""
        start = _moment(bulk.start_date) or now
        if now < start:  # not started: the first look comes right after the start
            return (start - now).total_seconds() + self.MIN_PAUSE_SECONDS
        progress = bulk.progress or BulkProgress()
        if not progress.total:  # the devices are not known yet
            return self._tail_pause(0.0)
        run = self.expected_run(bulk, (now - start).total_seconds())
        left = run - (now - start).total_seconds()
        if left > self.MIN_PAUSE_SECONDS:
            return min(left, max(self.MIN_PAUSE_SECONDS, run / self.PROGRESS_LOOKS))
        return self._tail_pause(run)

    def expected_run(self, bulk: BulkOperation, elapsed: float) -> float:
        """Seconds from ``startDate`` to the expected end: the last creation plus a device's time."""
        progress = bulk.progress or BulkProgress()
        ramp = max(0.0, bulk.creation_ramp or 0.0)
        done = progress.successful + progress.failed
        seen = elapsed - (done - 1) * ramp if done else elapsed * self.UNKNOWN_DEVICE_FACTOR
        self._device_seconds = max(self._device_seconds, seen, self.MIN_PAUSE_SECONDS)
        return ramp * max(0, progress.total - 1) + self._device_seconds

    def _tail_pause(self, run: float) -> float:
        pause = self._tail
        self._tail = min(self._tail * self.TAIL_FACTOR, max(MAX_POLL_INTERVAL_SECONDS, run * self.TAIL_SHARE))
        return pause


def _moment(text: str | None) -> datetime | None:
    try:
        return parse_timestamp(text) if text else None
    except ValueError:
        return None


__all__ = [
    "BACKOFF_FACTOR",
    "DEFAULT_TIMEOUT_SECONDS",
    "MAX_POLL_INTERVAL_SECONDS",
    "POLL_INTERVAL_SECONDS",
    "BulkPollSchedule",
    "PollPolicy",
    "PollRun",
]
