"""The devices a bulk operation targets, resolved when it starts (contract §11.2, §11.3, §11.4).

- Static group: the devices (`c8y_IsDevice`) among its child assets, subgroups included, each once,
  in the order they were assigned. The contract and the spec are silent about subgroups; the UI calls
  it "all devices of the group" and a subgroup's devices are part of the group, so they are included.
- Dynamic group (`c8y_DeviceQueryString`, e.g. the UI's hidden "Bulk operations group"): the query
  evaluated like `q=`, that is devices only; an empty string means all devices (contract §11.3).
  An unreadable query targets no device (the platform cannot evaluate it either).
- `failedParentId`: exactly the devices whose child operation of that bulk operation FAILED.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.model.inventory import group_members
from c8ydm.sandbox.query.language import QueryError, parse_query

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState


def resolve(state: SandboxState, bulk: dict[str, Any]) -> list[str]:
    if bulk.get("failedParentId"):
        return failed_devices(state, str(bulk["failedParentId"]))
    group = state.store.get("managedObjects", str(bulk.get("groupId")))
    if group is None:
        return []
    if "c8y_DeviceQueryString" in group:
        return query_devices(state, str(group.get("c8y_DeviceQueryString") or ""))
    return group_devices(state, str(group["id"]))


def failed_devices(state: SandboxState, parent_id: str) -> list[str]:
    devices: list[str] = []
    for op in state.store.iter("operations"):
        failed = str(op.get("bulkOperationId")) == parent_id and op.get("status") == "FAILED"
        if failed and str(op.get("deviceId")) not in devices:
            devices.append(str(op["deviceId"]))
    return devices


def group_devices(state: SandboxState, group_id: str) -> list[str]:
    devices: list[str] = []
    seen = {group_id}
    todo = [group_id]
    while todo:
        for child_id in state.store.children(todo.pop(0), "childAssets"):
            if child_id in seen:
                continue
            seen.add(child_id)
            child = state.store.get("managedObjects", child_id) or {}
            if "c8y_IsDevice" in child:
                devices.append(child_id)
            else:
                todo.append(child_id)
    return devices


def query_devices(state: SandboxState, query: str) -> list[str]:
    try:
        parsed = parse_query(query, group_members(state.store)) if query.strip() else None
    except QueryError:
        return []
    predicate = parsed.predicate if parsed is not None else None
    return [
        str(doc["id"])
        for doc in state.store.iter("managedObjects")
        if "c8y_IsDevice" in doc and (predicate is None or predicate(doc))
    ]
