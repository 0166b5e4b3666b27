"""Device-type filters hold for groups (issue 14, §1.6.4, §11.3): firmware for gateways scheduled on
the mixed group "Field test" (linux-0001, gateway-0002, linux-0003) is refused, and with --type it
reaches the group's gateways only, through a hidden dynamic group combining both filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_support import Run

pytestmark = pytest.mark.e2e


def add_gateway_firmware(c8ydm: Callable[..., Run], name: str) -> None:
    """Firmware NAME version 1.0 (an external URL), meant for c8y_Gateway devices only."""
    added = c8ydm("firmware", "add", name, "--version", "1.0", "--url", f"https://fw.example.com/{name}",
                  "--description", "gateways", "--device-type", "c8y_Gateway")  # fmt: skip
    assert added.code == 0, added.stderr


def test_a_typed_firmware_reaches_only_the_devices_of_its_type_in_a_mixed_group(
    c8ydm: Callable[..., Run],
) -> None:
    add_gateway_firmware(c8ydm, "e2e-typed-gw")
    refused = c8ydm("bulk", "create", "--firmware", "e2e-typed-gw@1.0", "--group", "Field test")

    created = c8ydm("bulk", "create", "--firmware", "e2e-typed-gw@1.0", "--group", "Field test",
                    "--type", "c8y_Gateway", "--ramp", "0.05", "-o", "json")  # fmt: skip
    assert created.code == 0, created.stderr
    done = c8ydm("bulk", "show", created.json()["id"], "--wait", "-o", "json")

    assert refused.code == 2
    assert "Error: 'e2e-typed-gw' is for devices of type 'c8y_Gateway', but group 'Field test' holds 2 " in (
        refused.stderr
    )
    assert "Hint: add --type c8y_Gateway" in refused.stderr
    assert done.code == 0, done.stderr
    assert done.json()["progress"]["all"] == 1
    newest = c8ydm("device", "operations", "gateway-0002", "--limit", "1", "-o", "json").json()[0]
    assert (newest["c8y_Firmware"]["name"], str(newest["bulkOperationId"])) == (
        "e2e-typed-gw",
        created.json()["id"],
    )
    again = c8ydm("bulk", "create", "--firmware", "e2e-typed-gw@1.0", "--group", "Field test",
                  "--type", "c8y_Gateway", "--start", "+1h", "-o", "json")  # fmt: skip
    assert again.code == 0, again.stderr  # the first one has finished: scheduling it again is no duplicate
    twice = c8ydm("bulk", "create", "--firmware", "e2e-typed-gw@1.0", "--group", "Field test",
                  "--type", "c8y_Gateway", "--start", "+1h")  # fmt: skip
    assert twice.code == 7 and f"bulk operation {again.json()['id']} already sends" in twice.stderr
    assert c8ydm("bulk", "cancel", again.json()["id"], "--yes").code == 0


def test_a_copied_operation_keeps_the_device_type_of_the_firmware_it_installed(
    c8ydm: Callable[..., Run],
) -> None:
    add_gateway_firmware(c8ydm, "e2e-copied-gw")
    installed = c8ydm(
        "device", "install", "gateway-0002", "--firmware", "e2e-copied-gw@1.0", "--wait", "-o", "json"
    )
    assert installed.code == 0, installed.stderr
    source = installed.json()["operations"][0]["id"]

    refused = c8ydm("bulk", "create", "--from-operation", source, "--group", "Field test")
    wrong_type = c8ydm("bulk", "create", "--from-operation", source, "--type", "c8y_Linux")
    created = c8ydm("bulk", "create", "--from-operation", source, "--group", "Field test",
                    "--type", "c8y_Gateway", "--start", "+1h", "-o", "json")  # fmt: skip

    assert refused.code == 2
    assert "Error: 'e2e-copied-gw' is for devices of type 'c8y_Gateway', but group 'Field test' holds 2 " in (
        refused.stderr
    )
    assert wrong_type.code == 2
    assert "'e2e-copied-gw' is for devices of type 'c8y_Gateway', not 'c8y_Linux'" in wrong_type.stderr
    assert created.code == 0, created.stderr
    group = created.json()["groupId"]
    hidden = c8ydm("group", "show", str(group), "-o", "json")
    assert hidden.code == 0, hidden.stderr
    assert "type eq 'c8y_Gateway'" in hidden.json()["c8y_DeviceQueryString"]
    assert c8ydm("bulk", "cancel", created.json()["id"], "--yes").code == 0
