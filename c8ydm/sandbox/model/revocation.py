"""The certificate revocation list (contract §13, spec "putCRLSettings" / "getCRLSettings").

- Entries arrive as JSON ``{"crls": [{"serialNumberInHex", "revocationDate"?}]}`` or as a CSV file
  ``SERIAL NO.,REVOCATION DATE`` (header optional, at most 5000 rows per file).
- Dates must be ``yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`` (400 with the spec's message otherwise); a missing
  or future date becomes now (the spec says so for payloads).
- Entries are irreversible: a serial revoked before keeps its first date (the spec's CRL policy; it
  is inconsistent about duplicates, so the sandbox takes the reading that never changes history).
- ``GET`` answers a real DER CRL (``application/pkix-crl``) signed by the sandbox's CRL issuer
  (model/authority.py), valid for one day from the moment it is asked for.
"""

from __future__ import annotations

import csv
import io
import re
import string
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.store import format_time
from c8ydm.sandbox.model.authority import crl_issuer

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

COLLECTION = "crlEntries"
MAX_FILE_ROWS = 5000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
DATE_MESSAGE = "Unsupported date time format, supported format:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"


def _bad_request(message: str) -> C8yHTTPError:
    return C8yHTTPError(400, "Device Certificates/Bad Request", message)


def _entry(serial: Any, date: Any, now: datetime) -> tuple[str, str]:
    text = str(serial or "").strip()
    if not text or any(char not in string.hexdigits for char in text):
        raise _bad_request(f"serialNumberInHex must be a hexadecimal value, got {text!r}")
    if date in (None, ""):
        return format(int(text, 16), "X"), format_time(now)
    if not isinstance(date, str) or not _DATE.fullmatch(date):
        raise _bad_request(DATE_MESSAGE)
    moment = datetime.strptime(date, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return format(int(text, 16), "X"), format_time(min(moment, now))


def entries_from_json(body: dict[str, Any]) -> list[tuple[str, str]]:
    items = body.get("crls", [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _bad_request('The body must be {"crls": [{"serialNumberInHex", "revocationDate"}]}')
    now = datetime.now(timezone.utc)
    return [_entry(item.get("serialNumberInHex"), item.get("revocationDate"), now) for item in items]


def entries_from_csv(text: str) -> list[tuple[str, str]]:
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in row)]
    if rows and rows[0][0].strip().upper().startswith("SERIAL"):
        rows = rows[1:]
    if len(rows) > MAX_FILE_ROWS:
        raise _bad_request(f"A file can hold at most {MAX_FILE_ROWS} revocation entries")
    now = datetime.now(timezone.utc)
    return [_entry(row[0], row[1].strip() if len(row) > 1 else None, now) for row in rows]


def revoke(state: SandboxState, entries: list[tuple[str, str]]) -> None:
    """Store the entries (all were checked first); a serial revoked before keeps its first date."""
    for serial, date in entries:
        if state.store.get(COLLECTION, serial) is None:
            state.store.insert(
                COLLECTION, {"id": serial, "serialNumberInHex": serial, "revocationDate": date}
            )


def crl_der(state: SandboxState) -> bytes:
    """The CRL as DER, signed by the sandbox's CRL issuer."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    issuer, key = crl_issuer(state)
    now = datetime.now(timezone.utc)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(now)
        .next_update(now + timedelta(days=1))
    )
    for doc in state.store.iter(COLLECTION):
        date = datetime.strptime(str(doc["revocationDate"]), "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=timezone.utc
        )
        revoked = x509.RevokedCertificateBuilder().serial_number(int(str(doc["serialNumberInHex"]), 16))
        builder = builder.add_revoked_certificate(revoked.revocation_date(date).build())
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
