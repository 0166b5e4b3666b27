"""The gates between waves: counts, the failure threshold, the device timeout and the alarm check.

- Counts of a wave come from its bulk operation's ``progress`` (one request); a wave with retries
  is counted per device from its child operations (the newest operation of each device wins).
- The threshold is judged on the devices done (``--max-failures``, ``--min-sample``; ``settings``).
- Device timeout: operations still PENDING or EXECUTING ``--device-timeout`` after their creation are
  cancelled as contract §10 cancels (``{"status": "FAILED", "failureReason": …}``): they count as failed.
- Health: devices of the wave with an ACTIVE alarm of a ``--halt-on-alarm`` type raised since the
  wave started, whose operation did not fail, count as failed. One paged alarm query per gate, for
  the whole wave, not one per device: ``GET /alarm/alarms?type=A,B&status=ACTIVE&dateFrom=<start>``.
  The alarm's ``time`` is its last occurrence (a re-raised alarm is de-duplicated into an old one
  and its ``time`` moves, spec "Alarm de-duplication"), so ``dateFrom`` catches both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from c8ydm.api.client import Client
from c8ydm.api.conventions import parse_timestamp
from c8ydm.api.models.alarms import Alarm, AlarmStatus
from c8ydm.api.models.devicecontrol import BulkOperation, BulkProgress, Operation, OperationStatus
from c8ydm.procedures.rollout.schedule import estimated_finish
from c8ydm.procedures.rollout.settings import RolloutSettings, judged_after
from c8ydm.procedures.rollout.state import Attempt, Counts

TIMEOUT_REASON = "c8ydm rollout: no final status within the device timeout ({seconds:g} s)"


def counts_from_bulk(bulk: BulkOperation, size: int) -> Counts:
    """The wave's counts from its one bulk operation; devices without an operation are ``not_created``."""
    p = bulk.progress or BulkProgress()
    created = p.pending + p.executing + p.successful + p.failed
    return Counts(
        successful=p.successful,
        failed=p.failed,
        pending=p.pending,
        executing=p.executing,
        not_created=max(0, size - created),
    )


def latest_operations(client: Client, bulk_ids: Iterable[str]) -> dict[str, Operation]:
    """Device id -> its newest operation over the bulk operations, in order (later attempts win).

    GET /devicecontrol/operations?bulkOperationId=<id>  (§11.4 "Child operations"), 2000 a page
    """
    latest: dict[str, Operation] = {}
    for bulk_id in bulk_ids:
        for operation in client.operations.list(bulk_operation_id=bulk_id):
            if operation.device_id:
                latest[operation.device_id] = operation
    return latest


def counts_from_operations(operations: dict[str, Operation], size: int) -> Counts:
    """The wave's counts from each device's newest operation."""
    counts = Counts()
    for operation in operations.values():
        status = operation.status
        if status is OperationStatus.SUCCESSFUL:
            counts.successful += 1
        elif status is OperationStatus.FAILED:
            counts.failed += 1
        elif status is OperationStatus.EXECUTING:
            counts.executing += 1
        else:
            counts.pending += 1
    counts.not_created = max(0, size - len(operations))
    return counts


def is_final(counts: Counts, bulk: BulkOperation) -> bool:
    """Whether every operation of the wave's current bulk operation exists and has ended."""
    progress = bulk.progress or BulkProgress()
    all_created = bulk.is_finished or (
        progress.total > 0 and progress.all_created and bulk.status == "COMPLETED"
    )
    return all_created and counts.pending + counts.executing == 0


def timeout_at(attempt: Attempt, settings: RolloutSettings) -> datetime:
    """When the last operation of an attempt reaches the device timeout (by the estimated finish)."""
    finish = estimated_finish(attempt.start_date, attempt.ramp, attempt.count)
    return finish + timedelta(seconds=settings.device_timeout_seconds)


def cancel_timed_out(
    client: Client, bulk_id: str, now: datetime, timeout_seconds: float
) -> tuple[int, datetime | None]:
    """Cancel the bulk operation's operations still PENDING or EXECUTING after the timeout (§10).

    Returns how many were cancelled, and when the youngest remaining one will time out (None: none).
    GET /devicecontrol/operations?bulkOperationId=&status=PENDING|EXECUTING, PUT …/operations/{id}
    """
    cancelled, later = 0, None
    reason = TIMEOUT_REASON.format(seconds=timeout_seconds)
    for status in (OperationStatus.PENDING, OperationStatus.EXECUTING):
        for operation in list(client.operations.list(bulk_operation_id=bulk_id, status=status)):
            due = parse_timestamp(operation.creation_time or "") + timedelta(seconds=timeout_seconds)
            if due <= now:
                client.operations.cancel(str(operation.id), reason=reason)
                cancelled += 1
            else:
                later = due if later is None else min(later, due)
    return cancelled, later


def failed_devices(client: Client, bulk_ids: Iterable[str]) -> set[str]:
    """The devices whose operation FAILED in these bulk operations.

    GET /devicecontrol/operations?bulkOperationId=<id>&status=FAILED
    """
    found: set[str] = set()
    for bulk_id in bulk_ids:
        for operation in client.operations.list(bulk_operation_id=bulk_id, status=OperationStatus.FAILED):
            if operation.device_id:
                found.add(operation.device_id)
    return found


def device_alarms(client: Client, types: Iterable[str], since: str, devices: set[str]) -> dict[str, Alarm]:
    """The wave's devices with an ACTIVE alarm of one of ``types`` raised since ``since`` (the newest).

    GET /alarm/alarms?type=<A,B>&status=ACTIVE&dateFrom=<since>   (paged, 2000 a page; newest first)
    """
    found: dict[str, Alarm] = {}
    for alarm in client.alarms.list(type=list(types), status=AlarmStatus.ACTIVE, date_from=since):
        if alarm.source_id in devices and alarm.source_id not in found:
            found[str(alarm.source_id)] = alarm
    return found


def alarmed_devices(client: Client, types: Iterable[str], since: str, devices: set[str]) -> set[str]:
    """The ids of ``device_alarms``: one paged alarm query for the whole wave."""
    return set(device_alarms(client, types, since, devices))


@dataclass(frozen=True)
class Verdict:
    """A gate's judgement: whether the threshold is crossed, in words."""

    is_crossed: bool
    text: str


def judge(counts: Counts, size: int, settings: RolloutSettings, *, is_final: bool) -> Verdict | None:
    """The threshold's verdict on a wave, or None while too few devices are done to judge it."""
    failures, done = counts.failures, counts.done
    if not is_final and done < judged_after(settings.min_sample, size):
        return None
    threshold = settings.threshold
    crossed = threshold.is_crossed(failures, done)
    allowed = threshold.text if threshold.count is None else f"{threshold.count} devices"
    share = f" ({failures * 100 / done:.0f}%)" if done else ""
    alarmed = f", {counts.alarmed} of them with a watched alarm" if counts.alarmed else ""
    relation = "more than" if crossed else "within"
    return Verdict(
        crossed, f"{failures} of {done} devices failed{share}{alarmed}: {relation} the {allowed} allowed"
    )


__all__ = [
    "Verdict",
    "alarmed_devices",
    "cancel_timed_out",
    "counts_from_bulk",
    "counts_from_operations",
    "device_alarms",
    "failed_devices",
    "is_final",
    "judge",
    "latest_operations",
    "timeout_at",
]
