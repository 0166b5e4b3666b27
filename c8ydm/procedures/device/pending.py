"""No second operation of a kind while one is still running on the device.

cli-surface.md (Devices): ``device install`` refuses "a new operation while one of the same kind
(firmware, software, profile, configuration of the same type) is PENDING or EXECUTING (exit 7,
naming it) unless --wait-pending (wait for it first) or --force". Two pending firmware operations
make a device flash twice, in an order nobody chose.

A kind is the operation fragments that count as "the same" (software: all three styles, §7.4) and,
where the contract says so, a filter on the operation (§8.3: the configuration type) and how many of
the newest operations to scan for it (§8.3 scans a page of 2000; everything else reads the newest
one, as §6 and §9.2 do). Only the newest operation of the kind decides.

    GET /devicecontrol/operations?deviceId=<id>&fragmentType=<X>&dateFrom=1970-01-01T00:00:00.000Z
        &dateTo=<now+1d>&revert=true&pageSize=<1|2000>
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError
from c8ydm.api.models.devicecontrol import Operation

SOFTWARE_FRAGMENTS = ("c8y_SoftwareUpdate", "c8y_SoftwareList", "c8y_Software")  # §7.4


@dataclass(frozen=True)
class OperationKind:
    """Which operations count as one kind; see the module docstring."""

    label: str  # for people: "firmware", "software", "configuration send of type 'agent'"
    fragments: tuple[str, ...]
    select: Callable[[Operation], bool] | None = None
    scan: int = 1

    def matches(self, operation: Operation) -> bool:
        """Whether an operation of one of the fragments is of this kind."""
        return self.select is None or self.select(operation)


FIRMWARE_KIND = OperationKind("firmware", ("c8y_Firmware",))
SOFTWARE_KIND = OperationKind("software", SOFTWARE_FRAGMENTS)
PROFILE_KIND = OperationKind("device profile", ("c8y_DeviceProfile",))
# §8.1: saving and reloading a text configuration act on the same file; "last operation" is the newer
# of the two, so they are one kind.
TEXT_CONFIGURATION_KIND = OperationKind("text configuration", ("c8y_Configuration", "c8y_SendConfiguration"))
_KINDS_BY_FRAGMENT = {
    fragment: kind
    for kind in (FIRMWARE_KIND, SOFTWARE_KIND, PROFILE_KIND, TEXT_CONFIGURATION_KIND)
    for fragment in kind.fragments
}

# §8.3: snapshot requests (uploads) and sends (downloads) of configuration files, per type.
CONFIG_UPLOAD = "c8y_UploadConfigFile"
CONFIG_DOWNLOAD = "c8y_DownloadConfigFile"
CONFIG_SCAN = 2000  # §8.3 step 1: pageSize=2000, newest first
_CONFIG_ACTIONS = {CONFIG_UPLOAD: "configuration snapshot request", CONFIG_DOWNLOAD: "configuration send"}


def fragment_type(operation: Mapping[str, Any], fragment: str) -> str | None:
    """The ``type`` of an operation's configuration fragment; None when it has none or an empty one
    (the legacy pseudo-type, §8.3 step 2)."""
    value = operation.get(fragment)
    found = value.get("type") if isinstance(value, Mapping) else None
    return str(found) if found else None


@dataclass(frozen=True)
class _OfConfigType:
    """§8.3 step 2: an operation whose fragment ``type`` equals ``config_type`` (None: has no type)."""

    fragment: str
    config_type: str | None

    def __call__(self, operation: Operation) -> bool:
        return fragment_type(operation.to_body(), self.fragment) == self.config_type


def configuration_kind(fragment: str, config_type: str | None) -> OperationKind:
    """Snapshot requests (``c8y_UploadConfigFile``) or sends (``c8y_DownloadConfigFile``) of one
    configuration type (None: the legacy pseudo-type): the newest of a 2000-operation page whose
    fragment has that type decides (§8.3). Equal arguments give equal kinds."""
    what = f"of type {config_type!r}" if config_type else "(legacy snapshot)"
    return OperationKind(
        f"{_CONFIG_ACTIONS[fragment]} {what}",
        (fragment,),
        select=_OfConfigType(fragment, config_type),
        scan=CONFIG_SCAN,
    )


def kind_of_body(body: Mapping[str, Any]) -> OperationKind | None:
    """The kind of an operation body about to be sent (by its fragment), if it has one of the above."""
    for key in body:
        if key in _CONFIG_ACTIONS:
            return configuration_kind(key, fragment_type(body, key))
        if key in _KINDS_BY_FRAGMENT:
            return _KINDS_BY_FRAGMENT[key]
    return None


class PendingOperationError(ConflictError):
    """An operation of the same kind is still PENDING or EXECUTING on the device (exit 7)."""

    kind = "pending_operation"

    def __init__(self, message: str, *, operation: Operation, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.operation = operation


def newest_of_kind(client: Client, device_id: str, kind: OperationKind) -> Operation | None:
    """The device's newest operation of the kind (over all its fragments), or None."""
    newest: Operation | None = None
    for fragment in kind.fragments:
        found = client.operations.list(
            device_id=device_id,
            fragment_type=fragment,
            newest_first=True,
            page_size=kind.scan,
            limit=kind.scan,
        )
        first = next((op for op in found if kind.matches(op)), None)
        if first is not None and (
            newest is None or (first.creation_time or "") > (newest.creation_time or "")
        ):
            newest = first
    return newest


def pending_of_kind(client: Client, device_id: str, kind: OperationKind) -> Operation | None:
    """The newest operation of the kind when it is PENDING or EXECUTING, else None."""
    newest = newest_of_kind(client, device_id, kind)
    return newest if newest is not None and newest.is_active else None


def pending_error(device_name: str | None, kind: OperationKind, running: Operation) -> PendingOperationError:
    """The refusal of a second operation of ``kind`` while ``running`` is PENDING or EXECUTING."""
    return PendingOperationError(
        f"device {device_name!r} already has a {kind.label} operation {running.id} that is "
        f"{running.status_text}; a second one would run after it or race it",
        operation=running,
        hint=f"wait for it (c8ydm operation wait {running.id}), or add --wait-pending to wait first, "
        "or --force to send anyway",
    )
