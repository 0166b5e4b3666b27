"""A minimal, stdlib-only X.509 reader for the trusted-certificate endpoints (contract §13).

It reads just what the platform reports about an uploaded certificate: the SHA-1 fingerprint of the
DER bytes (lower-case hex without colons, as in the spec's example), version, serial number
(decimal, as in the spec's example), signature algorithm (Java names such as `SHA256withRSA`),
issuer and subject (most specific attribute first, `CN=…, O=…, C=…`, as the spec's example and
Java's X500Principal print them) and the validity period. It does not verify signatures.

`certInPemFormat` arrives either as PEM text with BEGIN/END lines (the UI) or as bare base64 of the
DER bytes (the Go CLI); both are accepted (contract §13).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone


class CertificateError(ValueError):
    """The text is not a readable X.509 certificate."""


@dataclass(frozen=True)
class CertificateInfo:
    der: bytes
    fingerprint: str
    version: int
    serial_number: str
    algorithm_name: str
    issuer: str
    subject: str
    not_before: str
    not_after: str

    @property
    def pem_body(self) -> str:
        """Base64 of the DER bytes in 64-character lines, without the BEGIN/END armour."""
        text = base64.b64encode(self.der).decode("ascii")
        return "\n".join(text[i : i + 64] for i in range(0, len(text), 64))


_ALGORITHMS = {
    "1.2.840.113549.1.1.5": "SHA1withRSA",
    "1.2.840.113549.1.1.11": "SHA256withRSA",
    "1.2.840.113549.1.1.12": "SHA384withRSA",
    "1.2.840.113549.1.1.13": "SHA512withRSA",
    "1.2.840.10045.4.3.2": "SHA256withECDSA",
    "1.2.840.10045.4.3.3": "SHA384withECDSA",
    "1.2.840.10045.4.3.4": "SHA512withECDSA",
    "1.3.101.112": "Ed25519",
}
_ATTRIBUTES = {
    "2.5.4.3": "CN",
    "2.5.4.5": "SERIALNUMBER",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "STREET",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "1.2.840.113549.1.9.1": "EMAILADDRESS",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}
_ARMOUR = re.compile(r"-----(BEGIN|END) [A-Z ]+-----")


def decode_certificate_text(text: str) -> bytes:
    """The DER bytes of PEM text or bare base64; CertificateError if it is neither."""
    body = "".join(_ARMOUR.sub("", text).split())
    if not body:
        raise CertificateError("The certificate is empty")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CertificateError(f"The certificate is not valid base64: {exc}") from None


def read_certificate(text: str) -> CertificateInfo:
    der = decode_certificate_text(text)
    try:
        return _parse(der)
    except (IndexError, ValueError, UnicodeDecodeError) as exc:
        raise CertificateError(f"Could not parse the certificate: {exc}") from None


# -- DER ------------------------------------------------------------------------------------------
def _tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the element at `pos`."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise ValueError("truncated DER element")
    return tag, pos, end


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    while start < end:
        tag, value_start, value_end = _tlv(data, start)
        items.append((tag, value_start, value_end))
        start = value_end
    return items


def _oid(raw: bytes) -> str:
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(str(p) for p in parts)


def _time(tag: int, raw: bytes) -> str:
    text = raw.decode("ascii").rstrip("Z")
    if tag == 0x17:  # UTCTime: YYMMDDHHMMSS, years 50-99 are 19xx (RFC 5280 §4.1.2.5.1)
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    moment = datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _name(data: bytes, start: int, end: int) -> str:
    parts = []
    for _, set_start, set_end in _children(data, start, end):
        for _, seq_start, seq_end in _children(data, set_start, set_end):
            (_, os_, oe), (vtag, vs, ve) = _children(data, seq_start, seq_end)[:2]
            oid = _oid(data[os_:oe])
            encoding = "utf-16-be" if vtag == 0x1E else "latin-1" if vtag in (0x14, 0x16) else "utf-8"
            parts.append(f"{_ATTRIBUTES.get(oid, 'OID.' + oid)}={data[vs:ve].decode(encoding)}")
    return ", ".join(reversed(parts))


def _parse(der: bytes) -> CertificateInfo:
    _, cert_start, cert_end = _tlv(der, 0)
    tbs_tag, tbs_start, tbs_end = _children(der, cert_start, cert_end)[0]
    if tbs_tag != 0x30:
        raise ValueError("not an X.509 certificate")
    fields = _children(der, tbs_start, tbs_end)
    version = 1
    if fields[0][0] == 0xA0:  # [0] EXPLICIT version, absent for v1
        _, vs, ve = _tlv(der, fields[0][1])
        version = int.from_bytes(der[vs:ve], "big") + 1
        fields = fields[1:]
    serial, algorithm, issuer, validity, subject = fields[:5]
    _, alg_start, alg_end = _children(der, algorithm[1], algorithm[2])[0]
    alg_oid = _oid(der[alg_start:alg_end])
    not_before, not_after = _children(der, validity[1], validity[2])[:2]
    return CertificateInfo(
        der=der,
        fingerprint=hashlib.sha1(der).hexdigest(),
        version=version,
        serial_number=str(int.from_bytes(der[serial[1] : serial[2]], "big", signed=True)),
        algorithm_name=_ALGORITHMS.get(alg_oid, alg_oid),
        issuer=_name(der, issuer[1], issuer[2]),
        subject=_name(der, subject[1], subject[2]),
        not_before=_time(not_before[0], der[not_before[1] : not_before[2]]),
        not_after=_time(not_after[0], der[not_after[1] : not_after[2]]),
    )
