"""Fixtures shared by the repository procedure tests: a scripted tenant behind the spec-checking
respx router (tests/support/oas.py), a client of it, and a small firmware file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from support.repo_mock import ScriptedTenant, make_client

from c8ydm.api.client import Client


@pytest.fixture
def tenant(oas_router: respx.MockRouter) -> ScriptedTenant:
    return ScriptedTenant(oas_router)


@pytest.fixture
def client(tenant: ScriptedTenant) -> Iterator[Client]:
    with make_client() as api:
        yield api


@pytest.fixture
def firmware_file(tmp_path: Path) -> Path:
    path = tmp_path / "fw.bin"
    path.write_bytes(b"hello")
    return path
