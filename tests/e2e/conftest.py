"""End-to-end fixtures: the REAL ``c8ydm`` entry point (a subprocess) against sandbox tenants.

- ``sandbox``: a 5-device sandbox for the session (c8ydm/sandbox/devices/seed.py's fleet), started with
  ``C8YDM_SANDBOX_RECORD`` set so that the server records every request it receives;
  ``silent_sandbox``: one whose devices never answer (operations stay PENDING), for timeouts;
  ``fleet_sandbox``: 15 devices, with the seed's slow and failing configuration agents;
  ``hundred_sandbox``: 100 devices, for runs under injected faults (test_fleet_safety.py).
- ``c8ydm``: runs ``c8ydm ARGS...`` with the sandbox's C8Y_* connection, a temporary config dir,
  no keyring and no stdin; returns a ``Run`` (code, stdout, stderr, ``.json()``).
  ``c8ydm_for(instance)`` makes a runner for another sandbox.
- At the end of the session every recorded request is validated against the official spec
  (tests/support/oas.py); the session fails with the list of rejected requests. Without the spec,
  or when the sandbox does not record (the server was started without the recorder), validation
  is skipped with a warning that says why.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from collections.abc import Callable, Iterator

import pytest
from e2e_support import ENTRY_POINT, RECORDINGS, RUN_TIMEOUT_SECONDS, Run, invalid_requests, recording_sandbox
from support import oas
from support.sandbox import SandboxInstance

from c8ydm.sandbox.core.recorder import ENV_VAR as RECORD_ENV


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    with recording_sandbox(tmp_path_factory.mktemp("sandbox"), devices=5) as instance:
        yield instance


@pytest.fixture(scope="session")
def fleet_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    """15 devices: the seed's third round brings a slow (linux-0011) and a failing (gateway-0014)
    configuration agent; 0.2 s per state change, so that a running operation can be seen."""
    with recording_sandbox(tmp_path_factory.mktemp("fleet"), devices=15, op_delay_seconds=0.2) as instance:
        yield instance


@pytest.fixture(scope="session")
def hundred_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    """100 devices (60 c8y_Linux, 40 c8y_Gateway), for the fleet-safety runs under faults."""
    with recording_sandbox(tmp_path_factory.mktemp("hundred"), devices=100) as instance:
        yield instance


@pytest.fixture(scope="session")
def silent_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    with recording_sandbox(tmp_path_factory.mktemp("silent"), devices=2, silent_rate=1.0) as instance:
        yield instance


@pytest.fixture(scope="session")
def c8ydm_environment(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[SandboxInstance], dict[str, str]]:
    """The environment of a c8ydm run against a sandbox: its C8Y_* connection, a temporary config
    dir, no keyring, no colour, 120 columns."""
    home = tmp_path_factory.mktemp("c8ydm-home")
    base = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("C8Y_", "C8YDM_", "_C8YDM_", "_TYPER_"))
        and name not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "PYTHON_KEYRING_BACKEND")
    }
    base.update(
        C8YDM_CONFIG_DIR=str(home / "config"),
        C8YDM_CACHE_DIR=str(home / "cache"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        NO_COLOR="1",
        COLUMNS="120",
    )

    def environment(instance: SandboxInstance) -> dict[str, str]:
        return {
            **base,
            "C8Y_HOST": instance.url,
            "C8Y_TENANT": instance.tenant,
            "C8Y_USER": instance.user,
            "C8Y_PASSWORD": instance.password,
        }

    return environment


@pytest.fixture(scope="session")
def c8ydm_for(
    c8ydm_environment: Callable[[SandboxInstance], dict[str, str]],
) -> Callable[[SandboxInstance], Callable[..., Run]]:
    """A runner factory: ``c8ydm_for(instance)("device", "list")``."""

    def runner(instance: SandboxInstance) -> Callable[..., Run]:
        def run(*args: str, env: dict[str, str] | None = None) -> Run:
            done = subprocess.run(
                [*ENTRY_POINT, *args],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                env={**c8ydm_environment(instance), **(env or {})},
                timeout=RUN_TIMEOUT_SECONDS,
                check=False,
            )
            return Run(done.returncode, done.stdout, done.stderr)

        return run

    return runner


@pytest.fixture(scope="session")
def c8ydm(
    sandbox: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]
) -> Callable[..., Run]:
    """``c8ydm("device", "show", "linux-0001", "-o", "json")`` against the session's sandbox."""
    return c8ydm_for(sandbox)


@pytest.fixture(scope="session", autouse=True)
def recorded_requests_follow_the_spec() -> Iterator[None]:
    yield
    if not RECORDINGS:
        return
    if not oas.spec_path().is_file():
        warnings.warn(
            f"official spec not found at {oas.spec_path()}: recorded requests not validated", stacklevel=1
        )
        return
    if not any(path.is_file() for path in RECORDINGS):
        warnings.warn(
            f"the sandbox recorded no request: {RECORD_ENV} is not wired into the sandbox server; "
            "recorded requests not validated",
            stacklevel=1,
        )
        return
    failures = [failure for path in RECORDINGS if path.is_file() for failure in invalid_requests(path)]
    if failures:
        pytest.fail("requests rejected by the official OpenAPI spec:\n" + "\n".join(failures), pytrace=False)
