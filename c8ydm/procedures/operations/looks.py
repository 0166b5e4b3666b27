"""Read the current state of many operations in a few list requests, never one GET per id (§1.12, §10).

One look at N operations costs at most ``ceil(N / 2000) + 1`` requests when the operations are
what c8ydm waits for in practice: created together (by c8ydm, a bulk operation, a script), so that
the operations around them in time are few. How:

- **Known operations** (read before: they have a ``creationTime``): one list query over the time
  window of their creation, ``dateFrom=<oldest>&dateTo=<newest + 1 s>`` (dateTo is exclusive),
  narrowed by what they all share: ``bulkOperationId`` (§11.4 "Child operations": a few children
  of a large bulk operation do not cost a listing of all of them), ``deviceId``,
  ``fragmentType=c8ydm_Origin`` (every operation c8ydm creates carries it, §14(f)). The spec lists
  these filters side by side on one query; the contract is silent on combining them, and a tenant
  most plausibly applies them all (the sandbox does).
  Every status is listed, so an operation that ended is seen with its final status and failure
  reason; none is read again.
- **Bare ids** (``c8ydm operation wait 12 13 14``, nothing known yet): the tenant's operations
  newest first (``dateFrom=1970…&dateTo=<now+1d>&revert=true``, §10), for at most that budget of
  pages, until every id was seen. Ids still unseen (older than every operation on those pages, or
  unknown) are read one by one, the only GETs by id: an unknown id then fails as NOT FOUND.

An operation missing from a window listing keeps its last known state (a listing is not proof that
it ended): it is looked for again at the next look.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import format_timestamp, parse_timestamp
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.paging import MAX_PAGE_SIZE
from c8ydm.procedures.origin import FRAGMENT as ORIGIN_FRAGMENT

WINDOW_END_MARGIN = timedelta(seconds=1)  # dateTo is exclusive; creation times may be rounded


def request_budget(count: int) -> int:
    """The requests one look at ``count`` operations may cost: ``ceil(count / 2000) + 1``."""
    return math.ceil(count / MAX_PAGE_SIZE) + 1


def is_known(operation: Operation) -> bool:
    """Whether the operation was read before (it has a creation time), so a window can find it."""
    return operation.creation_time is not None and operation.status is not None


def look(client: Client, running: Sequence[Operation]) -> list[Operation]:
    """The operations of ``running`` that the tenant lists now, in their current state."""
    wanted = {op.id or "" for op in running}
    if all(is_known(op) for op in running):
        listed = _window(client, running)
        return [op for op in listed if op.id in wanted]
    return _newest_first(client, wanted)


def _shared(values: Iterable[str | None]) -> str | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 and None not in distinct else None


def _window(client: Client, running: Sequence[Operation]) -> Iterable[Operation]:
    """GET /devicecontrol/operations?dateFrom=&dateTo=[&bulkOperationId=][&deviceId=]
    [&fragmentType=c8ydm_Origin]"""
    times = [parse_timestamp(op.creation_time or "") for op in running]
    is_ours = all(op.has_fragment(ORIGIN_FRAGMENT) for op in running)
    filters: dict[str, Any] = {
        "bulk_operation_id": _shared(op.bulk_operation_id for op in running),
        "device_id": _shared(op.device_id for op in running),
        "fragment_type": ORIGIN_FRAGMENT if is_ours else None,
    }
    return client.operations.list(
        date_from=format_timestamp(min(times)),
        date_to=format_timestamp(max(times) + WINDOW_END_MARGIN),
        **filters,
    )


def _newest_first(client: Client, wanted: set[str]) -> list[Operation]:
    """GET /devicecontrol/operations?dateFrom=1970-01-01T00:00:00.000Z&dateTo=<now+1d>&revert=true,
    then GET /devicecontrol/operations/<id> for each id those pages did not hold."""
    found: dict[str, Operation] = {}
    limit = request_budget(len(wanted)) * MAX_PAGE_SIZE  # at most the budget's pages
    for op in client.operations.list(newest_first=True, limit=limit):
        if op.id in wanted:
            found[op.id] = op
            if len(found) == len(wanted):
                break
    missing = sorted(wanted - set(found))
    found.update({op_id: client.operations.get(op_id) for op_id in missing})
    return list(found.values())


__all__ = ["is_known", "look", "request_budget"]
