"""Error messages that say what to do (issue 15): a stopped sandbox, common options before the
command, malformed ids rejected before any request."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
import respx
from support.entry_point import Run

from c8ydm import settings
from c8ydm.api import client as client_module
from c8ydm.api.retry import RetryPolicy


def free_port() -> int:
    with socket.socket() as sock:  # free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def no_retry_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module, "RetryPolicy", lambda: RetryPolicy(sleep=lambda _: None))


def stopped_sandbox_session(data_dir: Path, port: int) -> None:
    """A sandbox session whose state file points at a port nothing listens on (a stopped sandbox)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    state = {"url": f"http://127.0.0.1:{port}", "tenant": "t100", "user": "admin", "password": "local"}
    (data_dir / "sandbox.json").write_text(json.dumps(state))
    settings.save_session(
        settings.Session(name="sandbox", url=state["url"], kind="sandbox", sandbox_data_dir=str(data_dir))
    )


def test_stopped_default_sandbox_says_host_port_and_how_to_start_it(
    cli: Callable[..., Run],
    probe: None,
    no_retry_sleep: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("C8YDM_SANDBOX_DIR", str(tmp_path / "sandbox"))
    port = free_port()
    stopped_sandbox_session(tmp_path / "sandbox", port)

    result = cli("probe", "-o", "json")

    assert result.code == 10
    error = result.json()["error"]
    assert error["message"].startswith(f"cannot connect to 127.0.0.1:{port}: ")
    assert error["hint"] == "The sandbox is not running: start it with `c8ydm sandbox start`."


def test_stopped_sandbox_of_another_data_dir_names_that_dir(
    cli: Callable[..., Run], probe: None, no_retry_sleep: None, tmp_path: Path
) -> None:
    stopped_sandbox_session(tmp_path / "other sandbox", free_port())

    result = cli("probe")

    assert result.code == 10
    assert result.stderr.splitlines()[1] == (
        f"Hint: The sandbox is not running: start it with "
        f"`c8ydm sandbox start --data-dir '{tmp_path / 'other sandbox'}'`."
    )


def test_unreachable_real_tenant_gets_no_sandbox_hint(
    cli: Callable[..., Run], probe: None, no_retry_sleep: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C8Y_HOST", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("C8Y_TOKEN", "a-token")

    result = cli("probe", "-o", "json")

    assert result.code == 10
    assert result.json()["error"]["hint"] is None


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["-o", "json", "firmware", "list"], "`c8ydm firmware list -o json`"),
        (
            ["--dry-run", "--session", "prod", "bulk", "show", "1"],
            "`c8ydm bulk show 1 --dry-run --session prod`",
        ),
        (["--output=csv", "-v", "session", "list"], "`c8ydm session list --output=csv -v`"),
        (["-ojson", "device", "show", "my device"], "`c8ydm device show 'my device' -ojson`"),
    ],
)
def test_common_options_before_the_command_are_shown_after_it(
    cli: Callable[..., Run], args: list[str], hint: str
) -> None:
    result = cli(*args)

    assert result.code == 2
    assert result.stderr.splitlines()[1] == f"Hint: Common options go after the command: {hint}."


def test_common_option_without_a_command_gets_an_example(cli: Callable[..., Run]) -> None:
    result = cli("-o", "json")

    assert result.code == 2
    assert result.json()["error"] == {
        "code": 2,
        "kind": "usage",
        "message": "No such option: -o",
        "hint": "Common options go after the command, e.g. `c8ydm firmware list -o json`.",
    }


def test_unknown_option_before_the_command_keeps_the_usage_hint(cli: Callable[..., Run]) -> None:
    result = cli("--bogus", "firmware", "list")

    assert result.stderr.splitlines() == [
        "Error: No such option: --bogus",
        "Hint: Run `c8ydm --help` for usage.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["abc"], "Invalid value for 'ID': 'abc' is not an id: ids are digits only, e.g. 10060."),
        (["12", "1x"], "Invalid value for 'ID': '1x' is not an id: ids are digits only, e.g. 10060."),
        (["-5"], "No such option: -5"),
        (
            ["12", "--parent", "4.0"],
            "Invalid value for '--parent': '4.0' is not an id: ids are digits only, e.g. 10060.",
        ),
        (["١٢"], "Invalid value for 'ID': '١٢' is not an id: ids are digits only, e.g. 10060."),
    ],
)
def test_malformed_ids_exit_2_before_any_request(
    cli: Callable[..., Run], probe: None, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("C8Y_HOST", "https://t1.example.com")
    monkeypatch.setenv("C8Y_TOKEN", "a-token")
    with respx.mock(base_url="https://t1.example.com", assert_all_called=False) as tenant:
        result = cli("ids", *args, "-o", "json")

    assert result.code == 2
    assert result.json()["error"]["message"] == message
    assert tenant.calls.call_count == 0


def test_well_formed_ids_pass_without_surrounding_blanks(
    cli: Callable[..., Run], probe: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C8Y_HOST", "https://t1.example.com")
    monkeypatch.setenv("C8Y_TOKEN", "a-token")
    with respx.mock(base_url="https://t1.example.com") as tenant:
        route = tenant.get("/devicecontrol/operations/12").respond(200, json={"id": "12"})
        result = cli("ids", " 12 ", "13", "--parent", "4", "-o", "json")

    assert result.code == 0
    assert result.json() == {"first": "12", "more": ["13"], "parent": "4"}
    assert route.call_count == 1


@pytest.mark.parametrize(
    "args",
    [
        ["bulk", "show", "abc"],
        ["bulk", "cancel", "12a", "--yes"],
        ["bulk", "retry", "1.5"],
        ["operation", "show", "abc"],
        ["operation", "wait", "1", "two"],
        ["operation", "cancel", "x", "--yes"],
        ["bulk", "create", "--from-operation", "op1", "--group", "Gateways"],
    ],
    ids=" ".join,
)
def test_bulk_and_operation_ids_are_checked_before_any_request(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setenv("C8Y_HOST", "https://t1.example.com")
    monkeypatch.setenv("C8Y_TOKEN", "a-token")
    with respx.mock(base_url="https://t1.example.com", assert_all_called=False) as tenant:
        result = cli(*args, "-o", "json")

    assert result.code == 2
    assert "is not an id: ids are digits only" in result.json()["error"]["message"]
    assert tenant.calls.call_count == 0
