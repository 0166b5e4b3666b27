"""Every failure maps once onto the error tree, with one-line messages free of secrets (§1.4)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from c8ydm.api.client import Client
from c8ydm.api.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    C8yError,
    CannotConnectError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)
from c8ydm.api.http_errors import address
from c8ydm.api.retry import RetryPolicy

from .conftest import BASE_URL, PASSWORD

ERROR_TYPE = "application/vnd.com.nsn.cumulocity.error+json"


def c8y_error(status: int, error: str, message: str | None) -> httpx.Response:
    body = {"error": error, "info": "https://cumulocity.com/guides/reference/rest-implementation"}
    if message is not None:
        body["message"] = message
    return httpx.Response(status, json=body, headers={"Content-Type": ERROR_TYPE})


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, BadRequestError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
    ],
)
def test_status_maps_to_its_error_class(
    client: Client, router: respx.MockRouter, status: int, error_class: type[APIError]
) -> None:
    route = router.get("/inventory/managedObjects/4711").mock(
        return_value=c8y_error(status, "inventory/someError", "Something went wrong!")
    )
    with pytest.raises(error_class) as caught:
        client.inventory.get("4711")
    error = caught.value
    assert type(error) is error_class
    assert (error.status_code, error.method, error.path) == (status, "GET", "/inventory/managedObjects/4711")
    assert error.error == "inventory/someError"
    assert error.info == "https://cumulocity.com/guides/reference/rest-implementation"
    assert error.message == f"Something went wrong! (HTTP {status} on GET /inventory/managedObjects/4711)"
    assert "\n" not in error.message
    assert route.called


def test_missing_message_falls_back_to_the_reason_phrase(client: Client, router: respx.MockRouter) -> None:
    router.get("/inventory/managedObjects/1").mock(return_value=c8y_error(404, "inventory/notFound", None))
    with pytest.raises(NotFoundError) as caught:
        client.inventory.get("1")
    assert caught.value.message == "Not Found (HTTP 404 on GET /inventory/managedObjects/1)"


def test_html_gateway_error_is_not_parsed(client: Client, router: respx.MockRouter) -> None:
    html = "<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>"
    router.post("/inventory/managedObjects").mock(
        return_value=httpx.Response(502, text=html, headers={"Content-Type": "text/html"})
    )
    with pytest.raises(ServerError) as caught:
        client.inventory.create({"name": "x"})
    assert caught.value.message == "Bad Gateway (HTTP 502 on POST /inventory/managedObjects)"
    assert caught.value.error is None and caught.value.hint is not None


def test_permission_denied_names_the_role(client: Client, router: respx.MockRouter) -> None:
    router.delete("/inventory/managedObjects/1").mock(
        return_value=c8y_error(403, "security/Forbidden", "Access is denied")
    )
    with pytest.raises(PermissionDeniedError) as caught:
        client.inventory.delete("1")
    assert caught.value.hint is not None and "ROLE_INVENTORY_ADMIN" in caught.value.hint


def test_connection_refused_is_a_one_line_transport_error_naming_host_and_port(
    client: Client, router: respx.MockRouter, sleeps: list[float]
) -> None:
    route = router.post("/devicecontrol/operations").mock(
        side_effect=httpx.ConnectError("[Errno 111] Connection refused")
    )
    with pytest.raises(TransportError) as caught:
        client.operations.create({"deviceId": "1"})
    assert caught.value.message == "cannot connect to t100.example.com:443: [Errno 111] Connection refused"
    assert isinstance(caught.value, CannotConnectError)
    assert route.call_count == 1 and sleeps == []


def test_tls_failure_is_reported_as_such(client: Client, router: respx.MockRouter) -> None:
    router.post("/devicecontrol/operations").mock(
        side_effect=httpx.ConnectError(
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:1006)"
        )
    )
    with pytest.raises(TransportError) as caught:
        client.operations.create({"deviceId": "1"})
    assert caught.value.message.startswith("TLS failure talking to t100.example.com:443:")


def test_timeout_is_a_transport_error(client: Client, router: respx.MockRouter) -> None:
    router.post("/devicecontrol/operations").mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(TransportError, match=r"^timed out waiting for t100\.example\.com:443$"):
        client.operations.create({"deviceId": "1"})


def test_errors_never_carry_the_authorization_or_password(router: respx.MockRouter) -> None:
    router.get("/user/currentUser").mock(
        return_value=c8y_error(401, "security/Unauthorized", "Invalid credentials!")
    )
    router.get("/tenant/currentTenant").mock(side_effect=httpx.ConnectError("connection reset"))
    from c8ydm.api.auth import BasicAuth

    with Client(BASE_URL, BasicAuth("admin", PASSWORD), retry=RetryPolicy.disabled()) as client:
        errors: list[C8yError] = []
        for call in (client.tenant.current_user, client.tenant.current):
            with pytest.raises(C8yError) as caught:
                call()
            errors.append(caught.value)
    for error in errors:
        text = f"{error} {error.hint} {error!r} {vars(error)}"
        assert PASSWORD not in text and "Basic " not in text and "Authorization" not in text


def test_absolute_url_on_another_host_is_refused(client: Client) -> None:
    with pytest.raises(C8yError, match=r"refusing to send tenant credentials to evil\.example\.org"):
        client.request("GET", "https://evil.example.org/inventory/managedObjects/1")


def test_absolute_self_link_on_the_tenant_host_is_followed(client: Client, router: respx.MockRouter) -> None:
    route = router.get("/inventory/managedObjects/5").respond(200, json={"id": "5"})
    assert client.get_json(f"{BASE_URL}/inventory/managedObjects/5") == {"id": "5"}
    assert route.called


def test_body_broken_off_mid_read_is_a_transport_error(client: Client, router: respx.MockRouter) -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b'{"id":'
            raise httpx.ReadError("connection reset by peer")

    router.get("/inventory/managedObjects/1").mock(return_value=httpx.Response(200, stream=Broken()))
    with pytest.raises(
        TransportError, match=r"^connection to t100\.example\.com:443 failed: connection reset by peer$"
    ):
        client.inventory.get("1")


def test_unresolvable_tenant_host_points_at_the_tenant_url(client: Client, router: respx.MockRouter) -> None:
    router.get("/inventory/managedObjects/1").mock(
        side_effect=httpx.ConnectError("[Errno -2] Name or service not known")
    )
    client.retry = RetryPolicy.disabled()

    with pytest.raises(TransportError) as caught:
        client.inventory.get("1")

    assert (caught.value.message, caught.value.hint) == (
        "cannot resolve host t100.example.com",
        "check the tenant URL",
    )


def test_address_has_the_scheme_default_port_unless_one_is_given() -> None:
    assert address(httpx.URL("https://t1.example.com/x")) == "t1.example.com:443"
    assert address(httpx.URL("http://127.0.0.1:8111")) == "127.0.0.1:8111"
    assert address(httpx.URL("http://localhost/")) == "localhost:80"
