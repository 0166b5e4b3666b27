"""Apply a device profile to one device: one ``c8y_DeviceProfile`` operation (contract §9.2).

Planning reads only (the profile) and refuses before anything is created (exit 2):
- the guard: ``c8y_DeviceProfile`` in the device's ``c8y_SupportedOperations``;
- the candidate conditions of §9.2, checked on the one profile asked for: its device type is the
  device's (or none), and, when the device declares ``c8y_SupportedSoftwareTypes``, the profile's
  software types are a subset of them. The types are the profile's ``softwareType!<x>`` markers
  (what the UI's query reads) together with the types of its software items, so a profile whose
  markers went stale is not sent to a device that cannot take an item.
  The UI's candidate query also requires ``hasany(<the device's markers>)``, which leaves out every
  profile without typed software (a firmware-only profile) for devices that declare software
  types; c8ydm does not copy that side effect of a listing query (contract silent on the intent).

The operation (§9.2): ``{"deviceId","profileId","profileName","c8y_DeviceProfile":{…the profile's…},
"description":"Assign device profile <profile> to device <device>","c8ydm_Origin"}``; for a device
without ``c8y_SupportedSoftwareTypes`` every software item loses its ``softwareType``.

"Pending" (§9.2) is "the newest profile operation is not SUCCESSFUL": the UI's way of showing a
profile as assigned but not (yet) applied, which ``device show`` reports. The refusal of a second
operation (``pending.PROFILE_KIND``) keeps to PENDING and EXECUTING like every other kind: a FAILED
profile operation will never run, so a new one cannot race it, and refusing after a failure would
leave a device that failed once unable to get any profile without --force.
"""

from __future__ import annotations

import copy
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.info import PROFILE_OPERATION, supported_operations
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.checks import check_device_type
from c8ydm.procedures.repository.kinds import PROFILE
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.profiles.content import (
    content_of,
    marker_types,
    ordered,
    software_of,
    software_types,
)


def profile_description(profile_name: str, device_name: str) -> str:
    """The UI's template (§9.2): ``Assign device profile <profile> to device <device>``."""
    return f"Assign device profile {profile_name} to device {device_name}"


def profile_software_types(profile: ManagedObject) -> list[str]:
    """The software types a profile needs: its markers and its items' types (see the docstring)."""
    return list(dict.fromkeys([*marker_types(profile), *software_types(software_of(content_of(profile)))]))


def check_candidate(profile: ManagedObject, device: ManagedObject) -> None:
    """InputError unless the profile is a candidate for the device (§9.2), see the module docstring."""
    check_device_type(PROFILE, profile, device)
    declared = device.supported_software_types
    if declared is None:
        return
    missing = [name for name in profile_software_types(profile) if name not in declared]
    if missing:
        raise InputError(
            f"device profile {profile.name!r} needs software type {', '.join(missing)}, which device "
            f"{device.name!r} does not support (c8y_SupportedSoftwareTypes: {', '.join(declared) or 'none'})"
        )


def operation_content(profile: ManagedObject, device: ManagedObject) -> dict[str, Any]:
    """The profile's ``c8y_DeviceProfile`` for this device: without ``softwareType`` on the software
    items when the device declares no ``c8y_SupportedSoftwareTypes`` (§9.2)."""
    content = ordered(content_of(profile))
    if device.supported_software_types is None and isinstance(content.get("software"), list):
        content["software"] = [
            {key: value for key, value in item.items() if key != "softwareType"} if isinstance(item, dict)
            else item
            for item in content["software"]
        ]  # fmt: skip
    return copy.deepcopy(content)


def plan_profile_install(
    client: Client, device: ManagedObject, value: str, *, run_id: str | None = None
) -> dict[str, Any]:
    """The operation body that applies the profile ``value`` (name or id); InputError if refused.

    GET the profile (§3.3 lookup with ``type eq 'c8y_Profile'``); nothing is created.
    """
    if PROFILE_OPERATION not in supported_operations(device):
        raise InputError(
            f"device {device.name!r} does not support device profiles "
            f"({PROFILE_OPERATION} is not in its c8y_SupportedOperations)"
        )
    profile = resolve_entry(client, PROFILE, value)
    check_candidate(profile, device)
    body = {
        "deviceId": device.id,
        "profileId": profile.id,
        "profileName": profile.name,
        PROFILE_OPERATION: operation_content(profile, device),
        "description": profile_description(str(profile.name), str(device.name)),
    }
    return with_origin(body, run_id)


__all__ = [
    "PROFILE_OPERATION",
    "check_candidate",
    "operation_content",
    "plan_profile_install",
    "profile_description",
    "profile_software_types",
]
