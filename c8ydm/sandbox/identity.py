"""Identity: external ids of managed objects (contract §12.6 lookups).

    GET    /identity/globalIds/{id}/externalIds        {"externalIds": [...], "self"}
    POST   /identity/globalIds/{id}/externalIds        {"externalId", "type"} -> 201; 409 if taken
    GET    /identity/externalIds/{type}/{value}        {"externalId", "type", "self", "managedObject"}
    DELETE /identity/externalIds/{type}/{value}        204
Stored in the "externalIds" collection as {"id": "<type>/<value>", "type", "externalId",
"managedObjectId"}; `add_external_id` / `find_external_id` are for other modules (registration).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox import auth
from c8ydm.sandbox.errors import C8yHTTPError
from c8ydm.sandbox.mo import get_mo, mo_url
from c8ydm.sandbox.responses import base_url, created, json_response, no_content, read_json, vendor
from c8ydm.sandbox.store import Store

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

MEDIA = vendor("externalid")


def _key(id_type: str, value: str) -> str:
    return f"{id_type}/{value}"


def find_external_id(store: Store, id_type: str, value: str) -> dict[str, Any] | None:
    return store.get("externalIds", _key(id_type, value))


def check_free(store: Store, id_type: str, value: str) -> None:
    if not id_type or not value:
        raise C8yHTTPError(422, "identity/invalidData", "externalId and type are required")
    if find_external_id(store, id_type, value) is not None:
        raise C8yHTTPError(409, "identity/Conflict", f"External id {value} of type {id_type} already exists")


def add_external_id(store: Store, id_type: str, value: str, mo_id: str) -> dict[str, Any]:
    check_free(store, id_type, value)
    return store.insert(
        "externalIds",
        {"id": _key(id_type, value), "type": id_type, "externalId": value, "managedObjectId": str(mo_id)},
    )


def render_external_id(base: str, doc: dict[str, Any]) -> dict[str, Any]:
    path = f"{quote(doc['type'], safe='')}/{quote(doc['externalId'], safe='')}"
    return {
        "externalId": doc["externalId"],
        "type": doc["type"],
        "self": f"{base}/identity/externalIds/{path}",
        "managedObject": {"id": doc["managedObjectId"], "self": mo_url(base, doc["managedObjectId"])},
    }


def routes(state: SandboxState) -> list[Route]:
    store = state.store

    async def of_object(request: Request) -> Response:
        mo_id = request.path_params["id"]
        base = base_url(request)
        if request.method == "POST":
            auth.require(request, write=True)
            get_mo(store, mo_id)
            body = await read_json(request)
            doc = add_external_id(store, str(body.get("type", "")), str(body.get("externalId", "")), mo_id)
            rendered = render_external_id(base, doc)
            return created(request, rendered, media=MEDIA, location=rendered["self"])
        auth.require(request)
        get_mo(store, mo_id)
        items = [render_external_id(base, d) for d in store.find("externalIds", managedObjectId=mo_id)]
        return json_response(
            {"self": f"{base}/identity/globalIds/{mo_id}/externalIds", "externalIds": items},
            media=vendor("externalidcollection"),
        )

    async def single(request: Request) -> Response:
        id_type, value = request.path_params["type"], request.path_params["value"]
        doc = find_external_id(store, id_type, value)
        auth.require(request, write=request.method == "DELETE")
        if doc is None:
            raise C8yHTTPError(
                404,
                "identity/Not Found",
                f"External id not found; external id = ID [type={id_type}, value={value}]",
            )
        if request.method == "DELETE":
            store.delete("externalIds", doc["id"])
            return no_content()
        return json_response(render_external_id(base_url(request), doc), media=MEDIA)

    return [
        Route("/identity/globalIds/{id}/externalIds", of_object, methods=["GET", "POST"]),
        Route("/identity/externalIds/{type}/{value:path}", single, methods=["GET", "DELETE"]),
    ]
