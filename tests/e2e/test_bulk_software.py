"""A software operation tested on one device, then scheduled as a bulk operation (§7.4, §11.3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import Run

pytestmark = pytest.mark.e2e

TYPED_DEVICES = "has(c8y_SupportedSoftwareTypes)"  # the seeded c8y_SoftwareUpdate devices with types


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


def test_software_operation_scheduled_as_bulk_reaches_every_matching_device(
    c8ydm: Callable[..., Run],
) -> None:
    ok(c8ydm("software", "add", "e2e-bulk-sw", "--version", "3.1", "--url", "https://sw.example.com/3.1",
             "--description", "bulk source", "--software-type", "apt", "-o", "json"))  # fmt: skip
    tested = ok(
        c8ydm("device", "install", "linux-0001", "--software", "e2e-bulk-sw@3.1", "--wait", "-o", "json")
    )
    operation = tested["operations"][0]
    targets = {
        device["name"] for device in ok(c8ydm("device", "list", "--query", TYPED_DEVICES, "-o", "json"))
    }

    created = ok(c8ydm("bulk", "create", "--from-operation", operation["id"], "--query", TYPED_DEVICES,
                       "--ramp", "0.05", "-o", "json"))  # fmt: skip
    done = ok(c8ydm("bulk", "show", created["id"], "--wait", "-o", "json"))

    assert created["operationPrototype"]["c8y_SoftwareUpdate"] == operation["c8y_SoftwareUpdate"]
    assert "linux-0001" in targets and len(targets) >= 2
    assert done["generalStatus"] == "SUCCESSFUL"
    assert done["progress"] == {
        "all": len(targets), "pending": 0, "executing": 0, "successful": len(targets), "failed": 0,
    }  # fmt: skip
    for name in targets:
        shown = ok(c8ydm("device", "show", name, "-o", "json"))
        assert {"name": "e2e-bulk-sw", "version": "3.1"}.items() <= _installed(shown, "e2e-bulk-sw").items()


def _installed(shown: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in shown["software"] if item["name"] == name)
