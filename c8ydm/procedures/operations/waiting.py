"""Wait for operations to end, cheaply (contract §1.12, §10), under one overall deadline.

One operation is polled with ``GET /devicecontrol/operations/<id>`` (§1.12). Two or more are read
with list queries (``looks.py``): every look at N operations costs at most ``ceil(N / 2000) + 1``
requests, the first and the last look included, never one GET per id. Statuses are reported
through ``on_status(id, status, label)`` as they change (label: the caller's, else the description).

Outcome, when every operation has ended or the deadline has passed: any FAILED → OperationFailedError
with the devices' failure reasons (a definitive failure outranks a timeout: exit 11); else any still
running → WaitTimeoutError (exit 12; nothing is cancelled); else the final operations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NoReturn

from c8ydm.api.client import Client
from c8ydm.api.errors import OperationFailedError, WaitTimeoutError
from c8ydm.api.models.devicecontrol import Operation, OperationStatus
from c8ydm.api.polling import PollPolicy
from c8ydm.procedures.operations.looks import look

FEW_OPERATIONS = 1  # up to this many are polled one GET each (§1.12); more through list queries
StatusCallback = Callable[[str, str, str], None]  # (operation id, status, label)


def _look(client: Client, running: Sequence[Operation], few: int) -> list[Operation]:
    if len(running) <= few:
        return [client.operations.get(op.id or "") for op in running]
    return look(client, running)


def wait_for_operations(
    client: Client,
    operations: Sequence[Operation | str],
    *,
    policy: PollPolicy | None = None,
    on_status: StatusCallback | None = None,
    labels: Mapping[str, str] | None = None,
    few: int = FEW_OPERATIONS,
) -> list[Operation]:
    """Poll until every operation is SUCCESSFUL or FAILED; see the module docstring for the outcome.

    ``operations`` are ids or already-read operations (their status is the first look). In dry-run
    mode nothing is waited for, but look-ups run as always: ids are read once (one look, as below;
    a missing one is NotFoundError, exit 4) and come back with the operations given as objects
    (those a dry run "created" exist nowhere, so they are not read).
    """
    if client.dry_run:
        ids = [op for op in operations if isinstance(op, str)]
        read = {op.id: op for op in _look(client, [Operation(id=op_id) for op_id in ids], few)}
        return [op if isinstance(op, Operation) else read[op] for op in operations]
    given = [op if isinstance(op, Operation) else Operation(id=op) for op in operations]
    policy = policy or PollPolicy()
    labels = labels or {}
    current = {op.id or "": op for op in given}
    order = list(current)

    def report(op: Operation) -> None:
        current[op.id or ""] = op
        if on_status is not None and op.status is not None:
            label = labels.get(op.id or "") or op.description or ""
            on_status(op.id or "", op.status_text, label)

    for op in given:
        report(op)
    run = policy.start()
    while True:
        running = [current[key] for key in order if not current[key].is_terminal]
        if running:
            for op in _look(client, running, few):
                report(op)
        if all(current[key].is_terminal for key in order) or not run.pause():
            break
    final = [current[key] for key in order]
    if any(op.status is not OperationStatus.SUCCESSFUL for op in final):
        _raise_outcome(final, run.elapsed_seconds)
    return final


def _raise_outcome(operations: list[Operation], elapsed: float) -> NoReturn:
    failed = [op for op in operations if op.status is OperationStatus.FAILED]
    running = [op for op in operations if not op.is_terminal]
    still = f"; {len(running)} still running (nothing was cancelled)" if running else ""
    if failed:
        reasons = ", ".join(f"{op.id} ({op.failure_reason or 'no reason given'})" for op in failed)
        if len(operations) == 1:
            message = f"operation {failed[0].id} FAILED on the device: {failed[0].failure_reason or '?'}"
        else:
            message = f"{len(failed)} of {len(operations)} operations FAILED: {reasons}{still}"
        raise OperationFailedError(message, operation_ids=[op.id or "" for op in failed]).with_result(
            operations
        )
    ids = " ".join(op.id or "" for op in running)
    states = ", ".join(f"{op.id} {op.status_text}" for op in running)
    raise WaitTimeoutError(
        f"timed out after {elapsed:.0f} s waiting for {states}; nothing was cancelled",
        hint=f"wait longer with: c8ydm operation wait {ids} --timeout SECONDS",
    ).with_result(operations)


__all__ = ["FEW_OPERATIONS", "StatusCallback", "wait_for_operations"]
