"""certificates and registration commands through the entry point: exit codes and no key material."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
import respx
from scripted_cli import ADMIN_PASSWORD, connect
from support.certs import MadeCertificate, make_certificate, make_crl
from support.entry_point import Run

BASE = "/tenant/tenants/t100/trusted-certificates"
POP = "/tenant/tenants/t100/trusted-certificates-pop"
CRL = "/tenant/trusted-certificates/settings/crl"
REQUESTS = "/devicecontrol/newDeviceRequests"


def _copy(made: MadeCertificate, **fields: object) -> dict[str, object]:
    return {"fingerprint": made.fingerprint, "certInPemFormat": base64.b64encode(made.der).decode(), **fields}


def _key_material(made: MadeCertificate) -> list[str]:
    body = made.key_pem.decode().splitlines()[1:-1]
    return [line for line in body if len(line) > 20]


def test_a_bad_certificate_file_is_exit_2_before_any_request(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    connect(oas_router, monkeypatch)
    path = tmp_path / "notes.txt"
    path.write_text("not a certificate")

    result = cli("certificates", "add", str(path), "--name", "x")

    assert result.code == 2 and "not a valid X.509 certificate" in result.stderr and not oas_router.calls


def test_add_conflict_is_7_and_invalid_is_8_with_the_tenants_reason(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tenant = connect(oas_router, monkeypatch)
    made = make_certificate("Fleet CA")
    path = tmp_path / "ca.pem"
    path.write_text(made.pem)
    tenant.on("GET", f"{BASE}/{made.fingerprint}", _copy(made, name="Old"), 404)
    reason = {"error": "certificate/invalid", "message": "Certificate expired"}
    tenant.on("POST", BASE, httpx.Response(422, json=reason))

    conflict = cli("certificates", "add", str(path), "--name", "Fleet CA")
    invalid = cli("certificates", "add", str(path), "--name", "Fleet CA", "-o", "json")

    assert conflict.code == 7 and "already trusted" in conflict.stderr
    assert invalid.code == 8 and "Certificate expired" in invalid.json()["error"]["message"]
    assert f"fingerprint {made.fingerprint}" in invalid.stderr


def test_verify_never_shows_the_key(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tenant = connect(oas_router, monkeypatch)
    made, other = make_certificate("Fleet CA"), make_certificate("Other")
    key, wrong = tmp_path / "ca.key", tmp_path / "other.key"
    key.write_bytes(made.key_pem)
    wrong.write_bytes(other.key_pem)
    fp = made.fingerprint
    tenant.on("GET", f"{BASE}/{fp}", _copy(made))
    tenant.on(
        "POST", f"{POP}/{fp}/verification-code", _copy(made, proofOfPossessionUnsignedVerificationCode="c0de")
    )
    tenant.on("POST", f"{POP}/{fp}/pop", _copy(made, proofOfPossessionValid=True))

    proved = cli("certificates", "verify", fp, "--key", str(key), "-o", "json", "-v")
    dry = cli("certificates", "verify", fp, "--key", str(key), "--dry-run", "-v")
    refused = cli("certificates", "verify", fp, "--key", str(wrong), "-o", "json", "-v")

    assert proved.code == 0 and proved.json()["proofOfPossessionValid"] is True
    assert dry.code == 0 and json.loads(dry.stdout.splitlines()[1])["path"].endswith("/pop")
    assert refused.code == 2 and "does not belong" in refused.json()["error"]["message"]
    for result in (proved, dry, refused):
        for secret in [*_key_material(made), *_key_material(other), ADMIN_PASSWORD]:
            assert secret not in result.stdout and secret not in result.stderr


def test_revoke_asks_then_sends_and_crl_show_saves_the_der(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tenant = connect(oas_router, monkeypatch)
    tenant.on("PUT", CRL, httpx.Response(204))
    der = make_crl(make_certificate("Tenant CA"), {0x1A2B: datetime(2024, 5, 1, tzinfo=timezone.utc)})
    tenant.on("GET", CRL, httpx.Response(200, content=der, headers={"Content-Type": "application/pkix-crl"}))

    unconfirmed = cli("certificates", "revoke", "--serial", "1a2b")
    revoked = cli("certificates", "revoke", "--serial", "1a2b", "--yes", "-o", "json")
    shown = cli("certificates", "crl", "show", "--to", str(tmp_path / "t.crl"), "-o", "json")

    assert unconfirmed.code == 2 and "cannot be undone" in unconfirmed.stderr
    assert revoked.code == 0 and tenant.changes() == [("PUT", CRL, {"crls": [{"serialNumberInHex": "1A2B"}]})]
    assert shown.json()["revokedCertificates"] == [
        {"serialNumberInHex": "1A2B", "revocationDate": "2024-05-01T00:00:00.000Z"}
    ]
    assert (tmp_path / "t.crl").read_bytes() == der


def test_registration_accept_all_and_limit(
    cli: Callable[..., Run], oas_router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = connect(oas_router, monkeypatch)
    pending = {"id": "SN-1", "status": "PENDING_ACCEPTANCE"}
    tenant.on(
        "GET",
        REQUESTS,
        {"newDeviceRequests": [pending, {"id": "SN-2", "status": "ACCEPTED"}], "statistics": {}},
    )
    tenant.on("PUT", f"{REQUESTS}/SN-1", {"id": "SN-1", "status": "ACCEPTED"})
    tenant.on("GET", f"{REQUESTS}/limit", {"isReached": False, "limit": 100, "deviceCount": 5})

    accepted = cli("registration", "accept", "--all", "-o", "json")
    limit = cli("registration", "limit", "-o", "json")
    usage = cli("registration", "accept")

    assert accepted.json() == [{"id": "SN-1", "result": "accepted", "status": "ACCEPTED", "error": None}]
    assert limit.json() == {"isReached": False, "limit": 100, "deviceCount": 5}
    assert usage.code == 2
