"""Proof of possession (contract §13): the tenant's code, signed locally, the signature posted.

The private key is read here, checked against the certificate's public key BEFORE any request
(a wrong key is exit 2 and nothing is sent), and used only to sign: it never leaves the machine
and never appears in any message. The signature is what the UI's hint computes:
``openssl dgst -sha256 -sign KEY code.txt | openssl base64 -A`` (RSA PKCS#1 v1.5 or ECDSA with
SHA-256; Ed25519 and Ed448 sign the code itself).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError, InputError
from c8ydm.api.models.certificates import TrustedCertificate
from c8ydm.procedures.certificates.files import der_of_text, load_certificate
from c8ydm.procedures.certificates.manage import find_certificate

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

DRY_RUN_SIGNATURE = "<base64 signature of the verification code>"
DECRYPT_HINT = "decrypt it first, e.g. openssl pkey -in KEY -out plain.key (keep that file private)"


def load_private_key(path: Path) -> PrivateKeyTypes:
    """A PEM or DER private key; InputError (never showing its content) when it cannot be used."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    if not path.is_file():
        raise InputError(f"key file not found: {path}")
    data = path.read_bytes()
    loaders: Any = (serialization.load_pem_private_key, serialization.load_der_private_key)
    for loader in loaders:
        try:
            return loader(data, password=None)  # type: ignore[no-any-return]
        except TypeError:
            raise InputError(f"{path.name} is an encrypted private key", hint=DECRYPT_HINT) from None
        except (ValueError, UnsupportedAlgorithm):  # not this format: try the next one
            continue
    raise InputError(f"{path.name} is not a private key (PEM or DER)")


def _public_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(  # type: ignore[no-any-return]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def check_key_matches(key: PrivateKeyTypes, certificate: TrustedCertificate) -> None:
    """InputError unless the key's public half is the certificate's public key."""
    try:
        public = load_certificate(der_of_text(certificate.cert_in_pem_format or "")).public_key()
    except ValueError:
        raise C8yError(f"the tenant's copy of certificate {certificate.fingerprint} is unreadable") from None
    if _public_der(public) != _public_der(key.public_key()):
        raise InputError(
            f"the key does not belong to certificate {certificate.fingerprint} ({certificate.subject})",
            hint="give the private key the certificate was issued for",
        )


def sign(key: PrivateKeyTypes, data: bytes) -> str:
    """Base64 of the signature of ``data``, as ``openssl dgst -sha256 -sign`` makes it."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        signature = key.sign(data)
    else:
        raise InputError(f"{type(key).__name__} keys cannot sign a proof of possession")
    return base64.b64encode(signature).decode("ascii")


def prove_possession(client: Client, fingerprint: str, key_path: Path) -> TrustedCertificate:
    """Load and check the key, get a verification code, sign it here, post the signature.

    GET …/trusted-certificates/<fp>, POST …/trusted-certificates-pop/<fp>/verification-code,
    POST …/trusted-certificates-pop/<fp>/pop {"proofOfPossessionSignedVerificationCode"}
    """
    key = load_private_key(key_path)
    certificate = find_certificate(client, fingerprint)
    check_key_matches(key, certificate)
    found = str(certificate.fingerprint)
    coded = client.certificates.verification_code(found)
    if client.dry_run:
        return client.certificates.prove_possession(found, DRY_RUN_SIGNATURE)
    code = coded.proof_of_possession_unsigned_verification_code
    if not code:
        raise C8yError(f"the tenant gave no verification code for certificate {found}")
    return client.certificates.prove_possession(found, sign(key, code.encode("utf-8")))
