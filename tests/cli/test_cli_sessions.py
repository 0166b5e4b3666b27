"""logout and session list|show|use|delete, through main() with a respx tenant."""

from __future__ import annotations

from collections.abc import Callable

import respx
from respx_tenants import PASSWORD, SESSION, login
from support.entry_point import Run
from support.fake_keyring import MemoryKeyring

from c8ydm import settings


def test_session_list_show_use_delete_round_trip(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    login(cli, "--name", "prod")
    login(cli, "--name", "test")

    assert [s["name"] for s in cli("session", "list").json()] == ["prod", "test"]
    assert cli("session", "show").json() == {
        **SESSION,
        "name": "test",
        "secretStorage": "keyring",
        "secretLocation": "system keyring (service c8ydm, entry test)",
    }
    assert cli("session", "use", "prod", "-o", "json").json()["current"] is True
    assert cli("session", "show", "test").json()["current"] is False
    assert cli("session", "delete", "test").json() == {
        **SESSION,
        "name": "test",
        "current": False,
        "removed": True,
    }
    assert [s["name"] for s in cli("session", "list").json()] == ["prod"]
    assert memory_keyring.secrets == {("c8ydm", "prod"): PASSWORD}


def test_session_list_as_table_marks_the_current_session(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    login(cli, "--name", "prod")

    result = cli("session", "list", "-o", "table")

    assert result.stdout.splitlines() == [
        "    NAME   URL                        TENANT   USER    KIND",
        "─" * 61,
        "*   prod   https://t100.example.com   t100     alice   tenant",
    ]


def test_session_list_as_csv_has_one_header_row(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    login(cli, "--name", "prod")

    assert cli("session", "list", "-o", "csv").stdout == (
        "name,current,url,tenant,user,auth,insecure,kind\nprod,true,https://t100.example.com,t100,alice,BASIC,false,tenant\n"
    )


def test_logout_removes_session_and_keyring_secret(
    cli: Callable[..., Run], tenant: respx.MockRouter, memory_keyring: MemoryKeyring
) -> None:
    login(cli)

    result = cli("logout")

    assert result.code == 0
    assert memory_keyring.secrets == {}
    assert settings.list_sessions() == []
    assert cli("logout").code == 3


def test_session_use_of_unknown_name_exits_4(cli: Callable[..., Run]) -> None:
    result = cli("session", "use", "nope", "-o", "json")

    assert result.code == 4
    assert result.json() == {
        "error": {
            "code": 4,
            "kind": "not_found",
            "message": "No session named 'nope'.",
            "hint": "See `c8ydm session list`.",
        }
    }
