"""Global roles (user groups), their members and the role catalogue (contract §12.2, spec "Groups");
endpoints/user_groups.py serves them.

A group document keeps its role ids in `_roles`; a user document keeps its group ids in `_groups`
(so rendering a user never loads a list of thousands of members). A user's `effectiveRoles` are the
union of its groups' roles; core/auth.py reads them from the user document, so every membership change
rewrites them (`set_groups`). The member `self` may be absolute (spec
example) or relative (the SDK), or an `id` may be given instead (contract §12.2).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.requests import Request

from c8ydm.sandbox.core.errors import C8yHTTPError, invalid_data, not_found
from c8ydm.sandbox.core.responses import base_url, public

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

READ_ROLE, ADMIN_ROLE = "ROLE_USER_MANAGEMENT_READ", "ROLE_USER_MANAGEMENT_ADMIN"
_USER_IN_SELF = re.compile(r"/users/([^/?#]+)/?$")


def check_tenant(state: SandboxState, request: Request) -> None:
    tenant = request.path_params.get("tenant")
    if tenant is not None and tenant != state.options.tenant:
        raise C8yHTTPError(404, "tenant/notFound", f"Tenant {tenant} not found")


def role_doc(request: Request, role: str) -> dict[str, Any]:
    return {"id": role, "name": role, "self": f"{base_url(request)}/user/roles/{role}"}


def render_group(state: SandboxState, request: Request, group: dict[str, Any]) -> dict[str, Any]:
    path = f"{base_url(request)}/user/{state.options.tenant}/groups/{group['id']}"
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
    base, tenant, user_id = base_url(request), state.options.tenant, str(user["id"])
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
    """Store a user's memberships and the `effectiveRoles` they give (core/auth.py reads them)."""
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


def group_of_path(state: SandboxState, request: Request) -> dict[str, Any]:
    check_tenant(state, request)
    group_id = request.path_params["group"]
    group = state.store.get("groups", group_id)
    if group is None:
        raise not_found("user", f"Group with id {group_id} not found")
    return group


def member_id(body: dict[str, Any]) -> str:
    user = body.get("user")
    if not isinstance(user, dict):
        raise invalid_data("user", 'The body must be {"user": {"self": "<user self>"}}')
    if user.get("id"):
        return str(user["id"])
    match = _USER_IN_SELF.search(str(user.get("self") or ""))
    if match is None:
        raise invalid_data("user", "The user reference needs an id or a self link")
    return match.group(1)
