"""Pause, resume, cancel and retry a rollout, from another machine than the one that drives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx
from device_fakes import client, router
from rollout_fakes import FakeClock, FakeTenant
from rollout_support import planned, runner, start

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.procedures.errors import ThresholdCrossedError
from c8ydm.procedures.rollout import control
from c8ydm.procedures.rollout.driver import drive
from c8ydm.procedures.rollout.store import load_rollout

__all__ = ["client", "router"]  # fixtures


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tenant(router: respx.MockRouter, clock: FakeClock) -> Iterator[FakeTenant]:
    yield FakeTenant(router, clock, devices=20)


def again(client: Client, clock: FakeClock, rollout_id: str, token: str = "second") -> control.Context:
    return control.open_runner(client, load_rollout(client, rollout_id), runner(token), clock)


def test_pause_after_wave_waits_for_resume_before_each_next_wave(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    first = start(client, clock, planned(tenant, pause_after_wave=True))
    assert (first.outcome, len(tenant.bulks)) == ("paused", 1)
    assert first.rollout.state.reason == "approval needed after wave 1: --pause-after-wave"

    ctx = again(client, clock, first.rollout.id)
    control.resume(ctx)
    second = drive(ctx, wait=True)

    assert (second.outcome, len(tenant.bulks)) == ("paused", 2)
    ctx = again(client, clock, first.rollout.id, "third")
    control.resume(ctx)
    assert drive(ctx, wait=True).outcome == "finished" and len(tenant.bulks) == 3


def test_a_pause_asked_elsewhere_lets_the_running_wave_finish_and_starts_no_next(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    started = start(client, clock, planned(tenant), wait=False)
    other = load_rollout(client, started.rollout.id)
    control.pause(client, other, runner("laptop"), clock)
    assert load_rollout(client, other.id).status == "pausing"

    result = drive(again(client, clock, other.id), wait=True)

    assert (result.outcome, len(tenant.bulks)) == ("paused", 1)
    assert result.rollout.state.waves[0].status.value == "passed"
    assert load_rollout(client, other.id).status == "paused"


def test_cancel_stops_the_running_wave_and_its_pending_operations(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    tenant.op_seconds = 4.0
    started = start(client, clock, planned(tenant, waves="100%", ramp=5.0), wait=False)
    clock.advance(12)  # three operations exist: done, EXECUTING, PENDING

    control.cancel(client, load_rollout(client, started.rollout.id), runner("laptop"), clock)

    rollout = load_rollout(client, started.rollout.id)
    assert (rollout.status, rollout.state.status.value) == ("cancelled", "cancelled")
    assert [bulk["status"] for bulk in tenant.bulks.values()] == ["DELETED"]
    assert sorted(op["status"] for op in tenant.ops.values()) == ["EXECUTING", "FAILED", "SUCCESSFUL"]
    cancelled = next(op for op in tenant.ops.values() if op["status"] == "FAILED")
    assert cancelled["failureReason"] == f"c8ydm rollout {started.rollout.id} cancelled"
    clock.advance(600)
    assert len(tenant.ops) == 3  # the tenant created no further operation
    with pytest.raises(InputError, match="was cancelled"):
        control.resume(again(client, clock, rollout.id))


def test_retry_sends_the_failed_devices_again_and_carries_on(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    tenant.failing = {"1001", "1002"}
    stopped = start(client, clock, planned(tenant, max_failures="20%", min_sample=5))
    assert isinstance(stopped.error, ThresholdCrossedError)
    tenant.failing = set()  # fixed on the devices' side

    ctx = again(client, clock, stopped.rollout.id)
    assert control.mark_retry(ctx) == 1
    result = drive(ctx, wait=True)

    assert (result.outcome, result.error) == ("finished", None)
    retry = [bulk for bulk in tenant.bulks.values() if bulk.get("failedParentId")]
    assert [(bulk["failedParentId"], "groupId" in bulk) for bulk in retry] == [
        (stopped.rollout.state.waves[0].attempts[0].bulk_id, False)
    ]
    assert sorted(
        op["deviceId"] for op in tenant.ops.values() if str(op["bulkOperationId"]) == retry[0]["id"]
    ) == ["1001", "1002"]
    assert [wave.status.value for wave in result.rollout.state.waves] == ["passed"] * 3
    assert result.rollout.state.waves[0].counts.successful == 5


def test_resuming_a_stopped_rollout_names_retry(client: Client, clock: FakeClock, tenant: FakeTenant) -> None:
    tenant.failing = {"1001", "1002"}
    stopped = start(client, clock, planned(tenant, max_failures="20%", min_sample=5))

    ctx = again(client, clock, stopped.rollout.id)
    control.resume(ctx)
    result = drive(ctx, wait=True)

    assert result.outcome == "stopped" and isinstance(result.error, ThresholdCrossedError)
    assert len(tenant.bulks) == 1


def test_a_cancel_while_another_runner_drives_ends_that_run_as_cancelled(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    started = start(client, clock, planned(tenant, waves="100%", ramp=5.0), wait=False)
    driving = again(client, clock, started.rollout.id, "driver")  # holds the lease from now on

    control.cancel(client, load_rollout(client, started.rollout.id), runner("laptop"), clock)
    result = drive(driving, wait=True)

    assert result.outcome == "cancelled"
    assert [wave.status.value for wave in result.rollout.state.waves] == ["cancelled"]
    assert len(tenant.bulks) == 1 and len(tenant.ops) < 20  # no further wave, no further operation


def test_a_bulk_operation_cancelled_outside_stops_the_rollout(
    client: Client, clock: FakeClock, tenant: FakeTenant
) -> None:
    started = start(client, clock, planned(tenant, waves="100%", ramp=5.0), wait=False)
    client.bulk_operations.delete(next(iter(tenant.bulks)))  # the UI's "cancel"

    result = drive(again(client, clock, started.rollout.id), wait=True)

    assert result.outcome == "stopped" and isinstance(result.error, ThresholdCrossedError)
    assert "was cancelled outside the rollout" in result.error.message
