"""Proof of possession of a trusted certificate's private key (contract §13).

``verification-code`` stores a fresh random code on the certificate, usable for ten minutes (the
platform's lifetime is not documented); ``pop`` checks the base64 signature of that code against the
certificate's public key, as ``openssl dgst -sha256 -sign KEY`` makes it (RSA PKCS#1 v1.5 or ECDSA
with SHA-256; Ed25519/Ed448 sign the code itself): 400 when it does not verify, 422 without a usable
code. A valid proof sets ``proofOfPossessionValid`` and spends the code.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.store import format_time
from c8ydm.sandbox.model.certificates import COLLECTION, plain_error

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

CODE_LIFETIME = timedelta(minutes=10)
CODE = "proofOfPossessionUnsignedVerificationCode"
USABLE_UNTIL = "proofOfPossessionVerificationCodeUsableUntil"


def issue_code(state: SandboxState, doc: dict[str, Any]) -> dict[str, Any]:
    """A new verification code on the certificate (any earlier one is replaced)."""
    doc[CODE] = secrets.token_hex(16)
    doc[USABLE_UNTIL] = format_time(datetime.now(timezone.utc) + CODE_LIFETIME)
    state.store.put(COLLECTION, doc["id"], doc)
    return doc


def _verify(der: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    public = x509.load_der_x509_certificate(der).public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            public.verify(signature, data)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def prove(state: SandboxState, doc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Check ``proofOfPossessionSignedVerificationCode``; 422 without a usable code, 400 if wrong."""
    code, until = doc.get(CODE), doc.get(USABLE_UNTIL)
    if not code or not until or str(until) < format_time(datetime.now(timezone.utc)):
        message = "No usable verification code: ask for one with verification-code first"
        raise plain_error(422, "certificate/verificationCodeMissing", message)
    try:
        signature = base64.b64decode(
            str(body.get("proofOfPossessionSignedVerificationCode") or ""), validate=True
        )
    except (binascii.Error, ValueError):
        signature = b""
    if not signature or not _verify(base64.b64decode(doc["certInPemFormat"]), signature, str(code).encode()):
        raise C8yHTTPError(400, "certificate/invalidSignature",
                           "The signed verification code does not verify with the certificate's public key",
                           plain_json=True)  # fmt: skip
    doc["proofOfPossessionValid"] = True
    doc.pop(CODE, None)
    doc.pop(USABLE_UNTIL, None)
    state.store.put(COLLECTION, doc["id"], doc)
    return doc
