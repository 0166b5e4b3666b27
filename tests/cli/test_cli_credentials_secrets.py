"""No secret in any output of the credentials, registration and certificates commands: the admin's
password, CSV passwords and private keys stay out of stdout and stderr with -v, -o json, --dry-run
and when the tenant refuses everything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import respx
from scripted_cli import ADMIN_PASSWORD, connect
from support.certs import make_certificate
from support.entry_point import Run

CSV_PASSWORD = "Csv-Canary-pw-77"
STDIN_PASSWORD = "Stdin-Canary-pw-88"


def _commands(tmp_path: Path) -> list[tuple[str, ...]]:
    made = make_certificate("Canary CA")
    (tmp_path / "ca.pem").write_text(made.pem)
    (tmp_path / "ca.key").write_bytes(made.key_pem)
    (tmp_path / "devices.csv").write_text(f"ID;CREDENTIALS\nSN-1;{CSV_PASSWORD}\n")
    (tmp_path / "revoked.csv").write_text("SERIAL NO.,REVOCATION DATE\n1A,\n")
    fp = made.fingerprint
    return [
        ("credentials", "list", "--role", "devices"),
        ("credentials", "show", "linux-1"),
        ("credentials", "roles", "device_A", "--add", "admins"),
        ("credentials", "enable", "device_A", "device_B"),
        ("credentials", "disable", "linux-1"),
        ("credentials", "password", "device_A", "--password-stdin"),
        ("credentials", "password", "device_A", "--generate"),
        ("credentials", "delete", "device_A", "--yes"),
        ("credentials", "register", "--csv", str(tmp_path / "devices.csv")),
        ("registration", "list"),
        ("registration", "add", "SN-1"),
        ("registration", "accept", "--all"),
        ("registration", "delete", "SN-1", "--yes"),
        ("registration", "limit"),
        ("certificates", "list"),
        ("certificates", "show", fp),
        ("certificates", "add", str(tmp_path / "ca.pem"), "--name", "CA"),
        ("certificates", "disable", fp),
        ("certificates", "verify", fp, "--key", str(tmp_path / "ca.key")),
        ("certificates", "revoke", "--csv", str(tmp_path / "revoked.csv"), "--yes"),
        ("certificates", "crl", "show"),
        ("certificates", "ca", "create"),
        ("certificates", "delete", fp, "--yes"),
    ]


@pytest.mark.parametrize("mode", [("-v", "-o", "json"), ("--dry-run", "-v"), ("-v", "-o", "table")])
def test_no_secret_reaches_any_output_when_the_tenant_refuses(
    cli: Callable[..., Run],
    oas_router: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    mode: tuple[str, ...],
) -> None:
    connect(oas_router, monkeypatch)
    refusal = {"error": "security/Forbidden", "message": "Access is denied"}
    oas_router.route(host="t100.example.com").respond(403, json=refusal)
    commands = _commands(tmp_path)
    key_material = [line for line in (tmp_path / "ca.key").read_text().splitlines()[1:-1] if len(line) > 16]

    results = [cli(*command, *mode, stdin=STDIN_PASSWORD + "\n") for command in commands]

    codes = {" ".join(c[:2]): r.code for c, r in zip(commands, results, strict=True)}
    assert 1 not in codes.values(), codes  # no bug, only refusals
    assert codes["credentials list"] == codes["certificates crl"] == 6, codes
    for result in results:
        for secret in (ADMIN_PASSWORD, CSV_PASSWORD, STDIN_PASSWORD, *key_material):
            assert secret not in result.stdout and secret not in result.stderr
