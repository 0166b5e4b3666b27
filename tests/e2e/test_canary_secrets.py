"""A canary password never comes out: every command group, with -v, --dry-run, errors and JSON
(issue 14; style.md rule 11). The sandbox's admin password IS the canary (written into its data
dir's credentials before it starts), so every authenticated request carries it.

Commands run in-process (``c8ydm.cli.main.main``) with an in-memory keyring. ``sandbox status``
of this sandbox is left out on purpose: it prints the sandbox's own throwaway password, as
cli-surface.md promises; the other sandbox commands are covered.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from support.entry_point import Run
from support.fake_keyring import MemoryKeyring
from support.sandbox import SandboxInstance, running_sandbox

from c8ydm.cli.main import main

pytestmark = pytest.mark.e2e

CANARY = "Canary-Tenant-Pa55-8Xq"


@pytest.fixture(scope="module")
def canary_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    data_dir = tmp_path_factory.mktemp("canary")
    (data_dir / "credentials.json").write_text(
        json.dumps({"admin_password": CANARY, "readonly_password": CANARY + "-ro"}), encoding="utf-8"
    )
    os.chmod(data_dir / "credentials.json", 0o600)
    with running_sandbox(data_dir, devices=5) as instance:
        assert instance.password == CANARY
        yield instance


@pytest.fixture
def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[tuple[Path, list[tuple[list[str], Run]], Callable[..., Run]]]:
    for name in list(os.environ):
        if name.startswith(("C8Y_", "C8YDM_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("C8YDM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("C8YDM_CACHE_DIR", str(tmp_path / "cache"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    runs: list[tuple[list[str], Run]] = []

    def invoke(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Run:
        with monkeypatch.context() as patch:
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            try:
                main(list(args))
                code = 0
            except SystemExit as done:
                code = int(done.code or 0)
        captured = capsys.readouterr()
        result = Run(code, captured.out, captured.err)
        runs.append((list(args), result))
        return result

    yield tmp_path, runs, invoke
    keyring.set_keyring(previous)


def test_the_tenant_password_appears_in_no_output_of_any_command_group(
    canary_sandbox: SandboxInstance,
    run: tuple[Path, list[tuple[list[str], Run]], Callable[..., Run]],
    tmp_path: Path,
) -> None:
    home, runs, invoke = run
    url, env = (
        canary_sandbox.url,
        {
            "C8Y_HOST": canary_sandbox.url,
            "C8Y_TENANT": canary_sandbox.tenant,
            "C8Y_USER": canary_sandbox.user,
            "C8Y_PASSWORD": CANARY,
        },
    )
    file = tmp_path / "fw.bin"
    file.write_bytes(b"canary firmware" * 50)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    login = ("login", url, "--user", canary_sandbox.user, "--password-stdin", "--name", "canary")
    add = ("firmware", "add", "canary-fw", "--version", "1.0", "--file", str(file), "--description", "d")
    bad_env = [
        {**env, "C8Y_PASSWORD": CANARY + "-x"},
        {**env, "C8Y_PASSWORD": CANARY + "\n"},
        {"C8Y_HOST": url, "C8Y_TOKEN": CANARY + "\nx"},
        {**env, "C8Y_HOST": f"http://a:{CANARY}@host"},
    ]
    calls: list[tuple[tuple[str, ...], dict[str, str] | None, str]] = [
        ((*login, "-v", "-o", "json"), None, CANARY + "\n"),
        ((*login, "--dry-run", "-v"), None, CANARY + "\n"),
        (("login", url, "--user", "admin", "--password-stdin", "-v", "-o", "json"), None, "wrong\n"),
        (("session", "show", "-o", "json", "-v"), None, ""),
        (("session", "list", "-o", "csv"), None, ""),
        (("device", "list", "-v", "-o", "json"), None, ""),  # through the saved session (keyring)
        (("device", "show", "linux-0001", "-v", "-o", "jsonl"), env, ""),
        (("device", "install", "linux-0001", "--software", "nope@1", "-v", "-o", "json"), env, ""),
        ((*add, "--dry-run", "-v", "-o", "json"), env, ""),
        ((*add, "-v", "-o", "json"), env, ""),
        (("firmware", "download", "canary-fw", "--version", "1.0", "--to", str(downloads), "-v"), env, ""),
        (("firmware", "list", "-v", "-o", "table"), env, ""),
        (("software", "list", "-v", "-o", "json"), env, ""),
        (("software", "show", "nope", "-v", "-o", "json"), env, ""),
        (("device", "install", "linux-0001", "--firmware", "canary-fw@1.0", "--dry-run", "-v"), env, ""),
        (("operation", "wait", "999999999", "--dry-run", "-v", "-o", "json"), env, ""),
        (("operation", "show", "999999999", "-v"), env, ""),
        (
            ("bulk", "create", "--firmware", "canary-fw@1.0", "--group", "Gateways", "--dry-run", "-v"),
            env,
            "",
        ),
        (("bulk", "list", "-v", "-o", "json"), env, ""),
        (("bulk", "show", "999999999", "-v", "-o", "json"), env, ""),
        (("config", "list", "-v", "-o", "json"), env, ""),
        (
            ("config", "add", "canary-conf", "--url", "https://x/c.toml", "--type", "t", "--dry-run", "-v"),
            env,
            "",
        ),
        (("config", "show", "nope", "-v", "-o", "json"), env, ""),
        (("profile", "create", "canary-profile", "--dry-run", "-v", "-o", "json"), env, ""),
        (("profile", "list", "-v", "-o", "json"), env, ""),
        (("profile", "show", "nope", "-v", "-o", "json"), env, ""),
        (("credentials", "list", "-v", "-o", "json"), env, ""),
        (("credentials", "show", "nope", "-v", "-o", "json"), env, ""),
        (("registration", "add", "canary-ext-1", "--dry-run", "-v", "-o", "json"), env, ""),
        (("registration", "list", "-v", "-o", "json"), env, ""),
        (("certificates", "list", "-v", "-o", "json"), env, ""),
        (("certificates", "show", "ab12", "-v", "-o", "json"), env, ""),
        *((("device", "list", "-v", "-o", "json"), bad, "") for bad in bad_env),
        (("login", f"http://admin:{CANARY}@127.0.0.1:1", "-v", "-o", "json"), None, ""),
        (("sandbox", "start", "--port", "-1", "-v", "-o", "json"), None, ""),
        (("sandbox", "stop", "--data-dir", str(tmp_path / "no-sandbox"), "-v", "-o", "json"), None, ""),
        (("logout", "--name", "canary", "-v", "-o", "json"), None, ""),
    ]

    codes = [invoke(*args, env=extra, stdin=stdin).code for args, extra, stdin in calls]

    assert codes == [0, 0, 5, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 4, 0, 4, 4, 0, 0, 4, 0, 0, 4,
                     0, 0, 4, 0, 4, 0, 0, 0, 4, 5, 2, 2, 2, 2, 2, 0, 0]  # fmt: skip
    leaks = [" ".join(args) for args, result in runs if CANARY in result.stdout + result.stderr]
    assert leaks == []
    assert any("GET /inventory/managedObjects" in result.stderr for _, result in runs)  # -v really logged
    assert any('"method": "POST"' in result.stdout for _, result in runs)  # dry-run records came out
    for path in home.rglob("*"):
        if path.is_file() and path.suffix != ".bin":
            assert CANARY not in path.read_text(encoding="utf-8", errors="replace"), path
