"""bulk show --devices [--status S]: every device's operation, so a failed or silent device is named
(issue 15)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import Run
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

NOT_SUPPORTED = "Operation c8y_Firmware is not supported by the device (not in c8y_SupportedOperations)"


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


def test_devices_of_a_bulk_with_a_failure_name_the_failed_device_and_its_reason(
    c8ydm: Callable[..., Run],
) -> None:
    ok(c8ydm("firmware", "add", "e2e-bd-fw", "--version", "1.0", "--url", "https://fw.example.com/bd",
             "--description", "devices view", "-o", "json"))  # fmt: skip
    run = c8ydm("bulk", "create", "--firmware", "e2e-bd-fw@1.0", "--group", "All Linux", "--ramp", "0.05",
                "--wait", "-o", "json")  # fmt: skip
    bulk_id = run.json()["error"]["details"]["id"]

    every = ok(c8ydm("bulk", "show", bulk_id, "--devices", "-o", "json"))
    failed = ok(c8ydm("bulk", "show", bulk_id, "--devices", "--status", "failed", "-o", "json"))
    table = c8ydm("bulk", "show", bulk_id, "--devices", "--status", "FAILED", "-o", "table")
    csv = c8ydm("bulk", "show", bulk_id, "--devices", "-o", "csv")

    assert every["id"] == bulk_id and every["progress"]["failed"] == 1
    assert sorted((op["deviceName"], op["status"]) for op in every["operations"]) == [
        ("linux-0001", "SUCCESSFUL"),
        ("linux-0003", "FAILED"),
        ("linux-0005", "SUCCESSFUL"),
    ]
    assert [(op["deviceName"], op["failureReason"]) for op in failed["operations"]] == [
        ("linux-0003", NOT_SUPPORTED)
    ]
    rows = [line for line in table.stdout.splitlines() if line.startswith("linux-")]
    assert len(rows) == 1 and re.match(r"linux-0003\s+\d+\s+FAILED\s+Operation c8y_Firmware", rows[0])
    assert csv.stdout.splitlines()[0] == "deviceName,deviceId,status,failureReason,id"
    assert len(csv.stdout.splitlines()) == 1 + 3


def test_a_device_that_never_answers_is_named_as_pending(
    silent_sandbox: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]
) -> None:
    run_silent = c8ydm_for(silent_sandbox)
    ok(run_silent("firmware", "add", "e2e-bd-silent", "--version", "1.0", "--url", "https://fw.example.com/s",
                  "--description", "never installed", "-o", "json"))  # fmt: skip
    run = run_silent("bulk", "create", "--firmware", "e2e-bd-silent@1.0", "--type", "c8y_Linux",
                     "--ramp", "0.05", "--wait", "--timeout", "2", "-o", "json")  # fmt: skip
    assert run.code == 12
    bulk_id = run.json()["error"]["details"]["id"]

    pending = ok(run_silent("bulk", "show", bulk_id, "--devices", "--status", "PENDING", "-o", "json"))

    assert [op["deviceName"] for op in pending["operations"]] == ["linux-0001"]
    assert pending["operations"][0]["status"] == "PENDING"
