"""Identity: external ids of managed objects (contract §12.6 lookups).

    GET    /identity/globalIds/{id}/externalIds        {"externalIds": [...], "self"}
    POST   /identity/globalIds/{id}/externalIds        {"externalId", "type"} -> 201; 409 if taken
    GET    /identity/externalIds/{type}/{value}        {"externalId", "type", "self", "managedObject"}
    DELETE /identity/externalIds/{type}/{value}        204
Storage and rendering are in model/identity.py.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.responses import base_url, created, json_response, no_content, read_json, vendor
from c8ydm.sandbox.model.identity import (
    MEDIA,
    add_external_id,
    external_id_not_found,
    find_external_id,
    render_external_id,
)
from c8ydm.sandbox.model.mo import get_mo
from c8ydm.sandbox.state import state_of


async def get_external_ids(request: Request) -> Response:
    store, mo_id, base = state_of(request).store, request.path_params["id"], base_url(request)
    auth.require(request)
    get_mo(store, mo_id)
    items = [render_external_id(base, d) for d in store.find("externalIds", managedObjectId=mo_id)]
    return json_response(
        {"self": f"{base}/identity/globalIds/{mo_id}/externalIds", "externalIds": items},
        media=vendor("externalidcollection"),
    )


async def post_external_ids(request: Request) -> Response:
    store, mo_id = state_of(request).store, request.path_params["id"]
    auth.require(request, write=True)
    get_mo(store, mo_id)
    body = await read_json(request)
    doc = add_external_id(store, str(body.get("type", "")), str(body.get("externalId", "")), mo_id)
    rendered = render_external_id(base_url(request), doc)
    return created(request, rendered, media=MEDIA, location=rendered["self"])


def _found(request: Request, *, write: bool) -> dict[str, Any]:
    """The external id of the path (looked up before the credentials are checked)."""
    id_type, value = request.path_params["type"], request.path_params["value"]
    doc = find_external_id(state_of(request).store, id_type, value)
    auth.require(request, write=write)
    if doc is None:
        raise external_id_not_found(id_type, value)
    return doc


async def get_external_id(request: Request) -> Response:
    doc = _found(request, write=False)
    return json_response(render_external_id(base_url(request), doc), media=MEDIA)


async def delete_external_id(request: Request) -> Response:
    doc = _found(request, write=True)
    state_of(request).store.delete("externalIds", doc["id"])
    return no_content()
