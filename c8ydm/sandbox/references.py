"""Child collections of a managed object and its device user (contract §1.3, §3.3, §12.3, §12.5).

    GET    /inventory/managedObjects/{id}/{kind}            references, paged ("references")
    POST   /inventory/managedObjects/{id}/{kind}            Content-Type ...managedObject+json: create a
           new object and link it (201 with the object); ...managedObjectReference+json or a body
           {"managedObject": {"id"}}: link an existing one; {"references": [...]}: link several
    GET    /inventory/managedObjects/{id}/{kind}/{childId}  one reference
    DELETE /inventory/managedObjects/{id}/{kind}/{childId}  unlink (the child stays) -> 204
    GET    /inventory/managedObjects/{id}/{additionParents|assetParents|deviceParents}
    GET|PUT /inventory/managedObjects/{id}/user             device user {userName, enabled, self}
kind is childAdditions, childAssets or childDevices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox import auth
from c8ydm.sandbox.errors import C8yHTTPError
from c8ydm.sandbox.inventory import CREATE_ROLES, WRITE_ROLES, create_mo, may_write, renderer
from c8ydm.sandbox.mo import PARENT_KINDS, get_mo, mo_url, render_mo
from c8ydm.sandbox.paging import paged_response
from c8ydm.sandbox.responses import base_url, created, json_response, no_content, read_json, vendor

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState


class _Choice(Convertor[str]):
    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class _ChildKind(_Choice):
    regex = "childAdditions|childAssets|childDevices"


class _ParentKind(_Choice):
    regex = "additionParents|assetParents|deviceParents"


register_url_convertor("childkind", _ChildKind())
register_url_convertor("parentkind", _ParentKind())
KINDS = "{kind:childkind}"
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


def routes(state: SandboxState) -> list[Route]:
    store = state.store

    def reference(request: Request, parent: str, kind: str, child: dict[str, Any]) -> dict[str, Any]:
        base = base_url(request)
        return {
            "self": f"{mo_url(base, parent)}/{kind}/{child['id']}",
            "managedObject": renderer(state, request)(child),
        }

    async def children(request: Request) -> Response:
        mo_id, kind = request.path_params["id"], request.path_params["kind"]
        parent = get_mo(store, mo_id)
        if request.method == "GET":
            auth.require(request)
            docs = [d for d in (store.get("managedObjects", c) for c in store.children(mo_id, kind)) if d]
            return paged_response(
                request,
                docs,
                "references",
                self_path=f"/inventory/managedObjects/{mo_id}/{kind}",
                render=lambda child: reference(request, mo_id, kind, child),
            )
        user = auth.require(request, write=True)
        may_write(state, user, parent, WRITE_ROLES)
        body = await read_json(request)
        ids = _linked_ids(body, request.headers.get("content-type", "").lower())
        base = base_url(request)
        if ids is None:
            may_write(state, user, None, CREATE_ROLES)
            doc = await create_mo(state, request, body, user)
            store.add_ref(mo_id, doc["id"], kind)
            return created(
                request,
                render_mo(store, base, doc),
                media=vendor("managedobject"),
                location=mo_url(base, doc["id"]),
            )
        for child_id in ids:
            if child_id == mo_id:
                raise C8yHTTPError(422, "inventory/invalidData", "an object cannot be its own child")
            get_mo(store, child_id)
        for child_id in ids:
            store.add_ref(mo_id, child_id, kind)
        refs = [reference(request, mo_id, kind, get_mo(store, c)) for c in ids]
        if "references" in body:
            return created(
                request,
                {"references": refs},
                media=vendor("managedobjectreferencecollection"),
                location=f"{mo_url(base, mo_id)}/{kind}",
            )
        return created(request, refs[0], media=REF_MEDIA, location=refs[0]["self"])

    async def child(request: Request) -> Response:
        mo_id, kind, child_id = (request.path_params[k] for k in ("id", "kind", "child"))
        parent = get_mo(store, mo_id)
        if request.method == "DELETE":
            user = auth.require(request, write=True)
            may_write(state, user, parent, WRITE_ROLES)
            if not store.remove_ref(mo_id, child_id, kind):
                raise C8yHTTPError(404, "inventory/notFound", f"{child_id} is not in {kind} of {mo_id}")
            return no_content()
        auth.require(request)
        if child_id not in store.children(mo_id, kind):
            raise C8yHTTPError(404, "inventory/notFound", f"{child_id} is not in {kind} of {mo_id}")
        return json_response(reference(request, mo_id, kind, get_mo(store, child_id)), media=REF_MEDIA)

    async def parents(request: Request) -> Response:
        auth.require(request)
        mo_id, which = request.path_params["id"], request.path_params["which"]
        get_mo(store, mo_id)
        kind = next(k for k, v in PARENT_KINDS.items() if v == which)
        docs = [d for d in (store.get("managedObjects", p) for p in store.parents(mo_id, kind)) if d]
        return paged_response(
            request,
            docs,
            "references",
            self_path=f"/inventory/managedObjects/{mo_id}/{which}",
            render=lambda doc: reference(request, doc["id"], kind, get_mo(store, mo_id)),
        )

    async def device_user(request: Request) -> Response:
        mo_id = request.path_params["id"]
        device = get_mo(store, mo_id)
        owner = str(device.get("owner", ""))
        user_doc = auth.builtin_user(state, owner) or store.get("users", owner)
        if user_doc is None:
            raise C8yHTTPError(404, "inventory/notFound", f"No device user for managed object {mo_id}")
        if request.method == "PUT":
            acting = auth.require(request, write=True)
            may_write(state, acting, device, WRITE_ROLES)
            body = await read_json(request)
            if "enabled" in body:
                if auth.builtin_user(state, owner) is not None:
                    raise auth.forbidden("The sandbox's own users cannot be disabled")
                user_doc["enabled"] = bool(body["enabled"])
                store.put("users", owner, user_doc)
        else:
            auth.require(request)
        rendered = {
            "userName": owner,
            "enabled": user_doc.get("enabled", True) is not False,
            "self": f"{mo_url(base_url(request), mo_id)}/user",
        }
        return json_response(rendered, media=vendor("managedobjectuser"))

    return [
        Route(f"/inventory/managedObjects/{{id}}/{KINDS}", children, methods=["GET", "POST"]),
        Route(f"/inventory/managedObjects/{{id}}/{KINDS}/{{child}}", child, methods=["GET", "DELETE"]),
        Route("/inventory/managedObjects/{id}/{which:parentkind}", parents, methods=["GET"]),
        Route("/inventory/managedObjects/{id}/user", device_user, methods=["GET", "PUT"]),
    ]
