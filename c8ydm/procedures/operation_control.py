"""Cancel operations (contract §10): only PENDING or EXECUTING ones; the others are reported as they are.

Cancelling is the Go CLI's convention, which is also the spec's example: ``PUT
/devicecontrol/operations/<id>`` with ``{"status":"FAILED","failureReason":"User cancelled operation"}``.
Every id is read first, so that an unknown id fails (NotFoundError) before anything is changed and
the user can be asked once, knowing what will be cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.models.devicecontrol import Operation, OperationStatus
from c8ydm.api.resources.operations import DEFAULT_CANCEL_REASON

CANCELLABLE = (OperationStatus.PENDING, OperationStatus.EXECUTING)


@dataclass
class CancelPlan:
    """The operations that can be cancelled and those that have already ended (left unchanged)."""

    cancellable: list[Operation] = field(default_factory=list)
    ended: list[Operation] = field(default_factory=list)


def plan_cancel(client: Client, operation_ids: Sequence[str]) -> CancelPlan:
    """Read each operation and sort it by whether it can still be cancelled.

    GET /devicecontrol/operations/{id} (each)
    """
    plan = CancelPlan()
    for operation_id in dict.fromkeys(operation_ids):
        operation = client.operations.get(operation_id)
        (plan.cancellable if operation.status in CANCELLABLE else plan.ended).append(operation)
    return plan


def cancel_operations(
    client: Client, plan: CancelPlan, *, reason: str = DEFAULT_CANCEL_REASON
) -> list[dict[str, Any]]:
    """Cancel the cancellable ones; one record per operation: id, status before and after, cancelled.

    PUT /devicecontrol/operations/{id}  {"status":"FAILED","failureReason":"<reason>"}
    """
    results: list[dict[str, Any]] = []
    for operation in plan.cancellable:
        updated = client.operations.cancel(operation.id or "", reason=reason)
        results.append(_record(operation, updated, cancelled=True))
    results.extend(_record(operation, operation, cancelled=False) for operation in plan.ended)
    return results


def _status(operation: Operation) -> str | None:
    status = operation.status
    return status.value if isinstance(status, OperationStatus) else status


def _record(before: Operation, after: Operation, *, cancelled: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": before.id,
        "deviceId": before.device_id,
        "previousStatus": _status(before),
        "status": _status(after) if cancelled else _status(before),
        "cancelled": cancelled,
    }
    reason = after.failure_reason if cancelled else before.failure_reason
    if reason is not None:
        record["failureReason"] = reason
    return record


__all__ = ["CANCELLABLE", "CancelPlan", "cancel_operations", "plan_cancel"]
