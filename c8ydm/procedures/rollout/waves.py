"""Each wave is one Cumulocity bulk operation over a hidden static group of its devices.

Creating a wave's objects, every create reconciled first (§14(d)), so that a runner killed at any
point and resumed creates nothing twice and skips no device (a lost answer within a run is looked
up by the same markers, ``reconcile.create_once`` and ``bulk.once``):

1. the hidden group: looked up by its ``c8ydm_RolloutWave`` marker (rollout id, wave, attempt),
   created when missing. ★ Static groups have no hidden flag in the contract; c8ydm marks them as
   the UI marks its hidden dynamic groups (``c8y_IsDeviceGroup: {"invisible": {}}``, §11.3);
2. its members, added with reference collections of ``REFERENCE_CHUNK`` devices (a few requests
   per wave, not one per device); a group found by the look-up is read first, and only the devices
   it lacks are added;
3. the bulk operation (§11.2, the prototype plus ``c8ydm_Origin`` with rollout id, wave and attempt):
   looked up among the bulk operations created since the rollout began, by that marker, created
   when missing. A retry is a bulk operation with ``failedParentId`` (§11.4), reconciled the same way.

Stopping a wave cancels its bulk operation (§11.4 DELETE: no further operations are created) and
cancels its operations that no device has picked up yet (PENDING, §10), so that a stopped rollout
does not keep updating devices.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from c8ydm.api.conventions import parse_timestamp
from c8ydm.api.errors import NotFoundError
from c8ydm.api.models.devicecontrol import BulkOperation, OperationStatus
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.bulk.create import create_bulk
from c8ydm.procedures.bulk.once import create_bulk_once
from c8ydm.procedures.bulk.schedule import parse_start
from c8ydm.procedures.origin import FRAGMENT as ORIGIN_FRAGMENT
from c8ydm.procedures.reconcile import create_once
from c8ydm.procedures.rollout.context import Context
from c8ydm.procedures.rollout.state import Attempt

WAVE_MARKER = "c8ydm_RolloutWave"
GROUP_TYPE = "c8y_DeviceGroup"
REFERENCE_CHUNK = 2000  # devices per reference collection
LOOKUP_SLACK = timedelta(minutes=5)  # bulk look-ups start this long before the rollout (clock skew)


def _marker(ctx: Context, wave: int, attempt: Attempt) -> dict[str, Any]:
    return {"rolloutId": ctx.rollout.id, "wave": wave + 1, "attempt": attempt.number}


def find_group(ctx: Context, wave: int, attempt: Attempt) -> ManagedObject | None:
    """The hidden group made for this wave and attempt, if a run made it already.

    GET /inventory/managedObjects?query=$filter=((has(c8ydm_RolloutWave)) and
        (c8ydm_RolloutWave.rolloutId eq '<id>') and (c8ydm_RolloutWave.wave eq <n>) and (….attempt eq <k>))
    """
    marker = _marker(ctx, wave, attempt)
    clauses = [Q.has(WAVE_MARKER), *(Q.eq(f"{WAVE_MARKER}.{key}", value) for key, value in marker.items())]
    for group in ctx.client.inventory.list(query=build(filter=Q.and_(*clauses)), page_size=10, limit=10):
        if group.fragment(WAVE_MARKER) == marker:
            return group
    return None


def create_group(ctx: Context, wave: int, attempt: Attempt) -> ManagedObject:
    """A new hidden static group for the wave, created exactly once (a lost answer is looked up,
    ``reconcile.create_once``). POST /inventory/managedObjects"""
    suffix = "" if attempt.kind == "wave" else f" ({attempt.kind} {attempt.number})"
    body = {
        "name": f"Rollout {ctx.rollout.id} wave {wave + 1}{suffix}",
        "type": GROUP_TYPE,
        "c8y_IsDeviceGroup": {"invisible": {}},
        WAVE_MARKER: _marker(ctx, wave, attempt),
        ORIGIN_FRAGMENT: ctx.origin(wave, attempt.number),
    }
    return create_once(
        ctx.client,
        lambda: ctx.client.inventory.create(body),
        lambda: find_group(ctx, wave, attempt),
        what="wave group",
    )


def add_members(ctx: Context, group_id: str, devices: list[str], *, is_new: bool) -> None:
    """Assign the devices to the group, a chunk per request; a group found again is read first.

    GET /inventory/managedObjects/{id}/childAssets (only for a group found again), then
    POST /inventory/managedObjects/{id}/childAssets  {"references": [{"managedObject": {"id"}}, …]}
    """
    missing = devices
    if not is_new:
        present = {mo.id for mo in ctx.client.inventory.list_children(group_id, relation="childAssets")}
        missing = [device for device in devices if device not in present]
    for start in range(0, len(missing), REFERENCE_CHUNK):
        _link_once(ctx, group_id, missing[start : start + REFERENCE_CHUNK])


def _link_once(ctx: Context, group_id: str, chunk: list[str]) -> None:
    """One reference collection; after a lost answer the group is read to see whether it arrived."""

    def linked() -> bool | None:
        present = {mo.id for mo in ctx.client.inventory.list_children(group_id, relation="childAssets")}
        return True if set(chunk) <= present else None

    create_once(ctx.client, lambda: _link(ctx, group_id, chunk), linked, what="group members")


def _link(ctx: Context, group_id: str, devices: list[str]) -> bool:
    ctx.client.inventory.link_children(group_id, devices)
    return True


def find_bulk(ctx: Context, wave: int, attempt: Attempt) -> BulkOperation | None:
    """The bulk operation a run created for this wave and attempt, if any.

    GET /devicecontrol/bulkoperations?dateFrom=<rollout start − 5 min>&withDeleted=true (§11.4)
    """
    created = ctx.rollout.creation_time or attempt.start_date
    since = parse_timestamp(created) - LOOKUP_SLACK if created else None
    wanted = ctx.origin(wave, attempt.number)
    for bulk in ctx.client.bulk_operations.list(date_from=since, with_deleted=True):
        origin = (bulk.operation_prototype or {}).get(ORIGIN_FRAGMENT) or {}
        if all(origin.get(key) == wanted[key] for key in ("rolloutId", "wave", "attempt")):
            return bulk
    return None


def _create_bulk(ctx: Context, wave: int, attempt: Attempt) -> BulkOperation:
    """POST /devicecontrol/bulkoperations: over the attempt's group, or ``failedParentId`` (§11.4)."""
    prototype = {**ctx.rollout.plan.operation.prototype, ORIGIN_FRAGMENT: ctx.origin(wave, attempt.number)}
    note = f"c8ydm rollout {ctx.rollout.id} ({ctx.rollout.name}), wave {wave + 1}"
    start = parse_start(None, now=ctx.now())
    if attempt.kind == "retry":
        body = {"failedParentId": attempt.parent_id, "operationPrototype": prototype, "startDate": start,
                "creationRamp": attempt.ramp, "note": note}  # fmt: skip
        return create_bulk_once(ctx.client, body)
    return create_bulk(
        ctx.client,
        prototype=prototype,
        group_id=str(attempt.group_id),
        start_date=start,
        ramp=attempt.ramp,
        note=note,
    )


def start_attempt(ctx: Context, wave: int, attempt: Attempt, devices: list[str]) -> None:
    """Create (or find again) the attempt's group, members and bulk operation; saves after each."""
    if attempt.has_group and (attempt.group_id is None or not attempt.members_added):
        group = find_group(ctx, wave, attempt) if attempt.group_id is None else None
        is_new = attempt.group_id is None and group is None
        if attempt.group_id is None:
            attempt.group_id = str((group or create_group(ctx, wave, attempt)).id)
        add_members(ctx, attempt.group_id, devices, is_new=is_new)
        attempt.members_added = True
        ctx.save()
    if attempt.bulk_id is None:
        bulk = find_bulk(ctx, wave, attempt) or _create_bulk(ctx, wave, attempt)
        attempt.bulk_id = str(bulk.id)
        attempt.start_date = bulk.start_date or attempt.start_date
        ctx.save()


def stop_attempt(ctx: Context, attempt: Attempt, reason: str) -> int:
    """Cancel the attempt's bulk operation and its PENDING operations; how many were cancelled.

    DELETE /devicecontrol/bulkoperations/{id}; GET …/operations?bulkOperationId=&status=PENDING;
    PUT /devicecontrol/operations/{id} {"status": "FAILED", "failureReason": <reason>}
    """
    if attempt.bulk_id is None:
        return 0
    with contextlib.suppress(NotFoundError):  # gone already: nothing more will be created
        ctx.client.bulk_operations.delete(attempt.bulk_id)
    pending = ctx.client.operations.list(bulk_operation_id=attempt.bulk_id, status=OperationStatus.PENDING)
    waiting = list(pending)
    for operation in waiting:
        ctx.client.operations.cancel(str(operation.id), reason=reason)
    return len(waiting)
