"""When a runner looks at a wave's bulk operation again: a schedule derived from the bulk operation's
own estimated finish (contract §11.1: startDate + creationRamp × count), not a fixed interval.

While the tenant is still creating the wave's operations, the looks fall on fixed fractions of that
span (the first when ``--min-sample`` operations should exist, then a quarter, a half, three
quarters, the end), so their number does not grow with the rollout's duration and a failing wave
is still stopped early. After the estimated finish the devices are still at work: the looks back
off from ``SETTLE_SECONDS`` to ``MAX_TAIL_SECONDS``. A device timeout or a soak adds its own moment.

(Minimal on purpose: the performance issue's scheduler replaces it when it lands.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from c8ydm.api.conventions import parse_timestamp, utc_now

CHECKPOINTS = (0.25, 0.5, 0.75, 1.0)  # fractions of the creation span
SETTLE_SECONDS = 1.0  # the first look after the estimated finish
BACKOFF_FACTOR = 2.0
MAX_TAIL_SECONDS = 60.0  # the longest pause while devices finish


@dataclass(frozen=True)
class Clock:
    """Wall-clock time and sleeping, injectable so that tests never sleep."""

    now: Callable[[], datetime] = field(default=utc_now)
    sleep: Callable[[float], None] = field(default=time.sleep)


def estimated_finish(start_date: str, ramp: float, count: int) -> datetime:
    """startDate + creationRamp × count (§11.1): when the tenant should have created every operation."""
    return parse_timestamp(start_date) + timedelta(seconds=ramp * count)


def next_look(
    now: datetime, *, start_date: str, ramp: float, count: int, min_sample: int, looks_after_finish: int
) -> datetime:
    """The next moment to read the bulk operation (see the module docstring)."""
    start = parse_timestamp(start_date)
    span = ramp * count
    moments = [start + timedelta(seconds=ramp * min(min_sample, count) + SETTLE_SECONDS)]
    moments += [start + timedelta(seconds=span * fraction + SETTLE_SECONDS) for fraction in CHECKPOINTS]
    upcoming = [moment for moment in sorted(moments) if moment > now]
    if upcoming:
        return upcoming[0]
    pause = min(MAX_TAIL_SECONDS, SETTLE_SECONDS * BACKOFF_FACTOR**looks_after_finish)
    return now + timedelta(seconds=pause)


__all__ = ["Clock", "estimated_finish", "next_look"]
