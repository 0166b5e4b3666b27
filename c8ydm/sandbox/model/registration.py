"""Device registration (contract §12.6, §12.7): new device requests, acceptance, bulk CSV rows.

The endpoints are endpoints/registration.py. A request starts as WAITING_FOR_CONNECTION; the
simulated device "connects" one `op_delay_seconds` later (seen on the next read, see the endpoints),
which makes it PENDING_ACCEPTANCE. Only a PENDING_ACCEPTANCE request can be accepted (422
otherwise), `securityToken` only together with ACCEPTED (spec). On acceptance the device fetches its
credentials: the sandbox creates the device user `device_<id>` and the device (external id
c8y_Serial, type from the request, in its group). The accepted request stays listed; a real tenant
removes it once the device has fetched its credentials.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.errors import C8yHTTPError, invalid_data
from c8ydm.sandbox.core.responses import vendor
from c8ydm.sandbox.model import identity, registration_csv
from c8ydm.sandbox.model.user_groups import set_groups
from c8ydm.sandbox.model.users import create_user

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

COLLECTION = "newDeviceRequests"
MEDIA = vendor("newdevicerequest")


def create_request(
    state: SandboxState,
    ext_id: str,
    owner: str,
    *,
    group_id: str | None = None,
    device_type: str | None = None,
) -> dict[str, Any]:
    if not ext_id:
        raise invalid_data("devicecontrol", "id (the device's external id) is required")
    if state.store.get(COLLECTION, ext_id) is not None:
        raise invalid_data("devicecontrol", f"A new device request for {ext_id} exists already")
    doc: dict[str, Any] = {
        "id": ext_id,
        "status": "WAITING_FOR_CONNECTION",
        "owner": owner,
        "tenantId": state.options.tenant,
        "creationTime": state.store.now(),
    }
    if group_id:
        doc["groupId"] = group_id
    if device_type:
        doc["type"] = device_type
    return state.store.insert(COLLECTION, doc)


def _on_acceptance(state: SandboxState, doc: dict[str, Any]) -> None:
    """What follows an acceptance: the device fetches credentials and creates itself."""
    store, user_name = state.store, f"device_{doc['id']}"
    if store.get("users", user_name) is None:
        user = create_user(state, user_name, secrets.token_urlsafe(16), owner=doc.get("owner"))
        group = registration_csv.devices_group_id(state)
        set_groups(state, user, [group] if group else [])
    if identity.find_external_id(store, "c8y_Serial", doc["id"]) is None:
        device = store.create_mo(
            {
                "name": doc["id"],
                "type": doc.get("type", "c8y_Device"),
                "c8y_IsDevice": {},
                "com_cumulocity_model_Agent": {},
            },
            owner=user_name,
        )
        identity.add_external_id(store, "c8y_Serial", doc["id"], device["id"])
        if doc.get("groupId") and store.get("managedObjects", str(doc["groupId"])) is not None:
            store.add_ref(str(doc["groupId"]), device["id"], "childAssets")


def accept(state: SandboxState, doc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """PUT {"status": "ACCEPTED"[, "securityToken"]} on a PENDING_ACCEPTANCE request (422 otherwise)."""
    if body.get("status") != "ACCEPTED":
        raise invalid_data("devicecontrol", "Only the status ACCEPTED can be set")
    if doc["status"] != "PENDING_ACCEPTANCE":
        raise invalid_data(
            "devicecontrol",
            f"The request is {doc['status']}; only a request PENDING_ACCEPTANCE can be accepted",
        )
    if body.get("securityToken") is not None:
        doc["_securityToken"] = str(body["securityToken"])
    _on_acceptance(state, doc)  # first: if the device cannot be created, the request stays pending
    doc["status"] = "ACCEPTED"
    state.store.put(COLLECTION, doc["id"], doc)
    return doc


def register_rows(
    state: SandboxState, rows: list[tuple[int, dict[str, str]]], owner: str
) -> registration_csv.BulkResult:
    """One result per CSV row: without a CREDENTIALS column every row is a new device request,
    else each row registers its device (registration_csv.register_row)."""
    simple = all("CREDENTIALS" not in row for _, row in rows)
    result = registration_csv.BulkResult(rows=len(rows))
    for line, row in rows:
        try:
            if simple:
                group = registration_csv.group_for_path(state, row.get("PATH", ""), owner)
                create_request(state, row.get("ID", ""), owner, group_id=group)
                status = "CREATED"
            else:
                status = registration_csv.register_row(state, row, owner)
        except (registration_csv.RowFailed, C8yHTTPError) as exc:
            reason = exc.message if isinstance(exc, C8yHTTPError) else str(exc)
            result.failed.append(
                {
                    "bulkNewDeviceStatus": "FAILED",
                    "deviceId": row.get("ID", ""),
                    "failureReason": reason,
                    "line": str(line),
                }
            )
            continue
        if status == "CREATED":
            result.created += 1
        else:
            result.updated.append({"bulkNewDeviceStatus": status, "deviceId": row["ID"]})
    return result
