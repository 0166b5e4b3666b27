"""Users, device users among them (contract §12.1, §12.3–§12.5, spec "Users").

    GET    /user/{tenant}/users?onlyDevices=&username=&usernameContains=&groups=&owner=   "users"
    POST   /user/{tenant}/users
    GET    /user/{tenant}/users/{userId}[?withCertificates=true]   /user/{tenant}/userByName/{name}
    PUT    /user/{tenant}/users/{userId}        enabled, names, password (own user only, see below)
    DELETE /user/{tenant}/users/{userId}
    GET    /user/{tenant}/users/{userId}/groups "references": [{"group", "self"}]

- The user id IS the user name; in a path it is one URL-encoded segment (contract §12).
- `onlyDevices=true` returns only `device_` users, and without it they are left out (§12.1).
- `username` is a case-insensitive prefix, `usernameContains` a case-insensitive substring.
- Password: the spec says "you cannot update the password or email of another user, they can only
  be updated for the current user" and the contract expects failure on newer tenants (§12.4). A
  newer tenant refuses it as an authorization problem, so the sandbox answers 403 for another user;
  a password outside the spec's rules (6–32 characters of the allowed set) is 422.
Groups, membership and the user rendering are in user_groups.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from c8ydm.sandbox import user_groups
from c8ydm.sandbox.auth import forbidden, hash_password, require
from c8ydm.sandbox.errors import C8yHTTPError, invalid_data, not_found
from c8ydm.sandbox.paging import paged_response
from c8ydm.sandbox.responses import base_url, created, flag, json_response, no_content, read_json, vendor
from c8ydm.sandbox.user_groups import ADMIN_ROLE, READ_ROLE, check_tenant, render_group, render_user

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState

DEVICE_USER_PREFIX = "device_"
USER_MEDIA = vendor("user")
# Spec `user.password`: Latin letters, digits and these special characters, 6 to 32 of them.
_PASSWORD = re.compile(r"[A-Za-z0-9`~!@#$%^&*()_|+\-=?;:'\",.<>{}\[\]\\/]{6,32}")
_USER_NAME = re.compile(r"[^\s/+$:]{1,1000}")
_EDITABLE = ("enabled", "firstName", "lastName", "displayName", "phone", "newsletter", "customProperties")


def check_password_rules(password: Any) -> str:
    if not isinstance(password, str) or not _PASSWORD.fullmatch(password):
        raise invalid_data(
            "user",
            "The password must have 6 to 32 characters: Latin letters, digits "
            "or `~!@#$%^&*()_|+-=?;:'\",.<>{}[]\\/",
        )
    return password


def _select(state: SandboxState, request: Request) -> list[dict[str, Any]]:
    q = request.query_params
    only_devices = flag(request, "onlyDevices")
    prefix, contains = q.get("username", "").lower(), q.get("usernameContains", "").lower()
    wanted_groups = {g for g in q.get("groups", "").split(",") if g}
    result = []
    for user in state.store.iter("users"):
        name = str(user["id"]).lower()
        if name.startswith(DEVICE_USER_PREFIX) != only_devices:
            continue
        if not name.startswith(prefix) or contains not in name:
            continue
        if wanted_groups and not wanted_groups.intersection(user.get("_groups", [])):
            continue
        if q.get("owner") and user.get("owner") != q["owner"]:
            continue
        result.append(user)
    return result


def _update(
    state: SandboxState, request: Request, user: dict[str, Any], body: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    is_self = current.get("id") == user["id"]
    if "password" in body or ("email" in body and body["email"] != user.get("email")):
        if not is_self:
            raise forbidden(
                "The password or email of another user cannot be updated; "
                "only the current user can change them"
            )
        if "password" in body:
            if user["id"] in (state.config.admin_user, state.config.readonly_user):
                raise invalid_data("user", "The sandbox's built-in users keep the passwords of its data dir")
            user["_passwordHash"] = hash_password(check_password_rules(body["password"]))
            user["lastPasswordChange"] = state.store.now()
        if "email" in body:
            user["email"] = str(body["email"])
    if "enabled" in body and not isinstance(body["enabled"], bool):
        raise invalid_data("user", "enabled must be true or false")
    user.update({k: body[k] for k in _EDITABLE if k in body})
    state.store.put("users", user["id"], user)
    return user


def create_user(state: SandboxState, user_name: str, password: str | None, **fields: Any) -> dict[str, Any]:
    """Store a new user (409 if the name is taken); used by POST and by device registration."""
    if not _USER_NAME.fullmatch(user_name):
        raise invalid_data("user", "A user name cannot contain whitespace, slashes nor any of +$:")
    if state.store.get("users", user_name) is not None:
        raise C8yHTTPError(409, "user/duplicate", f"User {user_name} already exists")
    doc: dict[str, Any] = {"id": user_name, "userName": user_name, "enabled": True, **fields}
    if password is not None:
        doc["_passwordHash"] = hash_password(check_password_rules(password))
        doc["lastPasswordChange"] = state.store.now()
    return state.store.insert("users", doc)


def delete_user(state: SandboxState, user_id: str) -> bool:
    return state.store.delete("users", user_id)  # memberships live in the user document


def routes(state: SandboxState) -> list[BaseRoute]:
    store, tenant = state.store, state.config.tenant

    def found(request: Request, user_id: str) -> dict[str, Any]:
        check_tenant(state, request)
        user = store.get("users", user_id)
        if user is None:
            raise not_found("user", f"User with id {user_id} not found")
        return user

    def rendered(request: Request, user: dict[str, Any]) -> dict[str, Any]:
        doc = render_user(state, request, user)
        if flag(request, "withCertificates"):
            doc["provisionedCertificates"] = user.get("_certificates", [])
        return doc

    async def collection(request: Request) -> Response:
        check_tenant(state, request)
        if request.method == "GET":
            require(request, role=READ_ROLE)
            return paged_response(
                request,
                _select(state, request),
                "users",
                self_path=f"/user/{tenant}/users",
                render=lambda u: rendered(request, u),
            )
        current = require(request, write=True, role=ADMIN_ROLE)
        body = await read_json(request)
        if not body.get("password") and body.get("sendPasswordResetEmail") is not True:
            raise invalid_data("user", "A new user needs a password or sendPasswordResetEmail: true")
        extra = {k: body[k] for k in (*_EDITABLE, "email") if k in body}
        user = create_user(
            state, str(body.get("userName", "")), body.get("password"), owner=current.get("id"), **extra
        )
        doc = rendered(request, user)
        return created(request, doc, media=USER_MEDIA, location=doc["self"])

    async def single(request: Request) -> Response:
        user_id = request.path_params["user"]
        if request.method == "GET":
            require(request, role=READ_ROLE)
            return json_response(rendered(request, found(request, user_id)), media=USER_MEDIA)
        current = require(request, write=True, role=ADMIN_ROLE)
        user = found(request, user_id)
        if request.method == "DELETE":
            delete_user(state, user_id)
            return no_content()
        user = _update(state, request, user, await read_json(request), current)
        return json_response(rendered(request, user), media=USER_MEDIA)

    async def by_name(request: Request) -> Response:
        require(request, role=READ_ROLE)
        return json_response(rendered(request, found(request, request.path_params["name"])), media=USER_MEDIA)

    async def groups(request: Request) -> Response:
        require(request, role=READ_ROLE)
        user = found(request, request.path_params["user"])
        base = base_url(request)
        refs = [
            {
                "group": render_group(state, request, g),
                "self": f"{base}/user/{tenant}/groups/{g['id']}/users/{user['id']}",
            }
            for g in user_groups.groups_of(state, user["id"])
        ]
        return paged_response(
            request,
            refs,
            "references",
            self_path=f"/user/{tenant}/users/{user['id']}/groups",
            media=vendor("groupreferencecollection"),
        )

    return [
        Route("/user/{tenant}/users", collection, methods=["GET", "POST"]),
        Route("/user/{tenant}/users/{user}", single, methods=["GET", "PUT", "DELETE"]),
        Route("/user/{tenant}/userByName/{name}", by_name, methods=["GET"]),
        Route("/user/{tenant}/users/{user}/groups", groups, methods=["GET"]),
        *user_groups.routes(state),
    ]
