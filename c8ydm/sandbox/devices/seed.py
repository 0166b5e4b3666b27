"""The sandbox's starting fleet: users, global roles, devices and groups (seeded once per data dir).

Users and global roles (user groups, integer ids):
- `admin` (group `admins`, every role) and `reader` (group `readers`, the *_READ roles); their
  passwords are the data dir's (core/options.py), checked by core/auth.py.
- one device user per device, `device_<serial>` (id = user name, enabled, group `devices`), the
  owner of its device. Seeded device users have no password: nobody logs in as them.

Devices: `options.devices` of them, named `<kind>-<NNNN>` (1-based). Their capabilities follow a fixed
round robin of five profiles, so that every path of the contract exists with as few as five devices
(and twice with the default ten):

1. linux-0001 (c8y_Linux): c8y_Firmware, c8y_SoftwareUpdate with software types apt and docker and
   advanced software management, c8y_DeviceProfile, typed configuration (c8y_SupportedConfigurations
   tedge.toml and mosquitto.conf, c8y_UploadConfigFile, c8y_DownloadConfigFile).
2. gateway-0002 (c8y_Gateway): c8y_Firmware, only c8y_SoftwareList, legacy configuration snapshots
   (c8y_UploadConfigFile and c8y_DownloadConfigFile without c8y_SupportedConfigurations).
3. linux-0003 (c8y_Linux): NO firmware support, c8y_SoftwareUpdate (apt, device fragment
   c8y_SoftwareList only), text configuration (c8y_Configuration, c8y_SendConfiguration).
4. gateway-0004 (c8y_Gateway): c8y_Firmware with a patch installed (2.4.0-p1 on 2.4.0), only the
   legacy c8y_Software map, typed configuration gateway.json.
5. linux-0005 (c8y_Linux): c8y_Firmware, c8y_SoftwareUpdate without c8y_SupportedSoftwareTypes and
   with advanced software management, c8y_DeviceProfile, text configuration.
All support c8y_Restart. Linux firmware versions rotate through 5.10.1, 5.15.0 and 6.1.2.
Two devices of the third round misbehave in the configuration area only (devices/agent.py
`_agent`): linux-0011 (profile 1) answers configuration operations slowly (12 times the operation
delay per state change), gateway-0014 (profile 4) fails them. Fleets of fewer devices lack them.

Every device has `c8y_IsDevice`, `com_cumulocity_model_Agent`, `c8y_Hardware.serialNumber` (the serial,
`LNX000001` / `GW000002`), the external id `c8y_Serial` = serial, and its device user as owner.
Groups (`c8y_DeviceGroup`, devices as childAssets): "All Linux", "Gateways", "Field test" (the first
three devices, for quick bulk tests) and the dynamic group "Linux (dynamic)" with
`c8y_DeviceQueryString` `$filter=(type eq 'c8y_Linux')`. No `c8y_GlobalObjectConfiguration` is
created: absent means "include c8y_Global" (contract §2.1). The creation-ramp options are the
core's (model/tenant.py). The applications for advanced software management are in
endpoints/software_mgmt.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.auth import ADMIN_ROLES, READ_ROLES
from c8ydm.sandbox.model import identity, software_mgmt

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

MARKER = ("sandboxMeta", "seed")
DEVICE_ROLES = (
    "ROLE_INVENTORY_READ",
    "ROLE_INVENTORY_CREATE",
    "ROLE_DEVICE_CONTROL_READ",
    "ROLE_DEVICE_CONTROL_ADMIN",
    "ROLE_EVENT_ADMIN",
    "ROLE_ALARM_ADMIN",
    "ROLE_MEASUREMENT_ADMIN",
    "ROLE_IDENTITY_READ",
    "ROLE_BINARY_CREATE",
)
_CONFIG_OPS = ["c8y_UploadConfigFile", "c8y_DownloadConfigFile"]
_TEXT_OPS = ["c8y_Configuration", "c8y_SendConfiguration"]
# (kind, type, serial prefix, supported operations, software types, configuration types, uses ASM)
PROFILES: tuple[tuple[str, str, str, list[str], list[str], list[str], bool], ...] = (
    (
        "linux",
        "c8y_Linux",
        "LNX",
        ["c8y_Firmware", "c8y_SoftwareUpdate", "c8y_DeviceProfile", *_CONFIG_OPS],
        ["apt", "docker"],
        ["tedge.toml", "mosquitto.conf"],
        True,
    ),
    ("gateway", "c8y_Gateway", "GW", ["c8y_Firmware", "c8y_SoftwareList", *_CONFIG_OPS], [], [], False),
    ("linux", "c8y_Linux", "LNX", ["c8y_SoftwareUpdate", *_TEXT_OPS], ["apt"], [], False),
    (
        "gateway",
        "c8y_Gateway",
        "GW",
        ["c8y_Firmware", "c8y_Software", *_CONFIG_OPS],
        [],
        ["gateway.json"],
        False,
    ),
    (
        "linux",
        "c8y_Linux",
        "LNX",
        ["c8y_Firmware", "c8y_SoftwareUpdate", "c8y_DeviceProfile", *_TEXT_OPS],
        [],
        [],
        True,
    ),
)
_LINUX_FIRMWARE = ("5.10.1", "5.15.0", "6.1.2")
# Device index -> its agent's private quirks (never rendered): a slow and a failing configuration agent.
_AGENT_QUIRKS: dict[int, dict[str, Any]] = {
    10: {"configurationDelayFactor": 12},
    13: {"failsConfiguration": True},
}
_APT_PACKAGES = (("openssl", "3.0.2"), ("curl", "7.81.0"), ("nginx", "1.18.0"), ("collectd", "5.12.0"))


def _firmware(index: int, device_type: str) -> dict[str, Any]:
    if device_type == "c8y_Linux":
        version = _LINUX_FIRMWARE[index % len(_LINUX_FIRMWARE)]
        return {
            "name": "linux-image",
            "version": version,
            "url": f"https://firmware.example.com/linux-image/{version}.img",
        }
    if index % len(PROFILES) == 3:  # gateway profile 4: a patch on top of 2.4.0
        return {"name": "gw-os", "version": "2.4.0-p1", "url": "", "dependency": "2.4.0", "isPatch": True}
    return {"name": "gw-os", "version": "2.3.1", "url": ""}


def _software(index: int, types: list[str]) -> list[dict[str, Any]]:
    packages = [_APT_PACKAGES[(index + k) % len(_APT_PACKAGES)] for k in range(2)]
    items = [{"name": name, "version": version, "url": ""} for name, version in packages]
    if types:
        for item in items:
            item["softwareType"] = "apt"
    if "docker" in types:
        items.append({"name": "mosquitto", "version": "2.0.15", "url": "", "softwareType": "docker"})
    return items


def device_document(index: int) -> tuple[str, dict[str, Any], bool]:
    """(serial, managed object, uses advanced software management) of the device number `index`."""
    kind, device_type, prefix, operations, types, configs, uses_asm = PROFILES[index % len(PROFILES)]
    name, serial = f"{kind}-{index + 1:04d}", f"{prefix}{index + 1:06d}"
    doc: dict[str, Any] = {
        "name": name,
        "type": device_type,
        "c8y_IsDevice": {},
        "com_cumulocity_model_Agent": {},
        "c8y_Hardware": {"serialNumber": serial, "model": f"{kind.title()} Sim", "revision": "1.0"},
        "c8y_SupportedOperations": [*operations, "c8y_Restart"],
    }
    if "c8y_Firmware" in operations:
        doc["c8y_Firmware"] = _firmware(index, device_type)
    if types:
        doc["c8y_SupportedSoftwareTypes"] = types
    if configs:
        doc["c8y_SupportedConfigurations"] = configs
    if "c8y_Software" in operations:
        doc["c8y_Software"] = {"collectd": "5.12.0", "tedge-agent": "0.9.0"}
    elif any(op in operations for op in ("c8y_SoftwareUpdate", "c8y_SoftwareList")):
        doc["c8y_SoftwareList"] = _software(index, types)
    if "c8y_Configuration" in operations:
        doc["c8y_Configuration"] = {"config": f"# {name}\nlog_level=info\nreport_interval=60\n"}
    if index in _AGENT_QUIRKS:
        doc["_agent"] = dict(_AGENT_QUIRKS[index])
    return serial, doc, uses_asm


def _group(state: SandboxState, name: str, roles: tuple[str, ...], description: str) -> str:
    return str(
        state.store.insert(
            "groups",
            {"id": state.store.next_id(), "name": name, "description": description, "_roles": list(roles)},
        )["id"]
    )


def _user(user_name: str, group_id: str, roles: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    return {
        "id": user_name,
        "userName": user_name,
        "enabled": True,
        **extra,
        "_groups": [group_id],
        "effectiveRoles": [{"id": r, "name": r} for r in sorted(roles)],
    }


def ensure_seeded(state: SandboxState) -> None:
    """Seed an empty data dir (idempotent: a marker document records that it was done).

    Users and external ids are inserted in id order: the store keeps collections sorted by id, and
    appending in order keeps seeding linear for large fleets.
    """
    store, options = state.store, state.options
    if store.get(*MARKER) is not None:
        return
    admins = _group(state, "admins", ADMIN_ROLES, "Full access to the sandbox tenant")
    readers = _group(state, "readers", READ_ROLES, "Read-only access")
    devices_group = _group(state, "devices", DEVICE_ROLES, "Device users")
    fleet = _seed_devices(state)
    users = [
        _user(
            options.admin_user,
            admins,
            ADMIN_ROLES,
            email="admin@sandbox.invalid",
            firstName="Sandbox",
            lastName="Admin",
        ),
        _user(options.readonly_user, readers, READ_ROLES, firstName="Sandbox", lastName="Reader"),
        *(_user(f"device_{serial}", devices_group, DEVICE_ROLES) for serial, _ in fleet.serials),
    ]
    for user in sorted(users, key=lambda u: str(u["id"])):
        store.insert("users", user)
    for serial, device_id in sorted(fleet.serials):
        identity.add_external_id(store, "c8y_Serial", serial, device_id)
    _seed_groups(state, fleet)
    store.put(*MARKER, {"seededAt": store.now(), "devices": options.devices, "seed": options.seed})


@dataclass
class _Fleet:
    serials: list[tuple[str, str]] = field(default_factory=list)  # (serial, device id), in device order
    by_type: dict[str, list[str]] = field(default_factory=dict)  # device type -> device ids


def _seed_devices(state: SandboxState) -> _Fleet:
    """The devices (owned by their device users, which are stored later) and their software lists."""
    store, fleet = state.store, _Fleet()
    for index in range(state.options.devices):
        serial, doc, uses_asm = device_document(index)
        device = store.create_mo(doc, owner=f"device_{serial}")
        fleet.serials.append((serial, device["id"]))
        if uses_asm:
            store.put(
                software_mgmt.COLLECTION,
                device["id"],
                {"deviceId": device["id"], "softwareList": doc.get("c8y_SoftwareList", [])},
            )
        fleet.by_type.setdefault(doc["type"], []).append(device["id"])
    return fleet


def _seed_groups(state: SandboxState, fleet: _Fleet) -> None:
    """The static device groups and the dynamic "Linux (dynamic)" group."""
    store, owner = state.store, state.options.admin_user
    for name, members in (
        ("All Linux", fleet.by_type.get("c8y_Linux", [])),
        ("Gateways", fleet.by_type.get("c8y_Gateway", [])),
        ("Field test", [device_id for _, device_id in fleet.serials[:3]]),
    ):
        group = store.create_mo(
            {"name": name, "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}}, owner=owner
        )
        for member in members:
            store.add_ref(group["id"], member, "childAssets")
    store.create_mo(
        {
            "name": "Linux (dynamic)",
            "type": "c8y_DynamicGroup",
            "c8y_IsDynamicGroup": {},
            "c8y_DeviceQueryString": "$filter=(type eq 'c8y_Linux')",
        },
        owner=owner,
    )
