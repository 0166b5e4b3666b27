"""Helpers of the device-side sandbox tests (test_device_*.py, test_sdk_*.py).

The seeded fleet of a 5-device sandbox (c8ydm/sandbox/devices/seed.py): linux-0001 (firmware, software
update with apt/docker and advanced software management, typed configuration, profiles),
gateway-0002 (firmware, c8y_SoftwareList, legacy configuration), linux-0003 (no firmware, apt,
text configuration), gateway-0004 (firmware with a patch, legacy c8y_Software, typed gateway.json),
linux-0005 (firmware, software update without types, profiles, text configuration).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
import pytest
from support.sandbox import SpecRecorder

FINAL_STATUSES = ("SUCCESSFUL", "FAILED")
POLL_SECONDS = 0.02
WAIT_SECONDS = 10.0
T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], *, timeout: float = WAIT_SECONDS, what: str = "condition") -> T:
    """Poll `probe` until it returns something truthy (the sandbox's agents run in real time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(POLL_SECONDS)


def device(api: httpx.Client, name: str) -> dict[str, Any]:
    response = api.get(
        "/inventory/managedObjects",
        params={"fragmentType": "c8y_IsDevice", "pageSize": 2000, "withChildren": "false"},
    )
    found: list[dict[str, Any]] = [mo for mo in response.json()["managedObjects"] if mo.get("name") == name]
    assert found, f"no device named {name}"
    return found[0]


def final_operation(api: httpx.Client, op_id: str, timeout: float = WAIT_SECONDS) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        op: dict[str, Any] = api.get(f"/devicecontrol/operations/{op_id}").json()
        return op if op["status"] in FINAL_STATUSES else None

    return wait_for(probe, timeout=timeout, what=f"operation {op_id} to finish")


def run_operation(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """POST an operation and wait until its device answers; the final operation."""
    response = api.post("/devicecontrol/operations", json=body)
    assert response.status_code == 201, response.text
    return final_operation(api, response.json()["id"])


def reload(api: httpx.Client, mo_id: str) -> dict[str, Any]:
    doc: dict[str, Any] = api.get(
        f"/inventory/managedObjects/{mo_id}", params={"withChildren": "false"}
    ).json()
    return doc


def requests_spec_hook(recorder: SpecRecorder) -> Callable[..., None]:
    """A `requests` response hook (for the official SDK's session) feeding `recorder`."""

    def hook(response: Any, *args: Any, **kwargs: Any) -> None:
        prepared = response.request
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        request = httpx.Request(
            prepared.method,
            prepared.url,
            headers=dict(prepared.headers),
            content=body if isinstance(body, bytes) else b"",
        )
        recorder(
            httpx.Response(
                response.status_code,
                headers=dict(response.headers),
                content=response.content,
                request=request,
            )
        )

    return hook


@contextmanager
def checked_client(url: str, auth: tuple[str, str] | None) -> Iterator[httpx.Client]:
    """An httpx client for a sandbox of a test's own; fails the test on a response the spec rejects."""
    recorder = SpecRecorder()
    with httpx.Client(
        base_url=url,
        auth=auth,
        headers={"Accept": "application/json"},
        event_hooks={"response": [recorder]},
        timeout=10,
    ) as client:
        yield client
    if recorder.failures:
        pytest.fail(
            "responses rejected by the official spec:\n" + "\n".join(recorder.failures), pytrace=False
        )
