"""Driving a rollout on a scripted tenant: waves on the bulk engine, gates, and how they end."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import respx
from device_fakes import client, router
from rollout_fakes import FakeClock, FakeTenant
from rollout_support import PROTOTYPE, planned, start

from c8ydm.api.client import Client
from c8ydm.procedures.errors import PartialFailureError, ThresholdCrossedError

__all__ = ["client", "router"]  # fixtures


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tenant(router: respx.MockRouter, clock: FakeClock) -> Iterator[FakeTenant]:
    yield FakeTenant(router, clock, devices=20)


def test_a_rollout_runs_each_wave_as_one_bulk_operation_over_its_own_group(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    result = start(client, clock, planned(tenant))

    assert (result.outcome, result.error) == ("finished", None)
    plan = result.rollout.plan
    assert [len(wave) for wave in plan.waves] == [5, 5, 10]
    groups = tenant.of_type("c8y_DeviceGroup")
    assert [tenant.children[group["id"]] for group in groups] == plan.waves
    assert [group["c8ydm_RolloutWave"] for group in groups] == [
        {"rolloutId": result.rollout.id, "wave": wave, "attempt": 0} for wave in (1, 2, 3)
    ]
    assert all(group["c8y_IsDeviceGroup"] == {"invisible": {}} for group in groups)
    bulks = list(tenant.bulks.values())
    assert [bulk["groupId"] for bulk in bulks] == [group["id"] for group in groups]
    for wave, bulk in enumerate(bulks, start=1):
        origin = bulk["operationPrototype"].pop("c8ydm_Origin")
        assert bulk["operationPrototype"] == PROTOTYPE and bulk["creationRamp"] == 1.0
        assert (origin["tool"], origin["runId"], origin["rolloutId"], origin["wave"]) == (
            "c8ydm", "run-1", result.rollout.id, wave,
        )  # fmt: skip
    assert Counter(op["deviceId"] for op in tenant.ops.values()) == Counter(
        {d: 1 for d in tenant.mos if d < "2"}
    )
    assert [wave.status.value for wave in result.rollout.state.waves] == ["passed"] * 3
    assert tenant.mos[result.rollout.id]["c8ydm_RolloutState"]["status"] == "finished"
    assert "c8ydm_RolloutLease" not in tenant.mos[result.rollout.id]  # given up at the end


def test_the_requests_per_wave_do_not_grow_with_the_devices(
    router: respx.MockRouter, client: Client, clock: FakeClock
) -> None:
    small = FakeTenant(router, clock, devices=30)
    start(client, clock, planned(small, waves="10%,50%,100%"))
    small_count = len(small.requests)
    router.routes.clear()
    big = FakeTenant(router, FakeClock(), devices=3000)

    start(client, big.clock, planned(big, waves="10%,50%,100%", ramp=0.01))

    # One more reference request for the 1500-device wave (2000 devices a request) and one more
    # page of child operations: nothing per device.
    assert len(big.requests) - small_count <= 4, Counter((m, p) for m, p, _ in big.requests)
    assert big.count("POST", r"/inventory/managedObjects/\d+/childAssets") == 3


def test_crossing_the_threshold_cancels_the_wave_and_starts_no_other(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    tenant.failing = {"1001", "1002"}  # two of the first wave's five devices

    result = start(client, clock, planned(tenant, max_failures="20%", min_sample=5, ramp=0.5))

    assert result.outcome == "stopped"
    error = result.error
    assert isinstance(error, ThresholdCrossedError) and (error.wave, error.failed) == (1, 2)
    assert error.message == (
        f"rollout {result.rollout.id} stopped at wave 1 of 3: 2 of 5 devices failed (40%): more than the "
        "20% allowed; 2 later waves not started"
    )
    assert error.hint == f"retry the failed devices with: c8ydm rollout retry {result.rollout.id}"
    assert len(tenant.bulks) == 1 and len(tenant.of_type("c8y_DeviceGroup")) == 1
    assert [bulk["status"] for bulk in tenant.bulks.values()] == ["DELETED"]
    assert result.rollout.state.status.value == "stopped"


def test_a_failing_wave_stops_before_its_end_once_the_sample_is_large_enough(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    tenant.failing = {"1001", "1002", "1003", "1004", "1005"}

    result = start(client, clock, planned(tenant, waves="100%", min_sample=5, ramp=10.0))

    assert result.outcome == "stopped"
    created = {op["deviceId"] for op in tenant.ops.values()}
    assert len(created) < 20  # the tenant stopped creating operations when the bulk was cancelled
    assert all(op["status"] != "PENDING" for op in tenant.ops.values())  # nobody picked them up: cancelled
    reasons = {op.get("failureReason") for op in tenant.ops.values() if op["deviceId"] not in tenant.failing}
    assert reasons <= {
        None,
        f"c8ydm rollout {result.rollout.id} stopped: failure threshold crossed in wave 1",
    }


def test_failures_below_the_threshold_finish_with_exit_14(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    tenant.failing = {"1020"}

    result = start(client, clock, planned(tenant, max_failures="2"))

    assert result.outcome == "finished" and isinstance(result.error, PartialFailureError)
    assert result.error.message == (
        f"rollout {result.rollout.id} finished, but 1 of 20 devices failed (below the threshold)"
    )


def test_operations_past_the_device_timeout_are_cancelled_and_count_as_failed(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    tenant.silent = {"1003"}

    result = start(client, clock, planned(tenant, waves="100%", max_failures="1", device_timeout_seconds=600))

    silent = tenant.operations_of("1003")[0]
    assert (silent["status"], silent["failureReason"]) == (
        "FAILED", "c8ydm rollout: no final status within the device timeout (600 s)",
    )  # fmt: skip
    wave = result.rollout.state.waves[0]
    assert (wave.counts.failed, wave.counts.timed_out, wave.status.value) == (1, 1, "passed")
    assert isinstance(result.error, PartialFailureError)


def test_alarmed_devices_count_as_failed_with_one_alarm_query_per_gate(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    tenant.alarming = {"1016", "1017"}  # in the last wave

    result = start(client, clock, planned(tenant, max_failures="1", halt_on_alarm=("c8y_HealthCheckAlarm",)))

    assert result.outcome == "stopped" and all(op["status"] == "SUCCESSFUL" for op in tenant.ops.values())
    assert result.rollout.state.waves[2].counts.alarmed == 2
    assert "2 of 10 devices failed (20%), 2 of them with a watched alarm" in str(result.error)
    assert tenant.count("GET", "/alarm/alarms") == 3  # one per judged wave
    queries = [params for method, path, params in tenant.requests if path == "/alarm/alarms"]
    assert {(q["type"], q["status"], q["pageSize"]) for q in queries} == {
        ("c8y_HealthCheckAlarm", "ACTIVE", "2000")
    }


def test_the_soak_waits_before_the_gate(client: Client, clock: FakeClock, tenant: FakeTenant) -> None:
    result = start(client, clock, planned(tenant, waves="100%", soak_seconds=900))

    wave = result.rollout.state.waves[0]
    assert wave.judged is not None and wave.ended is not None
    from c8ydm.api.conventions import parse_timestamp

    assert (parse_timestamp(wave.judged) - parse_timestamp(wave.ended)).total_seconds() == 900


def test_without_wait_one_pass_starts_the_first_wave_and_returns(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    result = start(client, clock, planned(tenant), wait=False)

    assert result.outcome == "running" and len(tenant.bulks) == 1 and clock.slept == []
    assert "c8ydm_RolloutLease" not in tenant.mos[result.rollout.id]
