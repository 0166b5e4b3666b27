"""Fault injection: 429 with Retry-After, 503, dropped connections, latency; deterministic
(c8ydm/sandbox/core/faults.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from support.sandbox import SandboxInstance

from c8ydm.sandbox.core.options import FaultRule

ADMIN = "/sandbox/admin/faults"


@pytest.fixture
def faults(api: httpx.Client) -> Iterator[httpx.Client]:
    """The admin client; every fault rule is cleared afterwards."""
    yield api
    assert api.delete(ADMIN).status_code == 204


def _set(api: httpx.Client, *rules: object) -> None:
    response = api.post(ADMIN, json=list(rules))
    assert response.status_code == 200, response.text


def test_429_carries_retry_after_and_an_error_body(faults: httpx.Client) -> None:
    _set(faults, "GET /event/events$:429:1:7")
    response = faults.get("/event/events")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["error"] == "general/tooManyRequests"
    assert faults.get("/inventory/managedObjects").status_code == 200  # other routes unaffected


def test_503_only_for_the_matching_method(faults: httpx.Client) -> None:
    _set(faults, {"pattern": "^PUT /inventory/managedObjects/", "kind": "503"})
    mo = faults.post("/inventory/managedObjects", json={"name": "f"}).json()
    assert faults.put(f"/inventory/managedObjects/{mo['id']}", json={"name": "g"}).status_code == 503
    assert faults.get(f"/inventory/managedObjects/{mo['id']}").json()["name"] == "f"


def test_dropped_connection_has_no_response(faults: httpx.Client, sandbox: SandboxInstance) -> None:
    _set(faults, "GET /tenant/currentTenant:drop")
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{sandbox.url}/tenant/currentTenant", auth=sandbox.auth)
    assert faults.get("/tenant/loginOptions").status_code == 200


def test_latency_is_added(faults: httpx.Client) -> None:
    _set(faults, "GET /user/currentUser:latency:1:0.3")
    started = time.monotonic()
    assert faults.get("/user/currentUser").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_rate_draws_repeat_under_the_seed(faults: httpx.Client) -> None:
    def outcomes() -> list[int]:
        _set(faults, "GET /tenant/currentTenant:503:0.5")  # setting rules restarts the seeded draws
        return [faults.get("/tenant/currentTenant").status_code for _ in range(30)]

    first = outcomes()
    assert first == outcomes()
    assert 5 < first.count(503) < 25


def test_admin_endpoint_lists_rules_and_needs_the_admin(
    faults: httpx.Client, reader_api: httpx.Client
) -> None:
    _set(faults, "POST /x:429:0.25:3")
    assert faults.get(ADMIN).json() == {
        "faults": [{"pattern": "POST /x", "kind": "429", "rate": 0.25, "seconds": 3.0}]
    }
    assert reader_api.post(ADMIN, json=[]).status_code == 403
    assert faults.post(ADMIN, json=["no kind here"]).status_code == 422


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("POST /inventory/.*:429:0.5", FaultRule("POST /inventory/.*", "429", 0.5, 1.0)),
        ("GET /a:b:latency:1:0.3", FaultRule("GET /a:b", "latency", 1.0, 0.3)),
        (".*:drop", FaultRule(".*", "drop", 1.0, 0.0)),
        ("GET /devicecontrol/.*:503:0.1", FaultRule("GET /devicecontrol/.*", "503", 0.1, 0.0)),
    ],
)
def test_fault_rule_text_form(text: str, rule: FaultRule) -> None:
    assert FaultRule.parse(text) == rule


@pytest.mark.parametrize("text", ["GET /x", "GET /x:teapot", ":429", "GET /x:429:2", "([:503"])
def test_bad_fault_rules_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        FaultRule.parse(text)
