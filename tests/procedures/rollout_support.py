"""Building blocks of the rollout procedure tests: a plan made by hand, runners, and a run to the end."""

from __future__ import annotations

from typing import Any

from rollout_fakes import FakeClock, FakeTenant

from c8ydm.api.client import Client
from c8ydm.procedures.rollout import control
from c8ydm.procedures.rollout.driver import DriveResult, drive
from c8ydm.procedures.rollout.lease import Runner
from c8ydm.procedures.rollout.operations import RolloutOperation
from c8ydm.procedures.rollout.planner import PlannedRollout, split
from c8ydm.procedures.rollout.record import Plan
from c8ydm.procedures.rollout.settings import RolloutSettings, wave_sizes

FIRMWARE = {"name": "fw", "version": "2.0", "url": "https://fw.example.com/fw-2.0"}
PROTOTYPE = {"description": "Update firmware to: fw (version: 2.0).", "c8y_Firmware": FIRMWARE}
OPERATION = RolloutOperation("firmware", "firmware fw 2.0", PROTOTYPE, "c8y_Firmware")
DEAD_PID = 2**22 + 12345  # above the usual pid_max: no such process
RUNNER = Runner("token-a", "runner-a", "elsewhere", 1)


def runner(token: str, *, host: str = "elsewhere", pid: int = 1) -> Runner:
    return Runner(token, f"{host} pid {pid}", host, pid)


def planned(
    tenant: FakeTenant, *, waves: str = "5,50%,100%", name: str = "fw rollout", **settings: Any
) -> PlannedRollout:
    """A plan over every device of the tenant, in id order, with a 1 s ramp."""
    ids = sorted(mo_id for mo_id, mo in tenant.mos.items() if "c8y_IsDevice" in mo)
    chosen = RolloutSettings(waves=waves, ramp=settings.pop("ramp", 1.0), **settings)
    plan = Plan(
        run_id="run-1",
        fingerprint="f",
        operation=OPERATION,
        target={"query": "has(c8y_IsDevice)"},
        settings=chosen,
        seed=1,
        waves=split(ids, wave_sizes(chosen.steps, len(ids))),
        selected=len(ids),
    )
    return PlannedRollout(name, plan)


def start(
    client: Client, clock: FakeClock, plan: PlannedRollout, *, wait: bool = True, by: Runner = RUNNER
) -> DriveResult:
    """Create the rollout and drive it."""
    return drive(control.create(client, plan, by, clock), wait=wait)
