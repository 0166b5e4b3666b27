"""The README's CI section runs as written (issue 15): the sandbox rehearsal with its release.sh,
and a GitLab job that parses and runs that script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.entry_point import ENTRY_POINT
from support.readme import marked_block

pytestmark = pytest.mark.e2e

BIN = str(Path(sys.executable).parent)  # where this test run's c8ydm is installed


@pytest.mark.skipif(shutil.which("jq") is None, reason="the README's rehearsal uses jq")
def test_the_sandbox_rehearsal_runs_release_sh_as_written(tmp_path: Path) -> None:
    (tmp_path / "release.sh").write_text(marked_block("release.sh"))
    lines = marked_block("rehearsal").splitlines()
    # The package is installed already (and not yet on the index): every other line runs as written.
    script = "\n".join(line for line in lines if not line.startswith("pip install"))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("C8Y_", "C8YDM_", "_C8YDM_"))}
    env = {
        **base,
        "PATH": os.pathsep.join([BIN, base["PATH"]]),
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "C8YDM_CONFIG_DIR": str(tmp_path / "config"),
        "C8YDM_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    try:
        done = subprocess.run(
            ["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        subprocess.run([*ENTRY_POINT, "sandbox", "stop", "--data-dir", str(tmp_path / "runner" / "c8y")],
                       env=env, capture_output=True, timeout=60)  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "rolled out" in done.stdout
    release = json.loads((tmp_path / "release.json").read_text())
    rollout = json.loads((tmp_path / "rollout.json").read_text())
    assert (release["status"], release["entry"]["name"]) == ("created", "router-os")
    assert (rollout["generalStatus"], rollout["progress"]["successful"]) == ("SUCCESSFUL", 2)


def test_the_gitlab_job_installs_c8ydm_cli_and_runs_release_sh() -> None:
    job = yaml.safe_load(marked_block("gitlab-ci"))["release-firmware"]

    assert job["before_script"] == ["pip install --quiet c8ydm-cli"]
    assert job["script"] == ["sh release.sh"]
    assert set(job["variables"]) == {"VERSION", "DEVICE_TYPE"}
    assert job["artifacts"]["paths"] == ["release.json", "rollout.json"]
