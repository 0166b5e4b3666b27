"""Where bulk operations stand: list by the UI's status groups, progress, wait for the end (§11.1, §11.4).

``generalStatus`` is normalised (§11.1's table: ``COMPLETED WITH FAILURES`` → ``FAILED``…; an
unknown value is kept as it came) and the progress is computed as the UI does: done =
``(successful + failed) / all``; every child exists when ``all == pending + executing + successful +
failed``; estimated finish = ``startDate + creationRamp × all``.

A wait ends like the device commands' ``--wait``, with one addition for many devices: a bulk
operation where some devices failed and others succeeded is a PartialFailureError (exit 14,
"finished, but some devices failed"); only one where every device failed is exit 11.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

from c8ydm.api.client import Client
from c8ydm.api.conventions import utc_now
from c8ydm.api.errors import ConflictError, InputError, OperationFailedError, WaitTimeoutError
from c8ydm.api.models.devicecontrol import (
    BulkGeneralStatus,
    BulkOperation,
    BulkProgress,
    Operation,
    OperationStatus,
)
from c8ydm.api.polling import BulkPollSchedule, PollPolicy
from c8ydm.procedures.errors import PartialFailureError

# §11.4: the UI's status filter groups and the generalStatus values each one sends.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "scheduled": ("SCHEDULED",),
    "executing": ("EXECUTING", "EXECUTING_WITH_ERROR"),
    "canceled": ("CANCELED",),
    "failed": ("FAILED",),
    "successful": ("SUCCESSFUL",),
    "deleted": ("DELETED",),
}
_STATUS_ALIASES = {"cancelled": "canceled", "completed-with-failures": "failed", "completed": "successful"}
FAILED_SHOWN = 5  # failure reasons quoted in the error of a failed bulk operation
CHILDREN_PAGE_SIZE = 2000  # §14(e): bulk reads


def status_filter(status: str | None) -> list[str] | None:
    """The ``generalStatus`` values of a user's ``--status`` word (a UI group); InputError if unknown."""
    if status is None:
        return None
    word = status.strip().lower().replace("_", "-")
    word = _STATUS_ALIASES.get(word, word)
    if word not in STATUS_GROUPS:
        raise InputError(f"unknown bulk status {status!r}", hint=f"one of: {', '.join(STATUS_GROUPS)}")
    return list(STATUS_GROUPS[word])


def list_bulk(
    client: Client, *, status: str | None = None, limit: int | None = None
) -> Iterator[BulkOperation]:
    """Bulk operations, cancelled ones included (§11.4).

    GET /devicecontrol/bulkoperations?withTotalPages=true&withDeleted=true&pageSize=[&generalStatus=]…
    """
    return client.bulk_operations.list(general_status=status_filter(status), with_deleted=True, limit=limit)


def progress_line(bulk: BulkOperation) -> str:
    """``EXECUTING 3/10 done, 1 failed``: one line for people."""
    progress = bulk.progress or BulkProgress()
    done = progress.successful + progress.failed
    failed = f", {progress.failed} failed" if progress.failed else ""
    return f"{bulk.general_status_text} {done}/{progress.total} done{failed}"


def _failure(client: Client, bulk_id: str, bulk: BulkOperation) -> OperationFailedError:
    """The error of a bulk operation that ended FAILED: every device failed (11) or some did (14).

    The first failed children are quoted grouped by reason, so that one cause shared by many
    devices reads as one line.
    """
    failed = list(
        client.operations.list(bulk_operation_id=bulk_id, status=OperationStatus.FAILED, limit=FAILED_SHOWN)
    )
    devices: dict[str, list[str]] = {}
    for op in failed:
        devices.setdefault(op.failure_reason or "no reason given", []).append(
            op.device_name or op.device_id or "?"
        )
    progress = bulk.progress or BulkProgress()
    unlisted = progress.failed - len(failed)
    more = f" (and {unlisted} more device{'s' if unlisted > 1 else ''})" if unlisted > 0 else ""
    reasons = "; ".join(f"{reason} on {', '.join(names)}" for reason, names in devices.items()) + more
    message = f"bulk operation {bulk_id} ended with failures ({progress_line(bulk)}): {reasons}"
    ids = [op.id or "" for op in failed]
    hint = f"schedule the failed devices again with: c8ydm bulk retry {bulk_id}"
    if 0 < progress.failed < progress.total:
        return PartialFailureError(message, operation_ids=ids, hint=hint)
    return OperationFailedError(message, operation_ids=ids, hint=hint)


def bulk_children(client: Client, bulk_id: str, *, status: OperationStatus | None = None) -> list[Operation]:
    """Each device's operation of a bulk operation, optionally of one status (§11.4 "Child operations").

    GET /devicecontrol/operations?bulkOperationId=<id>[&status=<S>]&pageSize=2000&withTotalPages=true
    """
    children = client.operations.list(bulk_operation_id=bulk_id, status=status, page_size=CHILDREN_PAGE_SIZE)
    return list(children)


def check_cancellable(bulk: BulkOperation) -> BulkOperation:
    """The bulk operation, when a cancel can still stop something; ConflictError (exit 7) naming its
    status when it has ended: a DELETE would only relabel a finished one CANCELED (§11.4)."""
    if bulk.is_finished or bulk.status == "DELETED":
        raise ConflictError(
            f"bulk operation {bulk.id} has already ended ({progress_line(bulk)}); nothing to cancel",
            hint=f"retry its failed devices with: c8ydm bulk retry {bulk.id}"
            if (bulk.progress and bulk.progress.failed)
            else None,
        )
    return bulk


def wait_for_bulk(
    client: Client,
    bulk_id: str,
    *,
    policy: PollPolicy | None = None,
    on_progress: Callable[[BulkOperation], None] | None = None,
    first: BulkOperation | None = None,
) -> BulkOperation:
    """Poll until the bulk operation ends: SUCCESSFUL or CANCELED return it; the deadline raises
    WaitTimeoutError (exit 12). FAILED raises, naming the first failed children: PartialFailureError
    (exit 14, "finished, but some devices failed") when some devices succeeded, OperationFailedError
    (exit 11) when every device failed.

    Looks are scheduled from the bulk operation's own estimated finish (``BulkPollSchedule``: a
    handful for any ramp and number of devices); the policy gives the deadline, sleep and clock.
    ``first`` is the bulk operation as just created or read: it stands in for the first look.

    GET /devicecontrol/bulkoperations/{id}, then on failure
    GET /devicecontrol/operations?bulkOperationId=<id>&status=FAILED (§11.4 "Child operations")
    """
    run = (policy or PollPolicy()).start()
    schedule, began = BulkPollSchedule(), utc_now()
    bulk = first or client.bulk_operations.get(bulk_id)
    while True:
        if on_progress is not None:
            on_progress(bulk)
        if bulk.is_finished:
            break
        now = began + timedelta(seconds=run.elapsed_seconds)  # the policy's clock: tests never sleep
        if not run.pause(schedule.next_pause(bulk, now)):
            raise WaitTimeoutError(
                f"timed out after {run.elapsed_seconds:.0f} s: bulk operation {bulk_id} is "
                f"{progress_line(bulk)}; nothing was cancelled",
                hint=f"watch again with: c8ydm bulk show {bulk_id} --wait",
            ).with_result(bulk)
        bulk = client.bulk_operations.get(bulk_id)
    if bulk.normalized_general_status is BulkGeneralStatus.FAILED:
        raise _failure(client, bulk_id, bulk).with_result(bulk)
    return bulk


__all__ = [
    "STATUS_GROUPS",
    "bulk_children",
    "check_cancellable",
    "list_bulk",
    "progress_line",
    "status_filter",
    "wait_for_bulk",
]
