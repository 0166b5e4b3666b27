"""Certificates and keys made in tests with ``cryptography`` (self-signed CAs, CRLs).

from support.certs import make_certificate
made = make_certificate("Fleet CA", key="rsa")      # .pem, .der, .key_pem, .fingerprint, .key
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class MadeCertificate:
    pem: str
    der: bytes
    key: Any
    key_pem: bytes
    fingerprint: str
    serial: int


def make_key(kind: str = "rsa") -> Any:
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return ed25519.Ed25519PrivateKey.generate()


def make_certificate(common_name: str, *, key: str = "rsa", serial: int | None = None) -> MadeCertificate:
    """A self-signed CA certificate valid for 30 days."""
    private = make_key(key)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    algorithm = None if key == "ed25519" else hashes.SHA256()
    cert = builder.sign(private, algorithm)
    der = cert.public_bytes(serialization.Encoding.DER)
    key_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return MadeCertificate(
        pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        der=der,
        key=private,
        key_pem=key_pem,
        fingerprint=hashlib.sha1(der).hexdigest(),
        serial=cert.serial_number,
    )


def make_crl(issuer: MadeCertificate, revoked: dict[int, datetime]) -> bytes:
    """A DER CRL signed by ``issuer`` listing ``{serial: revocation date}``."""
    now = datetime.now(timezone.utc)
    ca = x509.load_der_x509_certificate(issuer.der)
    builder = x509.CertificateRevocationListBuilder().issuer_name(ca.subject)
    builder = builder.last_update(now).next_update(now + timedelta(days=1))
    for serial, date in revoked.items():
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(date).build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
