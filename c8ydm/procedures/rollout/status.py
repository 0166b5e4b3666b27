"""Where a rollout stands, for people and scripts, from any machine: live counts of the running
wave, each device's state with its failure reason, the list of rollouts, and a passive watch.

Reading never changes anything and takes no lease: ``status --watch`` on a laptop while a CI
runner drives the rollout is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from c8ydm.api.client import Client
from c8ydm.api.conventions import parse_timestamp, utc_now
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
NAME_CHUNK = 100  # device ids per name look-up (the ids go into the URL)
WATCH_POLICY = PollPolicy(interval_seconds=2.0, max_interval_seconds=15.0, timeout_seconds=None)


def live_counts(client: Client, rollout: Rollout) -> Rollout:
    """The counts of running (and cancelled) waves read from their bulk operations now: the stored
    ones are only as fresh as the runner's last write.

    GET /devicecontrol/bulkoperations/{id} per running wave (per device for waves with retries)
    """
    for index, wave in enumerate(rollout.state.waves):
        created = bool(wave.attempts) and all(attempt.bulk_id for attempt in wave.attempts)
        if wave.status not in (WaveStatus.RUNNING, WaveStatus.CANCELLED) or not created:
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


def _with_names(client: Client, states: list[DeviceState]) -> Iterator[DeviceState]:
    """The states, with the names of devices that have no operation yet read from the inventory.

    GET /inventory/managedObjects?ids=<id,id,…>  (NAME_CHUNK ids a request)
    """
    missing = [s.device_id for s in states if s.device_name is None]
    names: dict[str, str] = {}
    for start in range(0, len(missing), NAME_CHUNK):
        chunk = missing[start : start + NAME_CHUNK]
        for device in client.inventory.list(ids=chunk, page_size=len(chunk)):
            names[str(device.id)] = str(device.name or "")
    for found in states:
        yield replace(found, device_name=found.device_name or names.get(found.device_id))


def _wave_states(client: Client, rollout: Rollout, index: int) -> Iterator[DeviceState]:
    wave, devices = rollout.state.waves[index], rollout.plan.waves[index]
    types = rollout.plan.settings.halt_on_alarm
    operations = latest_operations(client, wave.bulk_ids) if wave.bulk_ids else {}
    alarms = device_alarms(client, types, wave.started, set(devices)) if types and wave.started else {}
    for device in devices:
        operation, alarm = operations.get(device), alarms.get(device)
        found, reason = _state_of(operation, f"alarm {alarm.type}: {alarm.text}" if alarm else None)
        if operation is None:
            yield DeviceState(device, found, index + 1, reason=reason)
        else:
            yield DeviceState(device, found, index + 1, operation.device_name, operation.id,
                              operation.bulk_operation_id, reason)  # fmt: skip


def device_states(client: Client, rollout: Rollout, *, state: str | None = None) -> Iterator[DeviceState]:
    """Every device of the rollout with its state (only those in ``state``, when given).

    GET /devicecontrol/operations?bulkOperationId=<id> per bulk operation of a started wave,
    GET /alarm/alarms?type=…&status=ACTIVE&dateFrom=… per wave when alarms are watched, and the
    names of the devices without an operation (``_with_names``)
    """
    if state is not None and state not in DEVICE_STATES:
        raise InputError(f"unknown device state {state!r}", hint=f"one of: {', '.join(DEVICE_STATES)}")
    found: list[DeviceState] = []
    if state != "excluded":
        for index in range(len(rollout.plan.waves)):
            found += [s for s in _wave_states(client, rollout, index) if state in (None, s.state)]
    if state in (None, "excluded"):
        for reason, ids in rollout.plan.excluded.items():
            found += [DeviceState(device, "excluded", reason=reason) for device in ids]
    return _with_names(client, found)


def waits_for_runner(rollout: Rollout, now: datetime) -> bool:
    """Whether the rollout can only move on when someone drives it: no live lease, and its current
    wave is between steps (not started, final, soaking or marked for retry) or every wave passed."""
    lease = rollout.lease
    if rollout.status not in ("running", "pausing"):
        return False
    if lease is not None and parse_timestamp(lease.expires) > now:
        return False
    index = rollout.state.current()
    if index is None:
        return True
    wave = rollout.state.waves[index]
    counts = wave.counts
    is_final = counts.pending + counts.executing + counts.not_created == 0
    return wave.status is not WaveStatus.RUNNING or is_final


def watch_rollout(
    client: Client,
    rollout_id: str,
    *,
    on_update: Callable[[Rollout], None],
    timeout_seconds: float | None = None,
    policy: PollPolicy = WATCH_POLICY,
) -> Rollout:
    """Read the rollout again and again until it is no longer running (or the policy's deadline):
    finished, stopped, paused or cancelled, or waiting for a runner (``waits_for_runner``).
    Changes nothing.

    GET /inventory/managedObjects/{id}, GET /devicecontrol/bulkoperations/{id} per look
    """
    run = policy.with_timeout(timeout_seconds).start()
    while True:
        rollout = live_counts(client, load_rollout(client, rollout_id))
        on_update(rollout)
        if rollout.status not in ("running", "pausing") or waits_for_runner(rollout, utc_now()):
            return rollout
        if not run.pause():
            return rollout
