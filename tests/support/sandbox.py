"""A real sandbox tenant for tests: a subprocess on a free port in a temporary data dir.

    from support.sandbox import sandbox_fixture, SandboxInstance
    sandbox = sandbox_fixture(devices=5)                    # in a conftest: a session-scoped fixture
    def test_x(sandbox: SandboxInstance): httpx.get(sandbox.url + "/tenant/loginOptions")

or, for one-off instances, `with running_sandbox(tmp_path, devices=0) as sb: ...`.
`validated_client(sb)` is an httpx client (admin by default) whose every response is validated
against the official spec (support/oas.py); rejected responses fail the test when the client closes.
The server is started through `c8ydm.sandbox.control.start` (the same path as `c8ydm sandbox start`)
with a short operation delay, and stopped (SIGTERM) afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from c8ydm.sandbox import control
from support.oas import OasValidationError, is_outside_spec, spec_path, validate_response

TEST_OP_DELAY_SECONDS = 0.05


@dataclass(frozen=True)
class SandboxInstance:
    url: str
    tenant: str
    user: str
    password: str
    readonly_user: str
    readonly_password: str
    devices: int
    port: int
    pid: int
    data_dir: Path

    @property
    def auth(self) -> tuple[str, str]:
        """Basic credentials in the spec's `<tenant>/<user>` form."""
        return (f"{self.tenant}/{self.user}", self.password)

    @property
    def readonly_auth(self) -> tuple[str, str]:
        return (f"{self.tenant}/{self.readonly_user}", self.readonly_password)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SandboxInstance:
        return cls(
            **{name: state[name] for name in cls.__dataclass_fields__ if name != "data_dir"},
            data_dir=Path(state["data_dir"]),
        )


@contextlib.contextmanager
def running_sandbox(data_dir: Path, **options: Any) -> Iterator[SandboxInstance]:
    """Start a sandbox in `data_dir` on a free port; stop it on exit. `options` go to control.start."""
    options.setdefault("op_delay_seconds", TEST_OP_DELAY_SECONDS)
    options.setdefault("devices", 5)
    state = control.start(data_dir, port=0, **options)
    try:
        yield SandboxInstance.from_state(state)
    finally:
        control.stop(data_dir)


def sandbox_fixture(*, scope: str = "session", **options: Any) -> Callable[..., Iterator[SandboxInstance]]:
    """A pytest fixture (session-scoped by default) yielding a running SandboxInstance."""

    @pytest.fixture(scope=scope)  # type: ignore[call-overload, untyped-decorator, unused-ignore]
    def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
        with running_sandbox(tmp_path_factory.mktemp("sandbox"), **options) as instance:
            yield instance

    return sandbox  # type: ignore[no-any-return]


class SpecRecorder:
    """An httpx response hook: validates each response and remembers the failures (paths outside
    the core spec, ``support.oas.NOT_IN_SPEC``, are not validated)."""

    def __init__(self) -> None:
        self.enabled = spec_path().is_file()
        self.failures: list[str] = []

    def __call__(self, response: httpx.Response) -> None:
        if not self.enabled or is_outside_spec(response.request.url.path):
            return
        response.read()
        try:
            response.request.read()  # multipart uploads are streams; their parts are re-readable
        except httpx.StreamError:
            return
        try:
            validate_response(response.request, response)
        except OasValidationError as error:
            # A 204 has no body by HTTP's rules, although the spec gives some a `*/*` content.
            empty_204 = response.status_code == 204 and "MissingData" in str(error)
            # Range downloads (contract §1.11) answer 206, which the spec does not list.
            ranged = response.status_code == 206 and "Range" in response.request.headers
            if not (empty_204 or ranged or _undeclared_error_status(response, error)):
                self.failures.append(str(error))


def _undeclared_error_status(response: httpx.Response, error: OasValidationError) -> bool:
    """The spec's error statuses are not exhaustive (404 for a missing option, 429/503 from injected
    faults): accept an undeclared 4xx/5xx if it carries a Cumulocity error body."""
    if response.status_code < 400 or "ResponseNotFound" not in str(error):
        return False
    try:
        return "error" in response.json()
    except ValueError:
        return False


_ADMIN = object()


@contextlib.contextmanager
def validated_client(sandbox: SandboxInstance, auth: Any = _ADMIN) -> Iterator[httpx.Client]:
    """An httpx client for the sandbox (admin credentials by default, None for none) whose every
    response is validated against the official spec; the test fails at exit if any was rejected."""
    recorder = SpecRecorder()
    auth = sandbox.auth if auth is _ADMIN else auth
    with httpx.Client(
        base_url=sandbox.url,
        auth=auth,
        headers={"Accept": "application/json"},
        event_hooks={"response": [recorder]},
        timeout=10,
    ) as client:
        yield client
    if recorder.failures:
        pytest.fail(
            "responses rejected by the official spec:\n" + "\n".join(recorder.failures), pytrace=False
        )
