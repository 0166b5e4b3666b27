"""What a device is and has: list devices, installed firmware and software, last operations (§6, §7).

Installed software comes from the first available source (§7.2): advanced software management when
the user has the ``advanced-software-mgmt`` application, else the device's ``c8y_SoftwareList``,
else the legacy ``c8y_Software`` map. Defensive reading of "available" (§15.15): the service counts
only when it knows the device (a non-empty list) or the device reports neither fragment, because
for a device that does not use the service it answers with an empty list, and a full-list software
change started from that list would uninstall everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.resources.advanced_software import SERVICE_NAME
from c8ydm.procedures.device.compliance import Compliance, device_compliance
from c8ydm.procedures.device.configuration import (
    ConfigurationDetails,
    describe_configuration,
    has_configuration,
)

# §7.4: the software operation styles, in the order a device's support is checked.
SOFTWARE_OPERATIONS = ("c8y_SoftwareUpdate", "c8y_SoftwareList", "c8y_Software")
FIRMWARE_OPERATION = "c8y_Firmware"
PROFILE_OPERATION = "c8y_DeviceProfile"  # §9.2
SOFTWARE_ITEM_KEYS = ("name", "version", "url", "softwareType")  # §7.4: items are reduced to these


@dataclass
class InstalledSoftware:
    """A device's software: ``items`` as ``{name, version[, url][, softwareType]}``, and their source."""

    source: str | None  # "advanced-software-mgmt", "c8y_SoftwareList", "c8y_Software" or None
    items: list[dict[str, Any]] = field(default_factory=list)

    def find(self, name: str) -> dict[str, Any] | None:
        """The installed item of that exact name, if any."""
        return next((item for item in self.items if item.get("name") == name), None)


def supported_operations(device: ManagedObject) -> list[str]:
    """``c8y_SupportedOperations`` (empty when the device declares none)."""
    return list(device.supported_operations or [])


def _reduced(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in SOFTWARE_ITEM_KEYS if item.get(key) is not None}


def installed_software(client: Client, device: ManagedObject) -> InstalledSoftware:
    """The device's installed software from the first available source (§7.2, see module docstring).

    GET /user/currentUser, GET /application/applicationsByUser/<user>?dropOverwrittenApps=true&noPaging=true,
    GET /service/advanced-software-mgmt/software?deviceId=<id>…
    """
    assert device.id is not None
    body = device.to_body()
    service_items: list[dict[str, Any]] | None = None
    user_name = client.tenant.current_user().user_name
    service = client.advanced_software
    if user_name and service.is_available(user_name):
        service_items = [_reduced(item.to_body()) for item in service.list(device.id)]
    if service_items:
        return InstalledSoftware(SERVICE_NAME, service_items)
    listed = body.get("c8y_SoftwareList")
    if isinstance(listed, list):
        return InstalledSoftware("c8y_SoftwareList", [_reduced(i) for i in listed if isinstance(i, dict)])
    legacy = body.get("c8y_Software")
    if isinstance(legacy, dict):
        items = [{"name": str(k), "version": str(v)} for k, v in legacy.items()]
        return InstalledSoftware("c8y_Software", items)
    return InstalledSoftware(SERVICE_NAME if service_items is not None else None, [])


def last_software_operation(client: Client, device_id: str) -> Operation | None:
    """The newest of the device's software operations of the three styles (§7.4)."""
    found = [client.operations.latest(device_id, fragment) for fragment in SOFTWARE_OPERATIONS]
    operations = [op for op in found if op is not None]
    return max(operations, key=lambda op: op.creation_time or "", default=None)


def _has_firmware(device: ManagedObject) -> bool:
    return FIRMWARE_OPERATION in supported_operations(device) or device.has_fragment(FIRMWARE_OPERATION)


def _has_software(device: ManagedObject) -> bool:
    # §7.1: the UI's visibility rule for the software tab.
    fragments = ("c8y_Software", "c8y_SoftwareList", "c8y_SupportedSoftwareTypes")
    return bool(set(SOFTWARE_OPERATIONS) & set(supported_operations(device))) or any(
        device.has_fragment(name) for name in fragments
    )


@dataclass
class DeviceDetails:
    """A device with its firmware, software, configuration and device profile, and the last
    operation of each (§6-§8, §9.2); ``profile`` compares the device with the profile it reports
    (compliance.py)."""

    device: ManagedObject
    last_firmware_operation: Operation | None = None
    software: InstalledSoftware = field(default_factory=lambda: InstalledSoftware(None))
    last_software_operation: Operation | None = None
    configuration: ConfigurationDetails | None = None  # None: the device shows no configuration tab
    profile: Compliance | None = None
    last_profile_operation: Operation | None = None


def _has_profiles(device: ManagedObject) -> bool:
    return PROFILE_OPERATION in supported_operations(device) or device.has_fragment("c8y_Profile")


def describe_device(client: Client, device: ManagedObject) -> DeviceDetails:
    """A device's firmware, software, configuration and device profile with their last operations.

    GET /devicecontrol/operations?deviceId=<id>&fragmentType=<X>&…&revert=true&pageSize=1 (each
    area's last operation), the installed software (§7.2), the configuration (§8), the profile the
    device reports (§9.2).
    """
    assert device.id is not None
    details = DeviceDetails(device)
    if _has_firmware(device):
        details.last_firmware_operation = client.operations.latest(device.id, FIRMWARE_OPERATION)
    if _has_software(device):
        details.software = installed_software(client, device)
        details.last_software_operation = last_software_operation(client, device.id)
    if has_configuration(device):
        details.configuration = describe_configuration(client, device)
    if _has_profiles(device):
        # §9.2: the newest profile operation; "pending" when it is not SUCCESSFUL (views say so).
        details.last_profile_operation = client.operations.latest(device.id, PROFILE_OPERATION)
        installed = details.software.items if details.software.source is not None else None
        details.profile = device_compliance(client, device, installed)
    return details
