"""Add devices to a static group and remove them: resolve everything first, then change, undo on failure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.groups.catalog import device_query, is_dynamic
from c8ydm.procedures.resolve import resolve_device, resolve_group

Action = Literal["add", "remove"]
RELATION: Final = "childAssets"


@dataclass(frozen=True)
class MembershipPlan:
    """The changes ``group add|remove`` will make: ``changes`` to link or unlink, ``unchanged`` not."""

    group: ManagedObject
    action: Action
    changes: list[ManagedObject]
    unchanged: list[ManagedObject]


@dataclass
class MembershipChange:
    """What was done: ``changed`` devices (linked or unlinked), ``unchanged`` ones left as they were."""

    plan: MembershipPlan
    changed: list[ManagedObject] = field(default_factory=list)


def plan_membership(
    client: Client, group_value: str, device_values: Sequence[str], action: Action
) -> MembershipPlan:
    """Resolve the group and every device (nothing changes yet); a dynamic group is refused (exit 2).

    GET the group and each device (id or exact name), then for each device
    GET /inventory/managedObjects/{group}/childAssets/{device} (404: not a member)
    """
    group = resolve_group(client, group_value)
    if is_dynamic(group):
        raise InputError(
            f"group {group.name!r} is dynamic: its devices are the ones matching its query "
            f"{device_query(group)!r}",
            hint="add devices to a static group (c8ydm group create NAME without --query)",
        )
    devices: dict[str, ManagedObject] = {}
    for value in device_values:
        device = resolve_device(client, value)
        devices.setdefault(str(device.id), device)
    changes: list[ManagedObject] = []
    unchanged: list[ManagedObject] = []
    for device in devices.values():
        is_member = client.inventory.has_child(str(group.id), str(device.id), relation=RELATION)
        (changes if is_member == (action == "remove") else unchanged).append(device)
    return MembershipPlan(group, action, changes, unchanged)


def _change(client: Client, group_id: str, device_id: str, *, link: bool) -> None:
    if link:
        client.inventory.link_child(group_id, device_id, relation=RELATION)
    else:
        client.inventory.unlink_child(group_id, device_id, relation=RELATION)


def apply_membership(
    client: Client, plan: MembershipPlan, *, on_undo: Callable[[str], None] | None = None
) -> MembershipChange:
    """Link (add) or unlink (remove) each planned device; if one fails, undo this run's changes in
    reverse order and raise the failure, its message saying so.

    POST /inventory/managedObjects/{group}/childAssets {"managedObject":{"id"}} (add), or
    DELETE /inventory/managedObjects/{group}/childAssets/{device} (remove), per device
    """
    group_id, link = str(plan.group.id), plan.action == "add"
    done = MembershipChange(plan)
    try:
        for device in plan.changes:
            _change(client, group_id, str(device.id), link=link)
            done.changed.append(device)
    except C8yError as error:
        undone = _undo(client, group_id, done.changed, link=link, on_undo=on_undo)
        if done.changed:
            error.message = f"{error.message} ({undone} of {len(done.changed)} earlier changes undone)"
        raise
    return done


def _undo(
    client: Client,
    group_id: str,
    changed: list[ManagedObject],
    *,
    link: bool,
    on_undo: Callable[[str], None] | None,
) -> int:
    undone = 0
    for device in reversed(changed):
        try:
            _change(client, group_id, str(device.id), link=not link)
        except C8yError as failure:  # report and go on: the error being raised is the first failure
            if on_undo is not None:
                on_undo(f"Could not undo the change of {device.name!r}: {failure.message}")
            continue
        undone += 1
        if on_undo is not None:
            on_undo(f"Undone: {device.name!r} {'removed from' if link else 'added back to'} the group.")
    return undone
