"""Proof of possession with real signatures, the DER CRL and the tenant CA (contract §13)."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from support.certs import MadeCertificate, make_certificate
from support.sandbox import SandboxInstance

CRL = "/tenant/trusted-certificates/settings/crl"


def _add(api: httpx.Client, sandbox: SandboxInstance, made: MadeCertificate) -> str:
    body = {"name": "pop", "certInPemFormat": made.pem, "status": "ENABLED"}
    response = api.post(f"/tenant/tenants/{sandbox.tenant}/trusted-certificates", json=body)
    assert response.status_code == 201, response.text
    return f"/tenant/tenants/{sandbox.tenant}/trusted-certificates-pop/{made.fingerprint}"


def _sign(made: MadeCertificate, data: bytes, key: str) -> str:
    if key == "rsa":
        signature = made.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    elif key == "ec":
        signature = made.key.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        signature = made.key.sign(data)
    return base64.b64encode(signature).decode()


@pytest.mark.parametrize("key", ["rsa", "ec", "ed25519"])
def test_a_signed_code_proves_possession(api: httpx.Client, sandbox: SandboxInstance, key: str) -> None:
    made = make_certificate(f"pop-{key}", key=key)
    pop = _add(api, sandbox, made)

    coded = api.post(f"{pop}/verification-code")
    code = coded.json()["proofOfPossessionUnsignedVerificationCode"]
    proved = api.post(
        f"{pop}/pop", json={"proofOfPossessionSignedVerificationCode": _sign(made, code.encode(), key)}
    )

    assert coded.status_code == 200 and coded.json()["proofOfPossessionVerificationCodeUsableUntil"]
    assert proved.status_code == 200 and proved.json()["proofOfPossessionValid"] is True
    assert "proofOfPossessionUnsignedVerificationCode" not in proved.json()  # the code is spent


def test_a_wrong_signature_is_400_and_no_code_is_422(api: httpx.Client, sandbox: SandboxInstance) -> None:
    made, other = make_certificate("pop-a"), make_certificate("pop-b")
    pop = _add(api, sandbox, made)

    without_code = api.post(f"{pop}/pop", json={"proofOfPossessionSignedVerificationCode": "AAAA"})
    code = api.post(f"{pop}/verification-code").json()["proofOfPossessionUnsignedVerificationCode"]
    wrong = api.post(
        f"{pop}/pop", json={"proofOfPossessionSignedVerificationCode": _sign(other, code.encode(), "rsa")}
    )

    assert without_code.status_code == 422
    assert wrong.status_code == 400 and wrong.headers["content-type"].startswith("application/json")
    cert = api.get(f"/tenant/tenants/{sandbox.tenant}/trusted-certificates/{made.fingerprint}").json()
    assert cert["proofOfPossessionValid"] is False


def test_revocations_come_back_in_a_der_crl(api: httpx.Client) -> None:
    json_body = {"crls": [{"serialNumberInHex": "c0ffee", "revocationDate": "2023-01-11T16:12:36.288Z"},
                          {"serialNumberInHex": "BEEF"}]}  # fmt: skip
    assert api.put(CRL, json=json_body).status_code == 204
    csv = b"SERIAL NO.,REVOCATION DATE\nF00D,2024-05-01T12:00:00.000Z\n"
    assert api.put(CRL, files={"file": ("revoked.csv", csv, "text/csv")}).status_code == 204
    again = {"crls": [{"serialNumberInHex": "C0FFEE", "revocationDate": "2024-01-01T00:00:00.000Z"}]}
    assert api.put(CRL, json=again).status_code == 204  # irreversible: the first date stays

    response = api.get(CRL, headers={"Accept": "application/pkix-crl"})

    assert response.headers["content-type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.content)
    revoked = {format(item.serial_number, "X"): item.revocation_date_utc for item in crl}
    assert revoked["C0FFEE"] == datetime(2023, 1, 11, 16, 12, 36, tzinfo=timezone.utc)
    assert revoked["F00D"] == datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc) and "BEEF" in revoked


def test_bad_crl_dates_and_serials_are_400(api: httpx.Client, reader_api: httpx.Client) -> None:
    bad_date = api.put(CRL, json={"crls": [{"serialNumberInHex": "10", "revocationDate": "2024-05-01"}]})
    bad_serial = api.put(CRL, json={"crls": [{"serialNumberInHex": "xyz"}]})

    assert bad_date.status_code == 400 and "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'" in bad_date.json()["message"]
    assert bad_serial.status_code == 400
    assert reader_api.put(CRL, json={"crls": []}).status_code == 403
    assert reader_api.get(CRL).status_code == 200


def test_tenant_ca_is_created_once_and_renewed_with_its_key(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    listing = f"/tenant/tenants/{sandbox.tenant}/trusted-certificates"
    existing = api.get(listing, params={"certificateAuthority": "true"}).json()["certificates"]
    created = existing[0] if existing else api.post("/certificate-authority").json()

    duplicate = api.post("/certificate-authority")
    renewed = api.post("/certificate-authority/renew")

    assert created["tenantCertificateAuthority"] is True and created["subject"] == f"CN={sandbox.tenant}"
    assert created["autoRegistrationEnabled"] is True and "_keyPem" not in created
    assert duplicate.status_code == 409
    assert renewed.status_code == 201 and renewed.json()["fingerprint"] != created["fingerprint"]
    first = x509.load_der_x509_certificate(base64.b64decode(created["certInPemFormat"]))
    second = x509.load_der_x509_certificate(base64.b64decode(renewed.json()["certInPemFormat"]))
    assert first.public_key() == second.public_key()
    shown = api.get(listing, params={"certificateAuthority": "true"}).json()["certificates"]
    assert [c["fingerprint"] for c in shown] == [renewed.json()["fingerprint"]]
