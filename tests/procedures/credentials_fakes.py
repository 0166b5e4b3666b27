"""Scripted-tenant answers for the credentials, registration and certificate procedure tests."""

from __future__ import annotations

from typing import Any

from support.repo_mock import BASE_URL

USERS = "/user/t100/users"
GROUPS = "/user/t100/groups"
MO = "/inventory/managedObjects"
CATALOGUE = [{"id": 1, "name": "admins"}, {"id": 2, "name": "devices"}, {"id": 3, "name": "readers"}]


def group_ref(group_id: int, name: str) -> dict[str, Any]:
    return {"group": {"id": group_id, "name": name}, "self": f"{BASE_URL}{GROUPS}/{group_id}/users/x"}


def user(
    name: str, *, enabled: bool = True, groups: tuple[tuple[int, str], ...] = ((2, "devices"),)
) -> dict[str, Any]:
    return {
        "id": name,
        "userName": name,
        "enabled": enabled,
        "self": f"{BASE_URL}{USERS}/{name}",
        "groups": {"references": [group_ref(i, n) for i, n in groups]},
    }


def users_page(*users: dict[str, Any]) -> dict[str, Any]:
    return {"users": list(users), "statistics": {"currentPage": 1, "pageSize": 100, "totalPages": 1}}


def device(mo_id: str, name: str, owner: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": mo_id,
        "name": name,
        "owner": owner,
        "c8y_IsDevice": {},
        "self": f"{BASE_URL}{MO}/{mo_id}",
        **fields,
    }


def mo_page(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "managedObjects": list(items),
        "statistics": {"currentPage": 1, "pageSize": 2000, "totalPages": 1},
    }


def groups_page(items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"groups": CATALOGUE if items is None else items, "statistics": {"totalPages": 1}}


def device_query(name: str) -> str:
    return f"$filter=((has(c8y_IsDevice)) and (name eq '{name}'))"
