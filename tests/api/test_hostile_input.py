"""Hostile input stops before any request, in one line, without echoing a secret (issue 14):
tenant URLs (§1.1), credentials with control characters, header errors, Retry-After kept."""

from __future__ import annotations

import httpx
import pytest
import respx

from c8ydm.api.auth import BasicAuth, BearerAuth, OAIAuth, make_auth
from c8ydm.api.client import Client
from c8ydm.api.conventions import normalize_base_url
from c8ydm.api.errors import InputError, RateLimitError, TransportError
from c8ydm.api.retry import RetryPolicy
from c8ydm.cli.exitcodes import exit_code_for

SECRET = "Canary-S3cret"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "the tenant URL is empty"),
        ("   ", "the tenant URL is empty"),
        ("http://127.0.0.1:abc", "not a valid tenant URL: 'http://127.0.0.1:abc'"),
        ("http://[::1", "not a valid tenant URL: 'http://[::1'"),
        ("https://", "not a valid tenant URL: 'https://'"),
        ("ftp://t100.example.com", "not a valid tenant URL: 'ftp://t100.example.com'"),
        ("javascript:alert(1)", "not a valid tenant URL: 'https://javascript:alert(1)'"),
        ("http://ho st", "not a valid tenant URL: 'http://ho st'"),
        ("http://t.example.com:70000", "the port of the tenant URL 'http://t.example.com:70000' is out of"),
        ("http://t.example.com/\nx", "the tenant URL 'http://t.example.com/\\nx' contains a control"),
        (f"https://alice:{SECRET}@t.example.com", "the tenant URL 'https://***@t.example.com' contains a"),
        (f"https://alice:{SECRET}/x@t.example.com", "not a valid tenant URL: 'https://***@t.example.com'"),
    ],
)  # fmt: skip
def test_a_bad_tenant_url_is_exit_2_naming_it_without_its_password(given: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        normalize_base_url(given)

    assert raised.value.message.startswith(message)
    assert SECRET not in raised.value.message + (raised.value.hint or "")
    assert exit_code_for(raised.value) == 2


def test_a_bad_url_is_refused_when_the_client_is_made() -> None:
    with pytest.raises(InputError, match="not a valid tenant URL"):
        Client("http://[::1", None)


@pytest.mark.parametrize(
    "build",
    [
        lambda: BearerAuth(f"{SECRET}\nX-Injected: 1"),
        lambda: BearerAuth(f"{SECRET}é"),
        lambda: BasicAuth("alice", f"{SECRET}\r\n"),
        lambda: BasicAuth("al\tice", SECRET),
        lambda: OAIAuth("alice", f"{SECRET}\n"),
        lambda: make_auth(login_type="BEARER", token=f"{SECRET}\x1b[2J"),
    ],
)
def test_credentials_with_control_characters_are_refused_unsent_and_unechoed(build: object) -> None:
    assert callable(build)
    with pytest.raises(InputError) as raised:
        build()

    assert SECRET not in raised.value.message + (raised.value.hint or "")
    assert exit_code_for(raised.value) == 2


def test_a_header_httpx_refuses_is_not_retried_and_not_quoted() -> None:
    sleeps: list[float] = []
    with respx.mock(base_url="https://t100.example.com") as mock:
        route = mock.get("/inventory/managedObjects").mock(
            side_effect=httpx.LocalProtocolError(f"Illegal header value b'Bearer {SECRET}\\n'")
        )
        client = Client("https://t100.example.com", None, retry=RetryPolicy(sleep=sleeps.append))
        with client, pytest.raises(TransportError) as raised:
            client.get_json("/inventory/managedObjects")

    assert route.call_count == 1 and sleeps == []
    assert SECRET not in raised.value.message + (raised.value.hint or "")


def test_a_429_keeps_its_retry_after_for_reconciled_creates() -> None:
    with respx.mock(base_url="https://t100.example.com") as mock:
        mock.post("/devicecontrol/operations").respond(
            429,
            json={"error": "general/tooManyRequests", "message": "slow down"},
            headers={"Retry-After": "12"},
        )
        client = Client("https://t100.example.com", None)
        with client, pytest.raises(RateLimitError) as raised:
            client.post_json("/devicecontrol/operations", {"deviceId": "1"})

    assert raised.value.retry_after == "12"
    assert exit_code_for(raised.value) == 9
