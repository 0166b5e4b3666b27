"""When a runner looks at a wave's bulk operation again: a schedule derived from the bulk operation's
own estimated finish (contract §11.1: startDate + creationRamp × count), not a fixed interval.

The looks are the performance work's ``BulkPollSchedule`` (``api/polling.py``: spread over the
expected run, then a growing tail while the devices finish), plus one moment of the rollout's own:
when ``--min-sample`` operations should exist and be done, so that a failing wave is judged (and
stopped) early. A device timeout adds its moment too (``steps``). Their number does not grow with
the rollout's duration, nor with the number of devices.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from c8ydm.api.conventions import parse_timestamp, utc_now
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.api.polling import BulkPollSchedule

SETTLE_SECONDS = 1.0  # after the sample's last creation, for its devices to answer


@dataclass(frozen=True)
class Clock:
    """Wall-clock time and sleeping, injectable so that tests never sleep."""

    now: Callable[[], datetime] = field(default=utc_now)
    sleep: Callable[[float], None] = field(default=time.sleep)


def estimated_finish(start_date: str, ramp: float, count: int) -> datetime:
    """startDate + creationRamp × count (§11.1): when the tenant should have created every operation."""
    return parse_timestamp(start_date) + timedelta(seconds=ramp * count)


def sample_moment(start_date: str, ramp: float, count: int, min_sample: int) -> datetime:
    """When the first ``min_sample`` operations should exist and have had time to end."""
    return parse_timestamp(start_date) + timedelta(seconds=ramp * min(min_sample, count) + SETTLE_SECONDS)


def next_look(
    now: datetime,
    schedule: BulkPollSchedule,
    bulk: BulkOperation | None,
    *,
    start_date: str,
    ramp: float,
    count: int,
    min_sample: int,
) -> datetime:
    """The next moment to read the wave's bulk operation (``bulk`` as last read; None right after it
    was created: then the sample's moment, or the schedule's first look after its start)."""
    moments = []
    sample = sample_moment(start_date, ramp, count, min_sample)
    if sample > now:
        moments.append(sample)
    if bulk is not None:
        moments.append(now + timedelta(seconds=schedule.next_pause(bulk, now)))
    elif not moments:
        moments.append(max(now, parse_timestamp(start_date)) + timedelta(seconds=SETTLE_SECONDS))
    return min(moments)


__all__ = ["Clock", "estimated_finish", "next_look", "sample_moment"]
