"""The repository's GitHub Action (action.yml): its shell steps run as a runner would run them,
against the sandbox: install c8ydm from this checkout, release firmware from C8Y_* secrets, roll it
out to a group, and expose the JSON results as outputs (issue 15)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.actions import ActionRun, run_action
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "action.yml"
FIRMWARE = "e2e-action-fw"


@pytest.fixture(scope="module")
def job(sandbox: SandboxInstance, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A job whose secrets are in its environment (the host comes as an input), after the install step."""
    workdir = tmp_path_factory.mktemp("job")
    (workdir / "build").mkdir()
    (workdir / "build" / "router-os.bin").write_bytes(b"router image " * 100)
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("C8Y_", "C8YDM_", "_C8YDM_", "VIRTUAL_ENV"))
    }
    home = tmp_path_factory.mktemp("home")
    env = {
        **base,
        "C8Y_TENANT": sandbox.tenant,
        "C8Y_USER": sandbox.user,
        "C8Y_PASSWORD": sandbox.password,
        "C8YDM_CONFIG_DIR": str(home / "config"),
        "C8YDM_CACHE_DIR": str(home / "cache"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    installed = run_action(ACTION, inputs=inputs(sandbox), job_env=env, workdir=workdir, only={"install"})
    assert installed.failed is None, installed.steps[-1].stderr
    assert installed.steps[0].stdout.strip().startswith("c8ydm ")
    yield {"env": env, "workdir": workdir, "paths": installed.paths}


def inputs(sandbox: SandboxInstance, **extra: str) -> dict[str, str]:
    return {"host": sandbox.url, "firmware": FIRMWARE, "version": "1.0.0", **extra}


def run(job: dict[str, Any], given: dict[str, str]) -> ActionRun:
    return run_action(
        ACTION, inputs=given, job_env=job["env"], workdir=job["workdir"], only={"release", "rollout"},
        path_prefix=job["paths"],
    )  # fmt: skip


def test_release_and_rollout_expose_their_json_results(job: dict[str, Any], sandbox: SandboxInstance) -> None:
    given = inputs(
        sandbox, file="build/router-os.bin", description="Router OS", group="Gateways", ramp="0.05"
    )

    done = run(job, given)

    assert done.failed is None, done.steps[-1].stderr
    release, rollout = json.loads(done.outputs["release"]), json.loads(done.outputs["rollout"])
    assert (done.outputs["release-status"], release["status"]) == ("created", "created")
    assert (release["entry"]["name"], release["version"]["c8y_Firmware"]["version"]) == (FIRMWARE, "1.0.0")
    assert (rollout["generalStatus"], rollout["progress"]["successful"]) == ("SUCCESSFUL", 2)
    assert rollout["operationPrototype"]["c8y_Firmware"]["version"] == "1.0.0"
    assert (done.outputs["bulk-id"], done.outputs["rollout-exit-code"]) == (rollout["id"], "0")
    assert sandbox.password not in "".join(step.stdout + step.stderr for step in done.steps)


def test_a_rerun_is_unchanged_and_without_a_group_only_releases(
    job: dict[str, Any], sandbox: SandboxInstance
) -> None:
    done = run(job, inputs(sandbox, file="build/router-os.bin"))

    assert done.failed is None, done.steps[-1].stderr
    assert done.outputs["release-status"] == "unchanged"
    assert (done.outputs["rollout"], done.outputs["bulk-id"], done.outputs["rollout-exit-code"]) == (
        "",
        "",
        "0",
    )
    assert "No group or query given: released only." in done.steps[-1].stdout


def test_a_failing_release_fails_the_step_with_c8ydm_exit_code_and_its_error(
    job: dict[str, Any], sandbox: SandboxInstance
) -> None:
    done = run(job, inputs(sandbox, firmware="e2e-action-new", file="build/router-os.bin"))  # no description

    assert [(step.id, step.code) for step in done.steps] == [("release", 2)]
    assert json.loads(done.outputs["release"])["error"]["code"] == 2
    assert done.outputs["release-status"] == ""


def test_a_rollout_where_some_devices_fail_fails_with_14_and_still_names_the_bulk_operation(
    job: dict[str, Any], sandbox: SandboxInstance
) -> None:
    given = inputs(
        sandbox, file="build/router-os.bin", description="Router OS", group="All Linux", ramp="0.05"
    )

    done = run(job, given)

    assert [(step.id, step.code) for step in done.steps] == [("release", 0), ("rollout", 14)]
    error = json.loads(done.outputs["rollout"])["error"]
    assert (error["code"], error["details"]["progress"]["failed"]) == (14, 1)  # linux-0003 has no firmware
    assert (done.outputs["bulk-id"], done.outputs["rollout-exit-code"]) == (error["details"]["id"], "14")
