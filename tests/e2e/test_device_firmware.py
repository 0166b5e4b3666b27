"""Firmware on devices through the real entry point: install, patch, refusals, failure, timeout, cancel.

The fleet (c8ydm/sandbox/devices/seed.py): linux-0001 and linux-0005 take firmware, linux-0003 does not,
gateway-0002 is a c8y_Gateway. A version whose URL names a binary that does not exist makes the
simulated device fail its download; the silent sandbox's devices never answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import Run
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

FW = "e2e-linux-fw"
URL = "https://firmware.example.com/e2e-linux-fw/"


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


@pytest.fixture(scope="module", autouse=True)
def released(c8ydm: Callable[..., Run], sandbox: SandboxInstance) -> None:
    """e2e-linux-fw 1.0.0 (+ patch 1.0.0-p1) and 1.1.0 for c8y_Linux; a broken one."""
    common = ("--description", "Linux image for e2e tests", "--device-type", "c8y_Linux", "-o", "json")
    ok(c8ydm("firmware", "add", FW, "--version", "1.0.0", "--url", URL + "1.0.0", *common))
    ok(
        c8ydm(
            "firmware",
            "add",
            FW,
            "--version",
            "1.0.0",
            "--patch",
            "1.0.0-p1",
            "--url",
            URL + "p1",
            "-o",
            "json",
        )
    )
    ok(c8ydm("firmware", "add", FW, "--version", "1.1.0", "--url", URL + "1.1.0", "-o", "json"))
    missing = f"{sandbox.url}/inventory/binaries/999999999"
    broken = ("e2e-broken-fw", "--version", "1", "--url", missing, "--description", "broken")
    ok(c8ydm("firmware", "add", *broken, "-o", "json"))


def origin_of(operation: dict[str, Any]) -> dict[str, Any]:
    origin = operation.pop("c8ydm_Origin")
    assert origin["tool"] == "c8ydm" and origin["runId"]
    return dict(origin)


def test_install_with_wait_changes_the_device_firmware(c8ydm: Callable[..., Run]) -> None:
    run = c8ydm("device", "install", "linux-0001", "--firmware", f"{FW}@1.0.0", "--wait", "-o", "json")

    document = ok(run)
    operation = document["operations"][0]
    origin_of(operation)
    assert {key: operation[key] for key in ("description", "status", "c8y_Firmware")} == {
        "description": f'Update firmware to: "{FW}" (version: 1.0.0)',
        "status": "SUCCESSFUL",
        "c8y_Firmware": {"name": FW, "version": "1.0.0", "url": URL + "1.0.0"},
    }
    assert document["device"]["name"] == "linux-0001" and document["unchanged"] == []
    assert f"operation {operation['id']}" in run.stderr and "SUCCESSFUL" in run.stderr
    shown = ok(c8ydm("device", "show", "linux-0001", "-o", "json"))
    assert shown["c8y_Firmware"] == {"name": FW, "version": "1.0.0", "url": URL + "1.0.0"}
    assert shown["lastFirmwareOperation"]["id"] == operation["id"]
    assert shown["lastFirmwareOperation"]["status"] == "SUCCESSFUL"


def test_patch_install_reports_dependency_and_is_patch(c8ydm: Callable[..., Run]) -> None:
    ok(c8ydm("device", "install", "linux-0005", "--firmware", f"{FW}@1.0.0", "--patch", "1.0.0-p1", "--wait"))

    shown = ok(c8ydm("device", "show", "linux-0005", "-o", "json"))
    assert shown["c8y_Firmware"] == {
        "name": FW, "version": "1.0.0-p1", "url": URL + "p1", "dependency": "1.0.0", "isPatch": True,
    }  # fmt: skip


def test_without_wait_the_newest_version_is_created_and_can_be_awaited(c8ydm: Callable[..., Run]) -> None:
    created = ok(c8ydm("device", "install", "linux-0005", "--firmware", FW, "-o", "json"))["operations"][0]

    assert created["status"] == "PENDING"
    assert created["c8y_Firmware"] == {"name": FW, "version": "1.1.0", "url": URL + "1.1.0"}
    waited = ok(c8ydm("operation", "wait", created["id"], "-o", "json"))
    assert [(op["id"], op["status"]) for op in waited] == [(created["id"], "SUCCESSFUL")]


@pytest.mark.parametrize(
    ("device", "reason"),
    [
        ("linux-0003", "device 'linux-0003' does not support firmware updates"),
        ("gateway-0002", f"firmware '{FW}' is for devices of type 'c8y_Linux'"),
    ],
)
def test_refusals_exit_2_and_create_no_operation(c8ydm: Callable[..., Run], device: str, reason: str) -> None:
    before = ok(c8ydm("device", "operations", device, "--limit", "100", "-o", "json"))

    run = c8ydm("device", "install", device, "--firmware", f"{FW}@1.0.0", "-o", "json")

    assert run.code == 2
    assert run.json()["error"]["code"] == 2 and reason in run.json()["error"]["message"]
    assert ok(c8ydm("device", "operations", device, "--limit", "100", "-o", "json")) == before


def test_device_failure_exits_11_with_the_device_reason(c8ydm: Callable[..., Run]) -> None:
    run = c8ydm("device", "install", "linux-0001", "--firmware", "e2e-broken-fw", "--wait", "-o", "json")

    assert run.code == 11
    error = run.json()["error"]
    assert (error["code"], error["kind"]) == (11, "operation_failed")
    assert "FAILED on the device: Download of" in error["message"] and "404 Not Found" in error["message"]
    operation = error["details"]["operations"][0]  # the result is still there (issue 15)
    assert (error["details"]["device"]["name"], operation["status"]) == ("linux-0001", "FAILED")
    again = c8ydm("operation", "wait", operation["id"], "-o", "json")
    assert again.code == 11 and again.json()["error"]["details"][0]["id"] == operation["id"]
    table = c8ydm("operation", "wait", operation["id"], "-o", "table")
    assert table.code == 11 and f"{operation['id']} " in table.stdout and "FAILED" in table.stdout


def test_dry_run_prints_the_post_and_creates_nothing(c8ydm: Callable[..., Run]) -> None:
    before = ok(c8ydm("device", "operations", "linux-0001", "--limit", "100", "-o", "json"))

    run = c8ydm(
        "device", "install", "linux-0001", "--firmware", f"{FW}@1.1.0", "--dry-run", "--wait", "-o", "json"
    )

    assert run.code == 0, run.stderr
    record, _, rest = run.stdout.partition("\n")
    posted = json.loads(record)
    assert (posted["method"], posted["path"]) == ("POST", "/devicecontrol/operations")
    assert posted["body"]["c8y_Firmware"] == {"name": FW, "version": "1.1.0", "url": URL + "1.1.0"}
    assert json.loads(rest)["operations"][0]["id"] == "dry-run-1"
    assert "nothing to wait for" in run.stderr
    assert ok(c8ydm("device", "operations", "linux-0001", "--limit", "100", "-o", "json")) == before


def test_silent_device_times_out_with_exit_12_and_can_be_cancelled(
    silent_sandbox: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]
) -> None:
    run_silent = c8ydm_for(silent_sandbox)
    ok(run_silent("firmware", "add", "quiet-fw", "--version", "1", "--url", "https://x.example.com/1",
                  "--description", "never installed", "-o", "json"))  # fmt: skip
    # --force: a bulk operation of another test may have left a PENDING firmware operation on this
    # silent device, which would otherwise refuse a second one (exit 7).
    created = ok(
        run_silent("device", "install", "linux-0001", "--firmware", "quiet-fw", "--force", "-o", "json")
    )
    op_id = created["operations"][0]["id"]

    run = run_silent("operation", "wait", op_id, "--timeout", "1", "-o", "json")

    assert run.code == 12
    assert run.json()["error"]["kind"] == "timeout" and f"{op_id} PENDING" in run.json()["error"]["message"]
    assert ok(run_silent("operation", "show", op_id, "-o", "json"))["status"] == "PENDING"  # not cancelled
    refused = run_silent("operation", "cancel", op_id, "-o", "json")
    assert refused.code == 2 and "--yes" in refused.json()["error"]["hint"]
    assert ok(run_silent("operation", "cancel", op_id, "--yes", "-o", "json")) == [
        {"id": op_id, "deviceId": created["device"]["id"], "previousStatus": "PENDING", "status": "FAILED",
         "cancelled": True, "failureReason": "User cancelled operation"},
    ]  # fmt: skip
    again = ok(run_silent("operation", "cancel", op_id, "--yes", "-o", "json"))
    assert (
        again[0]["cancelled"] is False
        and "already ended" in run_silent("operation", "cancel", op_id, "--yes").stderr
    )


def test_a_second_install_while_the_first_is_pending_is_refused_then_forced(
    silent_sandbox: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]
) -> None:
    run_silent = c8ydm_for(silent_sandbox)
    ok(run_silent("firmware", "add", "twice-fw", "--version", "1", "--url", "https://x.example.com/t",
                  "--description", "pending twice", "--if-exists", "skip", "-o", "json"))  # fmt: skip
    first = ok(
        run_silent("device", "install", "gateway-0002", "--firmware", "twice-fw", "--force", "-o", "json")
    )
    first_id = first["operations"][0]["id"]

    second = run_silent("device", "install", "gateway-0002", "--firmware", "twice-fw", "-o", "json")
    waited = run_silent("device", "install", "gateway-0002", "--firmware", "twice-fw", "--wait-pending",
                        "--timeout", "1", "-o", "json")  # fmt: skip
    forced = ok(
        run_silent("device", "install", "gateway-0002", "--firmware", "twice-fw", "--force", "-o", "json")
    )

    assert second.code == 7 and second.json()["error"]["kind"] == "pending_operation"
    assert f"firmware operation {first_id} that is PENDING" in second.json()["error"]["message"]
    assert waited.code == 12  # the silent device never ends the first one
    assert forced["operations"][0]["id"] != first_id
    ok(run_silent("operation", "cancel", first_id, forced["operations"][0]["id"], "--yes", "-o", "json"))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("device", "install", "linux-0001", "--config", "x"), 4),
        (("device", "install", "linux-0001"), 2),
        (("device", "install", "linux-0001", "--patch", "p1"), 2),
        (("device", "install", "linux-0001", "--firmware", f"{FW}@"), 2),
        (("device", "install", "linux-0001", "--firmware", f"{FW}@9.9.9"), 4),
        (("device", "show", "no-such-device"), 4),
        (("device", "list", "--query", "type eq 'c8y_Linux'", "--type", "c8y_Linux"), 2),
        (("device", "list", "--group", "no-such-group"), 4),
        (("device", "operations", "linux-0001", "--status", "DONE"), 2),
        (("operation", "show", "999999999"), 4),
        (("operation", "wait", "999999999"), 4),
    ],
)
def test_bad_input_exits_with_the_documented_code(
    c8ydm: Callable[..., Run], args: tuple[str, ...], code: int
) -> None:
    run = c8ydm(*args, "-o", "json")

    assert run.code == code, run.stderr
    assert run.stderr.startswith(("Error:", "Usage:"))
