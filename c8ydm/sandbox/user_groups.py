"""Global roles (user groups), their members and the role catalogue (contract §12.2, spec "Groups").

    GET    /user/{tenant}/groups                          "groups", ids are integers (spec)
    GET    /user/{tenant}/groups/{groupId}                /user/{tenant}/groupByName/{name}
    GET    /user/{tenant}/groups/{groupId}/users          "references": [{"self", "user"}]
    POST   /user/{tenant}/groups/{groupId}/users          {"user": {"self" | "id"}} -> 201
    DELETE /user/{tenant}/groups/{groupId}/users/{user}   -> 204
    GET    /user/roles[/{name}]                           "roles"

A group document keeps its role ids in `_roles`; a user document keeps its group ids in `_groups`
(so rendering a user never loads a list of thousands of members). A user's `effectiveRoles` are the
union of its groups' roles; auth.py reads them from the user document, so every membership change
rewrites them (`set_groups`). The member `self` may be absolute (spec
example) or relative (the SDK), or an `id` may be given instead (contract §12.2).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox.auth import ADMIN_ROLES, require
from c8ydm.sandbox.errors import C8yHTTPError, invalid_data, not_found
from c8ydm.sandbox.paging import paged_response
from c8ydm.sandbox.responses import base_url, created, json_response, no_content, public, read_json, vendor

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

READ_ROLE, ADMIN_ROLE = "ROLE_USER_MANAGEMENT_READ", "ROLE_USER_MANAGEMENT_ADMIN"
_USER_IN_SELF = re.compile(r"/users/([^/?#]+)/?$")


def check_tenant(state: SandboxState, request: Request) -> None:
    tenant = request.path_params.get("tenant")
    if tenant is not None and tenant != state.config.tenant:
        raise C8yHTTPError(404, "tenant/notFound", f"Tenant {tenant} not found")


def role_doc(request: Request, role: str) -> dict[str, Any]:
    return {"id": role, "name": role, "self": f"{base_url(request)}/user/roles/{role}"}


def render_group(state: SandboxState, request: Request, group: dict[str, Any]) -> dict[str, Any]:
    path = f"{base_url(request)}/user/{state.config.tenant}/groups/{group['id']}"
    out = {k: v for k, v in group.items() if not k.startswith("_")}
    out.update(id=int(group["id"]), self=path, applications=[], devicePermissions={})
    out["roles"] = {
        "self": f"{path}/roles",
        "references": [
            {"role": role_doc(request, r), "self": f"{path}/roles/{r}"} for r in group.get("_roles", [])
        ],
    }
    return out


def render_user(state: SandboxState, request: Request, user: dict[str, Any]) -> dict[str, Any]:
    """A user as the spec's `user` schema shows it, with its group references."""
    base, tenant, user_id = base_url(request), state.config.tenant, str(user["id"])
    path = f"{base}/user/{tenant}/users/{quote(user_id, safe='')}"
    out = {k: v for k, v in public(user).items() if k != "effectiveRoles"}
    out.setdefault("userName", user_id)
    out.setdefault("enabled", True)
    out.setdefault("customProperties", {})
    out.update(self=path, shouldResetPassword=False, devicePermissions={}, applications=[])
    out["groups"] = {
        "self": f"{path}/groups",
        "references": [
            {
                "group": render_group(state, request, g),
                "self": f"{base}/user/{tenant}/groups/{g['id']}/users/{quote(user_id, safe='')}",
            }
            for g in groups_of(state, user_id)
        ],
    }
    out["roles"] = {"self": f"{path}/roles", "references": []}
    return out


def groups_of(state: SandboxState, user_id: str) -> list[dict[str, Any]]:
    user = state.store.get("users", user_id) or {}
    found = (state.store.get("groups", str(g)) for g in user.get("_groups", []))
    return [g for g in found if g is not None]


def members_of(state: SandboxState, group_id: str) -> list[dict[str, Any]]:
    return [u for u in state.store.iter("users") if group_id in u.get("_groups", [])]


def set_groups(state: SandboxState, user: dict[str, Any], group_ids: list[str]) -> dict[str, Any]:
    """Store a user's memberships and the `effectiveRoles` they give (auth.py reads them)."""
    groups = [g for g in (state.store.get("groups", gid) for gid in group_ids) if g is not None]
    roles = sorted({r for g in groups for r in g.get("_roles", [])})
    user["_groups"] = [str(g["id"]) for g in groups]
    user["effectiveRoles"] = [{"id": r, "name": r} for r in roles]
    state.store.put("users", str(user["id"]), user)
    return user


def add_member(state: SandboxState, group_id: str, user_id: str) -> None:
    if state.store.get("groups", group_id) is None:
        raise not_found("user", f"Group with id {group_id} not found")
    user = state.store.get("users", user_id)
    if user is None:
        raise not_found("user", f"User with id {user_id} not found")
    if group_id not in user.get("_groups", []):
        set_groups(state, user, [*user.get("_groups", []), group_id])


def remove_member(state: SandboxState, group_id: str, user_id: str) -> bool:
    user = state.store.get("users", user_id)
    if user is None or group_id not in user.get("_groups", []):
        return False
    set_groups(state, user, [g for g in user["_groups"] if g != group_id])
    return True


def _group(state: SandboxState, request: Request) -> dict[str, Any]:
    check_tenant(state, request)
    group_id = request.path_params["group"]
    group = state.store.get("groups", group_id)
    if group is None:
        raise not_found("user", f"Group with id {group_id} not found")
    return group


def _member_id(body: dict[str, Any]) -> str:
    user = body.get("user")
    if not isinstance(user, dict):
        raise invalid_data("user", 'The body must be {"user": {"self": "<user self>"}}')
    if user.get("id"):
        return str(user["id"])
    match = _USER_IN_SELF.search(str(user.get("self") or ""))
    if match is None:
        raise invalid_data("user", "The user reference needs an id or a self link")
    return match.group(1)


def routes(state: SandboxState) -> list[Route]:
    tenant = state.config.tenant

    async def groups(request: Request) -> Response:
        require(request, role=READ_ROLE)
        check_tenant(state, request)
        return paged_response(
            request,
            list(state.store.iter("groups")),
            "groups",
            self_path=f"/user/{tenant}/groups",
            render=lambda g: render_group(state, request, g),
        )

    async def group(request: Request) -> Response:
        require(request, role=READ_ROLE)
        return json_response(render_group(state, request, _group(state, request)), media=vendor("group"))

    async def group_by_name(request: Request) -> Response:
        require(request, role=READ_ROLE)
        check_tenant(state, request)
        name = request.path_params["name"]
        found = state.store.find("groups", name=name)
        if not found:
            raise not_found("user", f"Group with name {name} not found")
        return json_response(render_group(state, request, found[0]), media=vendor("group"))

    def reference(request: Request, group_id: str, user: dict[str, Any]) -> dict[str, Any]:
        path = f"/user/{tenant}/groups/{group_id}/users/{user['id']}"
        return {"self": f"{base_url(request)}{path}", "user": render_user(state, request, user)}

    async def members(request: Request) -> Response:
        found = _group(state, request)
        if request.method == "GET":
            require(request, role=READ_ROLE)
            users = members_of(state, str(found["id"]))
            return paged_response(
                request,
                users,
                "references",
                self_path=f"/user/{tenant}/groups/{found['id']}/users",
                render=lambda u: reference(request, found["id"], u),
                media=vendor("userreferencecollection"),
            )
        require(request, write=True, role=ADMIN_ROLE)
        user_id = _member_id(await read_json(request))
        user = state.store.get("users", user_id)
        if user is None:
            raise not_found("user", f"User with id {user_id} not found")
        add_member(state, found["id"], user_id)
        doc = reference(request, found["id"], state.store.get("users", user_id) or user)
        return created(request, doc, media=vendor("userreference"), location=doc["self"])

    async def member(request: Request) -> Response:
        require(request, write=True, role=ADMIN_ROLE)
        found = _group(state, request)
        user_id = request.path_params["user"]
        if not remove_member(state, found["id"], user_id):
            raise not_found("user", f"User {user_id} is not a member of group {found['id']}")
        return no_content()

    async def roles(request: Request) -> Response:
        require(request)
        return paged_response(
            request,
            [role_doc(request, r) for r in ADMIN_ROLES],
            "roles",
            self_path="/user/roles",
            media=vendor("rolecollection"),
        )

    async def role(request: Request) -> Response:
        require(request)
        name = request.path_params["name"]
        if name not in ADMIN_ROLES:
            raise not_found("user", f"Role {name} not found")
        return json_response(role_doc(request, name), media=vendor("role"))

    return [
        Route("/user/roles", roles, methods=["GET"]),
        Route("/user/roles/{name}", role, methods=["GET"]),
        Route("/user/{tenant}/groups", groups, methods=["GET"]),
        Route("/user/{tenant}/groups/{group}", group, methods=["GET"]),
        Route("/user/{tenant}/groupByName/{name}", group_by_name, methods=["GET"]),
        Route("/user/{tenant}/groups/{group}/users", members, methods=["GET", "POST"]),
        Route("/user/{tenant}/groups/{group}/users/{user}", member, methods=["DELETE"]),
    ]
