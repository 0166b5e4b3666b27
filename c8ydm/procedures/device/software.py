"""Install and remove software on a device: ONE operation carrying every change (contract §7.4).

The operation's style is the first the device supports: ``c8y_SoftwareUpdate`` (a change list),
else ``c8y_SoftwareList`` (the complete desired list, started from the installed list of §7.2),
else the legacy ``c8y_Software`` map. Planning only reads; it refuses before anything is created:
no software support, an entry whose device-type filter excludes the device, a ``softwareType`` the
device does not declare in ``c8y_SupportedSoftwareTypes`` (when it declares any), a removal of
something not installed (NotFoundError). A version that is already installed is "unchanged"; when
nothing changes there is no operation at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.info import (
    SOFTWARE_ITEM_KEYS,
    SOFTWARE_OPERATIONS,
    InstalledSoftware,
    installed_software,
    supported_operations,
)
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.checks import check_device_type
from c8ydm.procedures.repository.kinds import SOFTWARE
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.versions import PackageSpec, find_version, list_versions


@dataclass
class SoftwareChange:
    """One staged change: ``item`` is the ``c8y_SoftwareUpdate`` item without ``action``."""

    action: str  # "install" or "delete"
    item: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.item["name"])

    def describe(self) -> str:
        """``install "A" (version: 1.0)``: one part of the UI's description (§7.4)."""
        version = self.item.get("version")
        return f'{self.action} "{self.name}"' + (f" (version: {version})" if version else "")


@dataclass
class SoftwarePlan:
    """What a software change will do; ``body`` is None when nothing changes."""

    style: str
    changes: list[SoftwareChange] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    body: dict[str, Any] | None = None


def check_distinct_names(names: Sequence[str]) -> None:
    """Refuse software named more than once in one change (InputError)."""
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InputError(f"software named more than once: {', '.join(duplicates)}")


def software_style(device: ManagedObject) -> str:
    """The operation fragment the device takes for software (§7.4's order); InputError if none."""
    supported = supported_operations(device)
    for style in SOFTWARE_OPERATIONS:
        if style in supported:
            return style
    raise InputError(
        f"device {device.name!r} does not support software changes "
        f"(none of {', '.join(SOFTWARE_OPERATIONS)} is in its c8y_SupportedOperations)"
    )


def _install_change(client: Client, device: ManagedObject, spec: PackageSpec) -> SoftwareChange:
    entry = resolve_entry(client, SOFTWARE, spec.name)
    check_device_type(SOFTWARE, entry, device)
    version = find_version(list_versions(client, SOFTWARE, entry), SOFTWARE, entry, spec.version)
    entry_type = entry.fragment("softwareType") or None
    declared = device.supported_software_types or []
    if declared and entry_type and entry_type not in declared:
        raise InputError(
            f"software {entry.name!r} has software type {entry_type!r}, which device {device.name!r} "
            f"does not support (c8y_SupportedSoftwareTypes: {', '.join(declared)})"
        )
    item = {
        "id": version.id,  # the version MO's id, as the UI sends it (§7.4, 14(a)); None for legacy
        "name": entry.name or spec.name,
        "version": version.version,
        "url": version.url,
        # Rule 14(j): only when the entry has a type AND the device declares its types.
        "softwareType": entry_type if declared else None,
    }
    return SoftwareChange("install", {key: value for key, value in item.items() if value is not None})


def _delete_change(device: ManagedObject, installed: InstalledSoftware, name: str) -> SoftwareChange:
    found = installed.find(name)
    if found is None:
        names = ", ".join(str(item.get("name")) for item in installed.items) or "nothing"
        raise NotFoundError(
            f"software {name!r} is not installed on device {device.name!r}", hint=f"installed: {names}"
        )
    return SoftwareChange("delete", dict(found))


def _desired_list(installed: InstalledSoftware, changes: list[SoftwareChange]) -> list[dict[str, Any]]:
    """§7.4: install replaces the same-name item or is appended; delete removes it."""
    desired = [dict(item) for item in installed.items]
    for change in changes:
        reduced = {key: change.item[key] for key in SOFTWARE_ITEM_KEYS if key in change.item}
        index = next((i for i, item in enumerate(desired) if item.get("name") == change.name), None)
        if change.action == "delete":
            desired = [item for item in desired if item.get("name") != change.name]
        elif index is None:
            desired.append(reduced)
        else:
            desired[index] = reduced
    return desired


def _fragment(style: str, installed: InstalledSoftware, changes: list[SoftwareChange]) -> Any:
    if style == "c8y_SoftwareUpdate":
        return [{**change.item, "action": change.action} for change in changes]
    desired = _desired_list(installed, changes)
    if style == "c8y_SoftwareList":
        return desired
    return {str(item["name"]): str(item.get("version") or "") for item in desired}


def plan_software_change(
    client: Client,
    device: ManagedObject,
    *,
    install: Sequence[PackageSpec] = (),
    remove: Sequence[str] = (),
    run_id: str | None = None,
) -> SoftwarePlan:
    """The one operation that applies every install and removal; see the module docstring.

    GET the installed software (§7.2), each entry and its versions; nothing is created.
    """
    check_distinct_names([spec.name for spec in install] + list(remove))
    style = software_style(device)
    installed = installed_software(client, device)
    plan = SoftwarePlan(style)
    for spec in install:
        change = _install_change(client, device, spec)
        current = installed.find(change.name)
        if current is not None and current.get("version") == change.item.get("version"):
            plan.unchanged.append({"name": change.name, "version": current.get("version")})
        else:
            plan.changes.append(change)
    plan.changes.extend(_delete_change(device, installed, name) for name in remove)
    if plan.changes:
        description = "Apply software changes: " + ", ".join(c.describe() for c in plan.changes)
        body = {
            "deviceId": device.id,
            "description": description,
            style: _fragment(style, installed, plan.changes),
        }
        plan.body = with_origin(body, run_id)
    return plan


__all__ = [
    "SoftwareChange",
    "SoftwarePlan",
    "check_distinct_names",
    "plan_software_change",
    "software_style",
]
