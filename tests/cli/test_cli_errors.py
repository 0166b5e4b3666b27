"""Exit codes and error reports of main(): one line on stderr, an error object in json mode."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Callable, Iterator

import pytest
import respx
from support.entry_point import Run
from support.fake_keyring import MemoryKeyring

from c8ydm import settings
from c8ydm.api import client as client_module
from c8ydm.api.retry import RetryPolicy

SAVED = "https://saved.example.com"
FROM_ENV = "https://env.example.com"
USER = {"id": "bob", "userName": "bob"}


@pytest.fixture
def tenants() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        mock.get(f"{SAVED}/user/currentUser").respond(200, json={"id": "alice", "userName": "alice"})
        mock.get(f"{FROM_ENV}/user/currentUser").respond(200, json=USER)
        yield mock


@pytest.fixture
def saved_session(memory_keyring: MemoryKeyring) -> None:
    settings.save_session(settings.Session(name="saved", url=SAVED, tenant="t1", user="alice"))
    memory_keyring.set_password("c8ydm", "saved", "pw")


def test_command_without_any_session_exits_3_with_login_hint(cli: Callable[..., Run], probe: None) -> None:
    result = cli("probe", "-o", "json")

    assert result.code == 3
    assert result.json() == {
        "error": {
            "code": 3,
            "kind": "no_session",
            "message": "Not logged in: no session and no C8Y_HOST connection.",
            "hint": "Run `c8ydm login URL` (or `c8ydm sandbox start` for a local tenant), or set C8Y_HOST.",
        }
    }
    assert result.stderr.splitlines() == [
        "Error: " + result.json()["error"]["message"],
        "Hint: " + result.json()["error"]["hint"],
    ]


def test_c8y_host_in_environment_beats_the_saved_session(
    cli: Callable[..., Run],
    probe: None,
    saved_session: None,
    tenants: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("C8Y_HOST", FROM_ENV)
    monkeypatch.setenv("C8Y_TENANT", "t2")
    monkeypatch.setenv("C8Y_USER", "bob")
    monkeypatch.setenv("C8Y_PASSWORD", "bobs-pw")

    result = cli("probe")

    assert result.code == 0
    assert result.json() == USER
    request = tenants.calls.last.request
    assert request.url.host == "env.example.com"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"t2/bob:bobs-pw").decode()


def test_saved_session_is_used_without_environment(
    cli: Callable[..., Run], probe: None, saved_session: None, tenants: respx.MockRouter
) -> None:
    result = cli("probe")

    assert result.json() == {"id": "alice", "userName": "alice"}
    assert tenants.calls.last.request.url.host == "saved.example.com"


def test_session_without_keyring_secret_falls_back_to_c8y_password(
    cli: Callable[..., Run],
    probe: None,
    tenants: respx.MockRouter,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.save_session(settings.Session(name="saved", url=SAVED, tenant="t1", user="alice"))
    monkeypatch.setenv("C8Y_PASSWORD", "from-env")

    assert cli("probe").code == 0
    assert tenants.calls.last.request.headers["Authorization"].startswith("Basic ")


def test_unreachable_tenant_exits_10(
    cli: Callable[..., Run], probe: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    slept: list[float] = []
    monkeypatch.setattr(client_module, "RetryPolicy", lambda: RetryPolicy(sleep=slept.append))
    monkeypatch.setenv("C8Y_HOST", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("C8Y_TOKEN", "a-token")

    result = cli("probe", "-o", "json")

    assert result.code == 10
    assert result.json()["error"]["kind"] == "unavailable"
    assert result.stderr.startswith(f"Error: cannot connect to 127.0.0.1:{port}: ")
    assert "Traceback" not in result.stderr
    assert len(slept) == 4  # retried, as a GET may be


def test_usage_error_exits_2_with_error_object_in_json_mode(cli: Callable[..., Run]) -> None:
    result = cli("session", "use", "-o", "json")

    assert result.code == 2
    assert result.json() == {
        "error": {
            "code": 2,
            "kind": "usage",
            "message": "Missing argument 'SESSION'.",
            "hint": "Run `c8ydm session use --help` for usage.",
        }
    }


def test_unknown_command_exits_2_and_suggests_the_closest(cli: Callable[..., Run]) -> None:
    result = cli("sesion", "list")

    assert result.code == 2
    assert result.stderr.splitlines()[0] == "Error: No such command 'sesion'. Did you mean 'session'?"


def test_bad_output_format_exits_2(cli: Callable[..., Run]) -> None:
    result = cli("session", "list", "-o", "xml")

    assert result.code == 2
    assert result.stderr.startswith("Error: Invalid value for '-o' / '--output'")


def test_unexpected_error_exits_1_asking_for_a_report_without_traceback(
    cli: Callable[..., Run], probe: None
) -> None:
    result = cli("boom", "-o", "table")

    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: Unexpected error: RuntimeError: kaput",
        "Hint: This is a bug in c8ydm. Please report it with the command you ran"
        " (add --verbose for a traceback).",
    ]


def test_unexpected_error_shows_traceback_with_verbose(cli: Callable[..., Run], probe: None) -> None:
    result = cli("boom", "-v")

    assert result.code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "internal"


def test_keyboard_interrupt_exits_130(cli: Callable[..., Run], probe: None) -> None:
    result = cli("interrupt", "-o", "table")

    assert result.code == 130
    assert result.stderr == "Error: Interrupted.\n"


def test_confirmation_without_terminal_exits_2_naming_yes(cli: Callable[..., Run], probe: None) -> None:
    result = cli("confirming", "-o", "json")

    assert result.code == 2
    assert result.json()["error"]["hint"] == "Add --yes to confirm."
    assert "--yes" in result.stderr


def test_confirmation_is_given_by_yes(cli: Callable[..., Run], probe: None) -> None:
    result = cli("confirming", "--yes")

    assert (result.code, result.json()) == (0, {"confirmed": True})


def test_dry_run_needs_no_confirmation_even_without_a_terminal(cli: Callable[..., Run], probe: None) -> None:
    result = cli("confirming", "--dry-run", "-o", "json")

    assert (result.code, result.json()) == (0, {"confirmed": True})


def test_dry_run_prints_each_change_as_a_json_line_and_sends_none(
    cli: Callable[..., Run], probe: None, tenants: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C8Y_HOST", FROM_ENV)
    monkeypatch.setenv("C8Y_TOKEN", "a-token")
    posted = tenants.post(f"{FROM_ENV}/inventory/managedObjects").respond(201, json={"id": "1"})

    result = cli("probe", "--change", "--dry-run", "-o", "jsonl")

    assert result.code == 0
    assert not posted.called
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"method": "POST", "path": "/inventory/managedObjects", "query": {}, "body": {"name": "probe"}},
        USER,
    ]


def test_verbose_logs_each_request_to_stderr(
    cli: Callable[..., Run], probe: None, tenants: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C8Y_HOST", FROM_ENV)
    monkeypatch.setenv("C8Y_TOKEN", "a-token")

    result = cli("probe", "--verbose")

    assert result.code == 0
    assert result.stderr.startswith("GET /user/currentUser -> 200 (")


def test_c8y_host_without_credentials_exits_3(
    cli: Callable[..., Run], probe: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C8Y_HOST", FROM_ENV)

    result = cli("probe")

    assert result.code == 3
    assert result.stderr.splitlines()[1] == "Hint: Set C8Y_USER and C8Y_PASSWORD, or C8Y_TOKEN."
