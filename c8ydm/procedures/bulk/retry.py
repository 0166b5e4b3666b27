"""Retry a bulk operation's failed devices: one new bulk operation with ``failedParentId`` (contract §11.4).

Only the writable fields are sent (★): failedParentId, the copied prototype with a fresh
``c8ydm_Origin`` (14(f)), startDate, creationRamp (the old one unless given) and the old note. The
create is reconciled like every bulk create (``once``), and a retry of a bulk operation whose
earlier retry still runs is refused (exit 7) unless forced: both would send the failed devices the
same operation.
"""

from __future__ import annotations

from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.procedures.bulk.once import create_bulk_once, duplicate_error, find_duplicate
from c8ydm.procedures.bulk.schedule import check_ramp
from c8ydm.procedures.origin import with_origin


def retry_bulk(
    client: Client,
    bulk_id: str,
    *,
    start_date: str,
    ramp: float | None = None,
    run_id: str | None = None,
    force: bool = False,
) -> BulkOperation:
    """A new bulk operation for the devices whose operation FAILED in ``bulk_id`` (§11.4).

    Only the writable fields are sent (★): failedParentId, a copied prototype with a fresh marker,
    startDate, creationRamp (the old one unless given) and the old note. A retry of the same bulk
    operation that still runs is refused (exit 7) unless ``force``.
    GET /devicecontrol/bulkoperations/{id}, POST /devicecontrol/bulkoperations
    """
    old = client.bulk_operations.get(bulk_id)
    if not old.operation_prototype:
        raise InputError(f"bulk operation {bulk_id} has no operation prototype to copy")
    parent = old.id or bulk_id
    if not force:
        running = find_duplicate(client, old.operation_prototype, failed_parent_id=parent)
        if running is not None:
            raise duplicate_error(running, f"the failed devices of bulk operation {parent}")
    chosen = ramp if ramp is not None else old.creation_ramp
    body: dict[str, Any] = {
        "failedParentId": parent,
        "operationPrototype": with_origin(old.operation_prototype, run_id),
        "startDate": start_date,
        "creationRamp": check_ramp(client, chosen),
    }
    if old.note is not None:
        body["note"] = old.note
    return create_bulk_once(client, body)


__all__ = ["retry_bulk"]
