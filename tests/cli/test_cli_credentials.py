"""credentials commands through the entry point: exit codes, output keys, and no secret anywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import respx
from scripted_cli import ADMIN_PASSWORD, connect
from support.entry_point import Run

USERS = "/user/t100/users"
MO = "/inventory/managedObjects"
BULK = "/devicecontrol/bulkNewDeviceRequests"
CANARY = "Canary-Dev1ce-pw"


def _user(name: str, enabled: bool = True) -> dict[str, object]:
    return {"id": name, "userName": name, "enabled": enabled, "self": f"https://t100.example.com{USERS}/{name}",
            "groups": {"references": [{"group": {"id": 2, "name": "devices"}}]}}  # fmt: skip


def _no_secret(*results: Run, secrets: tuple[str, ...] = (CANARY, ADMIN_PASSWORD)) -> None:
    for result in results:
        for secret in secrets:
            assert secret not in result.stdout and secret not in result.stderr


def test_list_prints_cumulocity_keys_and_the_owned_device(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = connect(oas_router, monkeypatch)
    tenant.on("GET", USERS, {"users": [_user("device_A")], "statistics": {"totalPages": 1}})
    tenant.on(
        "GET", MO, {"managedObjects": [{"id": "10", "name": "a-1", "owner": "device_A"}], "statistics": {}}
    )

    result = cli("credentials", "list", "-o", "json")

    assert result.code == 0 and result.stderr == ""
    assert result.json() == [{
        "userName": "device_A", "enabled": True, "roles": ["devices"], "deviceId": "10", "deviceName": "a-1",
        "devices": [{"id": "10", "name": "a-1"}], "lastPasswordChange": None,
    }]  # fmt: skip
    csv = cli("credentials", "list", "-o", "csv").stdout.splitlines()
    assert csv[0] == "userName,enabled,roles,deviceName,lastPasswordChange"


def test_template_prints_the_uis_header(cli: Callable[..., Run]) -> None:
    result = cli("credentials", "register", "--template", "simple")

    assert (result.code, result.stdout) == (0, '"ID";"PATH"\n')


def test_a_bad_csv_is_exit_2_before_any_request(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    connect(oas_router, monkeypatch)
    path = tmp_path / "devices.csv"
    path.write_text(f"ID;CREDENTIALS\nSN-1;{CANARY}\n;{CANARY}\nSN-3;short\n")

    result = cli("credentials", "register", "--csv", str(path), "-o", "json", "-v")

    assert result.code == 2 and not oas_router.calls
    assert "line 3: ID is empty" in result.json()["error"]["message"]
    _no_secret(result, secrets=(CANARY, "short", ADMIN_PASSWORD))


def test_register_reports_rows_and_exits_14_without_leaking_passwords(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tenant = connect(oas_router, monkeypatch)
    failed = {"bulkNewDeviceStatus": "FAILED", "deviceId": "SN-2", "line": "3",
              "failureReason": f"bad credentials {CANARY}2"}  # fmt: skip
    counts = {"numberOfAll": 2, "numberOfCreated": 1, "numberOfFailed": 1, "numberOfSuccessful": 1}
    tenant.on("POST", BULK, {**counts, "credentialUpdatedList": [], "failedCreationList": [failed]})
    path = tmp_path / "devices.csv"
    path.write_text(f"ID;CREDENTIALS\nSN-1;{CANARY}1\nSN-2;{CANARY}2\n")

    dry = cli("credentials", "register", "--csv", str(path), "--dry-run", "-v")
    result = cli("credentials", "register", "--csv", str(path), "-o", "json", "-v")
    table = cli("credentials", "register", "--csv", str(path), "-o", "table")

    assert dry.code == 0 and len([c for c in tenant.calls if c.method == "POST"]) == 2
    record = json.loads(dry.stdout)
    assert record["body"]["file"]["name"] == "devices.csv" and record["body"]["file"]["rows"] == 2
    assert result.code == 14
    document = result.json()["error"]["details"]  # one document: the error carries the report
    assert [(r["deviceId"], r["bulkNewDeviceStatus"]) for r in document["rows"]] == [
        ("SN-1", "CREATED"),
        ("SN-2", "FAILED"),
    ]
    assert document["rows"][1]["failureReason"] == "bad credentials ***"
    assert "1 of 2 rows failed: line 3 (SN-2)" in result.stderr
    assert table.code == 14 and "bad credentials ***" in table.stdout
    _no_secret(dry, result, table)


def test_password_refused_is_exit_6_and_the_password_appears_nowhere(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = connect(oas_router, monkeypatch)
    tenant.on("GET", f"{USERS}/device_A", _user("device_A"))
    tenant.on("PUT", f"{USERS}/device_A", 403)

    refused = cli(
        "credentials", "password", "device_A", "--password-stdin", "-o", "json", "-v", stdin=CANARY + "\n"
    )
    dry = cli(
        "credentials", "password", "device_A", "--password-stdin", "--dry-run", "-v", stdin=CANARY + "\n"
    )
    generated = cli("credentials", "password", "device_A", "--generate", "-o", "json")

    assert refused.code == 6 and "credentials register" in refused.json()["error"]["hint"]
    assert dry.code == 0 and json.loads(dry.stdout.splitlines()[0])["body"] == {"password": "***"}
    assert generated.code == 6 and "password" not in generated.stdout.split('"error"')[0]
    _no_secret(refused, dry, generated)


def test_generated_password_is_printed_once_on_stdout_after_it_was_set(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = connect(oas_router, monkeypatch)
    tenant.on("GET", f"{USERS}/device_A", _user("device_A"))
    tenant.on("PUT", f"{USERS}/device_A", _user("device_A"))

    result = cli("credentials", "password", "device_A", "--generate", "-o", "json")

    assert result.code == 0
    sent = tenant.changes()[0][2]["password"]
    assert result.json() == {"userName": "device_A", "password": sent}
    assert sent not in result.stderr and result.stdout.count(sent) == 1


def test_password_needs_exactly_one_source(cli: Callable[..., Run]) -> None:
    assert cli("credentials", "password", "device_A").code == 2
    assert cli("credentials", "password", "device_A", "--generate", "--password-stdin").code == 2


def test_delete_needs_confirmation_without_a_terminal(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = connect(oas_router, monkeypatch)
    tenant.on("GET", f"{USERS}/device_A", _user("device_A"))
    tenant.on("DELETE", f"{USERS}/device_A", httpx.Response(204))

    refused = cli("credentials", "delete", "device_A")
    done = cli("credentials", "delete", "device_A", "--yes", "-o", "json")

    assert refused.code == 2 and "--yes" in refused.stderr
    assert done.code == 0 and done.json()[0]["status"] == "deleted"
    assert tenant.changes() == [("DELETE", f"{USERS}/device_A", None)]


def test_disable_several_with_one_failure_is_exit_14(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = connect(oas_router, monkeypatch)
    tenant.on("GET", f"{USERS}/device_A", _user("device_A"))
    tenant.on("GET", f"{USERS}/device_B", _user("device_B"))
    tenant.on("PUT", f"{USERS}/device_A", _user("device_A", enabled=False))
    tenant.on("PUT", f"{USERS}/device_B", 500)

    result = cli("credentials", "disable", "device_A", "device_B", "-o", "table")

    assert result.code == 14
    assert "device_A" in result.stdout and "scripted 500" in result.stdout
    assert "1 of 2 device users failed: device_B" in result.stderr
