"""A scripted tenant for CLI tests of the credentials, registration and certificates commands.

from scripted_cli import connect
def test_x(cli, oas_router, monkeypatch):
    tenant = connect(oas_router, monkeypatch)        # C8Y_* set, every request spec-checked
    tenant.on("GET", "/user/t100/users", {...})
    result = cli("credentials", "list", "-o", "json")
"""

from __future__ import annotations

import pytest
import respx
from support.repo_mock import BASE_URL, ScriptedTenant

ADMIN_PASSWORD = "Admin-Canary-pw-42"  # must never appear in any output


def connect(router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch) -> ScriptedTenant:
    """Point the CLI at the scripted tenant t100 through C8Y_* (Basic auth as admin)."""
    monkeypatch.setenv("C8Y_HOST", BASE_URL)
    monkeypatch.setenv("C8Y_TENANT", "t100")
    monkeypatch.setenv("C8Y_USER", "admin")
    monkeypatch.setenv("C8Y_PASSWORD", ADMIN_PASSWORD)
    return ScriptedTenant(router)
