"""Authentication, tenant endpoints and error bodies of the sandbox (contract §1.2, §1.4)."""

from __future__ import annotations

import base64
import json
import time

import httpx
from support.sandbox import SandboxInstance

ERROR_TYPE = "application/vnd.com.nsn.cumulocity.error+json"


def _assert_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith(ERROR_TYPE)
    body = response.json()
    assert body["error"] == error
    assert set(body) == {"error", "message", "info"}
    assert body["message"]


def test_login_options_offer_oai_secure_and_basic_without_credentials(anon_api: httpx.Client) -> None:
    response = anon_api.get("/tenant/loginOptions")
    assert response.status_code == 200
    types = [option["type"] for option in response.json()["loginOptions"]]
    assert types == ["OAUTH2_INTERNAL", "BASIC"]
    assert response.json()["loginOptions"][0]["grantType"] == "PASSWORD"


def test_oauth_token_is_a_jwt_with_base64url_claims_usable_as_bearer(
    anon_api: httpx.Client, sandbox: SandboxInstance
) -> None:
    response = anon_api.post(
        "/tenant/oauth/token",
        params={"tenant_id": sandbox.tenant},
        data={"grant_type": "PASSWORD", "username": sandbox.user, "password": sandbox.password},
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["sub"] == sandbox.user
    assert claims["ten"] == sandbox.tenant
    assert claims["exp"] > time.time()
    me = anon_api.get("/user/currentUser", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["userName"] == sandbox.user


def test_oauth_cookie_login_sets_authorization_and_xsrf_cookies(
    anon_api: httpx.Client, sandbox: SandboxInstance
) -> None:
    response = anon_api.post(
        "/tenant/oauth",
        params={"tenant_id": sandbox.tenant},
        data={"grant_type": "PASSWORD", "username": sandbox.user, "password": sandbox.password},
    )
    assert response.status_code == 200
    assert response.cookies.get("authorization")
    assert response.cookies.get("XSRF-TOKEN")


def test_oauth_token_with_a_wrong_password_is_401(anon_api: httpx.Client, sandbox: SandboxInstance) -> None:
    response = anon_api.post(
        "/tenant/oauth/token",
        params={"tenant_id": sandbox.tenant},
        data={"grant_type": "PASSWORD", "username": sandbox.user, "password": "wrong"},
    )
    _assert_error(response, 401, "security/Unauthorized")


def test_bearer_token_with_a_bad_signature_is_401(anon_api: httpx.Client, sandbox: SandboxInstance) -> None:
    token = anon_api.post(
        "/tenant/oauth/token",
        params={"tenant_id": sandbox.tenant},
        data={"grant_type": "PASSWORD", "username": sandbox.user, "password": sandbox.password},
    ).json()["access_token"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    _assert_error(
        anon_api.get("/tenant/currentTenant", headers={"Authorization": f"Bearer {forged}"}),
        401,
        "security/Unauthorized",
    )


def test_basic_auth_accepts_tenant_prefixed_and_bare_user(
    anon_api: httpx.Client, sandbox: SandboxInstance
) -> None:
    for login in (f"{sandbox.tenant}/{sandbox.user}", sandbox.user):
        response = anon_api.get("/tenant/currentTenant", auth=(login, sandbox.password))
        assert response.status_code == 200, login
        assert response.json()["name"] == sandbox.tenant
        assert response.json()["domainName"]


def test_wrong_password_is_401_for_prefixed_and_bare_user(
    anon_api: httpx.Client, sandbox: SandboxInstance
) -> None:
    for login in (f"{sandbox.tenant}/{sandbox.user}", sandbox.user):
        _assert_error(
            anon_api.get("/inventory/managedObjects", auth=(login, "not-the-password")),
            401,
            "security/Unauthorized",
        )


def test_other_tenant_prefix_and_missing_credentials_are_401(
    anon_api: httpx.Client, sandbox: SandboxInstance
) -> None:
    _assert_error(
        anon_api.get("/inventory/managedObjects", auth=(f"t999/{sandbox.user}", sandbox.password)),
        401,
        "security/Unauthorized",
    )
    _assert_error(anon_api.get("/inventory/managedObjects"), 401, "security/Unauthorized")


def test_current_user_lists_effective_roles(api: httpx.Client, reader_api: httpx.Client) -> None:
    admin_roles = {role["id"] for role in api.get("/user/currentUser").json()["effectiveRoles"]}
    assert {"ROLE_INVENTORY_ADMIN", "ROLE_INVENTORY_READ", "ROLE_DEVICE_CONTROL_ADMIN"} <= admin_roles
    reader_roles = {role["id"] for role in reader_api.get("/user/currentUser").json()["effectiveRoles"]}
    assert "ROLE_INVENTORY_READ" in reader_roles
    assert "ROLE_INVENTORY_ADMIN" not in reader_roles


def test_read_only_user_reads_but_gets_403_on_every_write(
    api: httpx.Client, reader_api: httpx.Client
) -> None:
    device = api.post("/inventory/managedObjects", json={"name": "ro-target"}).json()
    assert reader_api.get(f"/inventory/managedObjects/{device['id']}").status_code == 200
    _assert_error(reader_api.post("/inventory/managedObjects", json={"name": "x"}), 403, "security/Forbidden")
    _assert_error(
        reader_api.put(f"/inventory/managedObjects/{device['id']}", json={"name": "y"}),
        403,
        "security/Forbidden",
    )
    _assert_error(reader_api.delete(f"/inventory/managedObjects/{device['id']}"), 403, "security/Forbidden")
    _assert_error(
        reader_api.post("/inventory/binaries", files={"file": ("a.txt", b"a")}), 403, "security/Forbidden"
    )
    assert api.get(f"/inventory/managedObjects/{device['id']}").json()["name"] == "ro-target"


def test_system_options_give_the_bulk_creation_ramp_bounds(api: httpx.Client) -> None:
    low = api.get("/tenant/system/options/device-control/bulkoperation.creationramp").json()
    high = api.get("/tenant/system/options/device-control/bulkoperation.maxcreationramp").json()
    assert (low["category"], low["key"], low["value"]) == (
        "device-control",
        "bulkoperation.creationramp",
        "0.001",
    )
    assert high["value"] == "3600"
    _assert_error(api.get("/tenant/system/options/nope/nothing"), 404, "options/notFound")


def test_unknown_path_and_object_answer_cumulocity_error_bodies(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    _assert_error(api.get("/inventory/managedObjects/999999999"), 404, "inventory/notFound")
    response = httpx.get(f"{sandbox.url}/no/such/endpoint", auth=sandbox.auth)  # not in the spec
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(ERROR_TYPE)
