"""Authentication: Basic (both forms), Bearer, OAI-Secure login and re-login, and connect() (§1.2)."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from c8ydm.api.auth import (
    BasicAuth,
    BearerAuth,
    OAIAuth,
    basic_header,
    choose_login_type,
    decode_jwt_claims,
    make_auth,
    tenant_from_login_options,
)
from c8ydm.api.client import Client
from c8ydm.api.errors import AuthenticationError, InputError, TfaRequiredError
from c8ydm.api.login import connect
from c8ydm.api.models.tenant import LoginOption

from .conftest import BASE_URL, PASSWORD, TENANT, USER

ERROR_TYPE = "application/vnd.com.nsn.cumulocity.error+json"
OAI_OPTIONS = {
    "loginOptions": [
        {
            "type": "OAUTH2_INTERNAL",
            "grantType": "PASSWORD",
            "initRequest": f"{BASE_URL}/tenant/oauth?tenant_id=t100",
        },
        {"type": "BASIC"},
    ]
}


def jwt(claims: dict[str, object]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiJ9.{payload}.c2lnbmF0dXJl"


TOKEN = jwt({"sub": "admin", "ten": "t100", "exp": 1_900_000_000, "x": "~~~>>>?"})
TOKEN_2 = jwt({"sub": "admin", "ten": "t100", "exp": 1_900_000_100})


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def verify_routes(router: respx.MockRouter) -> tuple[respx.Route, respx.Route]:
    tenant = router.get("/tenant/currentTenant").respond(
        200, json={"name": TENANT, "domainName": "t100.example.com"}
    )
    user = router.get("/user/currentUser").respond(
        200, json={"id": USER, "userName": USER, "effectiveRoles": []}
    )
    return tenant, user


def form_of(route: respx.Route, index: int = -1) -> dict[str, list[str]]:
    return parse_qs(route.calls[index].request.content.decode())


def test_basic_header_forms() -> None:
    assert basic_header("admin", "pw", "t100") == basic("t100/admin", "pw")
    assert basic_header("admin", "pw") == basic("admin", "pw")


def test_basic_auth_sends_the_prefixed_form_when_the_tenant_is_known(router: respx.MockRouter) -> None:
    tenant, _ = verify_routes(router)
    with Client(BASE_URL, BasicAuth(USER, PASSWORD, tenant=TENANT)) as client:
        client.tenant.current()
    assert tenant.calls.last.request.headers["Authorization"] == basic(f"{TENANT}/{USER}", PASSWORD)


def test_connect_with_basic_starts_bare_and_switches_to_the_prefixed_form(router: respx.MockRouter) -> None:
    options = router.get("/tenant/loginOptions").respond(200, json={"loginOptions": [{"type": "BASIC"}]})
    tenant, user = verify_routes(router)
    login = connect(BASE_URL, user=USER, password=PASSWORD)
    with login.client:
        assert (login.tenant_id, login.login_type, login.token) == (TENANT, "BASIC", None)
        assert login.current_user.user_name == USER and login.client.tenant_id == TENANT
    assert "Authorization" not in options.calls.last.request.headers
    assert tenant.calls.last.request.headers["Authorization"] == basic(USER, PASSWORD)
    assert user.calls.last.request.headers["Authorization"] == basic(f"{TENANT}/{USER}", PASSWORD)


def test_connect_falls_back_to_basic_when_login_options_fail(router: respx.MockRouter) -> None:
    router.get("/tenant/loginOptions").respond(
        404, json={"error": "x/notFound"}, headers={"Content-Type": ERROR_TYPE}
    )
    verify_routes(router)
    login = connect(BASE_URL, tenant=TENANT, user=USER, password=PASSWORD)
    login.client.close()
    assert login.login_type == "BASIC"


def test_bearer_token_is_sent_and_a_401_is_final(router: respx.MockRouter) -> None:
    route = router.get("/user/currentUser").respond(
        401, json={"message": "expired"}, headers={"Content-Type": ERROR_TYPE}
    )
    with Client(BASE_URL, BearerAuth(TOKEN)) as client, pytest.raises(AuthenticationError):
        client.tenant.current_user()
    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_connect_with_a_token_uses_bearer_without_login_options(router: respx.MockRouter) -> None:
    _, user = verify_routes(router)
    login = connect(BASE_URL, token=TOKEN)
    login.client.close()
    assert login.login_type == "BEARER" and login.tenant_id == TENANT
    assert user.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_connect_prefers_oai_secure_and_posts_the_login_form(router: respx.MockRouter) -> None:
    options = router.get("/tenant/loginOptions").respond(200, json=OAI_OPTIONS)
    token = router.post("/tenant/oauth/token").respond(200, json={"access_token": TOKEN})
    tenant, user = verify_routes(router)
    login = connect(BASE_URL, user=USER, password=PASSWORD)
    login.client.close()
    assert (login.login_type, login.token, login.tenant_id) == ("OAUTH2_INTERNAL", TOKEN, TENANT)
    assert not options.calls.last.request.url.params  # no tenant known yet
    request = token.calls.last.request
    assert dict(request.url.params) == {"tenant_id": "t100"}  # taken from the option's initRequest
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in request.headers
    assert form_of(token) == {"grant_type": ["PASSWORD"], "username": [USER], "password": [PASSWORD]}
    assert token.call_count == 1
    for route in (tenant, user):
        assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_oai_login_falls_back_to_the_cookie_endpoint(router: respx.MockRouter) -> None:
    router.post("/tenant/oauth/token").respond(404, json={"error": "x"}, headers={"Content-Type": ERROR_TYPE})
    cookie = router.post("/tenant/oauth").respond(
        200,
        headers=[("Set-Cookie", f"authorization={TOKEN}; Path=/"), ("Set-Cookie", "XSRF-TOKEN=x; Path=/")],
    )
    tenant, _ = verify_routes(router)
    auth = OAIAuth(USER, PASSWORD, tenant=TENANT)
    with Client(BASE_URL, auth) as client:
        client.tenant.current()
    assert auth.token == TOKEN and auth.tenant == TENANT
    assert dict(cookie.calls.last.request.url.params) == {"tenant_id": TENANT}
    assert tenant.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_oai_token_expiry_logs_in_again_once(router: respx.MockRouter) -> None:
    token = router.post("/tenant/oauth/token").mock(
        side_effect=[
            httpx.Response(200, json={"access_token": TOKEN}),
            httpx.Response(200, json={"access_token": TOKEN_2}),
        ]
    )
    expired = httpx.Response(401, json={"message": "Token expired"}, headers={"Content-Type": ERROR_TYPE})
    tenant = router.get("/tenant/currentTenant").mock(
        side_effect=[
            httpx.Response(200, json={"name": TENANT}),
            expired,
            httpx.Response(200, json={"name": TENANT}),
        ]
    )
    with Client(BASE_URL, OAIAuth(USER, PASSWORD, tenant=TENANT)) as client:
        client.tenant.current()
        client.tenant.current()
    assert token.call_count == 2 and tenant.call_count == 3
    sent = [call.request.headers["Authorization"] for call in tenant.calls]
    assert sent == [f"Bearer {TOKEN}", f"Bearer {TOKEN}", f"Bearer {TOKEN_2}"]


def test_oai_401_after_a_fresh_login_is_final(router: respx.MockRouter) -> None:
    token = router.post("/tenant/oauth/token").respond(200, json={"access_token": TOKEN})
    route = router.get("/user/currentUser").respond(
        401, json={"message": "no"}, headers={"Content-Type": ERROR_TYPE}
    )
    with (
        Client(BASE_URL, OAIAuth(USER, PASSWORD, tenant=TENANT)) as client,
        pytest.raises(AuthenticationError),
    ):
        client.tenant.current_user()
    assert token.call_count == 1 and route.call_count == 1


def test_bad_password_is_an_authentication_error_without_the_password(router: respx.MockRouter) -> None:
    router.post("/tenant/oauth/token").respond(
        401, json={"message": "Invalid credentials!"}, headers={"Content-Type": ERROR_TYPE}
    )
    with (
        Client(BASE_URL, OAIAuth(USER, PASSWORD, tenant=TENANT)) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.tenant.current()
    assert caught.value.message == "Invalid credentials! (HTTP 401 on POST /tenant/oauth/token)"
    assert PASSWORD not in repr(vars(caught.value))


def test_tfa_code_required_is_its_own_error_and_the_code_is_sent(router: respx.MockRouter) -> None:
    token = router.post("/tenant/oauth/token").mock(
        side_effect=[
            httpx.Response(
                401, json={"message": "TFA TOTP code required."}, headers={"Content-Type": ERROR_TYPE}
            ),
            httpx.Response(200, json={"access_token": TOKEN}),
        ]
    )
    verify_routes(router)
    with pytest.raises(TfaRequiredError):
        connect(BASE_URL, tenant=TENANT, user=USER, password=PASSWORD, login_type="OAUTH2_INTERNAL")
    login = connect(
        BASE_URL, tenant=TENANT, user=USER, password=PASSWORD, tfa_code="123456", login_type="OAUTH2_INTERNAL"
    )
    login.client.close()
    assert form_of(token)["tfa_code"] == ["123456"]


def test_connect_needs_a_password_or_token() -> None:
    with pytest.raises(InputError):
        connect(BASE_URL, user=USER)


@pytest.mark.parametrize(
    ("types", "has_password", "expected"),
    [
        (["OAUTH2_INTERNAL", "BASIC"], True, "OAUTH2_INTERNAL"),
        (["oauth2_internal"], True, "OAUTH2_INTERNAL"),
        (["BASIC"], True, "BASIC"),
        (["OAUTH2_INTERNAL", "BASIC"], False, "BASIC"),
        (["OAUTH2"], True, "BASIC"),
    ],
)
def test_login_option_choice(types: list[str], has_password: bool, expected: str) -> None:
    options = [LoginOption(type=value) for value in types]
    assert choose_login_type(options, has_password=has_password) == expected


def test_tenant_from_login_options() -> None:
    options = [LoginOption.model_validate(item) for item in OAI_OPTIONS["loginOptions"]]
    assert tenant_from_login_options(options) == "t100"
    assert tenant_from_login_options([LoginOption(type="BASIC")]) is None


def test_jwt_payload_is_decoded_as_base64url() -> None:
    payload = TOKEN.split(".")[1]
    assert "-" in payload or "_" in payload  # plain base64 would fail on these
    assert decode_jwt_claims(TOKEN)["ten"] == "t100"
    assert BearerAuth(TOKEN).tenant == "t100"
    assert decode_jwt_claims("not-a-jwt") == {}


def test_auth_reprs_hide_secrets() -> None:
    for auth in (BasicAuth(USER, PASSWORD), OAIAuth(USER, PASSWORD), BearerAuth(PASSWORD)):
        assert PASSWORD not in repr(auth)


def test_make_auth_picks_oai_secure_by_the_login_option_types_own_name() -> None:
    # auth.py names the type without importing the models (start-up): the two must agree.
    from c8ydm.api import auth
    from c8ydm.api.models.tenant import LoginOptionType

    assert LoginOptionType.OAUTH2_INTERNAL.value == auth.OAUTH2_INTERNAL
    oai = make_auth(login_type=LoginOptionType.OAUTH2_INTERNAL.value.lower(), user="u", password="p")
    basic = make_auth(login_type=LoginOptionType.BASIC.value, user="u", password="p")
    assert (type(oai), type(basic)) == (OAIAuth, BasicAuth)
