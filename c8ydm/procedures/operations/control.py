"""Cancel operations (contract §10): only PENDING or EXECUTING ones; the others are reported as they are.

Cancelling is the Go CLI's convention, which is also the spec's example: ``PUT
/devicecontrol/operations/<id>`` with ``{"status":"FAILED","failureReason":"User cancelled operation"}``.
Every id is read first, so that an unknown id fails (NotFoundError) before anything is changed and
the user can be asked once, knowing what will be cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from c8ydm.api.client import Client
from c8ydm.api.models.devicecontrol import ACTIVE_STATUSES, Operation
from c8ydm.api.resources.operations import DEFAULT_CANCEL_REASON

CANCELLABLE = ACTIVE_STATUSES


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


@dataclass(frozen=True)
class CancelResult:
    """One operation of a cancel: as it was, as it is after, and whether this run cancelled it."""

    before: Operation
    after: Operation
    is_cancelled: bool


def cancel_operations(
    client: Client, plan: CancelPlan, *, reason: str = DEFAULT_CANCEL_REASON
) -> list[CancelResult]:
    """Cancel the cancellable ones; the ended ones are reported unchanged.

    PUT /devicecontrol/operations/{id}  {"status":"FAILED","failureReason":"<reason>"}
    """
    results = [
        CancelResult(operation, client.operations.cancel(operation.id or "", reason=reason), True)
        for operation in plan.cancellable
    ]
    return results + [CancelResult(operation, operation, False) for operation in plan.ended]


__all__ = ["CANCELLABLE", "CancelPlan", "CancelResult", "cancel_operations", "plan_cancel"]
