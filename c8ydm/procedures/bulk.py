"""Bulk operations: schedule one from an existing operation, and retry the failed devices (§11).

Prototypes straight from the firmware and software repositories are in ``bulk_prototypes``; all
are scheduled with ``create_bulk``.

- Prototype (§11.3 "from an existing operation"): a copy of ``GET /devicecontrol/operations/<id>``
  without ``deviceId`` and the fields §10 "Re-send" strips, with a fresh ``c8ydm_Origin`` (14(f)).
- Targets: an existing group (§11.2, classic), or a device query through a new hidden dynamic group
  (§11.3). A query typed by the user is sent as written (c8ydm builds no part of it, so §14(c) has
  nothing to escape); queries c8ydm makes from ``--type`` values go through the builder.
- Schedule: ``startDate`` now or later; ``creationRamp`` (default 1 s, the UI's) within the tenant's
  bounds, read from the system options with the UI's defaults (0.001 and 3600) when missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp, parse_timestamp, utc_now
from c8ydm.api.errors import InputError, NotFoundError, PermissionDeniedError
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.origin import resend_body, with_origin

DEFAULT_RAMP_SECONDS = 1.0  # §11.3: "The delay defaults to 1 s"
UI_MIN_RAMP_SECONDS = 0.001  # §11.3: the UI's bounds when the tenant options are missing
UI_MAX_RAMP_SECONDS = 3600.0
RAMP_OPTION_CATEGORY = "device-control"
RAMP_OPTION_KEYS = ("bulkoperation.creationramp", "bulkoperation.maxcreationramp")
HIDDEN_GROUP_NAME = "Bulk operations group"  # §11.3, the UI's name
_RELATIVE = re.compile(r"^\+(\d+(?:\.\d+)?)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_start(text: str | None, *, now: datetime | None = None) -> str:
    """``startDate``: now (None or ``now``), ``+30s``/``+5m``/``+2h``/``+1d``, or an ISO timestamp.

    A moment in the past is refused (§11.3: "startDate must be now or later").
    """
    now = now or utc_now()
    value = (text or "now").strip()
    if value.lower() == "now":
        return format_timestamp(now)
    relative = _RELATIVE.match(value)
    if relative:
        moment = now + timedelta(seconds=float(relative.group(1)) * _UNIT_SECONDS[relative.group(2)])
    else:
        try:
            moment = parse_timestamp(value)
        except ValueError:
            raise InputError(
                f"not a start time: {text!r}", hint="use now, +5m (s, m, h, d) or 2024-05-01T12:00:00Z"
            ) from None
        if moment < now:
            raise InputError(f"start time {value} is in the past", hint="use now or a later time")
    return format_timestamp(moment)


def ramp_bounds(client: Client) -> tuple[float, float]:
    """The tenant's (minimum, maximum) creation ramp in seconds (§11.3).

    GET /tenant/system/options/device-control/bulkoperation.creationramp (and .maxcreationramp)
    """
    bounds = []
    for key, default in zip(RAMP_OPTION_KEYS, (UI_MIN_RAMP_SECONDS, UI_MAX_RAMP_SECONDS), strict=True):
        try:
            value = client.options.get_system_option(RAMP_OPTION_CATEGORY, key).value
            bounds.append(float(value) if value is not None else default)
        except (NotFoundError, PermissionDeniedError, ValueError):
            bounds.append(default)
    return bounds[0], bounds[1]


def check_ramp(client: Client, ramp: float | None) -> float:
    """The ramp to send (default 1 s); InputError outside the tenant's bounds."""
    value = DEFAULT_RAMP_SECONDS if ramp is None else ramp
    low, high = ramp_bounds(client)
    if not low <= value <= high:
        raise InputError(f"--ramp {value:g} is outside the tenant's bounds ({low:g} to {high:g} seconds)")
    return value


def prototype_from_operation(
    client: Client, operation_id: str, *, run_id: str | None = None
) -> dict[str, Any]:
    """The prototype of a bulk operation copied from an existing operation (§11.3, §10 "Re-send").

    GET /devicecontrol/operations/{id}
    """
    body = client.operations.get(operation_id).to_body()
    body.pop("deviceId", None)  # §11.1: the prototype is the operation body without deviceId
    return resend_body(body, run_id)


def type_query(device_types: Sequence[str]) -> str:
    """``$filter=(type eq 'T')``; several types become an OR of ``type eq`` (§11.3), built (14(c))."""
    return build(filter=Q.in_("type", device_types))


def create_query_group(client: Client, device_query: str) -> ManagedObject:
    """The UI's hidden dynamic group for a device selection (§11.3). POST /inventory/managedObjects"""
    return client.inventory.create(
        {
            "name": HIDDEN_GROUP_NAME,
            "type": "c8y_DynamicGroup",
            "c8y_IsDynamicGroup": {"invisible": {}},
            "c8y_DeviceQueryString": device_query,
        }
    )


def create_bulk(
    client: Client,
    *,
    prototype: dict[str, Any],
    group_id: str,
    start_date: str,
    ramp: float,
    note: str | None = None,
) -> BulkOperation:
    """Schedule the prototype for every device of a group (§11.2). POST /devicecontrol/bulkoperations"""
    body: dict[str, Any] = {
        "groupId": group_id,
        "operationPrototype": prototype,
        "creationRamp": ramp,
        "startDate": start_date,
    }
    if note is not None:
        body["note"] = note
    return client.bulk_operations.create(body)


def retry_bulk(
    client: Client,
    bulk_id: str,
    *,
    start_date: str,
    ramp: float | None = None,
    run_id: str | None = None,
) -> BulkOperation:
    """A new bulk operation for the devices whose operation FAILED in ``bulk_id`` (§11.4).

    Only the writable fields are sent (★): failedParentId, a copied prototype with a fresh marker,
    startDate, creationRamp (the old one unless given) and the old note.
    GET /devicecontrol/bulkoperations/{id}, POST /devicecontrol/bulkoperations
    """
    old = client.bulk_operations.get(bulk_id)
    if not old.operation_prototype:
        raise InputError(f"bulk operation {bulk_id} has no operation prototype to copy")
    chosen = ramp if ramp is not None else old.creation_ramp
    body: dict[str, Any] = {
        "failedParentId": old.id or bulk_id,
        "operationPrototype": with_origin(old.operation_prototype, run_id),
        "startDate": start_date,
        "creationRamp": check_ramp(client, chosen),
    }
    if old.note is not None:
        body["note"] = old.note
    return client.bulk_operations.create(body)


__all__ = [
    "DEFAULT_RAMP_SECONDS",
    "HIDDEN_GROUP_NAME",
    "check_ramp",
    "create_bulk",
    "create_query_group",
    "parse_start",
    "prototype_from_operation",
    "ramp_bounds",
    "retry_bulk",
    "type_query",
]
