"""What a rollout sends: the operation prototype of each kind, and which devices it does not fit.

The prototypes are the bulk ones (contract §11.3, ``procedures/bulk/prototypes``), without the
marker: every wave adds its own ``c8ydm_Origin`` (rollout id and wave, 14(f)). A device is excluded
from the plan, with the reason, when

- it does not support the operation (the prototype's fragment is not in ``c8y_SupportedOperations``;
  bulk software always uses ``c8y_SoftwareUpdate``, §11.3, so devices of the other styles are out;
  a typed configuration also needs its type in ``c8y_SupportedConfigurations``, §8.3);
- the repository entry is for another device type (never send firmware to a type it excludes);
- it already has what the rollout installs, as the inventory listing shows it (``c8y_Firmware``
  name and version, every software item in ``c8y_SoftwareList`` or the legacy ``c8y_Software``;
  for a device profile: ``c8y_Profile`` names it as executed and nothing drifted from it, §9.2; a
  typed configuration: ``c8y_Configuration_<type>`` reports the entry's URL, §8.3. A legacy,
  untyped configuration cannot be told from the listing and is always sent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.bulk.config_prototype import configuration_prototype
from c8ydm.procedures.bulk.profile import profile_prototype
from c8ydm.procedures.bulk.prototypes import Prototype, firmware_prototype, software_prototype
from c8ydm.procedures.device.compliance import assigned_profile, compare, device_software
from c8ydm.procedures.device.configuration import configuration_types
from c8ydm.procedures.origin import FRAGMENT as ORIGIN_FRAGMENT
from c8ydm.procedures.repository.versions import PackageSpec
from c8ydm.procedures.rollout.request import RolloutRequest

FIRMWARE_FRAGMENT = "c8y_Firmware"
SOFTWARE_FRAGMENT = "c8y_SoftwareUpdate"
PROFILE_FRAGMENT = "c8y_DeviceProfile"
CONFIG_FRAGMENT = "c8y_DownloadConfigFile"


@dataclass(frozen=True)
class RolloutOperation:
    """The operation of a rollout: its kind, a label for people, the prototype without a marker."""

    kind: str  # "firmware", "software", "configuration", "profile"
    label: str  # "firmware linux-image 6.1.2"
    prototype: dict[str, Any]
    fragment: str  # the operation fragment a device must support
    device_types: dict[str, str] = field(default_factory=dict)  # entry name -> the type it is for

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "fragment": self.fragment,
            "deviceTypes": dict(self.device_types),
            "prototype": self.prototype,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RolloutOperation:
        return cls(
            kind=str(data.get("kind", "")),
            label=str(data.get("label", "")),
            prototype=dict(data.get("prototype") or {}),
            fragment=str(data.get("fragment", "")),
            device_types={str(k): str(v) for k, v in (data.get("deviceTypes") or {}).items()},
        )


def _unmarked(prototype: Prototype) -> dict[str, Any]:
    return {key: value for key, value in prototype.body.items() if key != ORIGIN_FRAGMENT}


def build_operation(client: Client, request: RolloutRequest) -> RolloutOperation:
    """The rollout's operation from the repository (GET the entries and their versions, §3.2)."""
    if request.config is not None:
        prototype = configuration_prototype(client, request.config)
        label = "configuration " + prototype.body["description"].removeprefix(
            "Update configuration to: "
        ).rstrip(".")
        return RolloutOperation(
            "configuration", label, _unmarked(prototype), CONFIG_FRAGMENT, prototype.device_types
        )
    if request.profile is not None:
        prototype = profile_prototype(client, request.profile)
        label = f"device profile {prototype.body['profileName']}"
        return RolloutOperation(
            "profile", label, _unmarked(prototype), PROFILE_FRAGMENT, prototype.device_types
        )
    if request.firmware is not None:
        prototype = firmware_prototype(client, PackageSpec.parse(request.firmware), patch=request.patch)
        firmware = prototype.body[FIRMWARE_FRAGMENT]
        label = f"firmware {firmware['name']} {firmware['version']}"
        return RolloutOperation(
            "firmware", label, _unmarked(prototype), FIRMWARE_FRAGMENT, prototype.device_types
        )
    prototype = software_prototype(client, [PackageSpec.parse(text) for text in request.software])
    items = prototype.body[SOFTWARE_FRAGMENT]
    label = "software " + ", ".join(f"{item['name']} {item['version']}" for item in items)
    return RolloutOperation(
        "software", label, _unmarked(prototype), SOFTWARE_FRAGMENT, prototype.device_types
    )


def _installed_software(device: ManagedObject) -> dict[str, str]:
    extra = device.model_extra or {}
    listed = extra.get("c8y_SoftwareList")
    if isinstance(listed, list):
        return {str(i.get("name")): str(i.get("version")) for i in listed if isinstance(i, Mapping)}
    legacy = extra.get("c8y_Software")
    if isinstance(legacy, Mapping):
        return {str(name): str(version) for name, version in legacy.items()}
    return {}


def is_at_target(operation: RolloutOperation, device: ManagedObject) -> bool:
    """Whether the device's inventory already shows what the operation installs."""
    wanted = operation.prototype.get(operation.fragment)
    if operation.kind == "firmware" and isinstance(wanted, Mapping):
        current = device.firmware
        return current is not None and (current.name, current.version) == (
            wanted.get("name"),
            wanted.get("version"),
        )
    if operation.kind == "software" and isinstance(wanted, list):
        installed = _installed_software(device)
        return all(installed.get(str(item.get("name"))) == str(item.get("version")) for item in wanted)
    if operation.kind == "profile" and isinstance(wanted, Mapping):
        return _has_profile(operation, device)
    if operation.kind == "configuration" and isinstance(wanted, Mapping) and wanted.get("type"):
        reported = device.fragment(f"c8y_Configuration_{wanted['type']}")
        return isinstance(reported, Mapping) and reported.get("url") == wanted.get("url")
    return False


def _has_profile(operation: RolloutOperation, device: ManagedObject) -> bool:
    """The device reports the profile as executed and nothing drifted from it (§9.2)."""
    assigned = assigned_profile(device) or {}
    profile_id = str(operation.prototype.get("profileId"))
    if str(assigned.get("profileId")) != profile_id or assigned.get("profileExecuted") is not True:
        return False
    profile = ManagedObject.model_validate(
        {"id": profile_id, PROFILE_FRAGMENT: operation.prototype[PROFILE_FRAGMENT]}
    )
    differences, _ = compare(profile, device, device_software(device))
    return not differences


def exclusion_reason(operation: RolloutOperation, device: ManagedObject) -> str | None:
    """Why the device is left out of the rollout, or None when it is in."""
    supported = device.supported_operations or []
    if operation.fragment not in supported:
        return f"does not support {operation.fragment}"
    config_type = (operation.prototype.get(CONFIG_FRAGMENT) or {}).get("type")
    if operation.kind == "configuration" and config_type and config_type not in configuration_types(device):
        return f"does not support the configuration type {config_type!r}"
    for entry, device_type in operation.device_types.items():
        if device.type != device_type:
            return f"{operation.kind} {entry!r} is for devices of type {device_type!r}, not {device.type!r}"
    if is_at_target(operation, device):
        return f"already has {operation.label}"
    return None


__all__ = ["RolloutOperation", "build_operation", "exclusion_reason", "is_at_target"]
