"""Trusted certificates, proof of possession, the CRL and the tenant CA (contract §13)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import respx
from support.repo_mock import multipart

from c8ydm.api.client import Client
from c8ydm.api.models.certificates import CrlEntry

BASE = "/tenant/tenants/t100/trusted-certificates"
POP = "/tenant/tenants/t100/trusted-certificates-pop/ab12"
CRL = "/tenant/trusted-certificates/settings/crl"
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def cert(fingerprint: str = "ab12", **fields: Any) -> dict[str, Any]:
    return {"fingerprint": fingerprint, "name": "CA", "status": "ENABLED", **fields}


def test_list_pages_with_the_uis_page_size(client: Client, router: respx.MockRouter) -> None:
    route = router.get(BASE).respond(200, json={"certificates": [cert()], "statistics": {"totalPages": 1}})

    found = list(client.certificates.list())

    assert [c.fingerprint for c in found] == ["ab12"]
    assert dict(route.calls.last.request.url.params) == {
        "pageSize": "1000", "currentPage": "1", "withTotalPages": "true",
    }  # fmt: skip


def test_authority_is_the_list_with_certificate_authority_true(
    client: Client, router: respx.MockRouter
) -> None:
    route = router.get(BASE, params={"certificateAuthority": "true"}).respond(
        200, json={"certificates": [cert("ca1", tenantCertificateAuthority=True)]}
    )

    found = client.certificates.authority()

    assert found is not None and found.tenant_certificate_authority is True
    assert route.calls.last.request.url.params["pageSize"] == "1"


def test_create_sends_the_pem_text_and_every_field(client: Client, router: respx.MockRouter) -> None:
    route = router.post(BASE).respond(201, json=cert())

    client.certificates.create(name="CA", pem=PEM, status="DISABLED", auto_registration_enabled=True)

    request = route.calls.last.request
    assert json.loads(request.content) == {
        "name": "CA", "certInPemFormat": PEM, "status": "DISABLED", "autoRegistrationEnabled": True,
    }  # fmt: skip
    assert request.headers["Content-Type"] == "application/json"
    assert request.url.query == b""  # addToTrustStore left at its default


def test_update_sends_the_fingerprint_and_one_field(client: Client, router: respx.MockRouter) -> None:
    route = router.put(f"{BASE}/ab12").respond(200, json=cert(name="New"))

    assert client.certificates.update("ab12", name="New").name == "New"
    assert json.loads(route.calls.last.request.content) == {"fingerprint": "ab12", "name": "New"}


def test_delete(client: Client, router: respx.MockRouter) -> None:
    route = router.delete(f"{BASE}/ab12").respond(204)

    client.certificates.delete("ab12")

    assert route.called


def test_proof_of_possession_requests(client: Client, router: respx.MockRouter) -> None:
    code = router.post(f"{POP}/verification-code").respond(
        200, json=cert(proofOfPossessionUnsignedVerificationCode="abc")
    )
    pop = router.post(f"{POP}/pop").respond(200, json=cert(proofOfPossessionValid=True))

    assert (
        client.certificates.verification_code("ab12").proof_of_possession_unsigned_verification_code == "abc"
    )
    assert client.certificates.prove_possession("ab12", "c2ln").proof_of_possession_valid is True
    assert code.calls.last.request.content == b""
    assert json.loads(pop.calls.last.request.content) == {"proofOfPossessionSignedVerificationCode": "c2ln"}


def test_revoke_sends_the_entries_without_nulls(client: Client, router: respx.MockRouter) -> None:
    route = router.put(CRL).respond(204)
    entries = [
        CrlEntry.model_validate({"serialNumberInHex": "1000", "revocationDate": "2023-01-11T16:12:36.288Z"}),
        CrlEntry.model_validate({"serialNumberInHex": "ABCD"}),
    ]

    client.certificates.revoke(entries)

    assert json.loads(route.calls.last.request.content) == {
        "crls": [
            {"serialNumberInHex": "1000", "revocationDate": "2023-01-11T16:12:36.288Z"},
            {"serialNumberInHex": "ABCD"},
        ]
    }


def test_revoke_csv_is_a_multipart_file_part(client: Client, router: respx.MockRouter) -> None:
    route = router.put(CRL).respond(204)
    data = b"SERIAL NO.,REVOCATION DATE\n1000,\n"

    client.certificates.revoke_csv(data, filename="revoked.csv", rows=1)

    parts = multipart(route.calls.last.request)
    assert parts == {"file": {"filename": "revoked.csv", "content_type": "text/csv", "data": data}}


def test_crl_is_read_as_bytes_accepting_pkix_crl(client: Client, router: respx.MockRouter) -> None:
    route = router.get(CRL).respond(
        200, content=b"\x30\x03DER", headers={"Content-Type": "application/pkix-crl"}
    )

    assert client.certificates.crl() == b"\x30\x03DER"
    assert route.calls.last.request.headers["Accept"].startswith("application/pkix-crl")


def test_tenant_ca_create_and_renew(client: Client, router: respx.MockRouter) -> None:
    create = router.post("/certificate-authority").respond(
        201, json=cert("ca1", tenantCertificateAuthority=True)
    )
    renew = router.post("/certificate-authority/renew").respond(
        201, json=cert("ca1", tenantCertificateAuthority=True)
    )

    assert client.certificates.create_authority().fingerprint == "ca1"
    assert client.certificates.renew_authority().fingerprint == "ca1"
    assert create.calls.last.request.headers["Accept"] == "application/json" and renew.called


def test_dry_run_records_the_csv_file_never_its_content(router: respx.MockRouter) -> None:
    records: list[dict[str, Any]] = []
    with Client(
        "https://t100.example.com", None, tenant="t100", dry_run=True, on_dry_run=records.append
    ) as api:
        api.certificates.revoke_csv(b"SERIAL NO.,REVOCATION DATE\n1000,\n", filename="r.csv", rows=1)

    assert records == [
        {
            "method": "PUT", "path": CRL, "query": {},
            "body": {"file": {"name": "r.csv", "size": 33,
                              "sha256": records[0]["body"]["file"]["sha256"], "rows": 1}},
        }
    ]  # fmt: skip
    assert not router.calls


def test_fingerprint_is_one_encoded_path_segment(client: Client, router: respx.MockRouter) -> None:
    route = router.get(url__regex=r"/trusted-certificates/[^/]+$").respond(200, json=cert())

    client.certificates.get("ab/12")

    assert route.calls.last.request.url.raw_path == f"{BASE}/ab%2F12".encode()
    assert isinstance(route.calls.last.request, httpx.Request)
