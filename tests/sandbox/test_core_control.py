"""Sandbox lifecycle through c8ydm.sandbox.control: start, status, stop, restart, reset."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest
from support.sandbox import SandboxInstance

from c8ydm.sandbox import control
from c8ydm.sandbox.instance import PortError


def test_start_status_stop_restart_and_reset(tmp_path: Path, sandbox: SandboxInstance) -> None:
    data_dir = tmp_path / "second"
    state = control.start(
        data_dir, port=0, devices=2, op_delay_seconds=0.05, faults=["GET /tenant/currentTenant:503"]
    )
    try:
        assert state["running"] is True
        assert state["port"] != sandbox.port  # side by side with the session's sandbox
        state_file = data_dir / control.STATE_FILE
        assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
        saved = json.loads(state_file.read_text())
        assert set(saved) == {
            "url",
            "tenant",
            "user",
            "password",
            "readonly_user",
            "readonly_password",
            "devices",
            "port",
            "pid",
            "data_dir",
        }
        assert saved["url"] == f"http://127.0.0.1:{state['port']}"
        auth = (f"{saved['tenant']}/{saved['user']}", saved["password"])
        assert (
            httpx.get(f"{saved['url']}/tenant/currentTenant", auth=auth).status_code == 503
        )  # --fault applied
        assert httpx.get(f"{saved['url']}/user/currentUser", auth=auth).status_code == 200
        assert control.status(data_dir)["running"] is True
        assert control.start(data_dir)["pid"] == saved["pid"]  # already running: unchanged
    finally:
        assert control.stop(data_dir) is True
    assert control.status(data_dir)["running"] is False
    assert control.stop(data_dir) is False
    again = control.start(data_dir, port=0, devices=2)
    try:
        assert again["password"] == saved["password"]  # one secret per data dir, kept across restarts
    finally:
        control.stop(data_dir)
    control.reset(data_dir)
    assert not data_dir.exists()
    assert control.status(data_dir) == {"data_dir": str(data_dir.resolve()), "running": False}


def test_start_on_a_busy_port_fails_at_once_naming_the_port(tmp_path: Path, sandbox: SandboxInstance) -> None:
    try:
        with pytest.raises(PortError, match=f"port {sandbox.port} on 127.0.0.1 is in use"):
            control.start(tmp_path / "busy", port=sandbox.port, timeout=10)
    finally:
        control.stop(tmp_path / "busy")  # never leave a server behind, even if the test fails
    assert control.status(tmp_path / "busy")["running"] is False
    assert not (tmp_path / "busy" / "sandbox.pid").exists()  # nothing was started


@pytest.mark.parametrize("port", [-1, 65536, 70000])
def test_a_port_out_of_range_is_refused_before_anything_starts(port: int) -> None:
    with pytest.raises(PortError, match=f"port {port} is out of range"):
        control.pick_port("127.0.0.1", port)


def test_default_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("C8YDM_SANDBOX_DIR", str(tmp_path / "env-dir"))
    assert control.default_data_dir() == tmp_path / "env-dir"
    monkeypatch.delenv("C8YDM_SANDBOX_DIR")
    assert control.default_data_dir() == Path.home() / ".local/share/c8ydm/sandbox"


def test_pick_port_prefers_8111_and_zero_means_any(sandbox: SandboxInstance) -> None:
    with pytest.raises(PortError, match="in use"):
        control.pick_port("127.0.0.1", sandbox.port)
    assert control.pick_port("127.0.0.1", 0) not in (0, sandbox.port)
    chosen = control.pick_port("127.0.0.1", None)
    assert chosen == control.DEFAULT_PORT or chosen > 1024
