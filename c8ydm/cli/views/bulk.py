"""Views of bulk operations: the document (normalised status, progress, estimated finish), list rows
with the done share in percent, and a readable card for ``bulk show`` (contract §11.1, §11.4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from c8ydm.api.conventions import format_timestamp, parse_timestamp
from c8ydm.api.models.devicecontrol import BulkOperation, BulkProgress, Operation
from c8ydm.cli.views.base import View, brief, short_time, with_short_times

ORIGIN_FRAGMENT = "c8ydm_Origin"  # the marker is not an operation fragment (procedures/origin.py)
BULK_COLUMNS = [
    ("ID", "id"),
    ("STATUS", "generalStatus"),
    ("DONE", "doneFraction"),
    ("ALL", "progress.all"),
    ("FAILED", "progress.failed"),
    ("START", "startDate"),
    ("DESCRIPTION", "operationPrototype.description"),
]
# The table shows DONE in percent; csv keeps the document's keys as its header.
TABLE_COLUMNS = [("DONE", "donePercent") if key == "doneFraction" else (h, key) for h, key in BULK_COLUMNS]


def _progress(bulk: BulkOperation) -> BulkProgress:
    return bulk.progress or BulkProgress()


def bulk_document(bulk: BulkOperation) -> dict[str, Any]:
    """The bulk operation in Cumulocity's names, ``generalStatus`` normalised, plus its progress."""
    document = bulk.to_body()
    normalised = bulk.general_status_text
    if bulk.general_status is not None and normalised != bulk.general_status:
        document["generalStatusRaw"] = bulk.general_status
    document["generalStatus"] = normalised
    progress = _progress(bulk)
    document["doneFraction"] = round(progress.done_fraction, 4)
    document["allCreated"] = progress.all_created and progress.total > 0
    # §11.1: start + ramp x all. Before its start a bulk operation has no operations yet (all = 0),
    # and the "estimate" would be the start itself: there is none then.
    if bulk.start_date and bulk.creation_ramp is not None and progress.total > 0:
        start = parse_timestamp(bulk.start_date)
        finish = start + timedelta(seconds=bulk.creation_ramp * progress.total)
        document["estimatedFinish"] = format_timestamp(finish)
    return document


def done_percent(bulk: BulkOperation) -> int:
    """The done fraction in whole percent, rounded down: 100 only once every device is done."""
    progress = _progress(bulk)
    return (progress.successful + progress.failed) * 100 // progress.total if progress.total else 0


def progress_summary(bulk: BulkOperation) -> str:
    """``3/10 done (30%) — 2 successful, 1 failed, 4 executing, 3 pending``: the counts for people,
    those that are 0 left out (so that the line fits 80 columns)."""
    p = _progress(bulk)
    named = (
        ("successful", p.successful),
        ("failed", p.failed),
        ("executing", p.executing),
        ("pending", p.pending),
    )
    counts = ", ".join(f"{count} {name}" for name, count in named if count)
    done = f"{p.successful + p.failed}/{p.total} done ({done_percent(bulk)}%)"
    return f"{done} — {counts}" if counts else done


def _fragment_summary(name: str, value: dict[str, Any] | list[Any]) -> str:
    """``c8y_Firmware fw 1.0``, ``c8y_SoftwareUpdate nginx 1.24.0 (+1 other)`` or the name alone."""
    items = value if isinstance(value, list) else [value]
    first = items[0] if items and isinstance(items[0], Mapping) else {}
    package = " ".join(str(first[key]) for key in ("name", "version") if first.get(key))
    if not package:
        return name
    others = len(items) - 1
    return f"{name} {package}" + (f" (+{others} other{'s' if others > 1 else ''})" if others else "")


def operation_summary(prototype: Mapping[str, Any] | None) -> str:
    """The operation fragments of a prototype (objects or lists; not the description or the marker)."""
    return ", ".join(
        _fragment_summary(name, value)
        for name, value in (prototype or {}).items()
        if name not in ("description", ORIGIN_FRAGMENT) and isinstance(value, (dict, list))
    )


# The bulk operation's own `status` says how far the creation of its operations has got (§11.1).
CREATION_TEXT = {
    "ACTIVE": "not started",
    "IN_PROGRESS": "creating operations",
    "COMPLETED": "all operations created",
    "DELETED": "cancelled",
}


def _status_line(bulk: BulkOperation, document: Mapping[str, Any]) -> str:
    """``FAILED: 1 of 3 devices failed`` rather than ``FAILED (status COMPLETED)`` (the creation state
    is a line of its own)."""
    general = str(document.get("generalStatus") or "")
    progress = _progress(bulk)
    if general == "FAILED" and progress.total:
        general += f": {progress.failed} of {progress.total} devices failed"
    return general  # the tenant's own spelling, if it differs, is generalStatusRaw in json


def bulk_card(bulk: BulkOperation) -> dict[str, Any]:
    """bulk show as a table: one readable line per field, local times (json keeps Cumulocity's names)."""
    document = bulk_document(bulk)
    prototype = bulk.operation_prototype or {}
    parent = bulk.failed_parent_id and f"failed devices of bulk operation {bulk.failed_parent_id}"
    rows = {
        "id": bulk.id,
        "description": prototype.get("description"),
        "target group": bulk.group_id or parent,
        "status": _status_line(bulk, document),
        "progress": progress_summary(bulk),
        "operations": CREATION_TEXT.get(str(bulk.status), bulk.status),
        "operation": operation_summary(prototype),
        "start date": short_time(bulk.start_date),
        "creation ramp": None if bulk.creation_ramp is None else f"{bulk.creation_ramp:g} s",
        "estimated finish": short_time(document.get("estimatedFinish")),
        "note": bulk.note,
    }
    return {label: value for label, value in rows.items() if value}


def bulk_view(bulk: BulkOperation) -> View:
    """One bulk operation: the document; a readable card for a table."""
    return View(bulk_document(bulk), columns=BULK_COLUMNS, card=bulk_card(bulk))


def bulks_view(bulks: Iterable[BulkOperation]) -> View:
    """Bulk operations: the documents; a table shows the done share in percent."""
    listed = list(bulks)
    documents = [bulk_document(bulk) for bulk in listed]
    table_rows = [
        {**with_short_times(document, ["startDate"]), "donePercent": f"{done_percent(bulk)}%"}
        for document, bulk in zip(documents, listed, strict=True)
    ]
    return View(documents, columns=BULK_COLUMNS, table_rows=table_rows, table_columns=TABLE_COLUMNS)


CHILD_KEYS = ("id", "deviceId", "deviceName", "status", "failureReason", "creationTime")
DEVICE_COLUMNS = [
    ("DEVICE", "deviceName"),
    ("DEVICE ID", "deviceId"),
    ("STATUS", "status"),
    ("FAILURE REASON", "failureReason"),
    ("OPERATION", "id"),
]


def bulk_devices_view(bulk: BulkOperation, children: Iterable[Operation]) -> View:
    """``bulk show --devices``: the bulk operation (a card in a table) and each device's operation:
    device, status and failure reason, so that a device that never answered is named."""
    operations = [brief(child.to_body(), CHILD_KEYS) for child in children]
    rows = [{**row, "deviceName": row.get("deviceName") or row.get("deviceId")} for row in operations]
    document = {**bulk_document(bulk), "operations": operations}
    return View(document, columns=DEVICE_COLUMNS, rows=rows, card=bulk_card(bulk))
