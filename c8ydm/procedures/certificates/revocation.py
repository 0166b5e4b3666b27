"""The certificate revocation list (contract §13): serials to revoke, and the CRL read back.

Serials are hex (colons, spaces and a ``0x`` prefix allowed) and sent upper-case; dates are sent in
the one format the platform parses, ``yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`` (the spec's 400 message), and
default to now on the tenant. A CSV (``SERIAL NO.,REVOCATION DATE``, at most 5000 rows) is checked
here and uploaded re-written in that normalised form. Revocations are irreversible. Reports say the
CRL often needs the management tenant (403 otherwise, §13 ⚠): that 403 is explained.
"""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp, parse_timestamp
from c8ydm.api.errors import InputError, PermissionDeniedError
from c8ydm.api.models.certificates import CrlEntry

MAX_CSV_ROWS = 5000  # §13
CSV_HEADER = ("SERIAL NO.", "REVOCATION DATE")
MANAGEMENT_HINT = (
    "the revocation list often needs the management tenant (contract §13); ask its administrator, "
    "or a user with ROLE_TENANT_ADMIN or ROLE_TENANT_MANAGEMENT_ADMIN there"
)


@dataclass(frozen=True)
class CsvRevocations:
    """A checked revocation CSV: the normalised bytes to upload and the entries they hold."""

    name: str
    data: bytes
    entries: list[CrlEntry]


@dataclass(frozen=True)
class RevocationList:
    """A CRL read back: issuer, dates and the revoked serials (hex) with their dates."""

    der: bytes
    issuer: str
    last_update: str | None
    next_update: str | None
    entries: list[CrlEntry]


def crl_entry(serial_hex: str, date: str | None) -> CrlEntry:
    """An entry; without a date the key is left out (the tenant then uses now; never null, §0)."""
    body = {"serialNumberInHex": serial_hex, "revocationDate": date}
    return CrlEntry.model_validate({key: value for key, value in body.items() if value is not None})


def parse_serial(text: str) -> str:
    """A serial number as upper-case hex without separators; InputError otherwise."""
    value = "".join(text.replace(":", "").split())
    value = value[2:] if value.lower().startswith("0x") else value
    if not value or any(char not in string.hexdigits for char in value):
        raise InputError(f"{text!r} is not a serial number in hex")
    return value.lstrip("0").upper() or "0"


def parse_date(text: str) -> str:
    """An ISO date or time (UTC when no zone is given) in the platform's format."""
    try:
        return format_timestamp(parse_timestamp(text))
    except ValueError:
        raise InputError(f"{text!r} is not an ISO date, e.g. 2024-05-01T12:00:00Z") from None


def entries_from_options(serials: Sequence[str], dates: Sequence[str]) -> list[CrlEntry]:
    """One entry per ``--serial``; ``--date`` given once for all, or once per serial, or not at all."""
    if not serials:
        raise InputError("give --serial HEX (repeatable) or --csv FILE")
    if dates and len(dates) not in (1, len(serials)):
        raise InputError(f"give one --date for all serials or one per serial ({len(serials)})")
    parsed: list[str | None] = [parse_date(date) for date in dates]
    chosen = parsed * len(serials) if len(parsed) == 1 else parsed or [None] * len(serials)
    return [crl_entry(parse_serial(serial), date) for serial, date in zip(serials, chosen, strict=True)]


def read_revocation_csv(path: Path) -> CsvRevocations:
    """Check a ``SERIAL NO.,REVOCATION DATE`` CSV (header optional) and normalise it; exit 2 when bad."""
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    try:
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{path.name} is not a UTF-8 CSV file: {error}") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip().upper().startswith("SERIAL"):
        rows = rows[1:]
    if not rows:
        raise InputError(f"{path.name} lists no serial numbers")
    if len(rows) > MAX_CSV_ROWS:
        raise InputError(
            f"{path.name} has {len(rows)} rows; the tenant takes at most {MAX_CSV_ROWS} per file"
        )
    entries = []
    for number, row in enumerate(rows, start=1):
        try:
            serial = parse_serial(row[0])
            date = parse_date(row[1]) if len(row) > 1 and row[1].strip() else None
        except InputError as error:
            raise InputError(f"{path.name}, row {number}: {error.message}") from None
        entries.append(crl_entry(serial, date))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows([entry.serial_number_in_hex, entry.revocation_date or ""] for entry in entries)
    return CsvRevocations(path.name, out.getvalue().encode("utf-8"), entries)


def _explained(error: PermissionDeniedError) -> PermissionDeniedError:
    return PermissionDeniedError(
        error.message,
        status_code=error.status_code,
        method=error.method,
        path=error.path,
        hint=MANAGEMENT_HINT,
    )


def revoke(client: Client, entries: Sequence[CrlEntry] | CsvRevocations) -> None:
    """Add serials to the CRL (irreversible).

    PUT /tenant/trusted-certificates/settings/crl {"crls":[…]} or, for a CSV, multipart "file"
    """
    try:
        if isinstance(entries, CsvRevocations):
            client.certificates.revoke_csv(entries.data, filename=entries.name, rows=len(entries.entries))
        else:
            client.certificates.revoke(entries)
    except PermissionDeniedError as error:
        raise _explained(error) from None


def read_crl(client: Client) -> RevocationList:
    """Download the CRL and read it. GET /tenant/trusted-certificates/settings/crl (application/pkix-crl)"""
    from cryptography import x509

    try:
        der = client.certificates.crl()
    except PermissionDeniedError as error:
        raise _explained(error) from None
    try:
        crl = x509.load_der_x509_crl(der)
    except ValueError:
        raise InputError("the tenant's revocation list is not a DER CRL") from None
    entries = [
        crl_entry(format(item.serial_number, "X"), format_timestamp(item.revocation_date_utc)) for item in crl
    ]
    return RevocationList(
        der=der,
        issuer=crl.issuer.rfc4514_string(),
        last_update=format_timestamp(crl.last_update_utc),
        next_update=format_timestamp(crl.next_update_utc) if crl.next_update_utc else None,
        entries=entries,
    )
