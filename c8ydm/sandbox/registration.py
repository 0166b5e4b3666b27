"""Device registration: new device requests and the bulk CSV upload (contract §12.6, §12.7).

    GET    /devicecontrol/newDeviceRequests          "newDeviceRequests", paged
    POST   /devicecontrol/newDeviceRequests          {"id"[, "groupId"][, "type"]} -> 201
    GET    /devicecontrol/newDeviceRequests/{id}
    PUT    /devicecontrol/newDeviceRequests/{id}     {"status": "ACCEPTED"[, "securityToken"]}
    DELETE /devicecontrol/newDeviceRequests/{id}     -> 204
    POST   /devicecontrol/bulkNewDeviceRequests      multipart part "file" = CSV -> 201 counts and lists

A request starts as WAITING_FOR_CONNECTION; the simulated device "connects" one
`op_delay_seconds` later (seen on the next read), which makes it PENDING_ACCEPTANCE — unless the
device is one of the silent ones (simulation.behaviour). Only a PENDING_ACCEPTANCE request can be
accepted (422 otherwise), `securityToken` only together with ACCEPTED (spec). On acceptance the
device fetches its credentials: the sandbox creates the device user `device_<id>` and the device
(external id c8y_Serial, type from the request, in its group). The accepted request stays listed;
a real tenant removes it once the device has fetched its credentials.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox import identity, registration_csv, simulation
from c8ydm.sandbox.auth import require
from c8ydm.sandbox.devicecontrol import ADMIN_ROLE, READ_ROLE, parse_time
from c8ydm.sandbox.errors import C8yHTTPError, invalid_data, not_found
from c8ydm.sandbox.paging import paged_response
from c8ydm.sandbox.responses import base_url, created, json_response, no_content, read_json, vendor
from c8ydm.sandbox.uploads import is_multipart, receive_multipart
from c8ydm.sandbox.user_groups import set_groups
from c8ydm.sandbox.users import create_user

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

COLLECTION = "newDeviceRequests"
MEDIA = vendor("newdevicerequest")
MAX_CSV_BYTES = 10 * 1024 * 1024


def _invalid_csv(message: str) -> C8yHTTPError:
    return C8yHTTPError(422, "devicecontrol/invalidCsv", message)


def _connected(state: SandboxState, doc: dict[str, Any]) -> dict[str, Any]:
    """The request as it is now: a waiting device connects after one op delay (unless silent)."""
    if (
        doc.get("status") != "WAITING_FOR_CONNECTION"
        or simulation.behaviour(state.config, doc["id"]) == "silent"
    ):
        return doc
    delay = timedelta(seconds=state.config.op_delay_seconds)
    if parse_time(state.store.now()) >= parse_time(str(doc["creationTime"])) + delay:
        doc["status"] = "PENDING_ACCEPTANCE"
        state.store.put(COLLECTION, doc["id"], doc)
    return doc


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
        "tenantId": state.config.tenant,
        "creationTime": state.store.now(),
    }
    if group_id:
        doc["groupId"] = group_id
    if device_type:
        doc["type"] = device_type
    return state.store.insert(COLLECTION, doc)


def _accept(state: SandboxState, doc: dict[str, Any]) -> None:
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


def routes(state: SandboxState) -> list[Route]:
    store = state.store

    def render(request: Request, doc: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in doc.items() if not k.startswith("_")}
        out["self"] = f"{base_url(request)}/devicecontrol/newDeviceRequests/{doc['id']}"
        return out

    async def collection(request: Request) -> Response:
        if request.method == "GET":
            require(request, role=READ_ROLE)
            docs = [_connected(state, d) for d in store.iter(COLLECTION)]
            return paged_response(
                request,
                docs,
                COLLECTION,
                self_path="/devicecontrol/newDeviceRequests",
                render=lambda d: render(request, d),
            )
        user = require(request, write=True, role=ADMIN_ROLE)
        body = await read_json(request)
        doc = create_request(
            state,
            str(body.get("id") or ""),
            str(user.get("id")),
            group_id=str(body["groupId"]) if body.get("groupId") else None,
            device_type=str(body["type"]) if body.get("type") else None,
        )
        out = render(request, doc)
        return created(request, out, media=MEDIA, location=out["self"])

    async def single(request: Request) -> Response:
        reading = request.method == "GET"
        require(request, write=not reading, role=READ_ROLE if reading else ADMIN_ROLE)
        ext_id = request.path_params["id"]
        doc = store.get(COLLECTION, ext_id)
        if doc is None:
            raise not_found("devicecontrol", f"New device request {ext_id} not found")
        doc = _connected(state, doc)
        if request.method == "DELETE":
            store.delete(COLLECTION, ext_id)
            return no_content()
        if request.method == "PUT":
            body = await read_json(request)
            if body.get("status") != "ACCEPTED":
                raise invalid_data("devicecontrol", "Only the status ACCEPTED can be set")
            if doc["status"] != "PENDING_ACCEPTANCE":
                raise invalid_data(
                    "devicecontrol",
                    f"The request is {doc['status']}; only a request PENDING_ACCEPTANCE can be accepted",
                )
            if body.get("securityToken") is not None:
                doc["_securityToken"] = str(body["securityToken"])
            _accept(state, doc)  # first: if the device cannot be created, the request stays pending
            doc["status"] = "ACCEPTED"
            store.put(COLLECTION, ext_id, doc)
        return json_response(render(request, doc), media=MEDIA)

    async def bulk(request: Request) -> Response:
        user = require(request, write=True, role=ADMIN_ROLE)
        if not is_multipart(request):
            raise _invalid_csv("Expected multipart/form-data with a 'file' part")
        upload = await receive_multipart(request, state.config.binaries_dir)
        try:
            if upload.path is None or upload.length > MAX_CSV_BYTES:
                raise _invalid_csv("A CSV 'file' part of at most 10 MB is required")
            raw = upload.path.read_bytes()
        finally:
            upload.discard()
        try:
            rows = registration_csv.parse_csv(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise _invalid_csv("The CSV file must be UTF-8") from None
        owner = str(user.get("id"))
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
        return json_response(result.body(), status=201, media=vendor("bulknewdevicerequest"))

    return [
        Route("/devicecontrol/newDeviceRequests", collection, methods=["GET", "POST"]),
        Route("/devicecontrol/newDeviceRequests/{id}", single, methods=["GET", "PUT", "DELETE"]),
        Route("/devicecontrol/bulkNewDeviceRequests", bulk, methods=["POST"]),
    ]
