"""Helpers of the repository end-to-end tests, over the ``sandbox`` and ``c8ydm`` fixtures of
``tests/e2e/conftest.py`` (the real entry point as a subprocess; requests recorded and validated)::

    @pytest.fixture
    def cli(c8ydm, sandbox): return Runner(c8ydm, sandbox)

    data = cli.ok("firmware", "show", "fw", "-o", "json").json()
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx
from support.sandbox import SandboxInstance

# The session's sandbox is shared with other suites: every entry these tests make has this prefix.
PREFIX = "e2e-repo-"


class Runner:
    """``c8ydm`` runs against the sandbox, plus ``ok()`` and a direct admin client."""

    def __init__(self, run: Callable[..., Any], sandbox: SandboxInstance) -> None:
        self._run = run
        self.sandbox = sandbox

    def __call__(self, *args: str) -> Any:
        return self._run(*args)

    def ok(self, *args: str) -> Any:
        """Run and require exit 0 (the failure message shows stderr)."""
        result = self._run(*args)
        assert result.code == 0, f"c8ydm {' '.join(args)} -> {result.code}\n{result.stderr}{result.stdout}"
        return result

    def admin(self) -> httpx.Client:
        """A plain httpx client for the sandbox (to inspect state or set faults)."""
        return httpx.Client(base_url=self.sandbox.url, auth=self.sandbox.auth, timeout=10)


def json_lines(stdout: str) -> list[Any]:
    """stdout as JSON lines (dry-run records)."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def pick(document: Mapping[str, Any] | None, keys: Iterable[str]) -> dict[str, Any] | None:
    """The given keys of a JSON object (the stable, contract-relevant ones), None stays None."""
    if document is None:
        return None
    return {key: document[key] for key in keys if key in document}


def binary_url(sandbox: SandboxInstance, binary_id: str) -> str:
    return f"{sandbox.url}/inventory/binaries/{binary_id}"


def versions_of(show: Mapping[str, Any], fragment: str = "c8y_Firmware") -> list[Any]:
    """``show -o json``'s versions as (version, url, [patch versions]), newest first."""
    return [
        (v[fragment]["version"], v[fragment]["url"], [p[fragment]["version"] for p in v.get("patches", [])])
        for v in show["versions"]
    ]


def set_faults(runner: Runner, rules: list[str]) -> None:
    """Replace the sandbox's fault rules (``PATTERN:KIND[:RATE[:SECONDS]]``); [] clears them."""
    with runner.admin() as http:
        http.post("/sandbox/admin/faults", json=rules).raise_for_status()


def count_binaries(runner: Runner) -> int:
    with runner.admin() as http:
        answer = http.get("/inventory/binaries", params={"pageSize": 2000}).json()
    return len(answer["managedObjects"])
