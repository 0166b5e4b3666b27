"""Where a rollout stands, for people and scripts, from any machine: live counts of the running
wave, each device's state with its failure reason, the list of rollouts, and a passive watch.

Reading never changes anything and takes no lease: ``status --watch`` on a laptop while a CI
runner drives the rollout is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import Operation, OperationStatus
from c8ydm.api.polling import PollPolicy
from c8ydm.procedures.rollout.gates import (
    counts_from_bulk,
    counts_from_operations,
    device_alarms,
    latest_operations,
)
from c8ydm.procedures.rollout.record import Rollout
from c8ydm.procedures.rollout.state import WaveStatus
from c8ydm.procedures.rollout.store import find_rollouts, load_rollout

DEVICE_STATES = ("successful", "failed", "alarmed", "executing", "pending", "waiting", "excluded")
WATCH_POLICY = PollPolicy(interval_seconds=2.0, max_interval_seconds=15.0, timeout_seconds=None)


def live_counts(client: Client, rollout: Rollout) -> Rollout:
    """The running waves' counts read from their bulk operations now (the stored ones lag).

    GET /devicecontrol/bulkoperations/{id} per running wave (per device for waves with retries)
    """
    for index, wave in enumerate(rollout.state.waves):
        created = bool(wave.attempts) and all(attempt.bulk_id for attempt in wave.attempts)
        if wave.status is not WaveStatus.RUNNING or not created:
            continue
        size = len(rollout.plan.waves[index])
        if len(wave.attempts) == 1 and wave.attempts[0].bulk_id:
            counts = counts_from_bulk(client.bulk_operations.get(wave.attempts[0].bulk_id), size)
        else:
            counts = counts_from_operations(latest_operations(client, wave.bulk_ids), size)
        counts.timed_out = wave.counts.timed_out
        wave.counts = counts
    return rollout


def list_rollouts(client: Client, *, status: str | None = None) -> list[Rollout]:
    """Rollouts, newest first; ``status`` one of running, paused, pausing, stopped, finished, cancelled."""
    wanted = status.strip().lower() if status is not None else None
    known = ("running", "pausing", "paused", "stopped", "finished", "cancelled")
    if wanted is not None and wanted not in known:
        raise InputError(f"unknown rollout status {status!r}", hint=f"one of: {', '.join(known)}")
    return [rollout for rollout in find_rollouts(client) if wanted is None or rollout.status == wanted]


@dataclass(frozen=True)
class DeviceState:
    """One device of a rollout: its wave (None: excluded), state, operation and failure reason."""

    device_id: str
    state: str
    wave: int | None = None
    device_name: str | None = None
    operation_id: str | None = None
    bulk_operation_id: str | None = None
    reason: str | None = None


def _state_of(operation: Operation | None, alarm_text: str | None) -> tuple[str, str | None]:
    if operation is None:
        return "waiting", None
    status = operation.status
    if status is OperationStatus.SUCCESSFUL:
        return ("alarmed", alarm_text) if alarm_text else ("successful", None)
    if status is OperationStatus.FAILED:
        return "failed", operation.failure_reason
    return ("executing" if status is OperationStatus.EXECUTING else "pending"), None


def device_states(client: Client, rollout: Rollout, *, state: str | None = None) -> Iterator[DeviceState]:
    """Every device of the rollout with its state (only those in ``state``, when given).

    GET /devicecontrol/operations?bulkOperationId=<id> per bulk operation of a started wave, and
    GET /alarm/alarms?type=…&status=ACTIVE&dateFrom=… per wave when alarms are watched
    """
    if state is not None and state not in DEVICE_STATES:
        raise InputError(f"unknown device state {state!r}", hint=f"one of: {', '.join(DEVICE_STATES)}")
    types = rollout.plan.settings.halt_on_alarm
    for index, devices in enumerate(rollout.plan.waves):
        wave = rollout.state.waves[index]
        if state == "excluded":
            break
        operations = latest_operations(client, wave.bulk_ids) if wave.bulk_ids else {}
        alarms = device_alarms(client, types, wave.started, set(devices)) if types and wave.started else {}
        for device in devices:
            operation = operations.get(device)
            alarm = alarms.get(device)
            text = f"alarm {alarm.type}: {alarm.text}" if alarm is not None else None
            found, reason = _state_of(operation, text)
            if state is None or found == state:
                yield DeviceState(
                    device, found, index + 1, operation.device_name if operation else None,
                    operation.id if operation else None,
                    operation.bulk_operation_id if operation else None, reason,
                )  # fmt: skip
    if state in (None, "excluded"):
        for reason, ids in rollout.plan.excluded.items():
            for device in ids:
                yield DeviceState(device, "excluded", reason=reason)


def watch_rollout(
    client: Client,
    rollout_id: str,
    *,
    on_update: Callable[[Rollout], None],
    timeout_seconds: float | None = None,
    policy: PollPolicy = WATCH_POLICY,
) -> Rollout:
    """Read the rollout again and again until it is no longer running (or the policy's deadline):
    finished, stopped, paused or cancelled. Changes nothing.

    GET /inventory/managedObjects/{id}, GET /devicecontrol/bulkoperations/{id} per look
    """
    run = policy.with_timeout(timeout_seconds).start()
    while True:
        rollout = live_counts(client, load_rollout(client, rollout_id))
        on_update(rollout)
        if rollout.status not in ("running", "pausing") or not run.pause():
            return rollout
