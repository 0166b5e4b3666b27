"""Fixtures for CLI tests: an isolated environment, keyrings, and runners for the real entry point.

Helpers that test modules import live in importable modules (support.entry_point, support/fake_keyring.py,
respx_tenants.py…), never here: ``from conftest import …`` finds whichever conftest pytest loaded last.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
import respx
from keyring.backends import fail
from respx_tenants import basic_tenant, oai_tenant
from support.entry_point import ENTRY_POINT, Run
from support.fake_keyring import MemoryKeyring

from c8ydm.cli import app as app_module
from c8ydm.cli.main import main

TESTS = Path(__file__).resolve().parent.parent  # on PYTHONPATH of subprocesses, for support.fake_keyring
CLEARED = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "PYTHON_KEYRING_BACKEND", "TTY_COMPATIBLE")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No C8Y_*/C8YDM_* from the developer's shell; config and cache in a temp dir."""
    for name in list(os.environ):
        if name.startswith(("C8Y_", "C8YDM_", "_C8YDM_", "_TYPER_")) or name in CLEARED:
            monkeypatch.delenv(name)
    monkeypatch.setenv("C8YDM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("C8YDM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous, backend = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``main(args)`` in-process; stdin is a (non-terminal) string."""

    def run(*args: str, stdin: str = "") -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with pytest.raises(SystemExit) as done:
            main(list(args))
        captured = capsys.readouterr()
        return Run(int(done.value.code or 0), captured.out, captured.err)

    return run


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the test-only commands of cli_probe.py in the command table."""
    rows = [
        app_module.Entry(name, f"cli_probe:{name}", f"Test command {name}.")
        for name in ("probe", "confirming", "boom", "interrupt", "uploading", "ids")
    ]
    monkeypatch.setattr(app_module, "COMMANDS", (*app_module.COMMANDS, *rows))


@pytest.fixture
def run_c8ydm(tmp_path: Path) -> Callable[..., Run]:
    """Run the installed ``c8ydm`` in a subprocess with a file keyring (see support/fake_keyring.py)."""

    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Run:
        full_env = {
            **os.environ,
            "PYTHONPATH": str(TESTS),
            "PYTHON_KEYRING_BACKEND": "support.fake_keyring.FileKeyring",
            "C8YDM_TEST_KEYRING": str(tmp_path / "keyring.json"),
            **(env or {}),
        }
        done = subprocess.run(
            [*ENTRY_POINT, *args], input=stdin, capture_output=True, text=True, env=full_env, timeout=60
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def tenant() -> Iterator[respx.MockRouter]:
    """A respx tenant accepting alice/PASSWORD with Basic (respx_tenants.py)."""
    with basic_tenant() as mock:
        yield mock


@pytest.fixture(name="oai_tenant")
def oai_tenant_fixture() -> Iterator[respx.MockRouter]:
    """A respx tenant offering OAI-Secure and asking for TOTP code 123456 (respx_tenants.py)."""
    with oai_tenant() as mock:
        yield mock
