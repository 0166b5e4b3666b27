"""Inventory: `/inventory/managedObjects` collection and single objects (contract §1.6–§1.8).

    GET    /inventory/managedObjects   type, fragmentType, ids, text, owner, query, q, onlyRoots,
                                       childAdditionId/childAssetId/childDeviceId, createdFrom/createdTo,
                                       withChildren, withParents, skipChildrenNames, paging
    POST   /inventory/managedObjects   create (externalIds in the body are registered too)
    GET    /inventory/managedObjects/{id}
    PUT    /inventory/managedObjects/{id}       top-level merge, null removes (§1.8) -> 200
    DELETE /inventory/managedObjects/{id}       cascade, forceCascade, withDeviceUser (§1.7) -> 204
Selection and creation are in model/inventory.py; child collections and the device user in
references.py.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, flag, json_response, no_content, read_json
from c8ydm.sandbox.model.inventory import (
    CREATE_ROLES,
    MO_MEDIA,
    WRITE_ROLES,
    create_mo,
    may_write,
    renderer,
    select,
)
from c8ydm.sandbox.model.mo import delete_tree, get_mo, mo_url, render_mo
from c8ydm.sandbox.state import state_of


async def get_managed_objects(request: Request) -> Response:
    auth.require(request)
    state = state_of(request)
    return paged_response(
        request,
        select(state.store, request),
        "managedObjects",
        self_path="/inventory/managedObjects",
        render=renderer(state, request),
    )


async def post_managed_objects(request: Request) -> Response:
    state = state_of(request)
    user = auth.require(request, write=True)
    may_write(state, user, None, CREATE_ROLES)
    doc = await create_mo(state, request, await read_json(request), user)
    base = base_url(request)
    return created(
        request, render_mo(state.store, base, doc), media=MO_MEDIA, location=mo_url(base, doc["id"])
    )


async def get_managed_object(request: Request) -> Response:
    auth.require(request)
    state = state_of(request)
    doc = get_mo(state.store, request.path_params["id"])
    return json_response(renderer(state, request)(doc), media=MO_MEDIA)


async def put_managed_object(request: Request) -> Response:
    state, mo_id = state_of(request), request.path_params["id"]
    user = auth.require(request, write=True)
    may_write(state, user, get_mo(state.store, mo_id), WRITE_ROLES)
    doc = state.store.update_mo(mo_id, await read_json(request))
    return json_response(render_mo(state.store, base_url(request), doc), media=MO_MEDIA)


async def delete_managed_object(request: Request) -> Response:
    state, mo_id = state_of(request), request.path_params["id"]
    user = auth.require(request, write=True)
    may_write(state, user, get_mo(state.store, mo_id), WRITE_ROLES)
    delete_tree(
        state,
        mo_id,
        cascade=flag(request, "cascade"),
        force_cascade=flag(request, "forceCascade"),
        with_device_user=flag(request, "withDeviceUser"),
    )
    return no_content()
