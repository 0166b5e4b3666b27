"""Trusted certificates (contract §13): upload, fingerprints, updates, bulk, errors."""

from __future__ import annotations

import httpx
from support.sandbox import SandboxInstance

from c8ydm.sandbox.core.x509 import CertificateError, read_certificate

# Self-signed test certificates (EC P-256, valid until 2126) and what openssl says about them.
CERT_1 = """\
-----BEGIN CERTIFICATE-----
MIIBzTCCAXOgAwIBAgIUeTSotUQdDqnF4K+2MUv1cr6qjCEwCgYIKoZIzj0EAwIw
OzELMAkGA1UEBhMCREUxDjAMBgNVBAoMBWM4eWRtMRwwGgYDVQQDDBNzYW5kYm94
LWRldmljZS1jYS0xMCAXDTI2MTEyMjEwMDczN1oYDzIxMjYxMDI5MTAwNzM3WjA7
MQswCQYDVQQGEwJERTEOMAwGA1UECgwFYzh5ZG0xHDAaBgNVBAMME3NhbmRib3gt
ZGV2aWNlLWNhLTEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQzSDZpgO9GDCrK
F8IYArVGaEnJzkSogfRb3yg7b93tTsiV7eVua3htrax9WaKvZ/Z/QWOt4QTjo/1v
7xZjOvHXo1MwUTAdBgNVHQ4EFgQUdiIZuyTFWdHFby892uXE/1SLObQwHwYDVR0j
BBgwFoAUdiIZuyTFWdHFby892uXE/1SLObQwDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNIADBFAiAhUhZbjN0bsZSa5Za6m77lQqEOw9munDa9iXjNPc0b7wIh
AKDxV/dsGc6psLb/bPXM6fYE2Af6yO4mVQhxEnXPb28g
-----END CERTIFICATE-----
"""
CERT_1_FINGERPRINT = "6eb037c41dfe3b58af410be848604105e3e2be6b"  # openssl x509 -fingerprint -sha1
CERT_2 = """\
-----BEGIN CERTIFICATE-----
MIIBzTCCAXOgAwIBAgIUSfLiq7a6zFQezpQF895hlquUiKkwCgYIKoZIzj0EAwIw
OzELMAkGA1UEBhMCREUxDjAMBgNVBAoMBWM4eWRtMRwwGgYDVQQDDBNzYW5kYm94
LWRldmljZS1jYS0yMCAXDTI2MTEyMjEwMDczN1oYDzIxMjYxMDI5MTAwNzM3WjA7
MQswCQYDVQQGEwJERTEOMAwGA1UECgwFYzh5ZG0xHDAaBgNVBAMME3NhbmRib3gt
ZGV2aWNlLWNhLTIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS2FhochgZprTh6
NP2C5gQ/EtAPeRQaFGzneY4RReXgkDVUT+wgV2l4NsOSSQ7kCf6y5SqUFBWO7ofV
m2z/0Smfo1MwUTAdBgNVHQ4EFgQU8t0RoNtMdbpVVsayjs2NLPz6oiswHwYDVR0j
BBgwFoAU8t0RoNtMdbpVVsayjs2NLPz6oiswDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNIADBFAiEAutz9Z9POxyp1XjEqL7QJq3she/NhZIthyaKRyEYzng0C
IH0xsTDfSUEQWk5i2KsYk+sOXAE/iP9rK4yEtcq7yhhC
-----END CERTIFICATE-----
"""
CERT_2_FINGERPRINT = "865c863d9b8a75057f36f04cbcf5dec1e80b4472"


def _path(sandbox: SandboxInstance, fingerprint: str = "") -> str:
    base = f"/tenant/tenants/{sandbox.tenant}/trusted-certificates"
    return f"{base}/{fingerprint}" if fingerprint else base


def test_reader_reads_the_certificate_like_openssl() -> None:
    info = read_certificate(CERT_1)
    assert info.fingerprint == CERT_1_FINGERPRINT
    assert info.serial_number == str(0x7934A8B5441D0EA9C5E0AFB6314BF572BEAA8C21)
    assert (info.version, info.algorithm_name) == (3, "SHA256withECDSA")
    assert info.subject == info.issuer == "CN=sandbox-device-ca-1, O=c8ydm, C=DE"
    assert (info.not_before, info.not_after) == ("2026-11-22T10:07:37.000Z", "2126-10-29T10:07:37.000Z")
    assert read_certificate(info.pem_body).fingerprint == CERT_1_FINGERPRINT  # bare base64 DER


def test_reader_rejects_what_is_no_certificate() -> None:
    for text in ("", "not base64 !", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"):
        try:
            read_certificate(text)
        except CertificateError:
            continue
        raise AssertionError(f"accepted {text!r}")


def test_upload_read_update_and_delete_a_certificate(api: httpx.Client, sandbox: SandboxInstance) -> None:
    body = {
        "name": "Device CA",
        "certInPemFormat": CERT_1,
        "status": "ENABLED",
        "autoRegistrationEnabled": True,
    }
    response = api.post(_path(sandbox), params={"addToTrustStore": "true"}, json=body)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    cert = response.json()
    assert cert["fingerprint"] == CERT_1_FINGERPRINT
    assert (cert["name"], cert["status"], cert["autoRegistrationEnabled"]) == ("Device CA", "ENABLED", True)
    assert cert["self"] == f"{sandbox.url}{_path(sandbox, CERT_1_FINGERPRINT)}"
    assert "BEGIN" not in cert["certInPemFormat"]
    duplicate = api.post(_path(sandbox), json=body)
    assert duplicate.status_code == 409
    assert duplicate.headers["content-type"].startswith("application/json")
    typed = CERT_1_FINGERPRINT.upper()
    colons = ":".join(typed[i : i + 2] for i in range(0, len(typed), 2))
    assert api.get(_path(sandbox, colons)).json()["fingerprint"] == CERT_1_FINGERPRINT
    updated = api.put(
        _path(sandbox, CERT_1_FINGERPRINT),
        json={"fingerprint": CERT_1_FINGERPRINT, "status": "DISABLED", "subject": "CN=forged"},
    ).json()
    assert (updated["status"], updated["subject"]) == ("DISABLED", "CN=sandbox-device-ca-1, O=c8ydm, C=DE")
    assert api.put(_path(sandbox, CERT_1_FINGERPRINT), json={"status": "ON"}).status_code == 422
    assert api.delete(_path(sandbox, CERT_1_FINGERPRINT)).status_code == 204
    assert api.get(_path(sandbox, CERT_1_FINGERPRINT)).status_code == 404


def test_bulk_upload_accepts_bare_base64_der(api: httpx.Client, sandbox: SandboxInstance) -> None:
    bare = read_certificate(CERT_2).pem_body
    response = api.post(
        f"{_path(sandbox)}/bulk",
        json={"certificates": [{"name": "Bulk CA", "certInPemFormat": bare, "status": "DISABLED"}]},
    )
    assert response.status_code == 201, response.text
    assert [c["fingerprint"] for c in response.json()["certificates"]] == [CERT_2_FINGERPRINT]
    listed = api.get(_path(sandbox), params={"pageSize": 1000, "withTotalPages": "true"}).json()[
        "certificates"
    ]
    assert CERT_2_FINGERPRINT in [c["fingerprint"] for c in listed]
    assert api.delete(_path(sandbox, CERT_2_FINGERPRINT)).status_code == 204


def test_invalid_certificate_data_is_422(api: httpx.Client, sandbox: SandboxInstance) -> None:
    garbage = api.post(_path(sandbox), json={"certInPemFormat": "hello", "status": "ENABLED"})
    assert garbage.status_code == 422
    assert garbage.headers["content-type"].startswith("application/json")
    assert api.post(_path(sandbox), json={"certInPemFormat": CERT_2}).status_code == 422  # no status


def test_reader_may_list_but_not_upload(reader_api: httpx.Client, sandbox: SandboxInstance) -> None:
    assert reader_api.get(_path(sandbox)).status_code == 200
    response = reader_api.post(_path(sandbox), json={"certInPemFormat": CERT_2, "status": "ENABLED"})
    assert response.status_code == 403
