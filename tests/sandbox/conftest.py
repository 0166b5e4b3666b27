"""Fixtures of the sandbox suites: one sandbox per session, and httpx clients whose every response
is validated against the official spec (support/oas.py) when the spec is present."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from c8y_api import CumulocityApi  # type: ignore[import-untyped]
from device_support import requests_spec_hook
from support.sandbox import SandboxInstance, SpecRecorder, sandbox_fixture, validated_client

sandbox = sandbox_fixture(devices=5)


@pytest.fixture
def api(sandbox: SandboxInstance) -> Iterator[httpx.Client]:
    """The admin, with `<tenant>/<user>` Basic credentials."""
    with validated_client(sandbox) as client:
        yield client


@pytest.fixture
def reader_api(sandbox: SandboxInstance) -> Iterator[httpx.Client]:
    """The read-only user."""
    with validated_client(sandbox, sandbox.readonly_auth) as client:
        yield client


@pytest.fixture
def anon_api(sandbox: SandboxInstance) -> Iterator[httpx.Client]:
    """No credentials."""
    with validated_client(sandbox, None) as client:
        yield client


@pytest.fixture
def c8y(sandbox: SandboxInstance) -> Iterator[CumulocityApi]:
    """The official SDK connected to the sandbox; every response it gets is checked against the spec."""
    api = CumulocityApi(
        base_url=sandbox.url, tenant_id=sandbox.tenant, username=sandbox.user, password=sandbox.password
    )
    recorder = SpecRecorder()
    api.session.hooks["response"].append(requests_spec_hook(recorder))
    yield api
    if recorder.failures:
        pytest.fail(
            "responses rejected by the official spec:\n" + "\n".join(recorder.failures), pytrace=False
        )
