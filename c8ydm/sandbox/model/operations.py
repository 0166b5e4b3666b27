"""Operations (contract §10, spec tag "Operations"); the endpoints are endpoints/operations.py.

- Create: `deviceId` is required and must name an existing managed object (422 otherwise); the
  server sets `id`, `creationTime` and `status: PENDING`; custom fragments such as `c8ydm_Origin`
  are kept (spec: "It is possible to add custom fragments to operations").
- List: oldest first (ascending id); filters deviceId, agentId, fragmentType, status,
  bulkOperationId, dateFrom (inclusive) / dateTo (exclusive) on `creationTime` (contract §1.9);
  `revert=true` gives newest first only together with a date (contract §10). Collections add
  `deviceName`, and `deviceExternalIDs` only when queried by agentId (spec, "Retrieve a list").
- Update: only `status` and `failureReason` (spec: "You can only update its status").
- Delete a list by deviceId, agentId, status, dateFrom, dateTo.

Every status change goes through `set_status`, which also keeps the `progress` counters of the
operation's bulk operation current (model/bulk.py derives its statuses from them). The simulator learns
about new operations through its `operation_created` hook, so it never rescans the collection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from c8ydm.sandbox.core.errors import C8yHTTPError, invalid_data
from c8ydm.sandbox.core.responses import base_url, flag, vendor
from c8ydm.sandbox.core.store import parse_time as store_parse_time
from c8ydm.sandbox.model.identity import render_external_id

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

# One lock for read-modify-write of operations and bulk operations (HTTP handlers and the
# simulator thread both change them).
LOCK = threading.RLock()
STATUSES = ("PENDING", "EXECUTING", "SUCCESSFUL", "FAILED")
OPERATION_MEDIA = vendor("operation")
READ_ROLE, ADMIN_ROLE = "ROLE_DEVICE_CONTROL_READ", "ROLE_DEVICE_CONTROL_ADMIN"
# Server-owned fields a client cannot set on create (spec: readOnly).
_SERVER_FIELDS = (
    "id",
    "self",
    "status",
    "failureReason",
    "creationTime",
    "bulkOperationId",
    "deviceName",
    "deviceExternalIDs",
    "delivery",
)


def parse_time(text: str, name: str = "date") -> datetime:
    """An ISO 8601 time; no timezone means UTC (contract §1.9). 422 if unreadable."""
    try:
        return store_parse_time(text)
    except ValueError:
        raise C8yHTTPError(422, "devicecontrol/invalidParameter", f"Cannot parse {name} {text!r}") from None


# -- model ----------------------------------------------------------------------------------------
def create_operation(
    state: SandboxState,
    body: dict[str, Any],
    *,
    bulk_id: str | None = None,
    base: str | None = None,
    creation_time: str | None = None,
) -> dict[str, Any]:
    """Store a new PENDING operation and tell the simulator; 422 without a known deviceId.

    `base` is the URL the request came through; the simulated device reports uploaded files under it.
    `creation_time` is a bulk child's scheduled time (default: now).
    """
    store = state.store
    device_id = str(body.get("deviceId") or "")
    if not device_id:
        raise invalid_data("devicecontrol", "deviceId is required to create an operation")
    if store.get("managedObjects", device_id) is None:
        raise invalid_data("devicecontrol", f"Cannot create an operation for the unknown device {device_id}")
    doc = {k: v for k, v in body.items() if k not in _SERVER_FIELDS}
    doc.update(deviceId=device_id, creationTime=creation_time or store.now(), status="PENDING")
    if bulk_id is not None:
        doc["bulkOperationId"] = int(bulk_id)  # an integer in the spec's operation schema
    if base:
        doc["_baseUrl"] = base
    with LOCK:
        op = store.insert("operations", doc)
        if bulk_id is not None:
            _adjust_progress(state, bulk_id, None, "PENDING")
    hook = getattr(state.simulator, "operation_created", None)
    if hook is not None:
        hook(op)
    return op


def set_status(
    state: SandboxState,
    op_id: str,
    status: str,
    failure_reason: str | None = None,
    *,
    expected: str | None = None,
) -> dict[str, Any] | None:
    """Change an operation's status (None if it is gone or no longer in the `expected` status)."""
    with LOCK:
        op = state.store.get("operations", op_id)
        if op is None or (expected is not None and op.get("status") != expected):
            return None
        old = op.get("status")
        op["status"] = status
        if failure_reason is not None:
            op["failureReason"] = failure_reason
        state.store.put("operations", op_id, op)
        if old != status and op.get("bulkOperationId") is not None:
            _adjust_progress(state, str(op["bulkOperationId"]), old, status)
        return op


def _adjust_progress(state: SandboxState, bulk_id: str, old: str | None, new: str) -> None:
    bulk = state.store.get("bulkOperations", bulk_id)
    if bulk is None:
        return
    progress = bulk.setdefault("progress", {})
    if old in STATUSES:
        progress[old.lower()] = max(0, int(progress.get(old.lower(), 0)) - 1)
    progress[new.lower()] = int(progress.get(new.lower(), 0)) + 1
    state.store.put("bulkOperations", bulk_id, bulk)


def render(request: Request, op: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in op.items() if not k.startswith("_")}
    doc["self"] = f"{base_url(request)}/devicecontrol/operations/{op['id']}"
    return doc


def _external_ids(state: SandboxState, request: Request, device_id: str) -> dict[str, Any]:
    base = base_url(request)
    ids = [render_external_id(base, x) for x in state.store.find("externalIds", managedObjectId=device_id)]
    return {"externalIds": ids, "self": f"{base}/identity/globalIds/{device_id}/externalIds"}


# -- queries --------------------------------------------------------------------------------------
def _agent_devices(state: SandboxState, agent_id: str) -> set[str]:
    """The agent and the child devices below it: the devices an agent serves operations for."""
    found, todo = {agent_id}, [agent_id]
    while todo:
        for child in state.store.children(todo.pop(), "childDevices"):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def select(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    """The operations matching the request's filters, in the requested order."""
    q = request.query_params
    devices = _agent_devices(state, q["agentId"]) if q.get("agentId") else None
    date_from = parse_time(q["dateFrom"], "dateFrom") if q.get("dateFrom") else None
    date_to = parse_time(q["dateTo"], "dateTo") if q.get("dateTo") else None
    status, fragment = q.get("status"), q.get("fragmentType")
    if status and status not in STATUSES:
        raise C8yHTTPError(422, "devicecontrol/invalidParameter", f"Unknown operation status {status!r}")
    result = []
    for op in state.store.iter("operations"):
        if q.get("deviceId") and op.get("deviceId") != q["deviceId"]:
            continue
        if devices is not None and op.get("deviceId") not in devices:
            continue
        if status and op.get("status") != status:
            continue
        if fragment and fragment not in op:
            continue
        if q.get("bulkOperationId") and str(op.get("bulkOperationId")) != q["bulkOperationId"]:
            continue
        if date_from or date_to:
            created_at = parse_time(str(op.get("creationTime")))
            if (date_from and created_at < date_from) or (date_to and created_at >= date_to):
                continue
        result.append(op)
    # Newest first only together with a date range (contract §10); otherwise ascending ids.
    if flag(request, "revert") and (date_from or date_to):
        result.reverse()
    return result


def collection_renderer(state: SandboxState, request: Request) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """How a collection shows an operation: with `deviceName`, and `deviceExternalIDs` when the
    request asks by agentId (device names are looked up once per page)."""
    agent_id = request.query_params.get("agentId")
    names: dict[str, str] = {}

    def in_collection(op: dict[str, Any]) -> dict[str, Any]:
        doc = render(request, op)
        device_id = str(op.get("deviceId"))
        if device_id not in names:
            device = state.store.get("managedObjects", device_id) or {}
            names[device_id] = str(device.get("name", ""))
        doc["deviceName"] = names[device_id]
        if agent_id:
            doc["deviceExternalIDs"] = _external_ids(state, request, device_id)
        return doc

    return in_collection


def update_operation(state: SandboxState, op_id: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """Apply a PUT body (`status`, `failureReason`; 422 otherwise valued); None if there is no such
    operation."""
    status, reason = body.get("status"), body.get("failureReason")
    if status is not None and status not in STATUSES:
        raise invalid_data("devicecontrol", f"status must be one of {', '.join(STATUSES)}")
    if reason is not None and not isinstance(reason, str):
        raise invalid_data("devicecontrol", "failureReason must be a string")
    with LOCK:
        op = state.store.get("operations", op_id)
        if op is not None:
            op = set_status(state, op_id, str(status or op["status"]), reason)
    return op


def delete_selected(state: SandboxState, request: Request) -> None:
    """Delete the operations the request's filters select."""
    with LOCK:
        for op in select(state, request):
            state.store.delete("operations", op["id"])
