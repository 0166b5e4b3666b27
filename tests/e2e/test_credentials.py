"""Device credentials and registration through the real entry point, on a sandbox of this module's own.

The fleet (c8ydm/sandbox/devices/seed.py): linux-0001 (serial LNX000001, user device_LNX000001) and
gateway-0002. Registration adds fifty devices from a CSV whose two bad rows only the tenant can
reject (their extra external ids are the seeded devices' serials). No password of the CSV, nor the
admin's, may appear in any output, in the sandbox's log or in its request recording.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import Run, recording_sandbox
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

BAD_ROWS = {17: "LNX000001", 33: "GW000002"}  # their external-c8y_Serial: seeded devices' serials


def password(index: int) -> str:
    return f"Fleet-Canary-{index:04d}"


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    with recording_sandbox(tmp_path_factory.mktemp("credentials"), devices=2) as instance:
        yield instance


@pytest.fixture(scope="module")
def runs() -> list[Run]:
    """Every run of this module, for the secret check at its end."""
    return []


@pytest.fixture(scope="module")
def c8ydm(
    tenant: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]], runs: list[Run]
) -> Callable[..., Run]:
    run = c8ydm_for(tenant)

    def recorded(*args: str) -> Run:
        result = run(*args)
        runs.append(result)
        return result

    return recorded


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


def login_status(tenant: SandboxInstance, user: str, secret: str) -> int:
    url = f"{tenant.url}/user/currentUser"
    return httpx.get(url, auth=(f"{tenant.tenant}/{user}", secret), timeout=10).status_code


@pytest.fixture(scope="module")
def registered(c8ydm: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> Run:
    lines = ["ID;TYPE;NAME;PATH;CREDENTIALS;external-c8y_Serial"]
    for i in range(1, 51):
        extra = BAD_ROWS.get(i, f"X-{i:04d}")
        lines.append(f"E2E-{i:04d};c8y_Linux;e2e-{i:04d};E2E/Fleet;{password(i)};{extra}")
    path = tmp_path_factory.mktemp("csv") / "fleet.csv"
    path.write_text("\n".join(lines) + "\n")
    return c8ydm("credentials", "register", "--csv", str(path), "-o", "json", "-v")


def test_register_fifty_devices_reports_each_row_and_exits_14(
    registered: Run, tenant: SandboxInstance
) -> None:
    assert registered.code == 14
    report = json.loads(registered.stdout)["error"]["details"]  # one document: the error carries the report
    statuses = {row["deviceId"]: row["bulkNewDeviceStatus"] for row in report["rows"]}
    assert len(statuses) == 50 and list(statuses.values()).count("CREATED") == 48
    failed = [row for row in report["rows"] if row["bulkNewDeviceStatus"] == "FAILED"]
    assert [(row["line"], row["deviceId"]) for row in failed] == [(18, "E2E-0017"), (34, "E2E-0033")]
    assert [row["failureReason"] for row in failed] == [
        "External id LNX000001 of type c8y_Serial already exists",
        "External id GW000002 of type c8y_Serial already exists",
    ]
    assert "2 of 50 rows failed" in registered.stderr
    assert login_status(tenant, "device_E2E-0005", password(5)) == 200


def test_disable_refuses_the_devices_login_until_enabled(
    c8ydm: Callable[..., Run], registered: Run, tenant: SandboxInstance
) -> None:
    listed = ok(c8ydm("credentials", "list", "--username", "device_E2E-000", "-o", "json"))
    assert [row["deviceName"] for row in listed][:3] == ["e2e-0001", "e2e-0002", "e2e-0003"]

    disabled = ok(c8ydm("credentials", "disable", "e2e-0005", "-o", "json"))
    refused = login_status(tenant, "device_E2E-0005", password(5))
    shown = ok(c8ydm("credentials", "list", "--disabled", "-o", "json"))
    enabled = ok(c8ydm("credentials", "enable", "device_E2E-0005", "-o", "json"))

    (row,) = disabled
    assert (row["given"], row["userName"], row["enabled"], row["error"]) == (
        "e2e-0005",
        "device_E2E-0005",
        False,
        None,
    )
    assert refused == 401 and [row["userName"] for row in shown] == ["device_E2E-0005"]
    assert enabled[0]["enabled"] is True and login_status(tenant, "device_E2E-0005", password(5)) == 200


def test_a_global_role_is_added_and_removed(c8ydm: Callable[..., Run], registered: Run) -> None:
    added = ok(c8ydm("credentials", "roles", "e2e-0006", "--add", "admins", "-o", "json"))
    removed = ok(c8ydm("credentials", "roles", "e2e-0006", "--remove", "admins", "-o", "json"))
    unknown = c8ydm("credentials", "roles", "e2e-0006", "--add", "root")

    assert sorted(added["roles"]) == ["admins", "devices"] and added["added"] == ["admins"]
    assert removed["roles"] == ["devices"] and removed["removed"] == ["admins"]
    assert unknown.code == 2 and "the roles are: admins, devices, readers" in unknown.stderr


def test_password_change_is_refused_and_re_registration_rotates_it(
    c8ydm: Callable[..., Run], registered: Run, tenant: SandboxInstance, tmp_path: Path
) -> None:
    refused = c8ydm("credentials", "password", "e2e-0007", "--generate", "-o", "json")
    path = tmp_path / "rotate.csv"
    path.write_text(f"ID;CREDENTIALS\nE2E-0007;{password(1007)}\n")
    rotated = ok(c8ydm("credentials", "register", "--csv", str(path), "-o", "json"))

    assert refused.code == 6 and "credentials register" in refused.json()["error"]["hint"]
    assert rotated["rows"][0]["bulkNewDeviceStatus"] == "CREDENTIAL_UPDATED"
    assert login_status(tenant, "device_E2E-0007", password(1007)) == 200
    assert login_status(tenant, "device_E2E-0007", password(7)) == 401


def test_delete_with_device_removes_both(
    c8ydm: Callable[..., Run], registered: Run, tenant: SandboxInstance
) -> None:
    shown = ok(c8ydm("credentials", "show", "e2e-0008", "-o", "json"))
    unconfirmed = c8ydm("credentials", "delete", "e2e-0008", "--with-device")
    deleted = ok(c8ydm("credentials", "delete", "e2e-0008", "--with-device", "--yes", "-o", "json"))

    assert shown["userName"] == "device_E2E-0008" and shown["provisionedCertificates"] == []
    assert unconfirmed.code == 2 and "--yes" in unconfirmed.stderr
    assert deleted[0]["status"] == "deleted"
    assert c8ydm("credentials", "show", "device_E2E-0008").code == 4
    assert login_status(tenant, "device_E2E-0008", password(8)) == 401


def test_pending_requests_are_accepted(c8ydm: Callable[..., Run]) -> None:
    added = ok(
        c8ydm("registration", "add", "NEW-1", "NEW-2", "--group", "E2E", "--type", "c8y_Linux", "-o", "json")
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pending = ok(c8ydm("registration", "list", "--status", "PENDING_ACCEPTANCE", "-o", "json"))
        if {"NEW-1", "NEW-2"} <= {row["id"] for row in pending}:
            break
        time.sleep(0.1)
    accepted = ok(c8ydm("registration", "accept", "--all", "-o", "json"))
    limit = ok(c8ydm("registration", "limit", "-o", "json"))

    assert [row["result"] for row in added] == ["created", "created"]
    assert {(row["id"], row["status"]) for row in accepted} >= {("NEW-1", "ACCEPTED"), ("NEW-2", "ACCEPTED")}
    assert limit["isReached"] is False and limit["deviceCount"] >= 50


def test_no_password_appears_in_any_output_or_log(runs: list[Run], tenant: SandboxInstance) -> None:
    assert runs, "runs after the others: module order"
    secrets = [password(i) for i in (*range(1, 51), 1007)] + [tenant.password]
    logs = [path.read_text(errors="replace") for path in tenant.data_dir.glob("*.log")]
    logs += [path.read_text() for path in tenant.data_dir.glob("requests.jsonl")]
    assert logs, "the sandbox's log and request recording exist"
    for text in [*(r.stdout for r in runs), *(r.stderr for r in runs), *logs]:
        for secret in secrets:
            assert secret not in text
