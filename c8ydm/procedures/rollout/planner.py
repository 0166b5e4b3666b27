"""Plan a rollout (read only): the target resolved once and frozen, exclusions with their reasons, a
seeded shuffle, and the waves.

    planned = plan_rollout(client, RolloutRequest(firmware="linux-image@6.1.2", group="All Linux"))
    planned.plan.waves          # device ids per wave, e.g. [[10 ids], [10 ids], [80 ids], [100 ids]]
    planned.excluded            # [Excluded(id, name, reason), ...]

The target is read once from the inventory listing, page by page (2000 a page, §14(e)); only ids,
names and exclusion reasons are kept, so that a plan for 100,000 devices stays small. The devices
that remain are sorted by id and shuffled with a seed (random unless given) that the plan keeps: a
wave is a sample of the fleet, not its oldest devices, and the order is the same for every runner.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.bulk.schedule import check_ramp
from c8ydm.procedures.resolve import resolve_group
from c8ydm.procedures.rollout.operations import RolloutOperation, build_operation, exclusion_reason
from c8ydm.procedures.rollout.record import Plan
from c8ydm.procedures.rollout.request import RolloutRequest
from c8ydm.procedures.rollout.settings import RolloutSettings, wave_sizes

SEED_LIMIT = 2**31


@dataclass(frozen=True)
class Excluded:
    """A selected device the rollout leaves out, and why."""

    id: str
    name: str
    reason: str


@dataclass
class PlannedRollout:
    """A plan ready to be created (``control.start_rollout``) or shown (``--dry-run``)."""

    name: str
    plan: Plan
    excluded: list[Excluded] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # device id -> name, for the waves' first devices

    @property
    def is_empty(self) -> bool:
        """Whether no device is left to roll out to."""
        return self.plan.devices == 0


def default_name(operation: RolloutOperation, request: RolloutRequest) -> str:
    """``firmware linux-image 6.1.2 to group 'All Linux'``: the same command gives the same name."""
    return f"{operation.label} to {request.target_label}"


def fingerprint(operation: RolloutOperation, target: dict[str, Any], settings: RolloutSettings) -> str:
    """What makes two start commands the same rollout: the prototype, the target and the settings."""
    text = json.dumps(
        {"prototype": operation.prototype, "target": target, "settings": settings.to_json()}, sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def target_of(client: Client, request: RolloutRequest) -> dict[str, Any]:
    """The target as stored in the plan: the group (id, name) or the query text. GET the group."""
    if request.group is None:
        return {"query": str(request.query)}
    group = resolve_group(client, request.group)
    target: dict[str, Any] = {"group": {"id": group.id, "name": group.name}}
    dynamic = group.fragment("c8y_DeviceQueryString")
    if dynamic is not None:
        target["query"] = str(dynamic)  # a dynamic group's members are its query's devices
    return target


def select_devices(client: Client, target: dict[str, Any]) -> Iterator[ManagedObject]:
    """The devices the target selects now, page by page.

    GET /inventory/managedObjects?query=$filter=((has(c8y_IsDevice)) and (bygroupid(<id>)))
    GET /inventory/managedObjects?q=<query>        (a dynamic group's or the user's, sent as written)
    """
    if "query" in target:
        return client.inventory.list(q=str(target["query"]))
    group_id = str(target["group"]["id"])
    query = build(filter=Q.and_(Q.has("c8y_IsDevice"), Q.bygroupid(group_id)))
    return client.inventory.list(query=query)


def shuffled(device_ids: list[str], seed: int) -> list[str]:
    """The ids sorted numerically, then shuffled with ``seed``: the same order for every runner."""
    ordered = sorted(device_ids, key=lambda value: (len(value), value))
    random.Random(seed).shuffle(ordered)
    return ordered


def split(device_ids: list[str], sizes: list[int]) -> list[list[str]]:
    """Consecutive slices of the given sizes."""
    waves, start = [], 0
    for size in sizes:
        waves.append(device_ids[start : start + size])
        start += size
    return waves


def plan_rollout(
    client: Client, request: RolloutRequest, *, operation: RolloutOperation | None = None
) -> PlannedRollout:
    """Resolve the operation and the target, exclude what does not fit, shuffle, cut the waves.

    GET the repository entries (§3.2), the ramp bounds (§11.3), the group (§1.6), the devices;
    nothing is created.
    """
    settings = request.settings
    operation = operation or build_operation(client, request)
    ramp = check_ramp(client, settings.ramp)
    target = target_of(client, request)
    included: list[str] = []
    excluded: list[Excluded] = []
    names: dict[str, str] = {}
    selected = 0
    for device in select_devices(client, target):
        selected += 1
        reason = exclusion_reason(operation, device)
        device_id, name = str(device.id), str(device.name or "")
        if reason is None:
            included.append(device_id)
            names[device_id] = name
        else:
            excluded.append(Excluded(device_id, name, reason))
    seed = request.seed if request.seed is not None else random.SystemRandom().randrange(SEED_LIMIT)
    order = shuffled(included, seed)
    by_reason: dict[str, list[str]] = {}
    for item in excluded:
        by_reason.setdefault(item.reason, []).append(item.id)
    plan = Plan(
        run_id=str(uuid.uuid4()),
        fingerprint=fingerprint(operation, target, settings),
        operation=operation,
        target=target,
        settings=replace(settings, ramp=ramp),
        seed=seed,
        waves=split(order, wave_sizes(settings.steps, len(order))),
        excluded=by_reason,
        selected=selected,
    )
    return PlannedRollout(request.name or default_name(operation, request), plan, excluded, names)
