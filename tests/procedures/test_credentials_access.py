"""Device credentials: resolving USER_OR_DEVICE, enable/disable, password (contract §12.3-§12.5)."""

from __future__ import annotations

import httpx
import pytest
from credentials_fakes import MO, USERS, device, device_query, mo_page, user
from support.repo_mock import ScriptedTenant

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError, PermissionDeniedError, UnprocessableEntityError
from c8ydm.procedures.credentials import access
from c8ydm.procedures.credentials.targets import CredentialTarget, resolve_target
from c8ydm.procedures.errors import PartialFailureError


def script_device(tenant: ScriptedTenant, mo_id: str, name: str, user_name: str) -> None:
    tenant.on("GET", MO, mo_page(device(mo_id, name, user_name)), query=device_query(name))
    tenant.on("GET", f"{MO}/{mo_id}/user", {"userName": user_name, "enabled": True})


def test_a_device_user_is_looked_up_by_its_id(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{USERS}/device_SN-1", user("device_SN-1"))

    target = resolve_target(client, "device_SN-1")

    assert (target.user_name, target.device) == ("device_SN-1", None)
    assert [c.path for c in tenant.calls] == [f"{USERS}/device_SN-1"]


def test_a_device_name_resolves_to_the_user_the_device_reports(
    tenant: ScriptedTenant, client: Client
) -> None:
    script_device(tenant, "10", "linux-1", "device_LNX-77")  # not derived from the name

    target = resolve_target(client, "linux-1")

    assert (target.user_name, target.device_id) == ("device_LNX-77", "10")


def test_an_unknown_value_is_not_found(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{USERS}/device_x", 404)
    tenant.on("GET", MO, mo_page(), query=device_query("device_x"))

    with pytest.raises(NotFoundError, match="no device user or device 'device_x'"):
        resolve_target(client, "device_x")


def test_disable_by_device_uses_the_device_put_and_by_user_the_user_put(
    tenant: ScriptedTenant, client: Client
) -> None:
    script_device(tenant, "10", "linux-1", "device_A")
    tenant.on("GET", f"{USERS}/device_B", user("device_B"))
    tenant.on("PUT", f"{MO}/10/user", {"userName": "device_A", "enabled": False})
    tenant.on("PUT", f"{USERS}/device_B", user("device_B", enabled=False))

    report = access.set_enabled(client, ["linux-1", "device_B"], enabled=False)

    assert tenant.changes() == [
        ("PUT", f"{MO}/10/user", {"enabled": False}),
        ("PUT", f"{USERS}/device_B", {"enabled": False}),
    ]
    assert [(o.target.user_name, o.enabled, o.error) for o in report.outcomes] == [
        ("device_A", False, None), ("device_B", False, None),
    ]  # fmt: skip
    report.raise_for_failures()


def test_an_unknown_target_fails_before_any_change(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{USERS}/device_B", user("device_B"))
    tenant.on("GET", MO, mo_page(), query=device_query("ghost"))

    with pytest.raises(NotFoundError):
        access.set_enabled(client, ["device_B", "ghost"], enabled=False)

    assert tenant.changes() == []


def test_some_failures_are_rows_then_exit_14(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{USERS}/device_A", user("device_A"))
    tenant.on("GET", f"{USERS}/device_B", user("device_B"))
    tenant.on("PUT", f"{USERS}/device_A", 403)
    tenant.on("PUT", f"{USERS}/device_B", user("device_B", enabled=True))

    report = access.set_enabled(client, ["device_A", "device_B"], enabled=True)

    assert [o.error is None for o in report.outcomes] == [False, True]
    with pytest.raises(PartialFailureError, match="1 of 2 device users failed: device_A"):
        report.raise_for_failures()


def test_one_target_fails_with_its_own_error(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{USERS}/device_A", user("device_A"))
    tenant.on("PUT", f"{USERS}/device_A", 403)

    with pytest.raises(PermissionDeniedError):
        access.set_enabled(client, ["device_A"], enabled=True)


@pytest.mark.parametrize("password", ["short", "x" * 33, "has space1", "ümlaut-pw"])
def test_passwords_outside_the_rules_are_exit_2_without_echo(password: str) -> None:
    with pytest.raises(InputError) as raised:
        access.check_password(password)

    assert password not in raised.value.message


def test_generated_passwords_meet_the_rules_and_mix_kinds() -> None:
    for _ in range(50):
        password = access.generate_password()
        assert access.meets_password_rules(password) and len(password) == access.GENERATED_LENGTH
        assert any(c.isdigit() for c in password) and any(c.isupper() for c in password)


def test_a_refused_password_change_is_exit_6_naming_re_registration(
    tenant: ScriptedTenant, client: Client
) -> None:
    tenant.on("GET", f"{USERS}/device_A", user("device_A"))
    tenant.on("PUT", f"{USERS}/device_A", 403)
    target = resolve_target(client, "device_A")

    with pytest.raises(PermissionDeniedError) as raised:
        access.change_password(client, target, "canary-S3cr3t-pw")

    assert "only a user can change their own password" in raised.value.message
    assert "credentials register" in (raised.value.hint or "")
    assert "canary" not in raised.value.message + (raised.value.hint or "")
    assert tenant.changes() == [("PUT", f"{USERS}/device_A", {"password": "canary-S3cr3t-pw"})]


def test_a_422_naming_another_user_is_a_refusal_too(tenant: ScriptedTenant, client: Client) -> None:
    body = {"error": "user/Invalid", "message": "Cannot update the password of another user"}
    tenant.on("PUT", f"{USERS}/device_A", httpx.Response(422, json=body))

    with pytest.raises(PermissionDeniedError):
        access.change_password(client, CredentialTarget("device_A", "device_A"), "N3w-passw0rd")


def test_a_strength_policy_422_stays_invalid(tenant: ScriptedTenant, client: Client) -> None:
    body = {"error": "user/Invalid", "message": "Password is too weak"}
    tenant.on("PUT", f"{USERS}/device_A", httpx.Response(422, json=body))

    with pytest.raises(UnprocessableEntityError):
        access.change_password(client, CredentialTarget("device_A", "device_A"), "N3w-passw0rd")
