"""Device registration: new device requests and the bulk CSV upload (contract §12.6, §12.7).

    GET    /devicecontrol/newDeviceRequests          "newDeviceRequests", paged
    POST   /devicecontrol/newDeviceRequests          {"id"[, "groupId"][, "type"]} -> 201
    GET    /devicecontrol/newDeviceRequests/{id}
    PUT    /devicecontrol/newDeviceRequests/{id}     {"status": "ACCEPTED"[, "securityToken"]}
    DELETE /devicecontrol/newDeviceRequests/{id}     -> 204
    POST   /devicecontrol/bulkNewDeviceRequests      multipart part "file" = CSV -> 201 counts and lists
    GET    /devicecontrol/newDeviceRequests/limit    {"isReached"[, "limit"][, "deviceCount"]}
    POST   /devicecontrol/newDeviceRequests/acceptAll  -> 200 [{"id", "successful"[, "error"]}]

`limit` and `acceptAll` are what the official UI calls; neither is in the spec and their bodies are
not recorded (contract §12.7 ⚠, §15 item 17): the shapes here are the ones the issue gives. The
sandbox has no device limit, so `isReached` is false and `limit` is left out; `deviceCount` counts
the devices (`c8y_IsDevice`). `acceptAll` accepts every request PENDING_ACCEPTANCE, one by one.

A request is read as it is now: a waiting device connects one `op_delay_seconds` after the request
was made, unless it is one of the silent ones (devices/simulation.behaviour). The rules of requests,
acceptance and CSV rows are in model/registration.py and model/registration_csv.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.auth import require
from c8ydm.sandbox.core.errors import C8yHTTPError, not_found
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, json_response, no_content, read_json, vendor
from c8ydm.sandbox.core.uploads import is_multipart, receive_multipart
from c8ydm.sandbox.devices import simulation
from c8ydm.sandbox.model import registration_csv
from c8ydm.sandbox.model.operations import ADMIN_ROLE, READ_ROLE, parse_time
from c8ydm.sandbox.model.registration import COLLECTION, MEDIA, accept, create_request, register_rows
from c8ydm.sandbox.state import SandboxState, state_of

MAX_CSV_BYTES = 10 * 1024 * 1024
MIN_CONNECT_SECONDS = 1.0


def _invalid_csv(message: str) -> C8yHTTPError:
    return C8yHTTPError(422, "devicecontrol/invalidCsv", message)


def _connected(state: SandboxState, doc: dict[str, Any]) -> dict[str, Any]:
    """The request as it is now: a waiting device connects after one op delay (unless silent)."""
    if (
        doc.get("status") != "WAITING_FOR_CONNECTION"
        or simulation.behaviour(state.options, doc["id"]) == "silent"
    ):
        return doc
    # A new device takes at least a second to boot and connect, however fast its operations run: an
    # accept sent right after the request (by a person or a test) meets WAITING_FOR_CONNECTION (422).
    delay = timedelta(seconds=max(state.options.op_delay_seconds, MIN_CONNECT_SECONDS))
    if parse_time(state.store.now()) >= parse_time(str(doc["creationTime"])) + delay:
        doc["status"] = "PENDING_ACCEPTANCE"
        state.store.put(COLLECTION, doc["id"], doc)
    return doc


def _render(request: Request, doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["self"] = f"{base_url(request)}/devicecontrol/newDeviceRequests/{doc['id']}"
    return out


async def get_new_device_requests(request: Request) -> Response:
    require(request, role=READ_ROLE)
    state = state_of(request)
    docs = [_connected(state, d) for d in state.store.iter(COLLECTION)]
    return paged_response(
        request,
        docs,
        COLLECTION,
        self_path="/devicecontrol/newDeviceRequests",
        render=lambda d: _render(request, d),
    )


async def post_new_device_requests(request: Request) -> Response:
    user = require(request, write=True, role=ADMIN_ROLE)
    body = await read_json(request)
    doc = create_request(
        state_of(request),
        str(body.get("id") or ""),
        str(user.get("id")),
        group_id=str(body["groupId"]) if body.get("groupId") else None,
        device_type=str(body["type"]) if body.get("type") else None,
    )
    out = _render(request, doc)
    return created(request, out, media=MEDIA, location=out["self"])


def _current_request(request: Request) -> dict[str, Any]:
    state, ext_id = state_of(request), request.path_params["id"]
    doc = state.store.get(COLLECTION, ext_id)
    if doc is None:
        raise not_found("devicecontrol", f"New device request {ext_id} not found")
    return _connected(state, doc)


async def get_new_device_request(request: Request) -> Response:
    require(request, role=READ_ROLE)
    return json_response(_render(request, _current_request(request)), media=MEDIA)


async def put_new_device_request(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    doc = _current_request(request)
    doc = accept(state_of(request), doc, await read_json(request))
    return json_response(_render(request, doc), media=MEDIA)


async def delete_new_device_request(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    doc = _current_request(request)
    state_of(request).store.delete(COLLECTION, doc["id"])
    return no_content()


async def post_bulk_new_device_requests(request: Request) -> Response:
    state = state_of(request)
    user = require(request, write=True, role=ADMIN_ROLE)
    if not is_multipart(request):
        raise _invalid_csv("Expected multipart/form-data with a 'file' part")
    upload = await receive_multipart(request, state.options.binaries_dir)
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
    result = register_rows(state, rows, str(user.get("id")))
    return json_response(result.body(), status=201, media=vendor("bulknewdevicerequest"))


async def get_device_limit(request: Request) -> Response:
    require(request, role=READ_ROLE)
    devices = sum(1 for doc in state_of(request).store.scan("managedObjects") if "c8y_IsDevice" in doc)
    return json_response({"isReached": False, "deviceCount": devices})


async def post_accept_all(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    state, results = state_of(request), []
    for doc in [_connected(state, d) for d in state.store.iter(COLLECTION)]:
        if doc.get("status") != "PENDING_ACCEPTANCE":
            continue
        try:
            accept(state, doc, {"status": "ACCEPTED"})
        except C8yHTTPError as exc:
            results.append({"id": doc["id"], "successful": False, "error": exc.message})
            continue
        results.append({"id": doc["id"], "successful": True})
    return json_response(results)
