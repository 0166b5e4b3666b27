"""Global roles (user groups), their members and the role catalogue (contract §12.2, spec "Groups").

    GET    /user/{tenant}/groups                          "groups", ids are integers (spec)
    GET    /user/{tenant}/groups/{groupId}                /user/{tenant}/groupByName/{name}
    GET    /user/{tenant}/groups/{groupId}/users          "references": [{"self", "user"}]
    POST   /user/{tenant}/groups/{groupId}/users          {"user": {"self" | "id"}} -> 201
    DELETE /user/{tenant}/groups/{groupId}/users/{user}   -> 204
    GET    /user/roles[/{name}]                           "roles"
Membership and rendering are in model/user_groups.py.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.auth import ADMIN_ROLES, require
from c8ydm.sandbox.core.errors import not_found
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, json_response, no_content, read_json, vendor
from c8ydm.sandbox.model.user_groups import (
    ADMIN_ROLE,
    READ_ROLE,
    add_member,
    check_tenant,
    group_of_path,
    member_id,
    members_of,
    remove_member,
    render_group,
    render_user,
    role_doc,
)
from c8ydm.sandbox.state import state_of


async def get_groups(request: Request) -> Response:
    state = state_of(request)
    require(request, role=READ_ROLE)
    check_tenant(state, request)
    return paged_response(
        request,
        list(state.store.iter("groups")),
        "groups",
        self_path=f"/user/{state.options.tenant}/groups",
        render=lambda g: render_group(state, request, g),
    )


async def get_group(request: Request) -> Response:
    state = state_of(request)
    require(request, role=READ_ROLE)
    return json_response(render_group(state, request, group_of_path(state, request)), media=vendor("group"))


async def get_group_by_name(request: Request) -> Response:
    state = state_of(request)
    require(request, role=READ_ROLE)
    check_tenant(state, request)
    name = request.path_params["name"]
    found = state.store.find("groups", name=name)
    if not found:
        raise not_found("user", f"Group with name {name} not found")
    return json_response(render_group(state, request, found[0]), media=vendor("group"))


def _member_reference(request: Request, group_id: str, user: dict[str, Any]) -> dict[str, Any]:
    state = state_of(request)
    path = f"/user/{state.options.tenant}/groups/{group_id}/users/{user['id']}"
    return {"self": f"{base_url(request)}{path}", "user": render_user(state, request, user)}


async def get_group_members(request: Request) -> Response:
    state = state_of(request)
    group = group_of_path(state, request)
    require(request, role=READ_ROLE)
    return paged_response(
        request,
        members_of(state, str(group["id"])),
        "references",
        self_path=f"/user/{state.options.tenant}/groups/{group['id']}/users",
        render=lambda u: _member_reference(request, group["id"], u),
        media=vendor("userreferencecollection"),
    )


async def post_group_members(request: Request) -> Response:
    state = state_of(request)
    group = group_of_path(state, request)
    require(request, write=True, role=ADMIN_ROLE)
    user_id = member_id(await read_json(request))
    user = state.store.get("users", user_id)
    if user is None:
        raise not_found("user", f"User with id {user_id} not found")
    add_member(state, group["id"], user_id)
    doc = _member_reference(request, group["id"], state.store.get("users", user_id) or user)
    return created(request, doc, media=vendor("userreference"), location=doc["self"])


async def delete_group_member(request: Request) -> Response:
    state = state_of(request)
    require(request, write=True, role=ADMIN_ROLE)
    group = group_of_path(state, request)
    user_id = request.path_params["user"]
    if not remove_member(state, group["id"], user_id):
        raise not_found("user", f"User {user_id} is not a member of group {group['id']}")
    return no_content()


async def get_roles(request: Request) -> Response:
    require(request)
    return paged_response(
        request,
        [role_doc(request, r) for r in ADMIN_ROLES],
        "roles",
        self_path="/user/roles",
        media=vendor("rolecollection"),
    )


async def get_role(request: Request) -> Response:
    require(request)
    name = request.path_params["name"]
    if name not in ADMIN_ROLES:
        raise not_found("user", f"Role {name} not found")
    return json_response(role_doc(request, name), media=vendor("role"))
