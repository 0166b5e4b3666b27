"""Dry-run records instead of changes, and verbose records that carry no secrets."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from c8ydm.api.auth import BasicAuth, OAIAuth
from c8ydm.api.client import Client, RequestLog
from c8ydm.api.errors import TransportError
from c8ydm.api.retry import RetryPolicy

from .conftest import BASE_URL, PASSWORD, TENANT, USER


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def dry(router: respx.MockRouter, records: list[dict[str, Any]]) -> Client:
    return Client(
        BASE_URL,
        BasicAuth(USER, PASSWORD, tenant=TENANT),
        tenant=TENANT,
        dry_run=True,
        on_dry_run=records.append,
    )


def test_dry_run_records_changes_and_sends_nothing(
    dry: Client, router: respx.MockRouter, records: list[dict[str, Any]]
) -> None:
    entry = dry.inventory.create({"name": "fw", "type": "c8y_Firmware"})
    version = dry.inventory.create_child_addition(entry.id or "", {"type": "c8y_FirmwareBinary"})
    dry.inventory.update("42", {"name": "new"})
    dry.inventory.delete("42", force_cascade=True)
    assert not router.calls
    assert records == [
        {
            "method": "POST",
            "path": "/inventory/managedObjects",
            "query": {},
            "body": {"name": "fw", "type": "c8y_Firmware"},
        },
        {
            "method": "POST",
            "path": "/inventory/managedObjects/dry-run-1/childAdditions",
            "query": {},
            "body": {"type": "c8y_FirmwareBinary"},
        },
        {
            "method": "PUT",
            "path": "/inventory/managedObjects/42",
            "query": {},
            "body": {"id": "42", "name": "new"},
        },
        {
            "method": "DELETE",
            "path": "/inventory/managedObjects/42",
            "query": {"forceCascade": "true"},
            "body": None,
        },
    ]
    assert (entry.id, entry.name, entry.self_url) == (
        "dry-run-1",
        "fw",
        f"{BASE_URL}/inventory/managedObjects/dry-run-1",
    )
    assert (version.id, version.self_url) == ("dry-run-2", f"{BASE_URL}/inventory/managedObjects/dry-run-2")
    assert json.dumps(records)  # JSON-able


def test_dry_run_still_sends_lookups(
    dry: Client, router: respx.MockRouter, records: list[dict[str, Any]]
) -> None:
    route = router.get("/inventory/managedObjects/1").respond(200, json={"id": "1"})
    assert dry.inventory.get("1").id == "1"
    assert route.called and records == []


def test_dry_run_upload_is_described_by_name_size_and_sha256(
    dry: Client, router: respx.MockRouter, records: list[dict[str, Any]], tmp_path: Path
) -> None:
    source = tmp_path / "fw.bin"
    source.write_bytes(b"\x00firmware\xff")
    binary = dry.binaries.upload(source, fragments={"c8y_Global": {}})
    assert not router.calls
    assert records == [
        {
            "method": "POST",
            "path": "/inventory/binaries",
            "query": {},
            "body": {
                "file": {
                    "name": "fw.bin",
                    "size": 10,
                    "sha256": hashlib.sha256(b"\x00firmware\xff").hexdigest(),
                },
                "object": {"name": "fw.bin", "type": "application/octet-stream", "c8y_Global": {}},
            },
        }
    ]
    assert (binary.id, binary.self_url) == ("dry-run-1", f"{BASE_URL}/inventory/binaries/dry-run-1")


def test_dry_run_records_carry_no_secret(dry: Client, records: list[dict[str, Any]]) -> None:
    dry.operations.create({"deviceId": "1", "c8y_Restart": {}})
    dry.operations.cancel("5")
    assert PASSWORD not in json.dumps(records) and "Basic" not in json.dumps(records)


def test_verbose_records_carry_no_secret(router: respx.MockRouter) -> None:
    router.post("/tenant/oauth/token").respond(200, json={"access_token": "tok.en-canary.sig"})
    router.get("/inventory/managedObjects/1").respond(200, json={"id": "1"})
    router.get("/inventory/managedObjects/2").mock(side_effect=httpx.ConnectError("refused"))
    logs: list[RequestLog] = []
    auth = OAIAuth(USER, PASSWORD, tenant=TENANT)
    with Client(BASE_URL, auth, retry=RetryPolicy.disabled(), on_request_log=logs.append) as client:
        client.inventory.get("1", with_children=False)
        with pytest.raises(TransportError):
            client.inventory.get("2")
    assert [(log.method, log.url, log.status_code, log.error) for log in logs] == [
        ("POST", "/tenant/oauth/token?tenant_id=t100", 200, None),
        ("GET", "/inventory/managedObjects/1?withChildren=false", 200, None),
        ("GET", "/inventory/managedObjects/2", None, "cannot connect to t100.example.com:443: refused"),
    ]
    assert all(log.seconds >= 0 for log in logs)
    text = " ".join(f"{log} {log!r}" for log in logs)
    assert PASSWORD not in text and "canary" not in text and "Bearer" not in text and "Basic" not in text
