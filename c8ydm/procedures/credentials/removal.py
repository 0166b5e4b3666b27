"""Delete device users, or devices together with their users (§12.5; the seed's factory-reset case).

Without ``with_device`` the user is deleted (``DELETE /user/{tenant}/users/<id>``): its devices stay
but can no longer connect. With it, the device goes too, as
``DELETE /inventory/managedObjects/<id>?withDeviceUser=true`` under the UI's conditions: a root
device (``c8y_IsDevice``, no device parent) owned by its ``device_`` user, never with ``cascade``.
Given a user, the device is the one root device it owns; several or none cannot be chosen for the
user, so the plan fails (exit 2) naming them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.credentials.listing import devices_by_owner
from c8ydm.procedures.credentials.targets import DEVICE_USER_PREFIX, CredentialTarget, resolve_targets
from c8ydm.procedures.outcomes import error_text, raise_for_failures


@dataclass(frozen=True)
class RemovalItem:
    """One device user to delete, and the device deleted with it (``with_device``)."""

    target: CredentialTarget
    device: ManagedObject | None = None


@dataclass(frozen=True)
class RemovalPlan:
    items: list[RemovalItem]
    with_device: bool

    @property
    def question(self) -> str:
        """The confirmation question, naming what goes."""
        if self.with_device:
            named = ", ".join(
                f"{i.device.name or i.device.id} ({i.target.user_name})" for i in self.items if i.device
            )
            return f"Delete {len(self.items)} device(s) together with their device users: {named}?"
        named = ", ".join(item.target.user_name for item in self.items)
        return (
            f"Delete the credentials of {len(self.items)} device user(s): {named}? "
            "Their devices stay, but can no longer connect until registered again."
        )


@dataclass(frozen=True)
class RemovalOutcome:
    item: RemovalItem
    error: str | None = None


@dataclass(frozen=True)
class RemovalReport:
    outcomes: list[RemovalOutcome]
    with_device: bool

    def raise_for_failures(self) -> None:
        failed = [o.item.target.given for o in self.outcomes if o.error is not None]
        raise_for_failures(failed, len(self.outcomes), "deletions")


def _is_root_device(device: ManagedObject, user_name: str) -> bool:
    parents = device.device_parents.references if device.device_parents else []
    return device.has_fragment("c8y_IsDevice") and device.owner == user_name and not parents


def _device_for(client: Client, target: CredentialTarget) -> ManagedObject:
    if target.device is not None:
        candidates = [client.inventory.get(str(target.device.id), with_parents=True)]
    else:
        owned = devices_by_owner(client, [target.user_name])[target.user_name]
        candidates = [client.inventory.get(str(d.id), with_parents=True) for d in owned]
    roots = [d for d in candidates if _is_root_device(d, target.user_name)]
    if not target.user_name.startswith(DEVICE_USER_PREFIX) or len(roots) != 1:
        named = ", ".join(f"{d.name} ({d.id})" for d in candidates) or "none"
        raise InputError(
            f"--with-device needs one root device owned by {target.user_name}; found: {named}",
            hint="name the device itself, or delete only the credentials (without --with-device)",
        )
    return roots[0]


def plan_removal(client: Client, values: Sequence[str], *, with_device: bool) -> RemovalPlan:
    """Resolve every value (and with ``with_device`` its root device) before anything is deleted.

    Look-ups only: GET users, devices, device users, and GET /inventory/managedObjects/<id>?withParents=true
    """
    targets = resolve_targets(client, list(values))
    items = [RemovalItem(t, _device_for(client, t) if with_device else None) for t in targets]
    return RemovalPlan(items, with_device)


def execute_removal(client: Client, plan: RemovalPlan) -> RemovalReport:
    """Delete each item; a failure is recorded and the rest go on (exit 14 afterwards).

    DELETE /user/{tenant}/users/<id>, or DELETE /inventory/managedObjects/<id>?withDeviceUser=true
    """
    outcomes = []
    for item in plan.items:
        try:
            if item.device is not None:
                client.inventory.delete(str(item.device.id), with_device_user=True)
            else:
                client.users.delete(item.target.user_name)
        except C8yError as error:
            if len(plan.items) == 1:
                raise
            outcomes.append(RemovalOutcome(item, error_text(error)))
            continue
        outcomes.append(RemovalOutcome(item))
    return RemovalReport(outcomes, plan.with_device)
