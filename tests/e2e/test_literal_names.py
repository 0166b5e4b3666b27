"""Odd names through every live display of the real entry point, on a terminal (issue 15).

Repository names with Rich markup (``evil [/x] fw``) and an escape sequence (``x\\x1b[2J fw``)
go through an upload, an install followed with --wait, ``operation wait``, a download and a bulk
operation on a terminal: every run ends as it would with a plain name (no "Unexpected error:
MarkupError", exit 0), the names appear literally, and the escape sequence never reaches the
terminal as such.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.entry_point import ENTRY_POINT
from support.sandbox import SandboxInstance, running_sandbox
from support.terminal import on_terminal

pytestmark = pytest.mark.e2e

MARKUP = "evil [/x] fw"
ESCAPE = "x\x1b[2J fw"
ESCAPE_SHOWN = "x\\x1b[2J fw"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    with running_sandbox(tmp_path_factory.mktemp("literal"), devices=5) as instance:
        yield instance


@pytest.fixture(scope="module")
def env(sandbox: SandboxInstance, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("C8Y_", "C8YDM_", "_C8YDM_", "_TYPER_"))}
    base.pop("NO_COLOR", None)
    return {
        **base,
        "C8Y_HOST": sandbox.url,
        "C8Y_TENANT": sandbox.tenant,
        "C8Y_USER": sandbox.user,
        "C8Y_PASSWORD": sandbox.password,
        "C8YDM_CONFIG_DIR": str(home / "config"),
        "C8YDM_CACHE_DIR": str(home / "cache"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "COLUMNS": "200",
        "TERM": "xterm",
    }


def shows(args: list[str], env: dict[str, str]) -> str:
    code, screen = on_terminal(args, env)
    assert code == 0, screen
    assert "\x1b[2J" not in screen and "Unexpected error" not in screen
    return screen


@pytest.fixture(scope="module")
def released(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> None:
    image = tmp_path_factory.mktemp("images") / "fw.bin"
    image.write_bytes(b"firmware image" * 1000)
    for name in (MARKUP, ESCAPE):
        screen = shows(
            ["firmware", "add", name, "--version", "1.0", "--file", str(image), "--description", "odd"], env
        )
        assert "Uploaded fw.bin" in screen or "fw.bin" in screen


def test_install_with_wait_and_operation_wait_show_markup_names_literally(
    env: dict[str, str], released: None
) -> None:
    screen = shows(["device", "install", "linux-0001", "--firmware", f"{MARKUP}@1.0", "--wait"], env)

    assert f'Update firmware to: "{MARKUP}" (version: 1.0)' in screen and "SUCCESSFUL" in screen
    operation_id = screen.split("operation ", 1)[1].split(" ", 1)[0]
    again = shows(["operation", "wait", operation_id], env)
    assert f'Update firmware to: "{MARKUP}" (version: 1.0)' in again


def test_install_of_a_name_with_an_escape_sequence_shows_it_escaped(
    env: dict[str, str], released: None
) -> None:
    screen = shows(["device", "install", "linux-0005", "--firmware", f"{ESCAPE}@1.0", "--wait"], env)

    assert f'Update firmware to: "{ESCAPE_SHOWN}" (version: 1.0)' in screen


@pytest.mark.parametrize("name", [MARKUP, ESCAPE])
def test_download_progress_shows_odd_names_literally(
    env: dict[str, str], released: None, tmp_path: Path, name: str
) -> None:
    screen = shows(["firmware", "download", name, "--version", "1.0", "--to", str(tmp_path / "out.bin")], env)

    assert (tmp_path / "out.bin").read_bytes() == b"firmware image" * 1000
    assert (ESCAPE_SHOWN if name == ESCAPE else name) + " 1.0" in screen


def test_bulk_operation_with_an_odd_name_follows_to_the_end(env: dict[str, str], released: None) -> None:
    screen = shows(
        ["bulk", "create", "--firmware", f"{MARKUP}@1.0", "--group", "Gateways", "--ramp", "0.1", "--wait"],
        env,
    )

    assert "SUCCESSFUL 2/2 done" in screen


def test_json_keeps_the_escape_sequence_exact(env: dict[str, str], released: None) -> None:
    done = subprocess.run(
        [*ENTRY_POINT, "firmware", "list", "-o", "json"], capture_output=True, text=True, env=env, check=False
    )

    assert done.returncode == 0, done.stderr
    assert ESCAPE in [entry["name"] for entry in json.loads(done.stdout)]
