"""A runner killed at any change and resumed by another creates nothing twice and skips no device."""

from __future__ import annotations

import os
import socket
from collections import Counter

import pytest
import respx
from device_fakes import client, router
from rollout_fakes import FakeClock, FakeTenant, Killed
from rollout_support import DEAD_PID, planned, runner

from c8ydm.api.client import Client
from c8ydm.procedures.rollout import control
from c8ydm.procedures.rollout.driver import drive
from c8ydm.procedures.rollout.lease import RolloutBusyError
from c8ydm.procedures.rollout.store import find_rollouts, load_rollout

__all__ = ["client", "router"]  # fixtures

HOST = socket.gethostname()
CHANGES_OF_A_FULL_RUN = 21  # an uninterrupted run of the plan below makes exactly this many changes


def first_run(client: Client, tenant: FakeTenant, clock: FakeClock) -> None:
    """Start with a runner of this host whose process is gone once killed."""
    plan = planned(tenant, waves="3,50%,100%", halt_on_alarm=("c8y_HealthCheckAlarm",), max_failures="100%")
    with pytest.raises(Killed):
        drive(control.create(client, plan, runner("first", host=HOST, pid=DEAD_PID), clock), wait=True)


def resume(client: Client, tenant: FakeTenant, clock: FakeClock) -> str:
    tenant.is_dead, tenant.kill_after = False, None
    found = list(find_rollouts(client, name="fw rollout"))
    if not found:
        return ""
    rollout = load_rollout(client, found[0].id)
    ctx = control.open_runner(client, rollout, runner("second", host=HOST, pid=os.getpid()), clock)
    result = drive(ctx, wait=True)
    assert (result.outcome, result.error) == ("finished", None)
    return rollout.id


@pytest.mark.parametrize("kill_after", range(1, CHANGES_OF_A_FULL_RUN + 1))
def test_a_run_killed_after_any_change_resumes_with_one_operation_per_device(
    router: respx.MockRouter, client: Client, kill_after: int
) -> None:
    clock = FakeClock()
    tenant = FakeTenant(router, clock, devices=12)
    tenant.kill_after = kill_after

    first_run(client, tenant, clock)
    rollout_id = resume(client, tenant, clock)

    assert rollout_id, "the rollout object was created before the first change's answer was lost"
    devices = sorted(mo_id for mo_id, mo in tenant.mos.items() if "c8y_IsDevice" in mo)
    assert Counter(op["deviceId"] for op in tenant.ops.values()) == Counter(devices)  # one each
    groups = tenant.of_type("c8y_DeviceGroup")
    assert len(groups) == 3 and len(tenant.bulks) == 3
    assert sorted(child for group in groups for child in tenant.children[group["id"]]) == devices
    assert len(tenant.of_type("c8ydm_Rollout")) == 1


def test_the_kill_points_cover_every_change_of_a_full_run(router: respx.MockRouter, client: Client) -> None:
    clock = FakeClock()
    tenant = FakeTenant(router, clock, devices=12)
    plan = planned(tenant, waves="3,50%,100%", halt_on_alarm=("c8y_HealthCheckAlarm",), max_failures="100%")

    drive(control.create(client, plan, runner("only"), clock), wait=True)

    assert tenant.changes == CHANGES_OF_A_FULL_RUN


def test_a_live_runner_elsewhere_keeps_the_rollout_until_its_lease_expires(
    router: respx.MockRouter, client: Client
) -> None:
    clock = FakeClock()
    tenant = FakeTenant(router, clock, devices=6)
    tenant.kill_after = 4  # group, members, state: killed in the first wave
    with pytest.raises(Killed):
        drive(control.create(client, planned(tenant), runner("first", host="ci-1", pid=77), clock), wait=True)
    tenant.is_dead, tenant.kill_after = False, None
    rollout = load_rollout(client, tenant.of_type("c8ydm_Rollout")[0]["id"])

    with pytest.raises(RolloutBusyError) as busy:
        control.open_runner(client, rollout, runner("second", host="ci-2"), clock)
    clock.advance(10 * 60)  # past the lease

    ctx = control.open_runner(client, load_rollout(client, rollout.id), runner("second", host="ci-2"), clock)

    assert busy.value.message.startswith(f"rollout {rollout.id} is being driven by ci-1 pid 77, until ")
    assert drive(ctx, wait=True).outcome == "finished"


def test_of_two_runners_taking_the_lease_at_once_the_one_overwritten_backs_off(
    router: respx.MockRouter, client: Client
) -> None:
    clock = FakeClock()
    tenant = FakeTenant(router, clock, devices=6)
    result = drive(control.create(client, planned(tenant), runner("first"), clock), wait=False)
    rollout_mo = tenant.mos[result.rollout.id]
    original_sleep = clock.sleep

    def other_runner_writes(seconds: float) -> None:  # between our write and our read-back
        rollout_mo["c8ydm_RolloutLease"] = {
            **rollout_mo["c8ydm_RolloutLease"],
            "token": "other",
            "holder": "x",
        }
        original_sleep(seconds)

    clock.sleep = other_runner_writes  # type: ignore[method-assign]

    with pytest.raises(RolloutBusyError):
        control.open_runner(client, load_rollout(client, result.rollout.id), runner("second"), clock)


@pytest.mark.parametrize(
    "lost",
    [
        "POST /inventory/managedObjects",  # the rollout object itself
        r"POST /inventory/managedObjects/\d+/childAssets",  # a wave's members
        "POST /devicecontrol/bulkoperations",  # a wave's bulk operation
    ],
)
def test_a_lost_answer_is_looked_up_and_adopted_within_the_run(
    router: respx.MockRouter, client: Client, lost: str
) -> None:
    clock = FakeClock()
    tenant = FakeTenant(router, clock, devices=6)
    tenant.lose_answers = [lost]

    result = drive(control.create(client, planned(tenant), runner("only"), clock), wait=True)

    assert (result.outcome, tenant.lose_answers) == ("finished", [])
    assert (
        len(tenant.of_type("c8ydm_Rollout")) == 1 and len(tenant.bulks) == len(result.rollout.plan.waves) == 2
    )
    devices = [mo_id for mo_id, mo in tenant.mos.items() if "c8y_IsDevice" in mo]
    assert Counter(op["deviceId"] for op in tenant.ops.values()) == Counter(devices)
    assert all(len(members) == len(set(members)) for members in tenant.children.values())
