"""Certificate files and fingerprints, read locally before any request (contract §13).

A file holds one PEM certificate, a PEM chain (each certificate is added on its own) or one DER
certificate. Each is checked with ``cryptography`` (imported only here, inside functions, so that
``--help`` stays fast) and sent as PEM text (§13 ★): a PEM block exactly as written in the file, a
DER file armoured. The fingerprint is the SHA-1 of the DER bytes, lower-case hex without colons;
a fingerprint typed by a user is matched after removing colons and lower-casing it (§13 ★).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c8ydm.api.errors import InputError

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
_ARMOUR = re.compile(r"-----(BEGIN|END) [A-Z0-9 ]+-----")
MAX_FILE_BYTES = 1024 * 1024  # a certificate chain is a few kB; anything larger is the wrong file


@dataclass(frozen=True)
class LocalCertificate:
    """A certificate read from a file: the PEM text to send and what c8ydm shows of it."""

    pem: str
    der: bytes
    fingerprint: str
    subject: str
    issuer: str
    serial_hex: str
    not_after: str


def normalize_fingerprint(text: str) -> str:
    """A typed fingerprint without colons or spaces, lower case; InputError unless it is hex."""
    value = "".join(text.replace(":", "").split()).lower()
    if not value or any(char not in string.hexdigits for char in value):
        raise InputError(f"{text!r} is not a certificate fingerprint (hex digits, colons allowed)")
    return value


def fingerprint_of(der: bytes) -> str:
    """The platform's fingerprint of a certificate: SHA-1 of its DER bytes, lower-case hex."""
    return hashlib.sha1(der).hexdigest()  # an identifier, computed as the platform does


def der_to_pem(der: bytes) -> str:
    text = base64.b64encode(der).decode("ascii")
    lines = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    return f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n"


def load_certificate(der: bytes) -> Certificate:
    """Parse DER bytes as an X.509 certificate; ValueError when they are not one."""
    from cryptography import x509

    return x509.load_der_x509_certificate(der)


def describe(pem: str, der: bytes) -> LocalCertificate:
    """A LocalCertificate of DER bytes (checked to be a certificate; ValueError otherwise)."""
    cert = load_certificate(der)
    return LocalCertificate(
        pem=pem,
        der=der,
        fingerprint=fingerprint_of(der),
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        serial_hex=format(cert.serial_number, "X"),
        not_after=cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    )


def der_of_text(text: str) -> bytes:
    """The DER bytes of PEM text or bare base64 (the tenant answers ``certInPemFormat`` either way)."""
    body = "".join(_ARMOUR.sub("", text).split())
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None


def _blocks(data: bytes) -> list[tuple[str, bytes]]:
    if b"-----BEGIN" not in data:
        return [(der_to_pem(data), data)]  # DER
    blocks = []
    for match in _PEM_BLOCK.finditer(data):
        pem = match.group(0).decode("ascii", "replace") + "\n"
        try:
            blocks.append((pem, der_of_text(pem)))
        except ValueError:
            raise InputError(f"certificate {len(blocks) + 1} of the file is not valid base64") from None
    return blocks


def read_certificates(path: Path) -> tuple[list[LocalCertificate], bool]:
    """The certificates of a PEM, chain or DER file, and whether it also holds a private key (not sent).

    Every problem is InputError (exit 2) before any request; no file content is ever echoed.
    """
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path.name} is too large for a certificate file")
    data = path.read_bytes()
    has_key = b"PRIVATE KEY-----" in data
    blocks = _blocks(data)
    if not blocks:
        raise InputError(f"{path.name} holds no certificate (no BEGIN CERTIFICATE block)")
    certificates = []
    for index, (pem, der) in enumerate(blocks, start=1):
        try:
            certificates.append(describe(pem, der))
        except ValueError:
            which = f"certificate {index} of {path.name}" if len(blocks) > 1 else path.name
            raise InputError(f"{which} is not a valid X.509 certificate (PEM or DER)") from None
    return certificates, has_key


def certificate_details(text: str | None) -> dict[str, Any]:
    """Subject, issuer and serial (hex) of a tenant's ``certInPemFormat``, or {} if unreadable."""
    if not text:
        return {}
    try:
        local = describe(text, der_of_text(text))
    except ValueError:
        return {}
    return {"subject": local.subject, "issuer": local.issuer, "serialNumberInHex": local.serial_hex}
