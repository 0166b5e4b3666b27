"""Bulk operations and their scheduler (contract §11); the endpoints are endpoints/bulk.py.

- Create: exactly one of `groupId` and `failedParentId` (spec: "passing both … will not work"), an
  `operationPrototype`, `startDate` (default now) and `creationRamp` in seconds, fractional, within
  the tenant options `device-control/bulkoperation.creationramp` .. `maxcreationramp` (422 outside).
- The scheduler (`run_due`, ticked by the simulator's thread) resolves the targets at `startDate`
  and creates one child operation every `creationRamp` seconds: a copy of the prototype, custom
  fragments such as `c8ydm_Origin` included (contract §15.6), plus `bulkOperationId`.
- Targets: a static group's devices (its childAssets with `c8y_IsDevice`, subgroups included; the
  contract is silent, a tenant targets "all devices of the group" and subgroups are part of it);
  a dynamic group's `c8y_DeviceQueryString` evaluated like `q=` (devices only; "" = all devices,
  contract §11.3); for `failedParentId`, exactly the devices whose child operation FAILED there.
- `status`: ACTIVE (created) → IN_PROGRESS (creating) → COMPLETED (all created) or DELETED
  (canceled). `generalStatus` is derived from `progress`: SCHEDULED → EXECUTING or
  EXECUTING_WITH_ERRORS → SUCCESSFUL or FAILED; CANCELED after DELETE (contract §11.1).
- DELETE cancels: the record stays (listed with `withDeleted=true`), children not yet created are
  never created; children that exist are left alone (contract §15.4 leaves this open).

Private fields (`_`-prefixed) hold the scheduler's state; the resolved targets live in the
collection "bulkOperationTargets" so the bulk document stays small.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from c8ydm.sandbox.core.errors import C8yHTTPError, invalid_data, not_found
from c8ydm.sandbox.core.responses import base_url, flag, vendor
from c8ydm.sandbox.core.store import format_time
from c8ydm.sandbox.model import bulk_targets
from c8ydm.sandbox.model.operations import LOCK, create_operation, parse_time

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

BULK_MEDIA = vendor("bulkoperation")
READ_ROLE, ADMIN_ROLE = "ROLE_BULK_OPERATION_READ", "ROLE_BULK_OPERATION_ADMIN"
GENERAL_STATUSES = ("SCHEDULED", "EXECUTING", "EXECUTING_WITH_ERRORS", "SUCCESSFUL", "FAILED", "CANCELED")
# Spellings seen in the UI and the SDK (contract §11.1), accepted as filter and PUT values.
_ALIASES = {
    "EXECUTING_WITH_ERROR": "EXECUTING_WITH_ERRORS",
    "PENDING": "SCHEDULED",
    "COMPLETED_SUCCESSFULLY": "SUCCESSFUL",
    "COMPLETED_WITH_FAILURES": "FAILED",
    "CANCELLED": "CANCELED",
}
# At most this many children per scheduler pass, so HTTP requests are not blocked for long.
MAX_CREATIONS_PER_PASS = 200
RAMP_OPTIONS = (
    ("device-control.bulkoperation.creationramp", 0.001),
    ("device-control.bulkoperation.maxcreationramp", 3600.0),
)


def normalize_general_status(value: str) -> str:
    text = value.strip().upper().replace(" ", "_")
    return _ALIASES.get(text, text)


def general_status(doc: dict[str, Any]) -> str:
    """The generalStatus a client sees, derived from the scheduler state and `progress`."""
    if doc.get("status") == "DELETED":
        return "CANCELED"
    if doc.get("_generalStatus"):
        return str(doc["_generalStatus"])
    if doc.get("status") == "ACTIVE":
        return "SCHEDULED"
    progress = doc["progress"]
    with_errors = progress.get("failed", 0) > 0
    if doc.get("status") != "COMPLETED" or progress.get("pending", 0) + progress.get("executing", 0) > 0:
        return "EXECUTING_WITH_ERRORS" if with_errors else "EXECUTING"
    return "FAILED" if with_errors else "SUCCESSFUL"


def render(request: Request, doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["generalStatus"] = general_status(doc)
    out["self"] = f"{base_url(request)}/devicecontrol/bulkoperations/{doc['id']}"
    return out


def _ramp(state: SandboxState, value: Any) -> float:
    """creationRamp in seconds within the tenant's bounds (contract §11.3); 422 otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise invalid_data("bulkoperation", "creationRamp must be a number of seconds")
    try:
        ramp = float(value)
    except ValueError:
        raise invalid_data("bulkoperation", f"creationRamp must be seconds, not {value!r}") from None
    (min_id, min_default), (max_id, max_default) = RAMP_OPTIONS
    low = float((state.store.get("options", min_id) or {}).get("value", min_default))
    high = float((state.store.get("options", max_id) or {}).get("value", max_default))
    if not low <= ramp <= high:
        raise invalid_data("bulkoperation", f"creationRamp must be between {low:g} and {high:g} seconds")
    return ramp


def _validate(state: SandboxState, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """The writable fields of a create (current is None) or update body, checked."""
    fields: dict[str, Any] = {}
    if current is None:
        group_id, parent_id = body.get("groupId"), body.get("failedParentId")
        if bool(group_id) == bool(parent_id):
            raise invalid_data("bulkoperation", "Exactly one of groupId and failedParentId is required")
        if group_id and state.store.get("managedObjects", str(group_id)) is None:
            raise invalid_data("bulkoperation", f"Cannot find the group {group_id}")
        if parent_id and state.store.get("bulkOperations", str(parent_id)) is None:
            raise invalid_data("bulkoperation", f"Cannot find the bulk operation {parent_id}")
        fields["groupId" if group_id else "failedParentId"] = str(group_id or parent_id)
        if not isinstance(body.get("operationPrototype"), dict):
            raise invalid_data("bulkoperation", "operationPrototype must be an object")
        # The tenant's minimum when no ramp is given: the fastest schedule the tenant allows.
        minimum = (state.store.get("options", RAMP_OPTIONS[0][0]) or {}).get("value", RAMP_OPTIONS[0][1])
        body.setdefault("creationRamp", minimum)
        body.setdefault("startDate", state.store.now())
    if "operationPrototype" in body:
        if not isinstance(body["operationPrototype"], dict):
            raise invalid_data("bulkoperation", "operationPrototype must be an object")
        fields["operationPrototype"] = body["operationPrototype"]
    if "creationRamp" in body:
        fields["creationRamp"] = _ramp(state, body["creationRamp"])
    if "startDate" in body:
        parse_time(str(body["startDate"]), "startDate")
        fields["startDate"] = str(body["startDate"])
    if "note" in body:
        fields["note"] = str(body["note"])
    return fields


# -- scheduler ------------------------------------------------------------------------------------
def run_due(state: SandboxState, bulk_id: str, now: datetime | None = None) -> datetime | None:
    """Create the children that are due; the time of the next creation, or None when done."""
    now = now or datetime.now(timezone.utc)
    store = state.store
    with LOCK:
        doc = store.get("bulkOperations", bulk_id)
        if doc is None or doc.get("status") in ("COMPLETED", "DELETED"):
            return None
        start = parse_time(str(doc["startDate"]), "startDate")
        if now < start:
            return start
        if doc.get("status") == "ACTIVE":
            devices = bulk_targets.resolve(state, doc)
            store.put("bulkOperationTargets", bulk_id, {"devices": devices})
            doc["progress"]["all"] = len(devices)
            doc["status"] = "IN_PROGRESS"
            store.put("bulkOperations", bulk_id, doc)
        devices = (store.get("bulkOperationTargets", bulk_id) or {}).get("devices", [])
        ramp = float(doc.get("creationRamp", 0))
        done = int(doc.get("_created", 0))
        for _ in range(MAX_CREATIONS_PER_PASS):
            if done >= len(devices) or start + timedelta(seconds=ramp * done) > now:
                break
            # §11.1: creationRamp is the time *between two creations*. When the scheduler runs late it
            # catches up, but each child keeps its scheduled time, so children stay a ramp apart.
            scheduled = format_time(start + timedelta(seconds=ramp * done))
            _create_child(state, bulk_id, doc, str(devices[done]), scheduled)
            done += 1
        doc = store.get("bulkOperations", bulk_id) or doc  # progress changed with each child
        doc["_created"] = done
        if done >= len(devices):
            doc["status"] = "COMPLETED"
        store.put("bulkOperations", bulk_id, doc)
        if done >= len(devices):
            return None
        return start + timedelta(seconds=ramp * done)


def _create_child(
    state: SandboxState, bulk_id: str, doc: dict[str, Any], device_id: str, scheduled: str
) -> None:
    body = copy.deepcopy(doc["operationPrototype"])
    body["deviceId"] = device_id
    try:
        create_operation(state, body, bulk_id=bulk_id, base=doc.get("_baseUrl"), creation_time=scheduled)
    except C8yHTTPError:
        # The device was deleted after the targets were resolved: it is no longer counted.
        current = state.store.get("bulkOperations", bulk_id) or doc
        current["progress"]["all"] = max(0, int(current["progress"]["all"]) - 1)
        state.store.put("bulkOperations", bulk_id, current)


def _notify(state: SandboxState, bulk_id: str) -> None:
    hook = getattr(state.simulator, "bulk_scheduled", None)
    if hook is not None:
        hook(bulk_id)


# -- requests -------------------------------------------------------------------------------------
def select(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    q = request.query_params
    wanted = {normalize_general_status(s) for s in q.getlist("generalStatus") if s}
    with_deleted = flag(request, "withDeleted")
    # dateFrom/dateTo are not in the spec (contract §15.3); applied to creationTime like operations.
    date_from = parse_time(q["dateFrom"], "dateFrom") if q.get("dateFrom") else None
    date_to = parse_time(q["dateTo"], "dateTo") if q.get("dateTo") else None
    result = []
    for doc in state.store.iter("bulkOperations"):
        if doc.get("status") == "DELETED" and not with_deleted:
            continue
        if wanted and general_status(doc) not in wanted:
            continue
        if date_from or date_to:
            created_at = parse_time(str(doc.get("creationTime")))
            if (date_from and created_at < date_from) or (date_to and created_at >= date_to):
                continue
        result.append(doc)
    return result


def create_bulk(state: SandboxState, body: dict[str, Any], base: str) -> dict[str, Any]:
    """Store a new ACTIVE bulk operation (422 for an invalid body) and tell the scheduler."""
    store = state.store
    fields = _validate(state, body, None)
    doc = store.insert(
        "bulkOperations",
        {
            **fields,
            "creationTime": store.now(),
            "status": "ACTIVE",
            "_created": 0,
            "_baseUrl": base,
            "progress": {"all": 0, "pending": 0, "executing": 0, "successful": 0, "failed": 0},
        },
    )
    _notify(state, doc["id"])
    return doc


def _not_found(bulk_id: str) -> C8yHTTPError:
    return not_found("bulkoperation", f"Finding bulk operation with id {bulk_id} failed")


def get_bulk(state: SandboxState, bulk_id: str) -> dict[str, Any]:
    """The stored bulk operation; 404 if there is none."""
    with LOCK:
        doc = state.store.get("bulkOperations", bulk_id)
    if doc is None:
        raise _not_found(bulk_id)
    return doc


def cancel_bulk(state: SandboxState, bulk_id: str) -> None:
    """DELETE: the record stays, marked DELETED; 404 if there is none."""
    with LOCK:
        doc = state.store.get("bulkOperations", bulk_id)
        if doc is None:
            raise _not_found(bulk_id)
        doc["status"] = "DELETED"
        state.store.put("bulkOperations", bulk_id, doc)


def update_bulk(state: SandboxState, bulk_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """PUT: the writable fields, and a changed `generalStatus` as an override (§11.4); 404, 422."""
    with LOCK:
        doc = state.store.get("bulkOperations", bulk_id)
        if doc is None:
            raise _not_found(bulk_id)
        doc.update(_validate(state, body, doc))
        wanted = body.get("generalStatus")
        # The UI PUTs the object as last read; only a changed value is an override (§11.4).
        if isinstance(wanted, str) and normalize_general_status(wanted) != general_status(doc):
            if normalize_general_status(wanted) not in GENERAL_STATUSES:
                raise invalid_data("bulkoperation", f"Unknown generalStatus {wanted!r}")
            doc["_generalStatus"] = normalize_general_status(wanted)
        state.store.put("bulkOperations", bulk_id, doc)
    _notify(state, bulk_id)
    return doc
