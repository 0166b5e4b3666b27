"""Trusted certificates through the real entry point: add a certificate made here, prove possession
with its key, change and delete it, revoke its serial and read it back from the CRL, the tenant CA.
The private key must appear in no output, nor in the sandbox's log or request recording."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Run
from support.certs import MadeCertificate, make_certificate
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


def key_lines(made: MadeCertificate) -> list[str]:
    return [line for line in made.key_pem.decode().splitlines()[1:-1] if len(line) > 16]


def test_certificate_lifecycle_with_proof_of_possession_and_revocation(
    c8ydm: Callable[..., Run], sandbox: SandboxInstance, tmp_path: Path
) -> None:
    made = make_certificate("E2E Fleet CA", key="ec")
    cert, key = tmp_path / "fleet-ca.pem", tmp_path / "fleet-ca.key"
    cert.write_text(made.pem)
    key.write_bytes(made.key_pem)
    colons = ":".join(made.fingerprint[i : i + 2] for i in range(0, 40, 2)).upper()
    runs = [
        add := c8ydm(
            "certificates", "add", str(cert), "--name", "E2E Fleet CA", "--auto-register", "-o", "json"
        ),
        again := c8ydm("certificates", "add", str(cert), "--name", "E2E Fleet CA"),
        proved := c8ydm("certificates", "verify", colons, "--key", str(key), "-o", "json", "-v"),
        renamed := c8ydm("certificates", "rename", made.fingerprint, "Fleet CA 2", "-o", "json"),
        disabled := c8ydm("certificates", "disable", made.fingerprint, "-o", "json"),
        manual := c8ydm("certificates", "auto-register", made.fingerprint, "off", "-o", "json"),
        listed := c8ydm("certificates", "list", "-o", "json"),
        revoked := c8ydm(
            "certificates", "revoke", "--serial", format(made.serial, "x"), "--yes", "-o", "json"
        ),
        crl := c8ydm("certificates", "crl", "show", "--to", str(tmp_path / "tenant.crl"), "-o", "json"),
        deleted := c8ydm("certificates", "delete", made.fingerprint, "--yes"),
        gone := c8ydm("certificates", "show", made.fingerprint),
    ]

    assert ok(add)[0]["fingerprint"] == made.fingerprint and ok(add)[0]["autoRegistrationEnabled"] is True
    assert again.code == 7
    assert ok(proved)["proofOfPossessionValid"] is True
    assert "/trusted-certificates-pop/" in proved.stderr and "/pop -> 200" in proved.stderr
    assert ok(renamed)["name"] == "Fleet CA 2" and ok(disabled)["status"] == "DISABLED"
    assert ok(manual)["autoRegistrationEnabled"] is False
    assert made.fingerprint in [c["fingerprint"] for c in ok(listed)]
    assert ok(revoked) == [{"serialNumberInHex": format(made.serial, "X")}]
    assert format(made.serial, "X") in [e["serialNumberInHex"] for e in ok(crl)["revokedCertificates"]]
    assert (tmp_path / "tenant.crl").read_bytes()[:1] == b"\x30"  # DER
    assert deleted.code == 0 and gone.code == 4
    logs = [
        p.read_text(errors="replace")
        for p in (*sandbox.data_dir.glob("*.log"), *sandbox.data_dir.glob("*.jsonl"))
    ]
    for text in [*(r.stdout + r.stderr for r in runs), *logs]:
        for line in key_lines(made):
            assert line not in text


def test_tenant_ca_is_created_shown_and_renewed(c8ydm: Callable[..., Run]) -> None:
    created = c8ydm("certificates", "ca", "create", "-o", "json")
    shown = ok(c8ydm("certificates", "ca", "show", "-o", "json"))
    renewed = ok(c8ydm("certificates", "ca", "renew", "-o", "json"))
    twice = c8ydm("certificates", "ca", "create", "-o", "json")

    assert created.code in (0, 7)  # another test may have made it
    assert shown["tenantCertificateAuthority"] is True and shown["autoRegistrationEnabled"] is True
    assert renewed["subject"] == shown["subject"] and renewed["fingerprint"] != shown["fingerprint"]
    assert twice.code == 7 and "ca renew" in json.loads(twice.stdout)["error"]["hint"]
