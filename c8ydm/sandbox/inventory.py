"""Inventory: `/inventory/managedObjects` collection and single objects (contract §1.6–§1.8).

    GET    /inventory/managedObjects   type, fragmentType, ids, text, owner, query, q, onlyRoots,
                                       childAdditionId/childAssetId/childDeviceId, createdFrom/createdTo,
                                       withChildren, withParents, skipChildrenNames, paging
    POST   /inventory/managedObjects   create (externalIds in the body are registered too)
    GET    /inventory/managedObjects/{id}
    PUT    /inventory/managedObjects/{id}       top-level merge, null removes (§1.8) -> 200
    DELETE /inventory/managedObjects/{id}       cascade, forceCascade, withDeviceUser (§1.7) -> 204
Child collections and the device user are in references.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox import auth, identity
from c8ydm.sandbox.errors import C8yHTTPError
from c8ydm.sandbox.mo import delete_tree, get_mo, mo_url, render_mo
from c8ydm.sandbox.paging import paged_response
from c8ydm.sandbox.querylang import QueryError, parse_query, sort_documents
from c8ydm.sandbox.responses import base_url, created, flag, json_response, no_content, read_json, vendor
from c8ydm.sandbox.store import REF_KINDS, Store, parse_time

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

MO_MEDIA = vendor("managedobject")
WRITE_ROLES = ("ROLE_INVENTORY_ADMIN", "ROLE_MANAGED_OBJECT_ADMIN")
CREATE_ROLES = (*WRITE_ROLES, "ROLE_INVENTORY_CREATE", "ROLE_MANAGED_OBJECT_CREATE")


def group_members(store: Store) -> Any:
    """The resolver for bygroupid() and isinhierarchyof() (querylang.GroupResolver)."""

    def resolve(function: str, ids: list[str]) -> set[str]:
        members: set[str] = set()
        if function == "bygroupid":
            for group in ids:
                for kind in REF_KINDS:
                    members.update(store.children(group, kind))
            return members
        stack = list(ids)  # isinhierarchyof: the objects themselves and all their descendants
        while stack:
            current = stack.pop()
            if current not in members and store.peek("managedObjects", current) is not None:
                members.add(current)
                for kind in REF_KINDS:
                    stack.extend(store.children(current, kind))
        return members

    return resolve


def _time_param(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_time(raw).isoformat()
    except ValueError:
        raise C8yHTTPError(422, "inventory/invalidParameter", f"{name} is not a date: {raw!r}") from None


def select(store: Store, request: Request) -> list[dict[str, Any]]:
    """The managed objects a collection request asks for, in result order (read-only documents)."""
    q = request.query_params
    if q.get("ids"):
        wanted = [i.strip() for i in q["ids"].split(",") if i.strip()]
        docs = [d for d in (store.get("managedObjects", i) for i in dict.fromkeys(wanted)) if d is not None]
        docs.sort(key=lambda d: int(d["id"]) if d["id"].isdigit() else 0)
    else:
        docs = list(store.scan("managedObjects"))  # read-only documents: only filtered and rendered
    for kind, param in (
        ("childAdditions", "childAdditionId"),
        ("childAssets", "childAssetId"),
        ("childDevices", "childDeviceId"),
    ):
        if q.get(param):
            parents = set(store.parents(q[param], kind))
            docs = [d for d in docs if d["id"] in parents]
    query_text = q.get("query") or q.get("q")
    fragment = q.get("fragmentType") or ("c8y_IsDevice" if q.get("q") else None)
    if query_text:
        try:
            query = parse_query(query_text, group_members(store))
        except QueryError as exc:
            raise C8yHTTPError(422, "inventory/invalidQuery", f"Invalid query: {exc}") from exc
        if query.predicate is not None:
            docs = [d for d in docs if query.predicate(d)]
        docs = sort_documents(docs, query.order)
    elif q.get("type"):  # the spec: `type` is ignored when `query` is given (contract §1.6)
        docs = [d for d in docs if d.get("type") == q["type"]]
    if fragment:
        docs = [d for d in docs if fragment in d]
    if q.get("owner"):
        docs = [d for d in docs if d.get("owner") == q["owner"]]
    if q.get("text"):
        # The platform's text search is an index lookup over string properties; a case-insensitive
        # substring match over top-level strings is the closest local equivalent.
        text = q["text"].lower()
        docs = [d for d in docs if any(isinstance(v, str) and text in v.lower() for v in d.values())]
    created_from, created_to = _time_param(request, "createdFrom"), _time_param(request, "createdTo")
    if created_from or created_to:
        docs = [d for d in docs if _in_range(d.get("creationTime", ""), created_from, created_to)]
    if flag(request, "onlyRoots"):
        docs = [d for d in docs if not any(store.parents(d["id"], kind) for kind in REF_KINDS)]
    return docs


def _in_range(stamp: str, start: str | None, end: str | None) -> bool:
    moment = parse_time(stamp).isoformat()
    return (start is None or moment >= start) and (end is None or moment < end)


def renderer(state: SandboxState, request: Request) -> Any:
    base = base_url(request)
    with_children = flag(request, "withChildren", True)
    with_parents = flag(request, "withParents")
    with_names = not flag(request, "skipChildrenNames")

    def render(doc: dict[str, Any]) -> dict[str, Any]:
        return render_mo(
            state.store,
            base,
            doc,
            with_children=with_children,
            with_parents=with_parents,
            with_names=with_names,
        )

    return render


def may_write(
    state: SandboxState, user: dict[str, Any], doc: dict[str, Any] | None, roles: tuple[str, ...]
) -> None:
    """403 unless the user has one of `roles` or owns the object (spec: "owner of the source")."""
    if auth.effective_roles(state, user) & set(roles):
        return
    if doc is not None and doc.get("owner") == user.get("userName", user.get("id")):
        return
    raise auth.forbidden(f"Access is denied: one of {', '.join(roles)} required")


async def create_mo(
    state: SandboxState, request: Request, body: dict[str, Any], user: dict[str, Any]
) -> dict[str, Any]:
    """Create a managed object from a request body (also used by child-addition create-and-link)."""
    externals = body.pop("externalIds", None) or []
    if not isinstance(externals, list):
        raise C8yHTTPError(422, "inventory/invalidData", "externalIds must be a list")
    for external in externals:
        identity.check_free(state.store, str(external.get("type", "")), str(external.get("externalId", "")))
    doc = state.store.create_mo(body, owner=str(user.get("userName", user.get("id"))))
    for external in externals:
        identity.add_external_id(state.store, str(external["type"]), str(external["externalId"]), doc["id"])
    return doc


def routes(state: SandboxState) -> list[Route]:
    store = state.store

    async def collection(request: Request) -> Response:
        if request.method == "POST":
            user = auth.require(request, write=True)
            may_write(state, user, None, CREATE_ROLES)
            doc = await create_mo(state, request, await read_json(request), user)
            base = base_url(request)
            return created(
                request, render_mo(store, base, doc), media=MO_MEDIA, location=mo_url(base, doc["id"])
            )
        auth.require(request)
        return paged_response(
            request,
            select(store, request),
            "managedObjects",
            self_path="/inventory/managedObjects",
            render=renderer(state, request),
        )

    async def single(request: Request) -> Response:
        mo_id = request.path_params["id"]
        if request.method == "GET":
            auth.require(request)
            return json_response(renderer(state, request)(get_mo(store, mo_id)), media=MO_MEDIA)
        user = auth.require(request, write=True)
        may_write(state, user, get_mo(store, mo_id), WRITE_ROLES)
        if request.method == "PUT":
            doc = store.update_mo(mo_id, await read_json(request))
            return json_response(render_mo(store, base_url(request), doc), media=MO_MEDIA)
        delete_tree(
            state,
            mo_id,
            cascade=flag(request, "cascade"),
            force_cascade=flag(request, "forceCascade"),
            with_device_user=flag(request, "withDeviceUser"),
        )
        return no_content()

    return [
        Route("/inventory/managedObjects", collection, methods=["GET", "POST"]),
        Route("/inventory/managedObjects/{id}", single, methods=["GET", "PUT", "DELETE"]),
    ]
