"""Device credentials: list (one owner query per page), show, roles and removal (§12.1, §12.2, §12.5)."""

from __future__ import annotations

import httpx
import pytest
from credentials_fakes import GROUPS, MO, USERS, device, groups_page, mo_page, user, users_page
from support.repo_mock import BASE_URL, ScriptedTenant

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.procedures.credentials.listing import list_credentials, show_credentials
from c8ydm.procedures.credentials.removal import execute_removal, plan_removal
from c8ydm.procedures.credentials.roles import execute_roles, plan_roles
from c8ydm.procedures.errors import PartialFailureError

OWNERS_QUERY = "$filter=((has(c8y_IsDevice)) and ((owner eq 'device_A') or (owner eq 'device_B')))"


def test_list_asks_the_owners_of_a_whole_page_in_one_query(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", USERS, users_page(user("device_A"), user("device_B", enabled=False)))
    tenant.on("GET", MO, mo_page(device("10", "a-1", "device_A"), device("11", "b-1", "device_B")))

    rows = list(list_credentials(client, username="device_"))

    assert [(r.user.user_name, r.roles, [d.name for d in r.devices]) for r in rows] == [
        ("device_A", ["devices"], ["a-1"]), ("device_B", ["devices"], ["b-1"]),
    ]  # fmt: skip
    users_call, owners_call = tenant.calls
    assert users_call.params == {
        "onlyDevices": "true", "username": "device_", "pageSize": "100", "currentPage": "1",
        "withTotalPages": "true",
    }  # fmt: skip
    assert owners_call.params["query"] == OWNERS_QUERY and owners_call.params["pageSize"] == "2000"


def test_list_filters_disabled_users_and_roles_here(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", GROUPS, groups_page())
    tenant.on(
        "GET", USERS, users_page(user("device_A", groups=((1, "admins"),)), user("device_B", enabled=False))
    )
    tenant.on("GET", MO, mo_page())

    assert [r.user.user_name for r in list_credentials(client, disabled=True)] == ["device_B"]
    assert [r.user.user_name for r in list_credentials(client, role="ADMINS")] == ["device_A"]


def test_an_unknown_role_is_exit_2_with_the_catalogue(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", GROUPS, groups_page())

    with pytest.raises(InputError) as raised:
        list(list_credentials(client, role="root"))

    assert raised.value.hint == "the roles are: admins, devices, readers"
    assert [c.path for c in tenant.calls] == [GROUPS]


def test_show_asks_for_provisioned_certificates(tenant: ScriptedTenant, client: Client) -> None:
    body = {**user("device_A"), "provisionedCertificates": [{"serialNumber": "1A", "subject": "CN=a"}]}
    tenant.on("GET", f"{USERS}/device_A", body)
    tenant.on("GET", MO, mo_page(device("10", "a-1", "device_A")))

    details = show_credentials(client, "device_A")

    assert details.certificates == [{"serialNumber": "1A", "subject": "CN=a"}]
    assert [d.id for d in details.devices] == ["10"]
    assert tenant.calls[-2].params == {"withCertificates": "true"}


def test_roles_diff_adds_and_removes_only_what_changes(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", GROUPS, groups_page())
    tenant.on("GET", f"{USERS}/device_A", user("device_A", groups=((2, "devices"), (3, "readers"))))
    tenant.on("POST", f"{GROUPS}/1/users", {})
    tenant.on("DELETE", f"{GROUPS}/3/users/device_A", httpx.Response(204))
    tenant.on("GET", f"{USERS}/device_A/groups", {"references": [{"group": {"id": 1, "name": "admins"}}]})

    plan = plan_roles(client, "device_A", add=["admins", "devices"], remove=["readers"])
    result = execute_roles(client, plan)

    assert tenant.changes() == [
        ("POST", f"{GROUPS}/1/users", {"user": {"id": "device_A", "self": f"{BASE_URL}{USERS}/device_A"}}),
        ("DELETE", f"{GROUPS}/3/users/device_A", None),
    ]
    assert (result.added, result.removed, [g.name for g in result.roles]) == (
        ["admins"],
        ["readers"],
        ["admins"],
    )


def test_roles_unknown_names_fail_before_the_user_is_read(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", GROUPS, groups_page())

    with pytest.raises(InputError, match="unknown global role 'root'"):
        plan_roles(client, "device_A", add=["root"], remove=[])

    assert [c.path for c in tenant.calls] == [GROUPS]


def test_roles_membership_post_with_a_lost_answer_is_looked_up(
    tenant: ScriptedTenant, client: Client
) -> None:
    tenant.on("GET", GROUPS, groups_page())
    tenant.on("GET", f"{USERS}/device_A", user("device_A"))
    tenant.on("POST", f"{GROUPS}/1/users", httpx.ReadTimeout("lost"))
    tenant.on("GET", f"{USERS}/device_A/groups", {"references": [{"group": {"id": 1, "name": "admins"}}]})

    result = execute_roles(client, plan_roles(client, "device_A", add=["admins"], remove=[]))

    assert [c.method for c in tenant.calls].count("POST") == 1 and result.added == ["admins"]


def test_delete_without_device_deletes_the_users(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{USERS}/device_A", user("device_A"))
    tenant.on("GET", f"{USERS}/device_B", user("device_B"))
    tenant.on("DELETE", f"{USERS}/device_A", httpx.Response(204))
    tenant.on("DELETE", f"{USERS}/device_B", 500)

    plan = plan_removal(client, ["device_A", "device_B"], with_device=False)
    report = execute_removal(client, plan)

    assert "Delete the credentials of 2 device user(s): device_A, device_B?" in plan.question
    assert [o.error is None for o in report.outcomes] == [True, False]
    with pytest.raises(PartialFailureError):
        report.raise_for_failures()


def test_delete_with_device_deletes_the_one_root_device_with_its_user(
    tenant: ScriptedTenant, client: Client
) -> None:
    tenant.on("GET", f"{USERS}/device_A", user("device_A"))
    tenant.on("GET", MO, mo_page(device("10", "a-1", "device_A")))
    tenant.on("GET", f"{MO}/10", device("10", "a-1", "device_A", deviceParents={"references": []}))
    tenant.on("DELETE", f"{MO}/10", httpx.Response(204))

    execute_removal(client, plan_removal(client, ["device_A"], with_device=True))

    assert tenant.changes() == [("DELETE", f"{MO}/10?withDeviceUser=true", None)]
    assert tenant.calls[2].params == {"withParents": "true"}


def test_delete_with_device_refuses_a_child_device(tenant: ScriptedTenant, client: Client) -> None:
    parents = {"references": [{"managedObject": {"id": "9"}}]}
    tenant.on("GET", f"{USERS}/device_A", user("device_A"))
    tenant.on("GET", MO, mo_page(device("10", "a-1", "device_A")))
    tenant.on("GET", f"{MO}/10", device("10", "a-1", "device_A", deviceParents=parents))

    with pytest.raises(InputError, match="needs one root device owned by device_A; found: a-1 \\(10\\)"):
        plan_removal(client, ["device_A"], with_device=True)

    assert tenant.changes() == []
