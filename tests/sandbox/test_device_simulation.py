"""The simulated agents: deterministic failing and silent devices, a cheap loop, a prompt stop."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from device_support import checked_client, final_operation, wait_for
from support.sandbox import TEST_OP_DELAY_SECONDS, running_sandbox

from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store
from c8ydm.sandbox.devices import seed
from c8ydm.sandbox.devices.simulation import Simulator, behaviour, device_share
from c8ydm.sandbox.model import operations
from c8ydm.sandbox.state import SandboxState


def test_device_share_is_stable_and_spread() -> None:
    shares = [device_share(42, str(10000 + n)) for n in range(1000)]
    assert shares == [device_share(42, str(10000 + n)) for n in range(1000)]
    assert all(0 <= s < 1 for s in shares)
    assert 0.4 < sum(s < 0.5 for s in shares) / 1000 < 0.6
    assert device_share(42, "10000") != device_share(43, "10000")


def test_behaviour_shares_follow_the_rates(tmp_path: Path) -> None:
    config = SandboxOptions(data_dir=tmp_path, seed=1, silent_rate=0.2, failure_rate=0.3)
    kinds = [behaviour(config, str(n)) for n in range(2000)]
    assert 0.15 < kinds.count("silent") / 2000 < 0.25
    assert 0.25 < kinds.count("failing") / 2000 < 0.35
    assert behaviour(SandboxOptions(data_dir=tmp_path), "1") == "ok"  # rates default to 0


def _outcomes(url: str, auth: tuple[str, str]) -> dict[str, tuple[str, str]]:
    """Send a restart to every device; {device name: (status, device id)} once the answering ones finish."""
    with checked_client(url, auth) as api:
        devices = api.get(
            "/inventory/managedObjects", params={"fragmentType": "c8y_IsDevice", "pageSize": 100}
        ).json()["managedObjects"]
        ops = {
            d["name"]: (
                api.post("/devicecontrol/operations", json={"deviceId": d["id"], "c8y_Restart": {}}).json()[
                    "id"
                ],
                d["id"],
            )
            for d in devices
        }
        time.sleep(6 * TEST_OP_DELAY_SECONDS)  # long enough for every answering device
        result = {}
        for name, (op_id, device_id) in ops.items():
            op = api.get(f"/devicecontrol/operations/{op_id}").json()
            if op["status"] != "PENDING":
                op = final_operation(api, op_id)
            if op["status"] == "FAILED":
                assert op["failureReason"].endswith("(simulated failure)")
            result[name] = (op["status"], device_id)
        return result


def test_failing_and_silent_devices_are_chosen_by_the_seed(tmp_path: Path) -> None:
    options = {"devices": 12, "seed": 7, "failure_rate": 0.3, "silent_rate": 0.25}
    with running_sandbox(tmp_path / "a", **options) as first:
        outcome_a = _outcomes(first.url, first.auth)
    with running_sandbox(tmp_path / "b", **options) as second:
        outcome_b = _outcomes(second.url, second.auth)
    assert outcome_a == outcome_b
    config = SandboxOptions(data_dir=tmp_path, seed=7, failure_rate=0.3, silent_rate=0.25)
    expected = {"silent": "PENDING", "failing": "FAILED", "ok": "SUCCESSFUL"}
    assert {name: expected[behaviour(config, device_id)] for name, (_, device_id) in outcome_a.items()} == {
        name: status for name, (status, _) in outcome_a.items()
    }
    assert {status for status, _ in outcome_a.values()} == {"PENDING", "FAILED", "SUCCESSFUL"}


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    config = SandboxOptions(data_dir=tmp_path, devices=5, op_delay_seconds=30.0)
    sandbox_state = SandboxState(options=config, store=Store(":memory:"))
    seed.ensure_seeded(sandbox_state)
    return sandbox_state


def test_thousands_of_operations_finish_in_one_pass(state: SandboxState) -> None:
    # How long such a pass takes is measured by benchmarks/sandbox_seed.py, not asserted here.
    simulator = Simulator(state)
    state.simulator = simulator
    devices = [d["id"] for d in state.store.iter("managedObjects") if "c8y_IsDevice" in d]
    for n in range(3000):
        operations.create_operation(state, {"deviceId": devices[n % len(devices)], "c8y_Restart": {}})
    simulator.tick(time.monotonic() + 10_000)  # far past both steps of every operation
    statuses = {op["status"] for op in state.store.iter("operations")}
    assert statuses == {"SUCCESSFUL"}


def test_stop_is_prompt_and_start_resumes_pending_work(state: SandboxState) -> None:
    device_id = next(d["id"] for d in state.store.iter("managedObjects") if "c8y_IsDevice" in d)
    op = operations.create_operation(state, {"deviceId": device_id, "c8y_Restart": {}})
    state.options.op_delay_seconds = 0.01
    simulator = Simulator(state)
    simulator.start()  # finds the PENDING operation created before it ran
    wait_for(
        lambda: state.store.get("operations", op["id"])["status"] == "SUCCESSFUL",  # type: ignore[index]
        what="the resumed operation",
    )
    thread = simulator._thread
    simulator.stop()
    assert thread is not None and not thread.is_alive()  # woken and joined, not left running


def test_cancelled_operation_is_not_touched_by_its_device(state: SandboxState) -> None:
    simulator = Simulator(state)
    state.simulator = simulator
    device_id = next(d["id"] for d in state.store.iter("managedObjects") if "c8y_IsDevice" in d)
    op = operations.create_operation(state, {"deviceId": device_id, "c8y_Restart": {}})
    operations.set_status(state, op["id"], "FAILED", "User cancelled operation")
    simulator.tick(time.monotonic() + 10_000)
    assert state.store.get("operations", op["id"])["status"] == "FAILED"  # type: ignore[index]
