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
endpoints/software_mgmt.py. The devices' documents are in fleet.py.

How (fast, and without keeping a large sandbox from answering):
- ``prepare`` (at start-up, in a moment): the global roles, admin and reader, the four groups (still
  empty) and a reserved block of ids, so that the devices get the same ids whatever else is created
  meanwhile: the global roles 10000-10002, the devices from 10003 on, the groups after them.
- ``seed_devices`` (in the background, ``Seeder``): the devices in chunks of ``CHUNK_DEVICES``,
  each chunk one SQLite transaction (devices, software lists, device users, external ids, group
  members, and the progress). A sandbox stopped halfway resumes at the next start where it stopped.
- ``progress(state)``: (seeded, devices) for ``sandbox status``; ``ensure_seeded`` does it all at once.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.auth import ADMIN_ROLES, READ_ROLES
from c8ydm.sandbox.core.store import new_mo
from c8ydm.sandbox.devices.fleet import device_document
from c8ydm.sandbox.model import identity, software_mgmt

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

MARKER = ("sandboxMeta", "seed")  # written when every device is seeded
PROGRESS = ("sandboxMeta", "seedProgress")  # {"devices", "done", "firstId", "groups", "devicesGroup"}
CHUNK_DEVICES = 2000  # devices per transaction: the store's lock is held about 0.1 s at a time
GROUPS = ("All Linux", "Gateways", "Field test")
FIELD_TEST_DEVICES = 3
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


def _group(state: SandboxState, name: str, roles: tuple[str, ...], description: str) -> str:
    return str(
        state.store.insert(
            "groups",
            {"id": state.store.next_id(), "name": name, "description": description, "_roles": list(roles)},
        )["id"]
    )


def _roles(roles: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"id": r, "name": r} for r in sorted(roles)]


def _user(
    user_name: str, group_id: str, roles: tuple[str, ...] | list[dict[str, str]], **extra: Any
) -> dict[str, Any]:
    return {
        "id": user_name,
        "userName": user_name,
        "enabled": True,
        **extra,
        "_groups": [group_id],
        "effectiveRoles": roles if isinstance(roles, list) else _roles(roles),
    }


def prepare(state: SandboxState) -> dict[str, Any] | None:
    """Everything but the devices, at once; the seed's progress, or None when seeding is done."""
    store, options = state.store, state.options
    if store.get(*MARKER) is not None:
        return None
    progress = store.get(*PROGRESS)
    if progress is not None:
        return progress
    with store.transaction():
        admins = _group(state, "admins", ADMIN_ROLES, "Full access to the sandbox tenant")
        readers = _group(state, "readers", READ_ROLES, "Read-only access")
        devices_group = _group(state, "devices", DEVICE_ROLES, "Device users")
        first = store.reserve_ids(options.devices + len(GROUPS) + 1)
        admin = _user(options.admin_user, admins, ADMIN_ROLES, email="admin@sandbox.invalid")
        admin.update(firstName="Sandbox", lastName="Admin")
        reader = _user(options.readonly_user, readers, READ_ROLES, firstName="Sandbox", lastName="Reader")
        store.put_many("users", [admin, reader])
        groups = _create_groups(state, first + options.devices)
        progress = {
            "devices": options.devices, "done": 0, "firstId": first, "groups": groups,
            "devicesGroup": devices_group,
        }  # fmt: skip
        store.put(*PROGRESS, progress)
    return progress


def _create_groups(state: SandboxState, first_id: int) -> list[str]:
    """The static groups (members come with the devices) and the dynamic "Linux (dynamic)" group."""
    store, owner = state.store, state.options.admin_user
    ids = []
    for offset, name in enumerate(GROUPS):
        doc = {"name": name, "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}}
        ids.append(store.create_mo(doc, owner=owner, mo_id=str(first_id + offset))["id"])
    dynamic = {
        "name": "Linux (dynamic)",
        "type": "c8y_DynamicGroup",
        "c8y_IsDynamicGroup": {},
        "c8y_DeviceQueryString": "$filter=(type eq 'c8y_Linux')",
    }
    store.create_mo(dynamic, owner=owner, mo_id=str(first_id + len(GROUPS)))
    return [str(group_id) for group_id in ids]


def seed_chunk(state: SandboxState, progress: dict[str, Any], end: int) -> None:
    """The devices ``progress["done"]`` to ``end`` with their users, external ids, software lists
    and group memberships, and the new progress: one transaction.

    The garbage collector pauses meanwhile: the chunk allocates many small objects that all stay
    alive, and each full collection would walk every document of the fleet (a third of the time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _seed_chunk(state, progress, end)
    finally:
        if was_enabled:
            gc.enable()


def _seed_chunk(state: SandboxState, progress: dict[str, Any], end: int) -> None:
    store, now = state.store, state.store.now()
    begin, first = int(progress["done"]), int(progress["firstId"])
    devices, users, external_ids, software = [], [], [], []
    members: dict[str, list[str]] = {}
    linux, gateways, field_test = progress["groups"]
    roles = _roles(DEVICE_ROLES)  # one list for all device users: the adopted documents are never changed
    for index in range(begin, end):
        serial, doc, uses_asm = device_document(index)
        device_id = str(first + index)
        devices.append({"id": device_id, **new_mo(doc, owner=f"device_{serial}", now=now)})
        users.append(_user(f"device_{serial}", progress["devicesGroup"], roles))
        external_ids.append(identity.external_id_doc("c8y_Serial", serial, device_id))
        if uses_asm:
            software.append(
                {"id": device_id, "deviceId": device_id, "softwareList": doc.get("c8y_SoftwareList", [])}
            )
        group = linux if doc["type"] == "c8y_Linux" else gateways
        members.setdefault(group, []).append(device_id)
        if index < FIELD_TEST_DEVICES:
            members.setdefault(field_test, []).append(device_id)
    with store.transaction():
        store.put_many("managedObjects", devices, adopt=True)
        store.put_many(software_mgmt.COLLECTION, software, adopt=True)
        store.put_many("users", users, adopt=True)
        store.put_many("externalIds", external_ids, adopt=True)
        for group_id in (linux, gateways, field_test):
            store.add_refs(group_id, members.get(group_id, []), "childAssets")
        progress["done"] = end
        store.put(*PROGRESS, progress)
        if end >= int(progress["devices"]):
            store.put(*MARKER, {"seededAt": store.now(), "devices": end, "seed": state.options.seed})


def seed_devices(state: SandboxState, progress: dict[str, Any], stop: threading.Event | None = None) -> None:
    """Seed the devices not seeded yet, chunk by chunk, until done or ``stop`` is set."""
    total = int(progress["devices"])
    while int(progress["done"]) < total or state.store.get(*MARKER) is None:
        if stop is not None and stop.is_set():
            return
        seed_chunk(state, progress, min(total, int(progress["done"]) + CHUNK_DEVICES))


def ensure_seeded(state: SandboxState) -> None:
    """Seed an empty data dir completely, now (idempotent: a marker document records that it was done)."""
    progress = prepare(state)
    if progress is not None:
        seed_devices(state, progress)


def progress_of(state: SandboxState) -> tuple[int, int]:
    """(devices seeded, devices) of this sandbox."""
    done = state.store.peek(*MARKER)
    if done is not None:
        return int(done.get("devices", 0)), int(done.get("devices", 0))
    progress = state.store.peek(*PROGRESS) or {}
    return int(progress.get("done", 0)), int(progress.get("devices", state.options.devices))


@dataclass
class Seeder:
    """Seeds the devices on a background thread while the sandbox answers requests."""

    state: SandboxState
    progress: dict[str, Any]

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sandbox-seed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current chunk (the rest is seeded at the next start)."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        seed_devices(self.state, self.progress, self._stop)
        if not self._stop.is_set():
            settle_heap()


def settle_heap() -> None:
    """Keep the fleet out of the garbage collector's full collections from now on.

    The store's cache holds an entry per document: at 20,000 devices every full collection walked
    them all and stalled a request for ~150 ms every few listing pages (issue 13), which a real
    tenant does not do. ``gc.freeze()`` moves what exists now (the seeded or loaded fleet, which
    lives as long as the sandbox) to the permanent generation; what requests allocate later is
    collected as before. No collection first: that would be the very stall this avoids."""
    gc.freeze()
