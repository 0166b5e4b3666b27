"""login --insecure-storage: sessions on machines without a keyring (the `gh` convention, issue 15)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import respx
from fake_tenant import FakeTenant
from respx_tenants import PASSWORD, SESSION, login
from support.entry_point import Run
from support.fake_keyring import MemoryKeyring

from c8ydm import settings

WARNING = (
    "Warning: The password is stored unencrypted in {path} (mode 0600: readable by your user only). "
    "Log in without --insecure-storage where a system keyring is available."
)


def secrets_file(isolated: Path) -> Path:
    return isolated / "config" / "secrets.json"


def test_login_with_insecure_storage_without_keyring_keeps_the_secret_in_a_0600_file(
    cli: Callable[..., Run], tenant: respx.MockRouter, no_keyring: None, isolated: Path
) -> None:
    result = login(cli, "--insecure-storage")

    assert result.code == 0
    assert result.json() == SESSION
    path = secrets_file(isolated)
    assert result.stderr.splitlines()[0] == WARNING.format(path=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"t100.example.com": PASSWORD}
    assert PASSWORD not in result.stdout + result.stderr
    saved = json.loads((isolated / "config" / "sessions.json").read_text())
    assert saved["sessions"]["t100.example.com"]["secret_storage"] == "file"
    assert PASSWORD not in json.dumps(saved)
    connection = settings.resolve_connection(None, {})
    assert (connection.user, connection.password) == ("alice", PASSWORD)


def test_every_insecure_storage_login_warns_again(
    cli: Callable[..., Run], tenant: respx.MockRouter, no_keyring: None, isolated: Path
) -> None:
    warnings = [login(cli, "--insecure-storage").stderr.splitlines()[0] for _ in range(2)]

    assert warnings == [WARNING.format(path=secrets_file(isolated))] * 2


def test_session_show_says_where_the_secret_lives_and_never_shows_it(
    cli: Callable[..., Run],
    tenant: respx.MockRouter,
    no_keyring: None,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    login(cli, "--insecure-storage")

    shown = cli("session", "show", "-o", "json")
    table = cli("session", "show", "-o", "table")

    assert shown.json() == {
        **SESSION,
        "secretStorage": "file",
        "secretLocation": str(secrets_file(isolated)),
    }
    assert f"secretLocation   {secrets_file(isolated)}" in table.stdout
    assert PASSWORD not in shown.stdout + shown.stderr + table.stdout + table.stderr


def test_logout_deletes_the_file_secret_and_then_the_file(
    cli: Callable[..., Run], tenant: respx.MockRouter, no_keyring: None, isolated: Path
) -> None:
    login(cli, "--insecure-storage", "--name", "a")
    login(cli, "--insecure-storage", "--name", "b")

    first = cli("logout", "--name", "a")
    assert first.code == 0 and first.stderr == "Session 'a' removed.\n"  # no keyring warning
    assert json.loads(secrets_file(isolated).read_text()) == {"b": PASSWORD}
    assert cli("session", "delete", "b").code == 0
    assert not secrets_file(isolated).exists()


def test_switching_between_keyring_and_file_leaves_one_copy_of_the_secret(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring, isolated: Path
) -> None:
    login(cli, "--name", "prod")
    assert memory_keyring.secrets == {("c8ydm", "prod"): PASSWORD}

    login(cli, "--name", "prod", "--insecure-storage")
    assert memory_keyring.secrets == {}
    assert json.loads(secrets_file(isolated).read_text()) == {"prod": PASSWORD}

    login(cli, "--name", "prod")
    assert memory_keyring.secrets == {("c8ydm", "prod"): PASSWORD}
    assert not secrets_file(isolated).exists()


def test_file_session_whose_secret_is_gone_names_the_file_and_the_option(isolated: Path) -> None:
    settings.save_session(settings.Session(name="ci", url="https://t1.example.com", secret_storage="file"))

    with pytest.raises(settings.NoSessionError) as raised:
        settings.resolve_connection(None, {})

    where = secrets_file(isolated)
    assert raised.value.message == (
        f"Session 'ci' has no stored secret (none in {where}, no C8Y_PASSWORD or C8Y_TOKEN)."
    )
    assert raised.value.hint is not None and "--insecure-storage" in raised.value.hint


def test_no_keyring_error_names_insecure_storage(
    cli: Callable[..., Run], tenant: respx.MockRouter, no_keyring: None
) -> None:
    result = login(cli, "-o", "json")

    assert result.code == 2
    assert result.json()["error"]["hint"].startswith("Add --insecure-storage to keep the secret in a file")


def test_headless_login_then_commands_through_the_real_entry_point_never_print_the_secret(
    run_c8ydm: Callable[..., Run], isolated: Path
) -> None:
    canary = "Canary-Insecure-Pa55"
    no_keyring = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    with FakeTenant("alice", canary) as fake:
        args = ("login", fake.url, "--user", "alice", "--password-stdin", "--name", "ci", "-v")
        refused = run_c8ydm(*args, stdin=canary + "\n", env=no_keyring)
        saved = run_c8ydm(*args, "--insecure-storage", stdin=canary + "\n", env=no_keyring)
        shown = run_c8ydm("session", "show", "-o", "json", env=no_keyring)
        again = run_c8ydm(*args, "--insecure-storage", "--dry-run", stdin=canary + "\n", env=no_keyring)

    assert [r.code for r in (refused, saved, shown, again)] == [2, 0, 0, 0]
    assert "--insecure-storage" in refused.stderr
    assert shown.json()["secretStorage"] == "file"
    for result in (refused, saved, shown, again):
        assert canary not in result.stdout + result.stderr
    assert json.loads(secrets_file(isolated).read_text()) == {"ci": canary}
