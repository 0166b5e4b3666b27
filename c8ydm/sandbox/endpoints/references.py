"""Child collections of a managed object and its device user (contract §1.3, §3.3, §12.3, §12.5).

    GET    /inventory/managedObjects/{id}/{kind}            references, paged ("references")
    POST   /inventory/managedObjects/{id}/{kind}            Content-Type ...managedObject+json: create a
           new object and link it (201 with the object); ...managedObjectReference+json or a body
           {"managedObject": {"id"}}: link an existing one; {"references": [...]}: link several
    GET    /inventory/managedObjects/{id}/{kind}/{childId}  one reference
    DELETE /inventory/managedObjects/{id}/{kind}/{childId}  unlink (the child stays) -> 204
    GET    /inventory/managedObjects/{id}/{additionParents|assetParents|deviceParents}
    GET|PUT /inventory/managedObjects/{id}/user             device user {userName, enabled, self}
kind is childAdditions, childAssets or childDevices (the path convertors `childkind` and
`parentkind` are registered in routes.py).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, json_response, no_content, read_json, vendor
from c8ydm.sandbox.model.inventory import CREATE_ROLES, WRITE_ROLES, create_mo, may_write, renderer
from c8ydm.sandbox.model.mo import PARENT_KINDS, get_mo, mo_url, render_mo
from c8ydm.sandbox.state import SandboxState, state_of

REF_MEDIA = vendor("managedobjectreference")


def _linked_ids(body: dict[str, Any], content_type: str) -> list[str] | None:
    """The ids a link request names, or None if the body is a new object to create."""
    if isinstance(body.get("references"), list):
        refs = body["references"]
    elif isinstance(body.get("managedObject"), dict):
        refs = [body]
    elif "managedobjectreference" in content_type:
        raise C8yHTTPError(422, "inventory/invalidData", 'a reference needs {"managedObject": {"id"}}')
    else:
        return None
    ids = [str((ref.get("managedObject") or {}).get("id", "")) for ref in refs if isinstance(ref, dict)]
    if not ids or not all(ids):
        raise C8yHTTPError(422, "inventory/invalidData", "every reference needs managedObject.id")
    return ids


def _reference(request: Request, parent: str, kind: str, child: dict[str, Any]) -> dict[str, Any]:
    base = base_url(request)
    return {
        "self": f"{mo_url(base, parent)}/{kind}/{child['id']}",
        "managedObject": renderer(state_of(request), request)(child),
    }


async def get_children(request: Request) -> Response:
    store = state_of(request).store
    mo_id, kind = request.path_params["id"], request.path_params["kind"]
    get_mo(store, mo_id)
    auth.require(request)
    docs = [d for d in (store.get("managedObjects", c) for c in store.children(mo_id, kind)) if d]
    return paged_response(
        request,
        docs,
        "references",
        self_path=f"/inventory/managedObjects/{mo_id}/{kind}",
        render=lambda child: _reference(request, mo_id, kind, child),
    )


async def post_children(request: Request) -> Response:
    state = state_of(request)
    parent = get_mo(state.store, request.path_params["id"])
    user = auth.require(request, write=True)
    may_write(state, user, parent, WRITE_ROLES)
    body = await read_json(request)
    ids = _linked_ids(body, request.headers.get("content-type", "").lower())
    if ids is None:
        return await _create_child(request, state, user, body)
    return _link_children(request, state, ids, with_collection="references" in body)


async def _create_child(
    request: Request, state: SandboxState, user: dict[str, Any], body: dict[str, Any]
) -> Response:
    """Create a new object from the body and link it as a child (201 with the object)."""
    mo_id, kind = request.path_params["id"], request.path_params["kind"]
    base = base_url(request)
    may_write(state, user, None, CREATE_ROLES)
    doc = await create_mo(state, request, body, user)
    state.store.add_ref(mo_id, doc["id"], kind)
    return created(
        request,
        render_mo(state.store, base, doc),
        media=vendor("managedobject"),
        location=mo_url(base, doc["id"]),
    )


def _link_children(
    request: Request, state: SandboxState, ids: list[str], *, with_collection: bool
) -> Response:
    """Link existing objects as children: one reference, or a collection for `{"references": [...]}`."""
    store, mo_id, kind = state.store, request.path_params["id"], request.path_params["kind"]
    for child_id in ids:
        if child_id == mo_id:
            raise C8yHTTPError(422, "inventory/invalidData", "an object cannot be its own child")
        get_mo(store, child_id)
    for child_id in ids:
        store.add_ref(mo_id, child_id, kind)
    refs = [_reference(request, mo_id, kind, get_mo(store, c)) for c in ids]
    if with_collection:
        return created(
            request,
            {"references": refs},
            media=vendor("managedobjectreferencecollection"),
            location=f"{mo_url(base_url(request), mo_id)}/{kind}",
        )
    return created(request, refs[0], media=REF_MEDIA, location=refs[0]["self"])


async def get_child(request: Request) -> Response:
    store = state_of(request).store
    mo_id, kind, child_id = (request.path_params[k] for k in ("id", "kind", "child"))
    get_mo(store, mo_id)
    auth.require(request)
    if child_id not in store.children(mo_id, kind):
        raise C8yHTTPError(404, "inventory/notFound", f"{child_id} is not in {kind} of {mo_id}")
    return json_response(_reference(request, mo_id, kind, get_mo(store, child_id)), media=REF_MEDIA)


async def delete_child(request: Request) -> Response:
    state = state_of(request)
    mo_id, kind, child_id = (request.path_params[k] for k in ("id", "kind", "child"))
    parent = get_mo(state.store, mo_id)
    user = auth.require(request, write=True)
    may_write(state, user, parent, WRITE_ROLES)
    if not state.store.remove_ref(mo_id, child_id, kind):
        raise C8yHTTPError(404, "inventory/notFound", f"{child_id} is not in {kind} of {mo_id}")
    return no_content()


async def get_parents(request: Request) -> Response:
    auth.require(request)
    store = state_of(request).store
    mo_id, which = request.path_params["id"], request.path_params["which"]
    get_mo(store, mo_id)
    kind = next(k for k, v in PARENT_KINDS.items() if v == which)
    docs = [d for d in (store.get("managedObjects", p) for p in store.parents(mo_id, kind)) if d]
    return paged_response(
        request,
        docs,
        "references",
        self_path=f"/inventory/managedObjects/{mo_id}/{which}",
        render=lambda doc: _reference(request, doc["id"], kind, get_mo(store, mo_id)),
    )


def _device_user(state: SandboxState, mo_id: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """(device, owner name, owner's user document); 404 if the device or its user is missing."""
    device = get_mo(state.store, mo_id)
    owner = str(device.get("owner", ""))
    user_doc = auth.builtin_user(state, owner) or state.store.get("users", owner)
    if user_doc is None:
        raise C8yHTTPError(404, "inventory/notFound", f"No device user for managed object {mo_id}")
    return device, owner, user_doc


def _render_device_user(request: Request, owner: str, user_doc: dict[str, Any]) -> Response:
    rendered = {
        "userName": owner,
        "enabled": user_doc.get("enabled", True) is not False,
        "self": f"{mo_url(base_url(request), request.path_params['id'])}/user",
    }
    return json_response(rendered, media=vendor("managedobjectuser"))


async def get_device_user(request: Request) -> Response:
    _, owner, user_doc = _device_user(state_of(request), request.path_params["id"])
    auth.require(request)
    return _render_device_user(request, owner, user_doc)


async def put_device_user(request: Request) -> Response:
    state = state_of(request)
    device, owner, user_doc = _device_user(state, request.path_params["id"])
    acting = auth.require(request, write=True)
    may_write(state, acting, device, WRITE_ROLES)
    body = await read_json(request)
    if "enabled" in body:
        if auth.builtin_user(state, owner) is not None:
            raise auth.forbidden("The sandbox's own users cannot be disabled")
        user_doc["enabled"] = bool(body["enabled"])
        state.store.put("users", owner, user_doc)
    return _render_device_user(request, owner, user_doc)
