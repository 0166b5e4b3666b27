"""What a client costs: no CA bundle for a plain-http tenant, no httpx command-line client, no cycles."""

from __future__ import annotations

import gc
import ssl
import subprocess
import sys
import weakref

import pytest
import respx

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client


@pytest.fixture
def ca_loads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every CA bundle that an SSL context loads while the test runs."""
    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def recording(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args or kwargs)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", recording)
    return loads


def test_a_plain_http_tenant_loads_no_ca_bundle(ca_loads: list[object]) -> None:
    with Client("http://127.0.0.1:8111", BasicAuth("admin", "pw"), tenant="t100"):
        pass

    assert ca_loads == []


def test_an_https_tenant_verifies_certificates_with_the_ca_bundle(ca_loads: list[object]) -> None:
    with Client("https://t100.example.com", BasicAuth("admin", "pw"), tenant="t100") as client:
        client.external_client().close()

    assert len(ca_loads) == 2  # the tenant's pool and the external client's


def test_the_client_does_not_load_httpx_command_line_client() -> None:
    probe = "import sys, c8ydm.api.client; print(sys.modules.get('httpx._main') is None)"

    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "True"


def test_a_read_response_is_freed_without_the_cyclic_garbage_collector(
    client: Client, router: respx.MockRouter
) -> None:
    # A long listing reads megabytes per page: they must go when the page does, not when gc runs.
    router.get("/inventory/managedObjects").respond(200, json={"managedObjects": []})
    gc.disable()
    try:
        response = client.request("GET", "/inventory/managedObjects")
        assert response.json() == {"managedObjects": []}
        gone = weakref.ref(response)
        del response
        assert gone() is None
    finally:
        gc.enable()
