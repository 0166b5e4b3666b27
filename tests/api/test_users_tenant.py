"""Users, groups, tenant, identity and system options (contract §1.2, §11.3, §12)."""

from __future__ import annotations

import json

import respx

from c8ydm.api.client import Client

USERS = "/user/t100/users"


def test_list_device_users(client: Client, router: respx.MockRouter) -> None:
    route = router.get(USERS).respond(
        200, json={"users": [{"id": "device_a", "userName": "device_a"}], "statistics": {"totalPages": 1}}
    )
    users = list(client.users.list(only_devices=True, username="device_", page_size=100))
    assert [u.user_name for u in users] == ["device_a"] and users[0].is_device_user
    assert dict(route.calls.last.request.url.params) == {
        "onlyDevices": "true",
        "username": "device_",
        "pageSize": "100",
        "currentPage": "1",
        "withTotalPages": "true",
    }


def test_user_id_is_encoded_as_one_path_segment(client: Client, router: respx.MockRouter) -> None:
    route = router.get(url__regex=r"/user/t100/users/[^/]+$").respond(200, json={"id": "a@b/c"})
    client.users.get("a@b/c")
    assert route.calls.last.request.url.raw_path == b"/user/t100/users/a%40b%2Fc"


def test_update_and_delete_user(client: Client, router: respx.MockRouter) -> None:
    put = router.put(f"{USERS}/device_a").respond(200, json={"id": "device_a", "enabled": False})
    delete = router.delete(f"{USERS}/device_a").respond(204)
    assert client.users.update("device_a", {"enabled": False}).enabled is False
    client.users.delete("device_a")
    assert json.loads(put.calls.last.request.content) == {"enabled": False} and delete.called


def test_groups_and_membership(client: Client, router: respx.MockRouter) -> None:
    catalogue = router.get("/user/t100/groups").respond(
        200, json={"groups": [{"id": 2, "name": "devices"}], "statistics": {"totalPages": 1}}
    )
    mine = router.get(f"{USERS}/device_a/groups").respond(
        200, json={"references": [{"group": {"id": 2, "name": "devices"}}], "statistics": {"totalPages": 1}}
    )
    add = router.post("/user/t100/groups/3/users").respond(201, json={})
    remove = router.delete("/user/t100/groups/2/users/device_a").respond(204)
    assert [g.id for g in client.users.list_groups()] == ["2"]
    assert [g.name for g in client.users.groups_of("device_a")] == ["devices"]
    client.users.add_to_group("3", "device_a", user_self="https://t100.example.com/user/t100/users/device_a")
    client.users.remove_from_group("2", "device_a")
    assert dict(catalogue.calls.last.request.url.params)["pageSize"] == "1000"
    assert json.loads(add.calls.last.request.content) == {
        "user": {"id": "device_a", "self": "https://t100.example.com/user/t100/users/device_a"}
    }
    assert mine.called and remove.called


def test_tenant_id_is_read_once_when_not_given(router: respx.MockRouter) -> None:
    from c8ydm.api.auth import BasicAuth

    from .conftest import BASE_URL, PASSWORD

    tenant = router.get("/tenant/currentTenant").respond(200, json={"name": "t555", "domainName": "x"})
    users = router.get("/user/t555/users").respond(200, json={"users": [], "statistics": {"totalPages": 0}})
    with Client(BASE_URL, BasicAuth("admin", PASSWORD)) as client:
        list(client.users.list())
        list(client.users.list())
    assert tenant.call_count == 1 and users.call_count == 2


def test_tenant_current_user_and_login_options(client: Client, router: respx.MockRouter) -> None:
    router.get("/tenant/currentTenant").respond(200, json={"name": "t100", "domainName": "t100.example.com"})
    router.get("/user/currentUser").respond(
        200, json={"id": "admin", "userName": "admin", "effectiveRoles": [{"id": "ROLE_INVENTORY_ADMIN"}]}
    )
    options = router.get("/tenant/loginOptions").respond(200, json={"loginOptions": [{"type": "BASIC"}]})
    assert client.tenant.current().name == "t100"
    assert client.tenant.current_user().has_role("ROLE_INVENTORY_ADMIN")
    assert [o.type for o in client.tenant.login_options(tenant_id="t100")] == ["BASIC"]
    assert dict(options.calls.last.request.url.params) == {"tenantId": "t100"}


def test_identity_lookup_and_create(client: Client, router: respx.MockRouter) -> None:
    get = router.get("/identity/externalIds/c8y_Serial/ABC%20123").respond(
        200, json={"externalId": "ABC 123", "type": "c8y_Serial", "managedObject": {"id": "4711"}}
    )
    post = router.post("/identity/globalIds/4711/externalIds").respond(
        201, json={"externalId": "X", "type": "c8y_Serial"}
    )
    listing = router.get("/identity/globalIds/4711/externalIds").respond(
        200, json={"externalIds": [{"externalId": "X"}]}
    )
    found = client.identity.get_external_id("c8y_Serial", "ABC 123")
    assert found.managed_object is not None and found.managed_object.id == "4711"
    client.identity.create_external_id("4711", type="c8y_Serial", external_id="X")
    assert [e.external_id for e in client.identity.list_external_ids("4711")] == ["X"]
    assert get.called and listing.called
    assert json.loads(post.calls.last.request.content) == {"type": "c8y_Serial", "externalId": "X"}


def test_system_option(client: Client, router: respx.MockRouter) -> None:
    router.get("/tenant/system/options/device-control/bulkoperation.creationramp").respond(
        200, json={"category": "device-control", "key": "bulkoperation.creationramp", "value": "0.001"}
    )
    assert client.options.get_system_option("device-control", "bulkoperation.creationramp").value == "0.001"
