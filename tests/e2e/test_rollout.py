"""Staged rollouts through the real entry point on 200-device sandboxes (the rollout issue's tests).

Seeded fleet (c8ydm/sandbox/devices/seed.py): every fifth device (linux-0003, linux-0008, …) does
not support firmware, so a firmware rollout over all 200 devices targets 160 and excludes 40.
Sandboxes: ``failing`` (5% of the devices fail every operation), ``very_failing`` (30%),
``alarming`` (30% raise a c8y_HealthCheckAlarm after a successful update).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from c8y_api import CumulocityApi  # type: ignore[import-untyped]
from e2e_support import ENTRY_POINT, Run
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

ALL = "has(c8y_IsDevice)"  # the user's own query, sent as written
FAST = ("--ramp", "0.01", "--yes")


def start_args(version: str, *options: str) -> tuple[str, ...]:
    """``rollout start`` of firmware rollout-fw over every device of the sandbox."""
    return ("rollout", "start", "--firmware", f"rollout-fw@{version}", "--query", ALL, *options)


Runner = Callable[..., Run]


def ok(run: Run, code: int = 0) -> Any:
    assert run.code == code, run.stderr
    return run.json()


@pytest.fixture(scope="module")
def failing(sandbox_with: Callable[..., SandboxInstance]) -> SandboxInstance:
    return sandbox_with(devices=200, failure_rate=0.05)


def release(c8ydm: Runner, version: str, tmp_path: Path) -> None:
    image = tmp_path / f"rollout-fw-{version}.bin"
    image.write_bytes(f"image {version}\n".encode())
    ok(c8ydm("firmware", "add", "rollout-fw", "--version", version, "--file", str(image),
             "--description", "rollout e2e", "--if-exists", "skip", "-o", "json"))  # fmt: skip


def sdk(sandbox: SandboxInstance) -> CumulocityApi:
    return CumulocityApi(base_url=sandbox.url, tenant_id=sandbox.tenant, username=sandbox.user,
                         password=sandbox.password)  # fmt: skip


def operations_of(sandbox: SandboxInstance, rollout_id: str) -> list[Any]:
    """The rollout's operations, read with the official SDK (by their c8ydm_Origin marker)."""
    found = sdk(sandbox).operations.select(fragment="c8ydm_Origin")
    return [
        op for op in found if (op.to_full_json().get("c8ydm_Origin") or {}).get("rolloutId") == rollout_id
    ]


def bulks_of(sandbox: SandboxInstance, rollout_id: str) -> list[Any]:
    """The rollout's bulk operations (cancelled ones too), read with the official SDK."""
    bulks = sdk(sandbox).bulk_operations.get_all(with_deleted=True)
    return [
        b
        for b in bulks
        if (b.operation_prototype or {}).get("c8ydm_Origin", {}).get("rolloutId") == rollout_id
    ]


def test_a_rollout_with_a_few_failures_passes_its_three_waves(
    c8ydm_for: Callable[[SandboxInstance], Runner], failing: SandboxInstance, tmp_path: Path
) -> None:
    c8ydm = c8ydm_for(failing)
    release(c8ydm, "1.0.0", tmp_path)

    run = c8ydm(*start_args("1.0.0", "--waves", "10%,50%,100%", "--max-failures", "15%", "--seed", "1"),
                "--wait", *FAST, "-o", "json")  # fmt: skip

    assert run.code == 14, run.stderr  # finished: some devices failed, below the threshold
    error = run.json()["error"]
    rollout_id = error["message"].split()[1]
    shown = ok(c8ydm("rollout", "status", rollout_id, "-o", "json"))
    assert (shown["status"], shown["selected"], shown["devices"], shown["excluded"]) == (
        "finished",
        200,
        160,
        40,
    )
    assert [(w["devices"], w["status"]) for w in shown["waves"]] == [
        (16, "passed"),
        (64, "passed"),
        (80, "passed"),
    ]
    failed = shown["counts"]["failed"]
    assert 0 < failed < 16 and error["message"].endswith(
        f"{failed} of 160 devices failed (below the threshold)"
    )
    assert error["hint"] == f"retry them with: c8ydm rollout retry {rollout_id}"
    assert len(bulks_of(failing, rollout_id)) == 3
    assert Counter(Counter(op.device_id for op in operations_of(failing, rollout_id)).values()) == {1: 160}
    for line in ("wave 1/3: starting on 16 devices", "wave 3/3 passed: "):
        assert line in run.stderr


def test_a_dry_run_prints_the_plan_and_creates_nothing(
    c8ydm_for: Callable[[SandboxInstance], Runner], failing: SandboxInstance, tmp_path: Path
) -> None:
    c8ydm = c8ydm_for(failing)
    release(c8ydm, "1.0.1", tmp_path)
    before = ok(c8ydm("rollout", "list", "-o", "json"))

    plan = ok(
        c8ydm("rollout", "start", "--firmware", "rollout-fw@1.0.1", "--query", ALL, "--dry-run", "-o", "json")
    )

    assert [wave["devices"] for wave in plan["waves"]] == [10, 6, 64, 80]  # 10, 10%, 50%, 100%
    assert Counter(item["reason"] for item in plan["excluded"]) == {"does not support c8y_Firmware": 40}
    assert ok(c8ydm("rollout", "list", "-o", "json")) == before


def test_a_rollout_over_the_threshold_stops_at_wave_1_and_retry_sends_only_the_failed_again(
    c8ydm_for: Callable[[SandboxInstance], Runner],
    sandbox_with: Callable[..., SandboxInstance],
    tmp_path: Path,
) -> None:
    very_failing = sandbox_with(devices=200, failure_rate=0.3)
    c8ydm = c8ydm_for(very_failing)
    release(c8ydm, "2.0.0", tmp_path)

    run = c8ydm(*start_args("2.0.0", "--waves", "10%,50%,100%", "--seed", "1"), "--wait", *FAST, "-o", "json")

    assert run.code == 13, run.stderr
    rollout_id = run.json()["error"]["message"].split()[1]
    shown = ok(c8ydm("rollout", "status", rollout_id, "-o", "json"))
    assert [w["status"] for w in shown["waves"]] == ["failed", "pending", "pending"]
    # the rollout document rides with the error (one JSON document; cli-surface.md error object)
    details = run.json()["error"]["details"]
    assert details["id"] == rollout_id and [w["status"] for w in details["waves"]] == [
        "failed",
        "pending",
        "pending",
    ]
    assert len(bulks_of(very_failing, rollout_id)) == 1  # the later waves were never created
    failed_devices = {d["deviceId"] for d in ok(c8ydm("rollout", "status", rollout_id, "--devices", "--state",
                                                       "failed", "-o", "json"))}  # fmt: skip
    assert run.json()["error"]["message"].startswith(
        f"rollout {rollout_id} stopped at wave 1 of 3: {len(failed_devices)} of 16 devices failed"
    )

    retried = c8ydm("rollout", "retry", rollout_id, "--wait", "--yes", "-o", "json")

    assert retried.code == 13, retried.stderr  # the same devices fail again in the sandbox
    retry_bulks = [bulk for bulk in bulks_of(very_failing, rollout_id) if bulk.failed_parent_id]
    assert [bulk.group_id for bulk in retry_bulks] == [None]
    failed_again = ok(c8ydm("rollout", "status", rollout_id, "--devices", "--state", "failed", "-o", "json"))
    assert {d["deviceId"] for d in failed_again} == failed_devices
    assert {d["bulkOperationId"] for d in failed_again} == {retry_bulks[0].id}  # the retry's operations


def test_a_health_alarm_stops_a_rollout_whose_operations_all_succeed(
    c8ydm_for: Callable[[SandboxInstance], Runner],
    sandbox_with: Callable[..., SandboxInstance],
    tmp_path: Path,
) -> None:
    alarming = sandbox_with(devices=200, alarm_rate=0.3)
    c8ydm = c8ydm_for(alarming)
    release(c8ydm, "3.0.0", tmp_path)

    gates = ("--max-failures", "10%", "--halt-on-alarm", "c8y_HealthCheckAlarm")
    run = c8ydm(
        *start_args("3.0.0", "--waves", "10%,100%", *gates, "--seed", "1"), "--wait", *FAST, "-o", "json"
    )

    assert run.code == 13, run.stderr
    rollout_id = run.json()["error"]["message"].split()[1]
    states = Counter(
        d["state"] for d in ok(c8ydm("rollout", "status", rollout_id, "--devices", "-o", "json"))
    )
    assert states["failed"] == 0 and states["alarmed"] > 1 and states["successful"] + states["alarmed"] == 16
    assert {op.status for op in operations_of(alarming, rollout_id)} == {"SUCCESSFUL"}
    assert "with a watched alarm" in run.json()["error"]["message"]


def test_pause_after_each_wave_then_resume_from_another_run(c8ydm: Runner, tmp_path: Path) -> None:
    release(c8ydm, "4.0.0", tmp_path)
    args = ("rollout", "start", "--firmware", "rollout-fw@4.0.0", "--group", "Gateways", "--waves", "1,100%")

    first = ok(c8ydm(*args, "--pause-after-wave", "--name", "e2e-pause", "--wait", *FAST, "-o", "json"))
    assert (first["status"], [w["status"] for w in first["waves"]]) == ("paused", ["passed", "pending"])
    watched = ok(c8ydm("rollout", "status", first["id"], "--watch", "-o", "json"))
    assert watched["status"] == "paused"  # watching a paused rollout returns at once

    done = ok(c8ydm("rollout", "resume", "e2e-pause", "--wait", "-o", "json"))

    assert (done["status"], [w["status"] for w in done["waves"]]) == ("finished", ["passed", "passed"])


def test_a_pause_asked_for_elsewhere_stops_before_the_next_wave(c8ydm: Runner, tmp_path: Path) -> None:
    release(c8ydm, "4.0.1", tmp_path)
    started = ok(c8ydm("rollout", "start", "--firmware", "rollout-fw@4.0.1", "--group", "Gateways",
                       "--waves", "1,100%", *FAST, "-o", "json"))  # fmt: skip
    assert started["status"] == "running"  # no --wait: the first wave is with the tenant
    dry = c8ydm("rollout", "pause", started["id"], "--dry-run")
    assert [json.loads(line)["method"] for line in dry.stdout.splitlines()] == ["PUT"]  # records only
    assert ok(c8ydm("rollout", "status", started["id"], "-o", "json"))["status"] == "running"

    paused = ok(c8ydm("rollout", "pause", started["id"], "-o", "json"))
    driven = ok(c8ydm("rollout", "resume", started["id"], "-o", "json"))  # resuming withdraws the pause

    assert paused["status"] in ("pausing", "paused") and driven["status"] in ("running", "finished")
    assert ok(c8ydm("rollout", "resume", started["id"], "--wait", "-o", "json"))["status"] == "finished"


def test_a_runner_killed_at_ten_random_points_resumes_to_one_operation_per_device(
    c8ydm_for: Callable[[SandboxInstance], Runner],
    c8ydm_environment: Callable[[SandboxInstance], dict[str, str]],
    failing: SandboxInstance,
    tmp_path: Path,
) -> None:
    c8ydm = c8ydm_for(failing)
    release(c8ydm, "5.0.0", tmp_path)
    waves = ",".join(f"{share}%" for share in range(10, 101, 10))  # ten waves: each needs a runner to start
    options = ("--name", "e2e-kill", "--waves", waves, "--ramp", "0.15", "--max-failures", "100%")
    start = [*ENTRY_POINT, *start_args("5.0.0", *options), "--wait", "--yes"]
    env = c8ydm_environment(failing)
    kills = random.Random(12).sample([round(0.6 + i * 0.25, 2) for i in range(12)], 10)
    rollout_id, killed = None, []
    for delay in kills:
        args = start if rollout_id is None else [*ENTRY_POINT, "rollout", "resume", rollout_id, "--wait"]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   stdin=subprocess.DEVNULL, env=env)  # fmt: skip
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed.append(delay)
        listed = [r for r in ok(c8ydm("rollout", "list", "-o", "json")) if r["name"] == "e2e-kill"]
        rollout_id = listed[0]["id"] if listed else None

    assert rollout_id is not None and len(killed) == 10, killed  # every run was killed on its way
    done = c8ydm("rollout", "resume", rollout_id, "--wait", "-o", "json")

    assert done.code in (0, 14), done.stderr
    shown = ok(c8ydm("rollout", "status", rollout_id, "-o", "json"))
    assert shown["status"] == "finished" and shown["devices"] == 160
    per_device = Counter(op.device_id for op in operations_of(failing, rollout_id))
    assert len(per_device) == 160 and set(per_device.values()) == {1}  # exactly one each, none skipped
    assert len(bulks_of(failing, rollout_id)) == 10


def test_one_command_releases_and_rolls_out_and_its_rerun_changes_nothing(
    c8ydm: Runner, tmp_path: Path
) -> None:
    image = tmp_path / "ci-fw-1.0.0.bin"
    image.write_bytes(b"ci image\n")
    command = ("rollout", "start", "--firmware", "ci-fw@1.0.0", "--file", str(image), "--description", "CI",
               "--group", "Gateways", "--waves", "1,100%", "--wait", *FAST, "-o", "json")  # fmt: skip

    first = c8ydm(*command)
    again = c8ydm(*command)

    assert ok(first)["status"] == "finished", first.stderr
    assert "firmware 'ci-fw' version 1.0.0: created." in first.stderr
    assert "firmware 'ci-fw' version 1.0.0: unchanged." in again.stderr
    assert "Nothing was created: no device is left to roll out to." in again.stderr
    assert {item["reason"] for item in ok(again)["excluded"]} == {"already has firmware ci-fw 1.0.0"}


def test_a_device_profile_rolls_out_to_the_devices_that_support_it(c8ydm: Runner, tmp_path: Path) -> None:
    release(c8ydm, "6.0.0", tmp_path)
    ok(c8ydm("profile", "create", "e2e-rollout-profile", "-o", "json"))
    ok(
        c8ydm(
            "profile", "set", "e2e-rollout-profile", "--firmware", "rollout-fw@6.0.0", "--yes", "-o", "json"
        )
    )

    done = ok(c8ydm("rollout", "start", "--profile", "e2e-rollout-profile", "--query", ALL, "--wait", *FAST,
                    "-o", "json"))  # fmt: skip

    assert (done["status"], done["operation"]["kind"], done["devices"]) == ("finished", "profile", 2)
    shown = ok(c8ydm("device", "show", "linux-0005", "-o", "json"))
    assert shown["c8y_Profile"]["profileExecuted"] is True


def test_a_configuration_rolls_out_to_the_devices_that_declare_its_type(
    c8ydm: Runner, tmp_path: Path
) -> None:
    settings = tmp_path / "tedge.toml"
    settings.write_text("[mqtt]\nport = 1883\n")
    ok(
        c8ydm(
            "config",
            "add",
            "e2e-rollout-tedge",
            "--file",
            str(settings),
            "--type",
            "tedge.toml",
            "-o",
            "json",
        )
    )

    done = ok(c8ydm("rollout", "start", "--config", "e2e-rollout-tedge", "--query", ALL, "--wait", *FAST,
                    "-o", "json"))  # fmt: skip

    assert (done["status"], done["operation"]["kind"], done["devices"]) == ("finished", "configuration", 1)
    again = ok(
        c8ydm("rollout", "start", "--config", "e2e-rollout-tedge", "--query", ALL, "--dry-run", "-o", "json")
    )
    reasons = {item["name"]: item["reason"] for item in again["excluded"]}
    assert (
        reasons["linux-0001"] == "already has configuration e2e-rollout-tedge"
    )  # its c8y_Configuration_<type>
