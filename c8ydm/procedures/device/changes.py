"""``device install`` / ``device remove``: plan every change first, then create the operations.

Firmware and software together make TWO operations, the firmware one first (§6 and §7.4 define one
fragment each, and a device acts on one fragment per operation). Both are planned before either is
sent, so a refusal of the second (say, a software type the device lacks) creates nothing at all.
Nothing is sent for software that is already installed in the wanted version ("unchanged").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.firmware import plan_firmware_install
from c8ydm.procedures.device.software import plan_software_change
from c8ydm.procedures.repository.versions import PackageSpec


@dataclass
class DeviceChanges:
    """The operations created on one device (in order) and the software left unchanged."""

    device: ManagedObject
    operations: list[Operation] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)


def install_on_device(
    client: Client,
    device: ManagedObject,
    *,
    firmware: PackageSpec | None = None,
    patch: str | None = None,
    software: Sequence[PackageSpec] = (),
    run_id: str | None = None,
) -> DeviceChanges:
    """Install firmware (optionally a patch) and software: plan both, then POST each operation.

    POST /devicecontrol/operations (once for firmware, once for all software changes)
    """
    if patch is not None and firmware is None:
        raise InputError("--patch needs --firmware NAME@BASE_VERSION")
    if firmware is None and not software:
        raise InputError(
            "nothing to install", hint="give --firmware NAME@VERSION and/or --software NAME@VERSION"
        )
    bodies: list[dict[str, Any]] = []
    if firmware is not None:
        bodies.append(plan_firmware_install(client, device, firmware, patch=patch, run_id=run_id))
    result = DeviceChanges(device)
    if software:
        plan = plan_software_change(client, device, install=software, run_id=run_id)
        result.unchanged = plan.unchanged
        if plan.body is not None:
            bodies.append(plan.body)
    result.operations = [client.operations.create(body) for body in bodies]
    return result


def remove_from_device(
    client: Client, device: ManagedObject, *, software: Sequence[str], run_id: str | None = None
) -> DeviceChanges:
    """Delete software in one operation (§7.4); NotFoundError for a name that is not installed.

    POST /devicecontrol/operations
    """
    if not software:
        raise InputError("nothing to remove", hint="give --software NAME (repeatable)")
    plan = plan_software_change(client, device, remove=software, run_id=run_id)
    result = DeviceChanges(device)
    if plan.body is not None:
        result.operations = [client.operations.create(plan.body)]
    return result


__all__ = ["DeviceChanges", "install_on_device", "remove_from_device"]
