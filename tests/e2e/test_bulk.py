"""Bulk operations through the real entry point: from an operation, over a group or a query (§11).

Seeded groups (c8ydm/sandbox/seed.py): "Gateways" (gateway-0002, gateway-0004) and "Field test"
(linux-0001, gateway-0002, linux-0003); linux-0003 does not support firmware, so its copy fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from e2e_support import Run
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

RAMP = ("--ramp", "0.05")


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


def firmware_operation(
    c8ydm: Callable[..., Run], name: str, device: str, device_type: str | None
) -> dict[str, Any]:
    """Release firmware ``name`` 1.0 and install it on ``device``: the operation to copy."""
    typed = ("--device-type", device_type) if device_type else ()
    ok(c8ydm("firmware", "add", name, "--version", "1.0", "--url", f"https://fw.example.com/{name}",
             "--description", name, *typed, "-o", "json"))  # fmt: skip
    document = ok(c8ydm("device", "install", device, "--firmware", name, "--wait", "-o", "json"))
    return dict(document["operations"][0])


@pytest.fixture(scope="module")
def gateway_operation(c8ydm: Callable[..., Run]) -> dict[str, Any]:
    return firmware_operation(c8ydm, "e2e-gw-fw", "gateway-0002", "c8y_Gateway")


def test_bulk_from_an_operation_over_a_group_runs_to_completion(
    c8ydm: Callable[..., Run], gateway_operation: dict[str, Any]
) -> None:
    source = ("--from-operation", gateway_operation["id"])
    created = ok(
        c8ydm("bulk", "create", *source, "--group", "Gateways", *RAMP, "--note", "e2e", "-o", "json")
    )

    prototype = created["operationPrototype"]
    origin = prototype.pop("c8ydm_Origin")
    assert prototype == {key: gateway_operation[key] for key in ("description", "c8y_Firmware")}
    assert origin["tool"] == "c8ydm" and origin["runId"] != gateway_operation["c8ydm_Origin"]["runId"]
    assert (created["creationRamp"], created["note"]) == (0.05, "e2e")

    run = c8ydm("bulk", "show", created["id"], "--wait", "-o", "json")

    done = ok(run)
    assert (done["generalStatus"], done["doneFraction"], done["allCreated"]) == ("SUCCESSFUL", 1, True)
    assert done["progress"] == {"all": 2, "pending": 0, "executing": 0, "successful": 2, "failed": 0}
    assert f"bulk operation {created['id']}: SUCCESSFUL 2/2 done" in run.stderr
    newest = ok(c8ydm("device", "operations", "gateway-0004", "--limit", "1", "-o", "json"))[0]
    assert (str(newest["bulkOperationId"]), newest["c8ydm_Origin"]) == (created["id"], origin)
    listed = ok(c8ydm("bulk", "list", "--status", "successful", "-o", "json"))
    assert created["id"] in [item["id"] for item in listed]


def test_bulk_for_a_query_creates_the_hidden_dynamic_group(
    c8ydm: Callable[..., Run], sandbox: SandboxInstance, gateway_operation: dict[str, Any]
) -> None:
    query = "type eq 'c8y_Gateway'"
    run = c8ydm(
        "bulk", "create", "--from-operation", gateway_operation["id"], "--query", query, *RAMP, "-o", "json"
    )

    created = ok(run)
    assert f"Devices now matching {query!r}: 2" in run.stderr
    group = httpx.get(
        f"{sandbox.url}/inventory/managedObjects/{created['groupId']}", auth=sandbox.auth
    ).json()
    assert {key: group[key] for key in ("name", "type", "c8y_IsDynamicGroup", "c8y_DeviceQueryString")} == {
        "name": "Bulk operations group",
        "type": "c8y_DynamicGroup",
        "c8y_IsDynamicGroup": {"invisible": {}},
        "c8y_DeviceQueryString": query,
    }
    done = ok(c8ydm("bulk", "show", created["id"], "--wait", "-o", "json"))
    assert (done["generalStatus"], done["progress"]["successful"]) == ("SUCCESSFUL", 2)


def test_failed_children_exit_11_and_retry_targets_only_them(c8ydm: Callable[..., Run]) -> None:
    source = firmware_operation(c8ydm, "e2e-any-fw", "linux-0001", None)
    created = ok(c8ydm("bulk", "create", "--from-operation", source["id"], "--group", "Field test", *RAMP))

    failed = c8ydm("bulk", "show", created["id"], "--wait", "-o", "json")

    assert failed.code == 11
    message = failed.json()["error"]["message"]
    assert (
        "(FAILED 3/3 done, 1 failed)" in message
        and "on linux-0003: Operation c8y_Firmware is not supported" in message
    )
    retried = ok(c8ydm("bulk", "retry", created["id"], *RAMP, "-o", "json"))
    assert retried["failedParentId"] == created["id"] and "groupId" not in retried
    assert c8ydm("bulk", "show", retried["id"], "--wait").code == 11
    assert ok(c8ydm("bulk", "show", retried["id"], "-o", "json"))["progress"] == {
        "all": 1, "pending": 0, "executing": 0, "successful": 0, "failed": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (("--ramp", "5000"), "--ramp 5000 is outside the tenant's bounds (0.001 to 3600 seconds)"),
        (("--start", "2020-01-01T00:00:00Z"), "start time 2020-01-01T00:00:00Z is in the past"),
        (("--start", "soon"), "not a start time: 'soon'"),
    ],
)
def test_bad_schedule_exits_2_and_creates_nothing(
    c8ydm: Callable[..., Run], gateway_operation: dict[str, Any], option: tuple[str, str], message: str
) -> None:
    before = ok(c8ydm("bulk", "list", "-o", "json"))

    run = c8ydm("bulk", "create", "--from-operation", gateway_operation["id"], "--group", "Gateways", *option)

    assert (run.code, run.json()["error"]["message"]) == (2, message)
    assert ok(c8ydm("bulk", "list", "-o", "json")) == before


def test_a_scheduled_bulk_can_be_cancelled(
    c8ydm: Callable[..., Run], gateway_operation: dict[str, Any]
) -> None:
    created = ok(c8ydm("bulk", "create", "--from-operation", gateway_operation["id"], "--type", "c8y_Gateway",
                       "--start", "+1h", "-o", "json"))  # fmt: skip
    assert created["generalStatus"] == "SCHEDULED"

    cancelled = ok(c8ydm("bulk", "cancel", created["id"], "--yes", "-o", "json"))

    assert (cancelled["status"], cancelled["generalStatus"]) == ("DELETED", "CANCELED")
    assert created["id"] in [
        item["id"] for item in ok(c8ydm("bulk", "list", "--status", "canceled", "-o", "json"))
    ]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("bulk", "list", "--status", "sleeping"), 2),
        (("bulk", "show", "999999999"), 4),
        (("bulk", "create", "--from-operation", "999999999", "--group", "Gateways"), 4),
        (("bulk", "create", "--from-operation", "1", "--group", "Gateways", "--type", "c8y_Linux"), 2),
        (("bulk", "create", "--from-operation", "1"), 2),
    ],
)
def test_bad_input_exits_with_the_documented_code(
    c8ydm: Callable[..., Run], args: tuple[str, ...], code: int
) -> None:
    run = c8ydm(*args, "-o", "json")

    assert run.code == code, run.stderr
    assert run.stderr.startswith("Error:")
