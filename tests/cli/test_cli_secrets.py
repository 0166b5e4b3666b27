"""Secrets travel one way (style.md rule 10): a canary password must appear in no output at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import respx
from fake_tenant import FakeTenant
from support.entry_point import Run

CANARY = "Canary-Pa55-xyzzy"


def _files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_canary_password_appears_in_no_output_nor_session_file(
    run_c8ydm: Callable[..., Run], isolated: Path
) -> None:
    results = []
    with FakeTenant("alice", CANARY) as tenant:
        login = ("login", tenant.url, "--user", "alice", "--password-stdin")
        results.append(run_c8ydm(*login, "--verbose", "--name", "canary", stdin=CANARY + "\n"))
        results.append(run_c8ydm(*login, "--name", "other", "-o", "json", "-v", stdin=CANARY + "-wrong\n"))
        results.append(run_c8ydm(*login, "--dry-run", "-v", "--name", "dry", stdin=CANARY + "\n"))
        for args in (
            ("session", "show", "-o", "json"),
            ("session", "show", "-o", "table"),
            ("session", "list", "-o", "csv"),
            ("session", "list", "-o", "jsonl"),
        ):
            results.append(run_c8ydm(*args))
        results.append(run_c8ydm("logout", "--name", "nope", "-v"))

    assert [r.code for r in results] == [0, 5, 0, 0, 0, 0, 0, 4]
    assert json.loads(results[3].stdout)["name"] == "canary"  # the login really happened
    for result in results:
        assert CANARY not in result.stdout and CANARY not in result.stderr
    saved = (isolated / "config" / "sessions.json").read_text()
    assert "canary" in saved and CANARY not in saved
    for path in _files_under(isolated / "config"):
        assert CANARY not in path.read_text()
    assert json.loads((isolated / "keyring.json").read_text()) == {"c8ydm|canary": CANARY}


def test_canary_from_environment_stays_out_of_verbose_dry_run_and_errors(
    cli: Callable[..., Run], probe: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C8Y_HOST", "https://t1.example.com")
    monkeypatch.setenv("C8Y_USER", "alice")
    monkeypatch.setenv("C8Y_PASSWORD", CANARY)
    with respx.mock(base_url="https://t1.example.com") as tenant:
        tenant.get("/user/currentUser").respond(
            401, json={"error": "security/Unauthorized", "message": "Invalid credentials!"}
        )
        failed = cli("probe", "--change", "--dry-run", "--verbose", "-o", "json")
        failed_traced = cli("probe", "--verbose", "-o", "jsonl")

    for result in (failed, failed_traced):
        assert result.code == 5
        assert CANARY not in result.stdout and CANARY not in result.stderr
    assert json.loads(failed.stdout.splitlines()[0])["method"] == "POST"  # the dry-run record came out
