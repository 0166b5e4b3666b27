"""Trusted certificates: files, add with reconciliation, proof of possession, CRL, tenant CA (§13)."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from support.certs import MadeCertificate, make_certificate, make_crl
from support.repo_mock import ScriptedTenant

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from c8ydm.procedures.certificates import authority, files, manage, possession, revocation

BASE = "/tenant/tenants/t100/trusted-certificates"
POP = "/tenant/tenants/t100/trusted-certificates-pop"
CRL = "/tenant/trusted-certificates/settings/crl"


def tenant_copy(made: MadeCertificate, **fields: object) -> dict[str, object]:
    """The tenant's answer for a certificate: certInPemFormat is base64 of the DER, no armour."""
    return {"fingerprint": made.fingerprint, "certInPemFormat": base64.b64encode(made.der).decode(), **fields}


def test_fingerprints_are_typed_with_colons_in_any_case() -> None:
    assert files.normalize_fingerprint("AB:cd:01 ") == "abcd01"
    with pytest.raises(InputError):
        files.normalize_fingerprint("xyz")


def test_pem_chain_and_der_files_are_read_locally(tmp_path: Path) -> None:
    first, second = make_certificate("A"), make_certificate("B", key="ec")
    chain = tmp_path / "chain.pem"
    chain.write_text(first.pem + second.pem + first.key_pem.decode())
    der = tmp_path / "b.der"
    der.write_bytes(second.der)

    read, has_key = files.read_certificates(chain)

    assert [c.fingerprint for c in read] == [first.fingerprint, second.fingerprint] and has_key
    assert read[0].pem == first.pem and read[1].subject == "CN=B"
    (from_der,), _ = files.read_certificates(der)
    assert from_der.fingerprint == second.fingerprint and from_der.pem.startswith(
        "-----BEGIN CERTIFICATE-----\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "not a valid X.509"),
        (b"-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n", "holds no certificate"),
    ],
)
def test_bad_certificate_files_are_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.pem"
    path.write_bytes(content)

    with pytest.raises(InputError, match=message):
        files.read_certificates(path)


def test_add_plans_from_look_ups_and_posts_pem_text(
    tenant: ScriptedTenant, client: Client, tmp_path: Path
) -> None:
    made = make_certificate("Fleet CA")
    path = tmp_path / "ca.pem"
    path.write_text(made.pem)
    tenant.on("GET", f"{BASE}/{made.fingerprint}", 404)
    tenant.on("POST", BASE, tenant_copy(made, name="Fleet", status="ENABLED"))

    added = manage.execute_add(client, manage.plan_add(client, path, name="Fleet", auto_registration=True))

    assert tenant.changes() == [
        (
            "POST",
            BASE,
            {
                "name": "Fleet",
                "certInPemFormat": made.pem,
                "status": "ENABLED",
                "autoRegistrationEnabled": True,
            },
        )
    ]
    assert [a.adopted for a in added] == [False]


def test_an_existing_fingerprint_is_exit_7_before_any_post(
    tenant: ScriptedTenant, client: Client, tmp_path: Path
) -> None:
    made = make_certificate("Fleet CA")
    path = tmp_path / "ca.pem"
    path.write_text(made.pem)
    tenant.on("GET", f"{BASE}/{made.fingerprint}", tenant_copy(made, name="Old"))

    with pytest.raises(ConflictError, match=f"already trusted: {made.fingerprint} \\(Old\\)"):
        manage.plan_add(client, path, name="Fleet")

    assert tenant.changes() == []


def test_a_lost_answer_adopts_the_certificate_found(
    tenant: ScriptedTenant, client: Client, tmp_path: Path
) -> None:
    made = make_certificate("Fleet CA")
    path = tmp_path / "ca.pem"
    path.write_text(made.pem)
    tenant.on("GET", f"{BASE}/{made.fingerprint}", 404, tenant_copy(made, name="Fleet"))
    tenant.on("POST", BASE, httpx.ReadTimeout("lost"))

    added = manage.execute_add(client, manage.plan_add(client, path, name="Fleet"))

    assert [a.adopted for a in added] == [True] and len(tenant.changes()) == 1


def test_a_conflict_after_a_lost_answer_adopts_the_same_certificate(
    tenant: ScriptedTenant, client: Client, tmp_path: Path
) -> None:
    made = make_certificate("Fleet CA")
    path = tmp_path / "ca.pem"
    path.write_text(made.pem)
    tenant.on("GET", f"{BASE}/{made.fingerprint}", 404, 404, tenant_copy(made, name="Fleet"))
    tenant.on("POST", BASE, httpx.ReadTimeout("lost"), 409)

    added = manage.execute_add(client, manage.plan_add(client, path, name="Fleet"))

    assert [a.adopted for a in added] == [True] and len(tenant.changes()) == 2


def test_chain_files_name_each_certificate() -> None:
    assert manage.chain_names("CA", 1) == ["CA"]
    assert manage.chain_names("CA", 2) == ["CA (1 of 2)", "CA (2 of 2)"]


def test_updates_look_up_then_put_one_field(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{BASE}/abcd", {"fingerprint": "abcd", "name": "CA"})
    tenant.on("PUT", f"{BASE}/abcd", {"fingerprint": "abcd", "name": "CA", "status": "DISABLED"})

    manage.update_certificate(client, "AB:CD", status="DISABLED")

    assert tenant.changes() == [("PUT", f"{BASE}/abcd", {"fingerprint": "abcd", "status": "DISABLED"})]


def test_an_unknown_fingerprint_is_exit_4(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{BASE}/abcd", 404)

    with pytest.raises(NotFoundError, match="no trusted certificate with fingerprint abcd"):
        manage.find_certificate(client, "abcd")


@pytest.mark.parametrize("key", ["rsa", "ec", "ed25519"])
def test_proof_of_possession_signs_the_code_locally(
    tenant: ScriptedTenant, client: Client, tmp_path: Path, key: str
) -> None:
    made = make_certificate("Fleet CA", key=key)
    key_path = tmp_path / "ca.key"
    key_path.write_bytes(made.key_pem)
    fp = made.fingerprint
    tenant.on("GET", f"{BASE}/{fp}", tenant_copy(made))
    tenant.on(
        "POST",
        f"{POP}/{fp}/verification-code",
        tenant_copy(made, proofOfPossessionUnsignedVerificationCode="c0de"),
    )
    tenant.on("POST", f"{POP}/{fp}/pop", tenant_copy(made, proofOfPossessionValid=True))

    proved = possession.prove_possession(client, fp.upper(), key_path)

    assert proved.proof_of_possession_valid is True
    signature = base64.b64decode(tenant.changes()[1][2]["proofOfPossessionSignedVerificationCode"])
    public = made.key.public_key()
    if key == "rsa":
        public.verify(signature, b"c0de", padding.PKCS1v15(), hashes.SHA256())
    elif key == "ec":
        public.verify(signature, b"c0de", ec.ECDSA(hashes.SHA256()))
    else:
        public.verify(signature, b"c0de")
    assert made.key_pem.decode() not in str(tenant.calls)


def test_a_key_of_another_certificate_is_exit_2_before_any_post(
    tenant: ScriptedTenant, client: Client, tmp_path: Path
) -> None:
    made, other = make_certificate("A"), make_certificate("B")
    key_path = tmp_path / "b.key"
    key_path.write_bytes(other.key_pem)
    tenant.on("GET", f"{BASE}/{made.fingerprint}", tenant_copy(made))

    with pytest.raises(InputError, match="the key does not belong to certificate"):
        possession.prove_possession(client, made.fingerprint, key_path)

    assert tenant.changes() == []


def test_an_encrypted_or_broken_key_is_exit_2_without_its_content(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    made = make_certificate("A")
    encrypted = tmp_path / "enc.key"
    protection = serialization.BestAvailableEncryption(b"pw")
    encrypted.write_bytes(
        made.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection)
    )
    broken = tmp_path / "broken.key"
    broken.write_text("-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n")

    with pytest.raises(InputError, match=r"enc\.key is an encrypted private key"):
        possession.load_private_key(encrypted)
    with pytest.raises(InputError) as raised:
        possession.load_private_key(broken)
    assert "c2VjcmV0" not in raised.value.message


def test_revocation_options_normalise_serials_and_dates() -> None:
    entries = revocation.entries_from_options(["0x1a:2b", "00FF"], ["2024-05-01T12:00:00+02:00"])

    assert [e.to_body() for e in entries] == [
        {"serialNumberInHex": "1A2B", "revocationDate": "2024-05-01T10:00:00.000Z"},
        {"serialNumberInHex": "FF", "revocationDate": "2024-05-01T10:00:00.000Z"},
    ]
    assert [e.to_body() for e in revocation.entries_from_options(["10"], [])] == [{"serialNumberInHex": "10"}]
    with pytest.raises(InputError, match="one --date for all serials or one per serial"):
        revocation.entries_from_options(["1", "2", "3"], ["2024-01-01", "2024-01-02"])


def test_a_revocation_csv_is_checked_and_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "revoked.csv"
    path.write_text("SERIAL NO.,REVOCATION DATE\n1000,2023-01-11T16:12:36.288Z\nab:cd,\n")

    checked = revocation.read_revocation_csv(path)

    assert checked.data == b"SERIAL NO.,REVOCATION DATE\n1000,2023-01-11T16:12:36.288Z\nABCD,\n"
    path.write_text("1000,yesterday\n")
    with pytest.raises(InputError, match=r"revoked\.csv, row 1: 'yesterday' is not an ISO date"):
        revocation.read_revocation_csv(path)


def test_a_403_on_the_crl_names_the_management_tenant(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("PUT", CRL, 403)

    with pytest.raises(PermissionDeniedError) as raised:
        revocation.revoke(client, revocation.entries_from_options(["10"], []))

    assert "management tenant" in (raised.value.hint or "")


def test_the_crl_is_read_back(tenant: ScriptedTenant, client: Client) -> None:
    issuer = make_certificate("Tenant CA")
    when = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    der = make_crl(issuer, {0x1A2B: when})
    tenant.on("GET", CRL, httpx.Response(200, content=der, headers={"Content-Type": "application/pkix-crl"}))

    crl = revocation.read_crl(client)

    assert crl.issuer == "CN=Tenant CA" and crl.der == der
    assert [e.to_body() for e in crl.entries] == [
        {"serialNumberInHex": "1A2B", "revocationDate": "2024-05-01T12:00:00.000Z"}
    ]


def test_tenant_ca_errors_are_explained(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("POST", "/certificate-authority", 403, 409)
    tenant.on("GET", BASE, {"certificates": [], "statistics": {}}, certificateAuthority="true")

    with pytest.raises(PermissionDeniedError) as denied:
        authority.create_authority(client)
    with pytest.raises(ConflictError) as exists:
        authority.create_authority(client)
    with pytest.raises(NotFoundError) as missing:
        authority.show_authority(client)

    assert "certificate-authority" in (denied.value.hint or "")
    assert "ca renew" in (exists.value.hint or "") and "ca create" in (missing.value.hint or "")
