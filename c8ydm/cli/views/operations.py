"""Views of operations: one operation, a list, and the result of a cancel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View
from c8ydm.cli.views.device import OPERATION_COLUMNS, operations_table_view

if TYPE_CHECKING:
    from c8ydm.api.models.devicecontrol import Operation
    from c8ydm.procedures.operations.control import CancelResult

CANCEL_COLUMNS = [
    ("ID", "id"),
    ("DEVICE", "deviceId"),
    ("BEFORE", "previousStatus"),
    ("STATUS", "status"),
    ("CANCELLED", "cancelled"),
]


def operation_view(operation: Operation) -> View:
    """One operation with all its fragments; a table shows it field by field."""
    return View(operation.to_body())


def _record(result: CancelResult) -> dict[str, Any]:
    from c8ydm.api.models.status import status_value

    before, after = result.before, result.after
    record: dict[str, Any] = {
        "id": before.id,
        "deviceId": before.device_id,
        "previousStatus": status_value(before.status),
        "status": status_value(after.status),
        "cancelled": result.is_cancelled,
    }
    reason = after.failure_reason
    if reason is not None:
        record["failureReason"] = reason
    return record


def cancel_view(results: Sequence[CancelResult]) -> View:
    """One record per operation: id, device, status before and after, whether it was cancelled."""
    return View([_record(result) for result in results], columns=CANCEL_COLUMNS)


def operations_list_view(operations: Sequence[Operation]) -> View:
    """Operations (e.g. the end of a wait) with their status, creation time and failure reason."""
    return operations_table_view([operation.to_body() for operation in operations], OPERATION_COLUMNS)
