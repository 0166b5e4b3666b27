"""`c8ydm sandbox start | status | stop | reset` through the real entry point (cli-surface.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx


def _c8ydm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "c8ydm", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_sandbox_commands_start_select_the_session_and_stop(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "C8YDM_CONFIG_DIR": str(tmp_path / "config"),
        "C8YDM_SANDBOX_DIR": str(tmp_path / "sb"),
    }
    env.pop("C8Y_HOST", None)
    started = _c8ydm(
        "sandbox", "start", "--port", "0", "--devices", "2", "--op-delay", "0.05", "-o", "json", env=env
    )
    try:
        assert started.returncode == 0, started.stderr
        state = json.loads(started.stdout)
        assert "Sandbox running at" in started.stderr
        status = _c8ydm("sandbox", "status", "-o", "json", env=env)
        data = json.loads(status.stdout)
        assert {"url", "tenant", "user", "password", "devices", "running"} <= set(data)
        assert (data["running"], data["devices"], data["url"]) == (True, 2, state["url"])
        assert state["seeded"] == data["seeded"] == 2  # a small fleet is seeded before start returns
        assert "Seeding" not in started.stderr + status.stderr
        me = httpx.get(
            f"{data['url']}/user/currentUser", auth=(f"{data['tenant']}/{data['user']}", data["password"])
        )
        assert me.status_code == 200
        sessions = json.loads(_c8ydm("session", "list", "-o", "json", env=env).stdout)
        assert [(s["name"], s["kind"], s["current"]) for s in sessions] == [("sandbox", "sandbox", True)]
        assert "password" not in json.dumps(sessions)
    finally:
        stopped = _c8ydm("sandbox", "stop", "-o", "json", env=env)
    assert json.loads(stopped.stdout)["stopped"] is True
    assert json.loads(_c8ydm("sandbox", "status", "-o", "json", env=env).stdout)["running"] is False
    assert _c8ydm("sandbox", "reset", env=env).returncode == 0
    assert not (tmp_path / "sb").exists()


def test_sandbox_start_rejects_a_bad_fault_rule_with_exit_2(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "C8YDM_CONFIG_DIR": str(tmp_path / "config"),
        "C8YDM_SANDBOX_DIR": str(tmp_path / "sb"),
    }
    result = _c8ydm("sandbox", "start", "--port", "0", "--fault", "GET /x:teapot", env=env)
    assert result.returncode == 2
    assert "fault rule" in result.stderr
