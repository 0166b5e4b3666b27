"""Views of device credentials: the list, one user, role changes, access changes, deletions, and the
per-row report of a CSV registration. Keys are Cumulocity's where the data is theirs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View, brief

if TYPE_CHECKING:
    from c8ydm.api.models.inventory import ManagedObject
    from c8ydm.procedures.credentials.access import AccessReport
    from c8ydm.procedures.credentials.listing import CredentialDetails, CredentialRow
    from c8ydm.procedures.credentials.register import RegistrationReport
    from c8ydm.procedures.credentials.removal import RemovalReport
    from c8ydm.procedures.credentials.roles import RolesResult

LIST_COLUMNS = [
    ("USER", "userName"),
    ("ENABLED", "enabled"),
    ("ROLES", "roles"),
    ("DEVICE", "deviceName"),
    ("PASSWORD CHANGED", "lastPasswordChange"),
]
ACCESS_COLUMNS = [("GIVEN", "given"), ("USER", "userName"), ("DEVICE ID", "deviceId"), ("ENABLED", "enabled"),
                  ("ERROR", "error")]  # fmt: skip
REMOVAL_COLUMNS = [("GIVEN", "given"), ("USER", "userName"), ("DEVICE ID", "deviceId"), ("STATUS", "status"),
                   ("ERROR", "error")]  # fmt: skip
REPORT_COLUMNS = [("LINE", "line"), ("ID", "deviceId"), ("STATUS", "bulkNewDeviceStatus"),
                  ("REASON", "failureReason")]  # fmt: skip


def _devices(devices: Iterable[ManagedObject]) -> list[dict[str, Any]]:
    return [{"id": device.id, "name": device.name} for device in devices]


def credential_row(row: CredentialRow) -> dict[str, Any]:
    """One device user: enabled, role names, owned devices (the first one flat) and password date."""
    devices = _devices(row.devices)
    first = devices[0] if devices else {}
    return {
        "userName": row.user.user_name or row.user.id,
        "enabled": row.user.enabled,
        "roles": row.roles,
        "deviceId": first.get("id"),
        "deviceName": first.get("name"),
        "devices": devices,
        "lastPasswordChange": row.user.last_password_change,
    }


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "roles": ", ".join(str(role) for role in row["roles"])}


def list_view(rows: Iterator[CredentialRow]) -> View:
    """Streamed rows; the table joins the role names (one of the two generators is consumed)."""
    return View(
        (credential_row(row) for row in rows),
        LIST_COLUMNS,
        table_rows=(_readable(credential_row(row)) for row in rows),
    )


def details_view(details: CredentialDetails) -> View:
    """The user as the tenant gave it, plus ``roles``, ``devices`` and ``provisionedCertificates``."""
    body = details.user.to_body()
    document = {
        **brief(body, ("id", "userName", "enabled", "lastPasswordChange", "owner", "self")),
        "roles": [group.name or group.id for group in details.roles],
        "devices": _devices(details.devices),
        "provisionedCertificates": details.certificates,
    }
    certificates = [
        " ".join(str(c[key]) for key in ("serialNumber", "subject", "notAfter") if c.get(key))
        for c in details.certificates
    ]
    card = {
        "user": document.get("userName"),
        "enabled": document.get("enabled"),
        "roles": ", ".join(str(role) for role in document["roles"]),
        "devices": ", ".join(f"{d['name']} ({d['id']})" for d in document["devices"]),
        "password changed": document.get("lastPasswordChange"),
        "provisioned certificates": "; ".join(certificates) or f"{len(details.certificates)}",
    }
    return View(document, card=card)


def roles_view(result: RolesResult) -> View:
    document = {
        "userName": result.user_name,
        "roles": [group.name or group.id for group in result.roles],
        "added": result.added,
        "removed": result.removed,
    }
    card = {key: ", ".join(str(v) for v in value) if isinstance(value, list) else value
            for key, value in document.items()}  # fmt: skip
    return View(document, card=card)


def access_view(report: AccessReport) -> View:
    rows = [
        {"given": o.target.given, "userName": o.target.user_name, "deviceId": o.target.device_id,
         "enabled": o.enabled, "error": o.error}
        for o in report.outcomes
    ]  # fmt: skip
    return View(rows, ACCESS_COLUMNS)


def removal_view(report: RemovalReport) -> View:
    rows = [
        {
            "given": o.item.target.given,
            "userName": o.item.target.user_name,
            "deviceId": o.item.device.id if o.item.device is not None else None,
            "status": "failed" if o.error else "deleted",
            "error": o.error,
        }
        for o in report.outcomes
    ]
    return View(rows, REMOVAL_COLUMNS)


def report_view(report: RegistrationReport) -> View:
    """The per-row report, with Cumulocity's names: deviceId, bulkNewDeviceStatus, failureReason, line."""
    rows = [
        {"line": row.line, "deviceId": row.external_id, "bulkNewDeviceStatus": row.status,
         "failureReason": row.reason}
        for row in report.rows
    ]  # fmt: skip
    document = {"file": report.file, "reconciled": report.reconciled, "numberOfAll": len(rows),
                "numberOfFailed": report.count("FAILED"), "rows": rows}  # fmt: skip
    return View(document, REPORT_COLUMNS, rows=rows)


def report_summary(report: RegistrationReport) -> str:
    """One line for people: how many rows were created, updated, found and failed."""
    parts = [f"{report.count(status)} {label}" for status, label in
             (("CREATED", "created"), ("CREDENTIAL_UPDATED", "credentials updated"), ("FOUND", "found"),
              ("FAILED", "failed")) if report.count(status)]  # fmt: skip
    count = len(report.rows)
    kind = "row" if count == 1 else "rows"
    if report.is_simple:
        kind = "new device request(s), to accept with: c8ydm registration accept"
    return f"{report.file}: {count} {kind}: {', '.join(parts)}."
