"""The inventory's managed objects as collections see them: selection, rendering, creation, rights.

`select` is the filtered collection of `GET /inventory/managedObjects` (contract §1.6; also under
`/inventory/binaries`), `create_mo` a creation with external ids (also for child additions),
`may_write` the owner-or-role rule, `group_members` the query language's group resolver (also for
bulk targets). The HTTP handlers are in endpoints/inventory.py and endpoints/references.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.datastructures import QueryParams
from starlette.requests import Request

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.responses import base_url, flag, vendor
from c8ydm.sandbox.core.store import REF_KINDS, Store, parse_time
from c8ydm.sandbox.model import identity
from c8ydm.sandbox.model.mo import render_mo
from c8ydm.sandbox.query.language import QueryError, parse_query, sort_documents

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

MO_MEDIA = vendor("managedobject")
WRITE_ROLES = ("ROLE_INVENTORY_ADMIN", "ROLE_MANAGED_OBJECT_ADMIN")
CREATE_ROLES = (*WRITE_ROLES, "ROLE_INVENTORY_CREATE", "ROLE_MANAGED_OBJECT_CREATE")
_CHILD_ID_PARAMS = (
    ("childAdditions", "childAdditionId"),
    ("childAssets", "childAssetId"),
    ("childDevices", "childDeviceId"),
)


def group_members(store: Store) -> Any:
    """The resolver for bygroupid() and isinhierarchyof() (query.language.GroupResolver)."""

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
    docs = _candidates(store, q)
    for kind, param in _CHILD_ID_PARAMS:
        if q.get(param):
            parents = set(store.parents(q[param], kind))
            docs = [d for d in docs if d["id"] in parents]
    docs = _by_query(store, q, docs)
    docs = _by_fields(q, docs)
    created_from, created_to = _time_param(request, "createdFrom"), _time_param(request, "createdTo")
    if created_from or created_to:
        docs = [d for d in docs if _in_range(d.get("creationTime", ""), created_from, created_to)]
    if flag(request, "onlyRoots"):
        docs = [d for d in docs if not any(store.parents(d["id"], kind) for kind in REF_KINDS)]
    return docs


def _candidates(store: Store, q: QueryParams) -> list[dict[str, Any]]:
    """The objects named by `ids` (in id order), else every object."""
    if q.get("ids"):
        wanted = [i.strip() for i in q["ids"].split(",") if i.strip()]
        docs = [d for d in (store.get("managedObjects", i) for i in dict.fromkeys(wanted)) if d is not None]
        docs.sort(key=lambda d: int(d["id"]) if d["id"].isdigit() else 0)
        return docs
    return list(store.scan("managedObjects"))  # read-only documents: only filtered and rendered


def _by_query(store: Store, q: QueryParams, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`query` (or `q`) in the query language, filtered and ordered; else the `type` filter."""
    query_text = q.get("query") or q.get("q")
    if query_text:
        try:
            query = parse_query(query_text, group_members(store))
        except QueryError as exc:
            raise C8yHTTPError(422, "inventory/invalidQuery", f"Invalid query: {exc}") from exc
        if query.predicate is not None:
            docs = [d for d in docs if query.predicate(d)]
        return sort_documents(docs, query.order)
    if q.get("type"):  # the spec: `type` is ignored when `query` is given (contract §1.6)
        docs = [d for d in docs if d.get("type") == q["type"]]
    return docs


def _by_fields(q: QueryParams, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fragmentType (devices only for `q`), owner and text filters."""
    fragment = q.get("fragmentType") or ("c8y_IsDevice" if q.get("q") else None)
    if fragment:
        docs = [d for d in docs if fragment in d]
    if q.get("owner"):
        docs = [d for d in docs if d.get("owner") == q["owner"]]
    if q.get("text"):
        # The platform's text search is an index lookup over string properties; a case-insensitive
        # substring match over top-level strings is the closest local equivalent.
        text = q["text"].lower()
        docs = [d for d in docs if any(isinstance(v, str) and text in v.lower() for v in d.values())]
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
