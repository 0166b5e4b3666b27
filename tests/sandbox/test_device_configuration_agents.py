"""The sandbox's configuration agents beyond the basics: a slow one and a failing one (seeded, private),
and devices that upload what they last downloaded (so a snapshot sent on comes back unchanged)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store
from c8ydm.sandbox.devices import seed
from c8ydm.sandbox.devices.simulation import Simulator
from c8ydm.sandbox.model import operations
from c8ydm.sandbox.model.mo import render_mo
from c8ydm.sandbox.state import SandboxState

DELAY = 10.0


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    options = SandboxOptions(data_dir=tmp_path, devices=15, op_delay_seconds=DELAY)
    sandbox_state = SandboxState(options=options, store=Store(":memory:"))
    seed.ensure_seeded(sandbox_state)
    sandbox_state.simulator = Simulator(sandbox_state)
    return sandbox_state


def named(state: SandboxState, name: str) -> dict[str, Any]:
    return next(doc for doc in state.store.iter("managedObjects") if doc.get("name") == name)


def run(state: SandboxState, name: str, body: dict[str, Any], *, after: float) -> dict[str, Any]:
    """Create an operation on a device and advance the agents ``after`` seconds (twice: two steps)."""
    op = operations.create_operation(state, {"deviceId": named(state, name)["id"], **body})
    simulator = state.simulator
    assert isinstance(simulator, Simulator)
    now = time.monotonic()
    simulator.tick(now + after)
    simulator.tick(now + 2 * after + 1)
    found = state.store.get("operations", op["id"])
    assert found is not None
    return found


def test_two_devices_of_a_bigger_fleet_have_private_configuration_quirks(state: SandboxState) -> None:
    quirks = {doc["name"]: doc["_agent"] for doc in state.store.iter("managedObjects") if "_agent" in doc}

    assert quirks == {
        "linux-0011": {"configurationDelayFactor": 12},
        "gateway-0014": {"failsConfiguration": True},
    }
    assert "_agent" not in render_mo(state.store, "http://sandbox", named(state, "linux-0011"))


def test_the_slow_device_takes_twelve_times_longer_for_configuration_only(state: SandboxState) -> None:
    upload = {"c8y_UploadConfigFile": {"type": "tedge.toml"}}

    assert run(state, "linux-0011", upload, after=DELAY + 1)["status"] == "PENDING"
    assert run(state, "linux-0011", {"c8y_Restart": {}}, after=DELAY + 1)["status"] == "SUCCESSFUL"
    assert run(state, "linux-0011", upload, after=12 * DELAY + 1)["status"] == "SUCCESSFUL"


def test_the_failing_device_fails_configuration_with_a_reason_and_nothing_else(state: SandboxState) -> None:
    failed = run(state, "gateway-0014", {"c8y_UploadConfigFile": {"type": "gateway.json"}}, after=DELAY + 1)
    restarted = run(state, "gateway-0014", {"c8y_Restart": {}}, after=DELAY + 1)

    assert failed["status"] == "FAILED"
    assert (
        failed["failureReason"] == "Configuration upload failed: connection reset by peer (simulated failure)"
    )
    assert restarted["status"] == "SUCCESSFUL"


def test_a_downloaded_file_is_what_the_next_snapshot_of_that_type_uploads(state: SandboxState) -> None:
    store, binaries = state.store, state.options.binaries_dir
    binary = store.create_mo({"name": "agent", "type": "c8y_upload", "c8y_IsBinary": {}}, owner="admin")
    binaries.mkdir(parents=True, exist_ok=True)
    (binaries / binary["id"]).write_bytes(b"log_level = debug\n")
    url = f"http://127.0.0.1:8111/inventory/binaries/{binary['id']}"
    download = {"c8y_DownloadConfigFile": {"url": url, "type": "tedge.toml"}}

    assert run(state, "linux-0006", download, after=DELAY + 1)["status"] == "SUCCESSFUL"
    assert (
        run(state, "linux-0006", {"c8y_UploadConfigFile": {"type": "tedge.toml"}}, after=DELAY + 1)["status"]
        == "SUCCESSFUL"
    )
    assert (
        run(state, "linux-0006", {"c8y_UploadConfigFile": {"type": "mosquitto.conf"}}, after=DELAY + 1)[
            "status"
        ]
        == "SUCCESSFUL"
    )

    device_id = named(state, "linux-0006")["id"]
    events = {e["type"]: e for e in store.iter("events") if e["source"]["id"] == device_id}
    assert (binaries / f"event-{events['tedge.toml']['id']}").read_bytes() == b"log_level = debug\n"
    other = (binaries / f"event-{events['mosquitto.conf']['id']}").read_bytes()
    assert other.startswith(b"# mosquitto.conf of linux-0006")  # other types keep their own file
    assert named(state, "linux-0006")["c8y_Configuration_tedge.toml"]["url"] == url
