"""c8ydm login: verify first, then the keyring and the session file; prompts, tokens, TFA."""

from __future__ import annotations

import json
import os
import pty
import stat
import time
from collections.abc import Callable
from pathlib import Path

import respx
from fake_tenant import FakeTenant
from respx_tenants import PASSWORD, SESSION, URL, login
from support.entry_point import ENTRY_POINT, Run
from support.fake_keyring import MemoryKeyring

from c8ydm import settings

TESTS = Path(__file__).resolve().parent.parent  # on the subprocess's PYTHONPATH, for support.fake_keyring


def test_login_verifies_then_saves_session_without_secret_and_secret_in_keyring(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring, isolated: Path
) -> None:
    result = login(cli)

    assert result.code == 0
    assert result.json() == SESSION
    assert tenant.calls.call_count == 3
    assert memory_keyring.secrets == {("c8ydm", "t100.example.com"): PASSWORD}
    saved = isolated / "config" / "sessions.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(saved.read_text()) == {
        "current": "t100.example.com",
        "sessions": {
            "t100.example.com": {
                "url": URL,
                "tenant": "t100",
                "user": "alice",
                "auth": "BASIC",
                "insecure": False,
                "kind": "tenant",
                "sandbox_data_dir": None,
                "secret_storage": "keyring",
            }
        },
    }


def test_login_fails_with_exit_5_on_401_and_saves_nothing(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring, isolated: Path
) -> None:
    result = login(cli, "-o", "json", password="wrong")

    assert result.code == 5
    assert result.json()["error"]["code"] == 5
    assert result.json()["error"]["kind"] == "authentication_failed"
    assert result.stderr.startswith("Error: Invalid credentials!")
    assert memory_keyring.secrets == {}
    assert not (isolated / "config" / "sessions.json").exists()


def test_login_without_password_on_a_non_terminal_exits_2_naming_password_stdin(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    result = cli("login", URL, "--user", "alice")

    assert result.code == 2
    assert "--password-stdin" in result.stderr
    assert tenant.calls.call_count == 0


def test_login_with_dry_run_verifies_but_saves_nothing(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    result = login(cli, "--dry-run", "--name", "trial")

    assert result.code == 0
    assert result.json() == {**SESSION, "name": "trial", "current": False}
    assert memory_keyring.secrets == {}
    assert settings.list_sessions() == []


def test_login_without_keyring_exits_2_with_alternatives_and_saves_nothing(
    cli: Callable[..., Run], tenant: respx.MockRouter, no_keyring: None, isolated: Path
) -> None:
    result = login(cli, "-o", "json")

    assert result.code == 2
    error = result.json()["error"]
    assert error["kind"] == "no_keyring"
    assert error["message"].startswith("No usable system keyring: no keyring backend is installed")
    assert (
        "C8Y_HOST" in error["hint"]
        and "C8Y_PASSWORD" in error["hint"]
        and "--password-stdin" in error["hint"]
    )
    assert result.stderr.splitlines()[0] == "Error: " + error["message"]
    assert tenant.calls.call_count == 0  # refused before asking the tenant anything
    assert not (isolated / "config").exists()


def test_login_with_tfa_code_keeps_the_issued_token_as_a_bearer_session(
    cli: Callable[..., Run], oai_tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    result = login(cli, "--tfa-code", "123456")

    assert result.code == 0
    assert result.json() == {**SESSION, "auth": "BEARER"}
    assert memory_keyring.secrets == {("c8ydm", "t100.example.com"): "issued-jwt"}


def test_login_needing_tfa_without_terminal_exits_2_naming_tfa_code(
    cli: Callable[..., Run], oai_tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    result = login(cli, "-o", "json")

    assert result.code == 2
    assert result.json()["error"]["hint"] == "Add --tfa-code CODE (the code of your authenticator app)."
    assert memory_keyring.secrets == {}


def test_login_with_token_from_stdin_saves_a_bearer_session(
    cli: Callable[..., Run], oai_tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    result = cli("login", URL, "--token-stdin", stdin="given-jwt\n")

    assert result.code == 0
    assert result.json() == {**SESSION, "auth": "BEARER"}
    assert memory_keyring.secrets == {("c8ydm", "t100.example.com"): "given-jwt"}


def test_login_prompts_for_user_and_password_on_a_terminal(isolated: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(TESTS),
        "PYTHON_KEYRING_BACKEND": "support.fake_keyring.FileKeyring",
        "C8YDM_TEST_KEYRING": str(isolated / "keyring.json"),
    }
    with FakeTenant("alice", "pw1") as tenant:
        pid, terminal = pty.fork()
        if pid == 0:  # the child: c8ydm on a pseudo-terminal
            os.execve(ENTRY_POINT[0], [*ENTRY_POINT, "login", tenant.url, "--name", "typed"], env)
        seen = _answer(terminal, [(b"User: ", b"alice\n"), (b"Password: ", b"pw1\n")], until=b"now current")
        _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert b"pw1" not in seen  # the password prompt does not echo
    assert json.loads((isolated / "keyring.json").read_text()) == {"c8ydm|typed": "pw1"}


def _answer(terminal: int, dialogue: list[tuple[bytes, bytes]], until: bytes) -> bytes:
    """Type each answer when its prompt appears; return everything the terminal showed."""
    seen, deadline = b"", time.monotonic() + 20
    for prompt, answer in [*dialogue, (until, b"")]:
        while prompt not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(terminal, 1024)
            except OSError:
                break
        if answer:
            os.write(terminal, answer)
    return seen


def test_login_dry_run_verifies_credentials_without_a_keyring_and_saves_nothing(
    cli: Callable[..., Run], tenant: respx.MockRouter, no_keyring: None, isolated: Path
) -> None:
    result = login(cli, "--dry-run")

    assert result.code == 0
    assert result.json() == {**SESSION, "current": False}
    assert tenant.calls.call_count == 3  # loginOptions, currentUser, currentTenant
    assert settings.list_sessions() == []
