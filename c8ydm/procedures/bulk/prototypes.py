"""Bulk operation prototypes: a copy of an operation, or the UI's firmware and software ones (§11.3).

★ The UI's prototypes exactly, plus ``c8ydm_Origin`` (14(f)):
- firmware: ``{"description": "Update firmware to: <name> (version: <v>).", "c8y_Firmware": {…}}``,
  the fragment being the device operation's (§6: base or legacy version, or a patch with
  ``dependency`` and ``isPatch``), so both are built by ``firmware_install.firmware_fragment``;
- software: ``{"description": "Update software to: <name> (version <v>)[ and one other| and <N>
  others]", "c8y_SoftwareUpdate": [{"name", "version", "url", "action": "install"}, …]}`` with no
  ``softwareType`` and no version id (rule 14(j), §15 item 14): one prototype serves every device.

A version left out is the newest base version (§3.2). Entries with a device-type filter are
reported in ``device_types`` so that a caller targeting devices by type can refuse a mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.procedures.device.firmware import firmware_fragment
from c8ydm.procedures.device.software import check_distinct_names
from c8ydm.procedures.origin import resend_body, with_origin
from c8ydm.procedures.repository.kinds import FIRMWARE, SOFTWARE
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.versions import PackageSpec, find_version, list_versions


@dataclass
class Prototype:
    """An ``operationPrototype`` and the device-type filter of each entry it uses (name → type)."""

    body: dict[str, Any]
    device_types: dict[str, str] = field(default_factory=dict)


def prototype_from_operation(
    client: Client, operation_id: str, *, run_id: str | None = None
) -> dict[str, Any]:
    """The prototype of a bulk operation copied from an existing operation (§11.3, §10 "Re-send").

    GET /devicecontrol/operations/{id}
    """
    return operation_prototype(client.operations.get(operation_id), run_id=run_id)


def operation_prototype(operation: Operation, *, run_id: str | None = None) -> dict[str, Any]:
    """An operation as a bulk prototype: without deviceId (§11.1) and §10's read-only fields."""
    body = operation.to_body()
    body.pop("deviceId", None)  # §11.1: the prototype is the operation body without deviceId
    return resend_body(body, run_id)


def firmware_bulk_description(name: str, version: str) -> str:
    """The UI's bulk template (§11.3): ``Update firmware to: <name> (version: <v>).``"""
    return f"Update firmware to: {name} (version: {version})."


def software_bulk_description(items: Sequence[Mapping[str, Any]]) -> str:
    """The UI's bulk template (§11.3): the first item, then `` and one other`` / `` and <N> others``."""
    first = items[0]
    others = len(items) - 1
    suffix = "" if others == 0 else " and one other" if others == 1 else f" and {others} others"
    return f"Update software to: {first['name']} (version {first['version']}){suffix}"


def firmware_prototype(
    client: Client, spec: PackageSpec, *, patch: str | None = None, run_id: str | None = None
) -> Prototype:
    """The firmware bulk prototype for ``spec`` (newest base version without one) or its ``patch``.

    GET the entry (§3.3 lookup) and its versions (§3.2).
    """
    entry = resolve_entry(client, FIRMWARE, spec.name)
    firmware = firmware_fragment(client, entry, spec.version, patch=patch)
    body = {
        "description": firmware_bulk_description(str(firmware["name"]), str(firmware["version"])),
        "c8y_Firmware": firmware,
    }
    wanted = FIRMWARE.device_type_of(entry)
    return Prototype(with_origin(body, run_id), {str(firmware["name"]): wanted} if wanted else {})


def software_prototype(
    client: Client, specs: Sequence[PackageSpec], *, run_id: str | None = None
) -> Prototype:
    """The software bulk prototype installing every ``spec``, in the order given.

    GET each entry (§3.3 lookup) and its versions (§3.2).
    """
    names = [spec.name for spec in specs]
    if not names:
        raise InputError("give at least one --software NAME[@VERSION]")
    check_distinct_names(names)
    items: list[dict[str, Any]] = []
    device_types: dict[str, str] = {}
    for spec in specs:
        entry = resolve_entry(client, SOFTWARE, spec.name)
        version = find_version(list_versions(client, SOFTWARE, entry), SOFTWARE, entry, spec.version)
        name = str(entry.name or spec.name)
        items.append({"name": name, "version": version.version, "url": version.url, "action": "install"})
        wanted = SOFTWARE.device_type_of(entry)
        if wanted:
            device_types[name] = wanted
    body = {"description": software_bulk_description(items), "c8y_SoftwareUpdate": items}
    return Prototype(with_origin(body, run_id), device_types)


def check_target_types(prototype: Prototype, target_types: Iterable[str]) -> None:
    """Refuse an entry whose device-type filter excludes one of the targeted ``--type`` values."""
    targeted = sorted(set(target_types))
    for name, wanted in prototype.device_types.items():
        others = [value for value in targeted if value != wanted]
        if others:
            raise InputError(
                f"{name!r} is for devices of type {wanted!r}, not {', '.join(repr(t) for t in others)}",
                hint=f"target only --type {wanted}",
            )


__all__ = [
    "Prototype",
    "check_target_types",
    "firmware_bulk_description",
    "firmware_prototype",
    "operation_prototype",
    "prototype_from_operation",
    "software_bulk_description",
    "software_prototype",
]
