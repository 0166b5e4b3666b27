"""Users, device users among them (contract §12.1, §12.3–§12.5, spec "Users").

    GET    /user/{tenant}/users?onlyDevices=&username=&usernameContains=&groups=&owner=   "users"
    POST   /user/{tenant}/users
    GET    /user/{tenant}/users/{userId}[?withCertificates=true]   /user/{tenant}/userByName/{name}
    PUT    /user/{tenant}/users/{userId}        enabled, names, password (own user only)
    DELETE /user/{tenant}/users/{userId}
    GET    /user/{tenant}/users/{userId}/groups "references": [{"group", "self"}]
The rules (names, passwords, filters) are in model/users.py, groups and rendering in
model/user_groups.py. A path whose tenant is not the sandbox's answers 404 `tenant/notFound`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.auth import require
from c8ydm.sandbox.core.errors import not_found
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, flag, json_response, no_content, read_json, vendor
from c8ydm.sandbox.model import users as user_model
from c8ydm.sandbox.model.user_groups import (
    ADMIN_ROLE,
    READ_ROLE,
    check_tenant,
    groups_of,
    render_group,
    render_user,
)
from c8ydm.sandbox.model.users import USER_MEDIA, create_user_from_body, select_users, update_user
from c8ydm.sandbox.state import state_of


def _found(request: Request, user_id: str) -> dict[str, Any]:
    state = state_of(request)
    check_tenant(state, request)
    user = state.store.get("users", user_id)
    if user is None:
        raise not_found("user", f"User with id {user_id} not found")
    return user


def _rendered(request: Request, user: dict[str, Any]) -> dict[str, Any]:
    doc = render_user(state_of(request), request, user)
    if flag(request, "withCertificates"):
        doc["provisionedCertificates"] = user.get("_certificates", [])
    return doc


async def get_users(request: Request) -> Response:
    state = state_of(request)
    check_tenant(state, request)
    require(request, role=READ_ROLE)
    return paged_response(
        request,
        select_users(state, request),
        "users",
        self_path=f"/user/{state.options.tenant}/users",
        render=lambda u: _rendered(request, u),
    )


async def post_users(request: Request) -> Response:
    state = state_of(request)
    check_tenant(state, request)
    current = require(request, write=True, role=ADMIN_ROLE)
    user = create_user_from_body(state, await read_json(request), owner=current.get("id"))
    doc = _rendered(request, user)
    return created(request, doc, media=USER_MEDIA, location=doc["self"])


async def get_user(request: Request) -> Response:
    require(request, role=READ_ROLE)
    return json_response(_rendered(request, _found(request, request.path_params["user"])), media=USER_MEDIA)


async def put_user(request: Request) -> Response:
    current = require(request, write=True, role=ADMIN_ROLE)
    user = _found(request, request.path_params["user"])
    user = update_user(state_of(request), user, await read_json(request), current)
    return json_response(_rendered(request, user), media=USER_MEDIA)


async def delete_user(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    user_id = request.path_params["user"]
    _found(request, user_id)
    user_model.delete_user(state_of(request), user_id)
    return no_content()


async def get_user_by_name(request: Request) -> Response:
    require(request, role=READ_ROLE)
    return json_response(_rendered(request, _found(request, request.path_params["name"])), media=USER_MEDIA)


async def get_user_groups(request: Request) -> Response:
    state = state_of(request)
    tenant = state.options.tenant
    require(request, role=READ_ROLE)
    user = _found(request, request.path_params["user"])
    base = base_url(request)
    refs = [
        {
            "group": render_group(state, request, g),
            "self": f"{base}/user/{tenant}/groups/{g['id']}/users/{user['id']}",
        }
        for g in groups_of(state, user["id"])
    ]
    return paged_response(
        request,
        refs,
        "references",
        self_path=f"/user/{tenant}/users/{user['id']}/groups",
        media=vendor("groupreferencecollection"),
    )
