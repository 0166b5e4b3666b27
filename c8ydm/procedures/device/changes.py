"""``device install`` / ``device remove``: plan every change first, then create the operations.

Firmware, software and configuration make one operation each (one per configuration entry), in
that order: firmware and software together make TWO operations, the firmware one first (§6 and
§7.4 define one fragment each, and a device acts on one fragment per operation). All are planned
before any is sent, so a refusal of a later one (say, a software type the device lacks) creates
nothing at all. Nothing is sent for software that is already installed in the wanted version
("unchanged").
A device profile (``--profile``) is one operation of its own (``profile.py``, §9.2), never combined
with firmware, software or configuration in one command: it brings its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.config_send import plan_config_sends, text_save_body
from c8ydm.procedures.device.firmware import plan_firmware_install
from c8ydm.procedures.device.pending import (
    OperationKind,
    kind_of_body,
    pending_error,
    pending_of_kind,
)
from c8ydm.procedures.device.profile import plan_profile_install
from c8ydm.procedures.device.software import plan_software_change
from c8ydm.procedures.reconcile import Report, create_operation
from c8ydm.procedures.repository.versions import PackageSpec


@dataclass
class DeviceChanges:
    """The operations created on one device (in order) and the software left unchanged."""

    device: ManagedObject
    operations: list[Operation] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ChangePlan:
    """The operation bodies to create on one device, in order, and what they would pile onto.

    ``pending`` are operations of the same kinds still PENDING or EXECUTING (read while planning):
    ``execute_changes`` refuses them unless forced (cli-surface.md: exit 7, ``--force``).
    """

    device: ManagedObject
    bodies: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    pending: list[tuple[OperationKind, Operation]] = field(default_factory=list)

    def kinds(self) -> list[OperationKind]:
        """The operation kinds the plan creates."""
        return [kind for kind in map(kind_of_body, self.bodies) if kind is not None]


def _find_pending(client: Client, plan: ChangePlan) -> ChangePlan:
    assert plan.device.id is not None
    for kind in dict.fromkeys(plan.kinds()):
        running = pending_of_kind(client, plan.device.id, kind)
        if running is not None:
            plan.pending.append((kind, running))
    return plan


def plan_operations(client: Client, device: ManagedObject, bodies: Sequence[dict[str, Any]]) -> ChangePlan:
    """A plan of ready operation bodies, with the running operations of their kinds looked up."""
    return _find_pending(client, ChangePlan(device, bodies=list(bodies)))


def check_install_sources(
    *,
    firmware: PackageSpec | None = None,
    patch: str | None = None,
    software: Sequence[PackageSpec] = (),
    profile: str | None = None,
    configs: Sequence[str] = (),
    config_text: str | None = None,
) -> None:
    """InputError (exit 2, before any request) for an install that names nothing, a patch without
    firmware, or a profile together with firmware, software or configuration (it brings its own:
    they would race)."""
    if patch is not None and firmware is None:
        raise InputError("--patch needs --firmware NAME@BASE_VERSION")
    has_config = bool(configs) or config_text is not None
    if profile is not None and (firmware is not None or software):
        raise InputError("--profile applies a whole device profile: give it without --firmware/--software")
    if profile is not None and has_config:
        raise InputError(
            "--profile applies a whole device profile, its configuration too: "
            "give it without --config/--config-text"
        )
    if profile is None and firmware is None and not software and not has_config:
        raise InputError(
            "nothing to install",
            hint="give --firmware NAME@VERSION, --software NAME@VERSION, --config NAME, --config-text FILE"
            " or --profile NAME",
        )


def plan_install(
    client: Client,
    device: ManagedObject,
    *,
    firmware: PackageSpec | None = None,
    patch: str | None = None,
    software: Sequence[PackageSpec] = (),
    configs: Sequence[str] = (),
    config_text: str | None = None,
    profile: str | None = None,
    run_id: str | None = None,
) -> ChangePlan:
    """Plan firmware (optionally a patch), software and configuration (repository entries, §8.2/§8.3,
    or a text, §8.1), or a device profile: all checked before anything is sent.

    GET the entries, versions and installed software (or the profile), and the newest operation of
    each kind.
    """
    check_install_sources(
        firmware=firmware, patch=patch, software=software, profile=profile, configs=configs,
        config_text=config_text,
    )  # fmt: skip
    if profile is not None:
        plan = ChangePlan(device, bodies=[plan_profile_install(client, device, profile, run_id=run_id)])
        return _find_pending(client, plan)
    plan = ChangePlan(device)
    if firmware is not None:
        plan.bodies.append(plan_firmware_install(client, device, firmware, patch=patch, run_id=run_id))
    if software:
        software_plan = plan_software_change(client, device, install=software, run_id=run_id)
        plan.unchanged = software_plan.unchanged
        if software_plan.body is not None:
            plan.bodies.append(software_plan.body)
    plan.bodies += plan_config_sends(client, device, configs, run_id=run_id)
    if config_text is not None:
        plan.bodies.append(text_save_body(device, config_text, run_id))
    return _find_pending(client, plan)


def plan_remove(
    client: Client, device: ManagedObject, *, software: Sequence[str], run_id: str | None = None
) -> ChangePlan:
    """Plan the deletion of software in one operation (§7.4); NotFoundError for a name not installed."""
    if not software:
        raise InputError("nothing to remove", hint="give --software NAME (repeatable)")
    software_plan = plan_software_change(client, device, remove=software, run_id=run_id)
    plan = ChangePlan(device, bodies=[software_plan.body] if software_plan.body is not None else [])
    return _find_pending(client, plan)


def execute_changes(
    client: Client, plan: ChangePlan, *, is_forced: bool = False, report: Report | None = None
) -> DeviceChanges:
    """Create the planned operations in order; PendingOperationError (exit 7) when the plan found a
    running operation of the same kind and ``is_forced`` is not set. Each create is reconciled by
    its c8ydm_Origin marker when its answer is lost (§10, 14(d)): never sent twice.
    POST /devicecontrol/operations"""
    if plan.pending and not is_forced:
        raise pending_error(plan.device.name, *plan.pending[0])
    operations = [create_operation(client, body, report=report) for body in plan.bodies]
    return DeviceChanges(plan.device, operations, plan.unchanged)


def install_on_device(
    client: Client,
    device: ManagedObject,
    *,
    firmware: PackageSpec | None = None,
    patch: str | None = None,
    software: Sequence[PackageSpec] = (),
    profile: str | None = None,
    run_id: str | None = None,
) -> DeviceChanges:
    """``plan_install`` then ``execute_changes`` (not forced)."""
    plan = plan_install(
        client, device, firmware=firmware, patch=patch, software=software, profile=profile, run_id=run_id
    )
    return execute_changes(client, plan)


def remove_from_device(
    client: Client, device: ManagedObject, *, software: Sequence[str], run_id: str | None = None
) -> DeviceChanges:
    """``plan_remove`` then ``execute_changes`` (not forced)."""
    return execute_changes(client, plan_remove(client, device, software=software, run_id=run_id))


__all__ = [
    "ChangePlan",
    "DeviceChanges",
    "check_install_sources",
    "execute_changes",
    "install_on_device",
    "plan_install",
    "plan_operations",
    "plan_remove",
    "remove_from_device",
]
