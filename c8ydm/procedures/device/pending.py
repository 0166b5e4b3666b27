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

    label: str  # for people: "firmware", "software", "configuration of type 'agent'"
    fragments: tuple[str, ...]
    select: Callable[[Operation], bool] | None = None
    scan: int = 1

    def matches(self, operation: Operation) -> bool:
        """Whether an operation of one of the fragments is of this kind."""
        return self.select is None or self.select(operation)


FIRMWARE_KIND = OperationKind("firmware", ("c8y_Firmware",))
SOFTWARE_KIND = OperationKind("software", SOFTWARE_FRAGMENTS)
PROFILE_KIND = OperationKind("device profile", ("c8y_DeviceProfile",))
_KINDS_BY_FRAGMENT = {
    fragment: kind for kind in (FIRMWARE_KIND, SOFTWARE_KIND, PROFILE_KIND) for fragment in kind.fragments
}


def kind_of_body(body: Mapping[str, Any]) -> OperationKind | None:
    """The kind of an operation body about to be sent (by its fragment), if it has one of the above."""
    return next((_KINDS_BY_FRAGMENT[key] for key in body if key in _KINDS_BY_FRAGMENT), None)


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
