"""Users, device users among them (contract §12.1, §12.3–§12.5, spec "Users"); endpoints/users.py
serves them.

- The user id IS the user name; in a path it is one URL-encoded segment (contract §12).
- `onlyDevices=true` returns only `device_` users, and without it they are left out (§12.1).
- `username` is a case-insensitive prefix, `usernameContains` a case-insensitive substring.
- Password: the spec says "you cannot update the password or email of another user, they can only
  be updated for the current user" and the contract expects failure on newer tenants (§12.4). A
  newer tenant refuses it as an authorization problem, so the sandbox answers 403 for another user;
  a password outside the spec's rules (6–32 characters of the allowed set) is 422.
Groups, membership and the user rendering are in model/user_groups.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from c8ydm.sandbox.core.auth import forbidden, hash_password
from c8ydm.sandbox.core.errors import C8yHTTPError, invalid_data
from c8ydm.sandbox.core.responses import flag, vendor

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

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


def select_users(state: SandboxState, request: Request) -> list[dict[str, Any]]:
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


def update_user(
    state: SandboxState, user: dict[str, Any], body: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    """Apply a PUT body by the user `current` (password and email: only one's own) and store it."""
    is_self = current.get("id") == user["id"]
    if "password" in body or ("email" in body and body["email"] != user.get("email")):
        if not is_self:
            raise forbidden(
                "The password or email of another user cannot be updated; "
                "only the current user can change them"
            )
        if "password" in body:
            if user["id"] in (state.options.admin_user, state.options.readonly_user):
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


def create_user_from_body(state: SandboxState, body: dict[str, Any], owner: Any) -> dict[str, Any]:
    """POST /user/{tenant}/users: a new user from a request body, owned by the creating user."""
    if not body.get("password") and body.get("sendPasswordResetEmail") is not True:
        raise invalid_data("user", "A new user needs a password or sendPasswordResetEmail: true")
    extra = {k: body[k] for k in (*_EDITABLE, "email") if k in body}
    return create_user(state, str(body.get("userName", "")), body.get("password"), owner=owner, **extra)


def delete_user(state: SandboxState, user_id: str) -> bool:
    return state.store.delete("users", user_id)  # memberships live in the user document
