"""Register devices from a CSV in ONE upload, report every row, reconcile a lost answer (§12.6).

The answer lists only failed and credential-updated rows; every other row of the file was created.
Rows are matched by ID (unique in the checked file), else by line. When the answer is lost
(connection broken, 5xx), the upload is never simply sent again (§14(d)): each row is looked up
(``GET /identity/externalIds/<IDTYPE>/<ID>`` for rows that create a device,
``GET /devicecontrol/newDeviceRequests/<ID>`` for the simple kind, the ``device_<ID>`` user that
registration creates for rows without a device) and only the rows not found are uploaded again, in
one file of their own. Rows found are reported as FOUND: they exist, but whether the lost upload
changed them (a new password) cannot be told, so a second run updates them again, harmlessly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import NotFoundError, ServerError, TransportError
from c8ydm.api.models.registration import BulkRegistrationResult, BulkRegistrationStatus
from c8ydm.procedures.credentials.csvfile import CsvRow, RegistrationFile
from c8ydm.procedures.outcomes import raise_for_failures

FOUND = "FOUND"  # reconciled: in the tenant after an upload whose answer was lost
PLANNED = "PLANNED"  # dry run: nothing was sent
SCRUBBED = "***"


@dataclass(frozen=True)
class RowOutcome:
    """One CSV row: its line in the file, its ID, CREATED / CREDENTIAL_UPDATED / FAILED / FOUND."""

    line: int
    external_id: str
    status: str
    reason: str | None = None


@dataclass(frozen=True)
class RegistrationReport:
    file: str
    rows: list[RowOutcome]
    is_simple: bool
    reconciled: bool = False

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def raise_for_failures(self) -> None:
        """Exit 14 when some rows failed (after the report was shown)."""
        failed = [f"line {row.line} ({row.external_id})" for row in self.rows if row.status == "FAILED"]
        raise_for_failures(failed, len(self.rows), "rows", hint="the report lists each row's reason")


def scrub(text: str | None, secrets: Iterable[str]) -> str | None:
    """The text with every password of the file replaced by ``***`` (defence in depth)."""
    if text is None:
        return None
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, SCRUBBED)
    return text


def _outcomes(regfile: RegistrationFile, answer: BulkRegistrationResult) -> list[RowOutcome]:
    failed_by_id = {entry.device_id: entry for entry in answer.failed if entry.device_id}
    failed_by_line = {entry.line: entry for entry in answer.failed if entry.line}
    updated = {entry.device_id for entry in answer.credential_updated}
    outcomes = []
    for row in regfile.rows:
        failure = failed_by_id.get(row.external_id) or failed_by_line.get(str(row.line))
        if failure is not None:
            reason = scrub(failure.failure_reason, regfile.secrets()) or "no reason given"
            outcomes.append(
                RowOutcome(row.line, row.external_id, BulkRegistrationStatus.FAILED.value, reason)
            )
        elif row.external_id in updated:
            outcomes.append(
                RowOutcome(row.line, row.external_id, BulkRegistrationStatus.CREDENTIAL_UPDATED.value)
            )
        else:
            outcomes.append(RowOutcome(row.line, row.external_id, BulkRegistrationStatus.CREATED.value))
    return outcomes


def _exists(client: Client, regfile: RegistrationFile, row: CsvRow) -> bool:
    try:
        if regfile.is_simple:
            client.registration.get(row.external_id)
        elif row.has_device:
            client.identity.get_external_id(row.id_type, row.external_id)
        else:
            client.users.get(f"device_{row.external_id}")  # the user registration creates (§12)
    except NotFoundError:
        return False
    return True


def _reconcile(client: Client, regfile: RegistrationFile) -> RegistrationReport:
    present: list[CsvRow] = []
    missing: list[CsvRow] = []
    for row in regfile.rows:
        (present if _exists(client, regfile, row) else missing).append(row)
    note = "the upload's answer was lost; this row is in the tenant"
    outcomes = [RowOutcome(row.line, row.external_id, FOUND, note) for row in present]
    if missing:
        subset = regfile.subset(missing)
        answer = client.registration.upload_csv(subset.data, filename=subset.name, rows=len(subset.rows))
        resent = _outcomes(subset, answer)  # the subset's rows are the missing ones, in order
        outcomes += [
            RowOutcome(original.line, original.external_id, outcome.status, outcome.reason)
            for original, outcome in zip(missing, resent, strict=True)
        ]
    return RegistrationReport(regfile.name, sorted(outcomes, key=lambda o: o.line), regfile.is_simple, True)


def register(client: Client, regfile: RegistrationFile) -> RegistrationReport:
    """Upload the checked file once and report every row; reconcile when the answer is lost.

    POST /devicecontrol/bulkNewDeviceRequests (multipart "file", text/csv), never retried blindly
    """
    try:
        answer = client.registration.upload_csv(regfile.data, filename=regfile.name, rows=len(regfile.rows))
    except (TransportError, ServerError):
        return _reconcile(client, regfile)
    if client.dry_run:
        rows = [RowOutcome(row.line, row.external_id, PLANNED) for row in regfile.rows]
        return RegistrationReport(regfile.name, rows, regfile.is_simple)
    return RegistrationReport(regfile.name, _outcomes(regfile, answer), regfile.is_simple)
