"""The keyring wrapper's time limit, and how settings resolve a connection from sessions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from support.entry_point import Run
from support.fake_keyring import HangingKeyring, MemoryKeyring

from c8ydm import keystore, settings
from c8ydm.api.errors import NoSessionError


@pytest.fixture
def hanging_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    monkeypatch.setattr(keystore, "TIME_LIMIT_SECONDS", 0.2)
    previous, backend = keyring.get_keyring(), HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()
    keyring.set_keyring(previous)


def test_login_with_a_keyring_that_hangs_is_cut_off_with_exit_2(
    cli: Callable[..., Run], hanging_keyring: HangingKeyring, isolated: Path
) -> None:
    result = cli("login", "https://t1.example.com", "--user", "u", "--password-stdin", stdin="pw\n")

    assert result.code == 2
    assert (
        result.stderr.splitlines()[0]
        == "Error: No usable system keyring: the keyring did not answer within 0.2 s."
    )
    hint = result.stderr.splitlines()[1]
    assert hint.startswith("Hint: Add --insecure-storage to keep the secret in a file only you can read")
    assert not (isolated / "config").exists()


def test_logout_without_keyring_still_removes_the_session_with_a_warning(
    cli: Callable[..., Run], no_keyring: None
) -> None:
    settings.save_session(settings.Session(name="prod", url="https://t1.example.com"))

    result = cli("logout")

    assert result.code == 0
    assert result.stderr.startswith("Warning: No usable system keyring")
    assert settings.list_sessions() == []


def test_sandbox_session_takes_its_secret_from_the_sandbox_state_file(tmp_path: Path) -> None:
    state = {"url": "http://127.0.0.1:8111", "tenant": "t100", "user": "admin", "password": "local-pw"}
    (tmp_path / "sandbox.json").write_text(json.dumps(state))
    settings.save_session(
        settings.Session(
            name="sandbox", url="http://127.0.0.1:9", kind="sandbox", sandbox_data_dir=str(tmp_path)
        )
    )

    connection = settings.resolve_connection(None, {})

    assert (connection.url, connection.tenant, connection.user, connection.password) == (
        "http://127.0.0.1:8111",
        "t100",
        "admin",
        "local-pw",
    )
    assert "local-pw" not in repr(connection)


def test_sandbox_session_without_state_file_points_at_sandbox_start(tmp_path: Path) -> None:
    settings.save_session(
        settings.Session(
            name="sandbox", url="http://x", kind="sandbox", sandbox_data_dir=str(tmp_path / "gone")
        )
    )

    with pytest.raises(NoSessionError) as raised:
        settings.resolve_connection(None, {})

    assert raised.value.hint == "Run `c8ydm sandbox start`."


def test_session_option_and_environment_select_the_session(memory_keyring: MemoryKeyring) -> None:
    for name in ("a", "b", "c"):
        settings.save_session(settings.Session(name=name, url=f"https://{name}.example.com"))
        memory_keyring.set_password("c8ydm", name, f"pw-{name}")

    assert settings.resolve_connection(None, {}).url == "https://c.example.com"  # the current one
    assert settings.resolve_connection(None, {"C8YDM_SESSION": "b"}).url == "https://b.example.com"
    assert settings.resolve_connection("a", {"C8YDM_SESSION": "b"}).password == "pw-a"


def test_token_session_sends_its_token_as_bearer(memory_keyring: MemoryKeyring) -> None:
    settings.save_session(settings.Session(name="t", url="https://t.example.com", auth=settings.BEARER))
    memory_keyring.set_password("c8ydm", "t", "jwt")

    connection = settings.resolve_connection(None, {})

    assert (connection.login_type, connection.token, connection.password) == ("BEARER", "jwt", None)


def test_unknown_session_name_is_no_session(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(NoSessionError, match="No session named 'x'"):
        settings.resolve_connection("x", {})


def test_config_dir_follows_c8ydm_config_dir_then_xdg() -> None:
    assert settings.config_dir({"C8YDM_CONFIG_DIR": "/a", "XDG_CONFIG_HOME": "/b"}) == Path("/a")
    assert settings.config_dir({"XDG_CONFIG_HOME": "/b"}) == Path("/b/c8ydm")
    assert settings.config_dir({}) == Path.home() / ".config" / "c8ydm"


def test_sessions_file_is_replaced_atomically_leaving_no_temp_files(isolated: Path) -> None:
    for name in ("a", "b"):
        settings.save_session(settings.Session(name=name, url="https://x"))
    settings.remove_session("a")

    assert sorted(p.name for p in (isolated / "config").iterdir()) == ["sessions.json"]
    assert (isolated / "config").stat().st_mode & 0o777 == 0o700
