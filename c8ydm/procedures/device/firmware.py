"""Install firmware (or a firmware patch) on a device: one ``c8y_Firmware`` operation (contract §6).

Planning reads only (device, entry, versions) and refuses before anything is created: a device
without ``c8y_Firmware`` in ``c8y_SupportedOperations`` (§6 ★), an entry whose device-type filter
excludes the device's type (cli-surface.md), an unknown version or patch. Sending is one POST
(in ``device_changes``).
"""

from __future__ import annotations

from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.info import FIRMWARE_OPERATION, supported_operations
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.checks import check_device_type
from c8ydm.procedures.repository.kinds import FIRMWARE
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.versions import PackageSpec, find_patch, find_version, list_versions


def firmware_description(name: str, version: str) -> str:
    """The UI's template (§6): ``Update firmware to: "<name>"`` plus `` (version: <v>)`` if any."""
    suffix = f" (version: {version})" if version else ""
    return f'Update firmware to: "{name}"{suffix}'


def firmware_fragment(
    client: Client, entry: ManagedObject, version: str | None, *, patch: str | None = None
) -> dict[str, Any]:
    """The ``c8y_Firmware`` fragment that installs a version (newest base when None) or its patch.

    ``{"name","version","url"}`` of the base version (for a legacy entry, the entry's own, §6), or
    the patch's version and url plus ``dependency`` and ``isPatch`` (§6, rule 14(i)). Shared by the
    device operation (§6) and the bulk prototype (§11.3). GET the versions (§3.2).
    """
    base = find_version(list_versions(client, FIRMWARE, entry), FIRMWARE, entry, version)
    name = str(entry.name or "")
    if patch is None:
        return {"name": name, "version": base.version, "url": base.url}
    if base.is_legacy:
        raise InputError(f"firmware {name!r} is a legacy entry: it has no patches (§2.2)")
    chosen = find_patch(base, FIRMWARE, entry, patch)
    return {
        "name": name,
        "version": chosen.version,
        "url": chosen.url,
        "dependency": base.version,
        "isPatch": True,
    }


def plan_firmware_install(
    client: Client,
    device: ManagedObject,
    spec: PackageSpec,
    *,
    patch: str | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    """The operation body that installs ``spec`` (and ``patch``) on ``device``; InputError if refused.

    GET the entry (§3.3 lookup) and its versions (§3.2); nothing is created.
    """
    if FIRMWARE_OPERATION not in supported_operations(device):
        raise InputError(
            f"device {device.name!r} does not support firmware updates "
            f"({FIRMWARE_OPERATION} is not in its c8y_SupportedOperations)"
        )
    entry = resolve_entry(client, FIRMWARE, spec.name)
    check_device_type(FIRMWARE, entry, device)
    firmware = firmware_fragment(client, entry, spec.version, patch=patch)
    name = str(firmware["name"])
    body = {
        "deviceId": device.id,
        "description": firmware_description(name, str(firmware["version"])),
        FIRMWARE_OPERATION: firmware,
    }
    return with_origin(body, run_id)


__all__ = [
    "firmware_description",
    "firmware_fragment",
    "plan_firmware_install",
]
