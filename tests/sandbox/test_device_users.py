"""Device users, global roles and membership (contract §12.1–§12.5)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from support.sandbox import SandboxInstance


def _users(api: httpx.Client, sandbox: SandboxInstance, **params: Any) -> list[str]:
    response = api.get(f"/user/{sandbox.tenant}/users", params={"pageSize": 2000, **params})
    assert response.status_code == 200
    return [u["id"] for u in response.json()["users"]]


def _new_user(api: httpx.Client, sandbox: SandboxInstance, prefix: str = "device_") -> str:
    name = f"{prefix}T{uuid.uuid4().hex[:8]}"
    response = api.post(f"/user/{sandbox.tenant}/users", json={"userName": name, "password": "secret-123"})
    assert response.status_code == 201, response.text
    return name


def test_only_devices_returns_device_users_and_excludes_them_otherwise(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    devices = _users(api, sandbox, onlyDevices="true")
    assert {"device_LNX000001", "device_GW000002", "device_LNX000005"} <= set(devices)
    assert all(name.startswith("device_") for name in devices)
    others = _users(api, sandbox)
    assert {"admin", "reader"} <= set(others)
    assert not any(name.startswith("device_") for name in others)


def test_username_is_a_case_insensitive_prefix_and_contains_a_substring(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    assert _users(api, sandbox, onlyDevices="true", username="DEVICE_gw") == [
        "device_GW000002",
        "device_GW000004",
    ]
    assert _users(api, sandbox, onlyDevices="true", usernameContains="lnx000003") == ["device_LNX000003"]


def test_user_detail_by_id_with_groups(api: httpx.Client, sandbox: SandboxInstance) -> None:
    response = api.get(f"/user/{sandbox.tenant}/users/device_LNX000001", params={"withCertificates": "true"})
    assert response.status_code == 200
    user = response.json()
    assert (user["id"], user["userName"], user["enabled"]) == ("device_LNX000001",) * 2 + (True,)
    assert user["self"] == f"{sandbox.url}/user/{sandbox.tenant}/users/device_LNX000001"
    assert [ref["group"]["name"] for ref in user["groups"]["references"]] == ["devices"]
    assert user["provisionedCertificates"] == []
    assert "_passwordHash" not in user and "password" not in user
    assert api.get(f"/user/{sandbox.tenant}/users/device_nobody").status_code == 404
    assert api.get("/user/t999/users/device_LNX000001").status_code == 404


def test_disable_a_device_user_locks_it_out(api: httpx.Client, sandbox: SandboxInstance) -> None:
    name = _new_user(api, sandbox)
    assert httpx.get(f"{sandbox.url}/user/currentUser", auth=(name, "secret-123")).status_code == 200
    response = api.put(f"/user/{sandbox.tenant}/users/{name}", json={"enabled": False})
    assert (response.status_code, response.json()["enabled"]) == (200, False)
    assert httpx.get(f"{sandbox.url}/user/currentUser", auth=(name, "secret-123")).status_code == 401


def test_password_of_another_user_cannot_be_changed(api: httpx.Client, sandbox: SandboxInstance) -> None:
    name = _new_user(api, sandbox)
    response = api.put(f"/user/{sandbox.tenant}/users/{name}", json={"password": "another-456"})
    assert response.status_code == 403
    assert httpx.get(f"{sandbox.url}/user/currentUser", auth=(name, "secret-123")).status_code == 200


def test_reader_cannot_change_users(reader_api: httpx.Client, sandbox: SandboxInstance) -> None:
    assert reader_api.get(f"/user/{sandbox.tenant}/users").status_code == 200
    response = reader_api.put(f"/user/{sandbox.tenant}/users/device_LNX000001", json={"enabled": False})
    assert response.status_code == 403


def test_delete_user(api: httpx.Client, sandbox: SandboxInstance) -> None:
    name = _new_user(api, sandbox)
    assert api.delete(f"/user/{sandbox.tenant}/users/{name}").status_code == 204
    assert api.get(f"/user/{sandbox.tenant}/users/{name}").status_code == 404


def test_groups_have_integer_ids_and_membership_follows_the_references(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    groups = api.get(
        f"/user/{sandbox.tenant}/groups", params={"pageSize": 1000, "withTotalPages": "true"}
    ).json()
    by_name = {g["name"]: g for g in groups["groups"]}
    assert {"admins", "readers", "devices"} <= set(by_name)
    assert all(isinstance(g["id"], int) for g in groups["groups"])
    readers = by_name["readers"]["id"]
    name = _new_user(api, sandbox)
    user_self = api.get(f"/user/{sandbox.tenant}/users/{name}").json()["self"]
    path = f"/user/{sandbox.tenant}/groups/{readers}/users"
    for body in (
        {"user": {"self": user_self}},
        {"user": {"self": f"/user/{sandbox.tenant}/users/{name}"}},
        {"user": {"id": name, "self": user_self}},
    ):
        response = api.post(path, json=body)
        assert response.status_code == 201, body
        assert response.json()["user"]["id"] == name
    members = api.get(path, params={"pageSize": 2000}).json()["references"]
    assert name in [ref["user"]["id"] for ref in members]
    own = api.get(f"/user/{sandbox.tenant}/users/{name}/groups").json()["references"]
    assert [ref["group"]["id"] for ref in own] == [readers]
    assert httpx.get(f"{sandbox.url}/user/currentUser", auth=(name, "secret-123")).json()["effectiveRoles"]
    assert api.delete(f"{path}/{name}").status_code == 204
    assert api.delete(f"{path}/{name}").status_code == 404
    assert api.get(f"/user/{sandbox.tenant}/users/{name}/groups").json()["references"] == []


def test_membership_needs_a_user_reference(api: httpx.Client, sandbox: SandboxInstance) -> None:
    groups = api.get(f"/user/{sandbox.tenant}/groups").json()["groups"]
    path = f"/user/{sandbox.tenant}/groups/{groups[0]['id']}/users"
    assert api.post(path, json={"user": {}}).status_code == 422
    assert api.post(path, json={"user": {"id": "device_nobody"}}).status_code == 404
    assert (
        api.post(f"/user/{sandbox.tenant}/groups/999999/users", json={"user": {"id": "admin"}}).status_code
        == 404
    )


def test_roles_catalogue(api: httpx.Client) -> None:
    roles = api.get("/user/roles", params={"pageSize": 100}).json()["roles"]
    assert "ROLE_DEVICE_CONTROL_ADMIN" in [r["id"] for r in roles]
    assert api.get("/user/roles/ROLE_INVENTORY_READ").json()["name"] == "ROLE_INVENTORY_READ"


def test_device_user_of_a_device(api: httpx.Client) -> None:
    devices = api.get(
        "/inventory/managedObjects", params={"owner": "device_LNX000001", "fragmentType": "c8y_IsDevice"}
    ).json()
    assert [d["name"] for d in devices["managedObjects"]] == ["linux-0001"]
