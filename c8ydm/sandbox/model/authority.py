"""The tenant certificate authority (contract §13, spec "Certificate authority") and the sandbox's
CRL issuer. ``cryptography`` is imported inside the functions.

- ``POST /certificate-authority``: a key pair and a self-signed CA certificate whose CN is the tenant
  id, stored as a trusted certificate with ``tenantCertificateAuthority: true`` and auto-registration
  on (the spec); its private key stays in a private field of that document (the platform keeps it in
  an encrypted tenant option). A second create is 409.
- ``POST /certificate-authority/renew``: a new certificate for the same key pair; 404 without a CA
  (the spec's certificateAuthorityObjectNotFound), 422 while more than 18 months remain (the spec:
  "not eligible for renewal"). The sandbox's CA lives one year, so it can be renewed at once (the
  platform's lifetime is not documented).
- The CRL (model/revocation.py) is signed by a key of the sandbox's own, made once per data dir: a
  real tenant signs with a platform key that no document describes.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.model.certificates import COLLECTION, plain_error
from c8ydm.sandbox.model.certificates import new_certificate as certificate_document

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

CA_LIFETIME = timedelta(days=365)
RENEWAL_WINDOW = timedelta(days=548)  # 18 months (the spec)
ISSUERS = "certificateIssuers"  # the CRL issuer's key and certificate (private collection)
CRL_ISSUER_ID = "crl"


def _pem(der: bytes) -> str:
    text = base64.b64encode(der).decode("ascii")
    lines = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    return f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n"


def _self_signed(key: Any, common_name: str, lifetime: timedelta) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + lifetime)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def _new_key() -> tuple[Any, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key, pem.decode("ascii")


def _load_key(pem: str) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem.encode("ascii"), password=None)


def find_authority(state: SandboxState) -> dict[str, Any] | None:
    """The stored tenant CA document, if any."""
    return next((d for d in state.store.iter(COLLECTION) if d.get("tenantCertificateAuthority")), None)


def _store_authority(state: SandboxState, der: bytes, key_pem: str) -> dict[str, Any]:
    body = {"name": state.options.tenant, "certInPemFormat": _pem(der), "status": "ENABLED",
            "autoRegistrationEnabled": True}  # fmt: skip
    doc = certificate_document(state, body)
    doc.update(tenantCertificateAuthority=True, _keyPem=key_pem)
    return state.store.insert(COLLECTION, doc)


def create_authority(state: SandboxState) -> dict[str, Any]:
    """A new tenant CA (409 when one exists)."""
    if find_authority(state) is not None:
        raise plain_error(
            409, "Certificate authority/Conflict", "The tenant certificate authority is already present"
        )
    key, key_pem = _new_key()
    return _store_authority(state, _self_signed(key, state.options.tenant, CA_LIFETIME), key_pem)


def renew_authority(state: SandboxState) -> dict[str, Any]:
    """A new CA certificate for the existing key pair; the old certificate's document is replaced."""
    current = find_authority(state)
    if current is None:
        message = f"Tenant Certificate Authority (CA) object not found for tenant {state.options.tenant}"
        raise plain_error(404, "Certificate Authority (CA)/Not Found", message)
    not_after = datetime.fromisoformat(str(current["notAfter"]).replace("Z", "+00:00"))
    if not_after - datetime.now(timezone.utc) > RENEWAL_WINDOW:
        message = "The tenant CA has more than 18 months left and is not eligible for renewal"
        raise plain_error(422, "Certificate authority/Not eligible", message)
    key_pem = str(current["_keyPem"])
    der = _self_signed(_load_key(key_pem), state.options.tenant, CA_LIFETIME)
    state.store.delete(COLLECTION, current["id"])
    return _store_authority(state, der, key_pem)


def crl_issuer(state: SandboxState) -> tuple[Any, Any]:
    """(certificate, private key) that signs the sandbox's CRL, made on first use."""
    from cryptography import x509

    doc = state.store.get(ISSUERS, CRL_ISSUER_ID)
    if doc is None:
        key, key_pem = _new_key()
        der = _self_signed(key, f"{state.options.tenant} sandbox CRL issuer", timedelta(days=3650))
        doc = {"id": CRL_ISSUER_ID, "_keyPem": key_pem, "_certificate": base64.b64encode(der).decode()}
        state.store.insert(ISSUERS, doc)
    certificate = x509.load_der_x509_certificate(base64.b64decode(doc["_certificate"]))
    return certificate, _load_key(str(doc["_keyPem"]))
