"""One bulk operation per intent: lost answers adopted, re-runs refused (contract §11, §14(d), §14(f)).

- **A lost answer** (the tenant created the bulk operation, the client never heard): the create is
  reconciled (``procedures.reconcile.create_once``) by the ``c8ydm_Origin`` marker every prototype
  carries (14(f)): this run's bulk operations since it started, with the same group (or failed
  parent) and the same prototype, are adopted instead of a second one being created.
- **The hidden group** of a device selection (§11.3) carries the marker too (a custom fragment on a
  managed object; the UI's body has none), so that it is found the same way.
- **A killed run** may leave a hidden group whose bulk operation was never created; the next run
  for the same device query reuses it (``find_orphan_query_group``) instead of making another.
- **A re-run** (a new process, so a new run id) of a command whose bulk operation is still
  SCHEDULED or EXECUTING would send every device the same operation again: ``find_duplicate``
  finds an unfinished bulk operation with the same prototype (markers aside) for the same group,
  failed parent, or hidden group with the same device query; ``bulk create`` refuses it (exit 7)
  unless ``--force``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import one_day_from_now
from c8ydm.api.errors import ConflictError, NotFoundError
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.origin import FRAGMENT, RUN_STARTED, origin, run_id_of
from c8ydm.procedures.reconcile import LOOKUP_MARGIN, LOOKUP_PAGE_SIZE, Report, create_once

HIDDEN_GROUP_NAME = "Bulk operations group"  # §11.3, the UI's name
QUERY_FRAGMENT = "c8y_DeviceQueryString"
# §11.4: the UI's "Scheduled" and "Executing" filter values.
UNFINISHED_STATUSES = ("SCHEDULED", "EXECUTING", "EXECUTING_WITH_ERROR")


def without_marker(prototype: Mapping[str, Any] | None) -> dict[str, Any]:
    """A prototype without its ``c8ydm_Origin`` (two runs' prototypes of one intent compare equal)."""
    return {key: value for key, value in (prototype or {}).items() if key != FRAGMENT}


def _is_same_target(bulk: BulkOperation, body: Mapping[str, Any]) -> bool:
    return (bulk.group_id or None) == (body.get("groupId") or None) and (bulk.failed_parent_id or None) == (
        body.get("failedParentId") or None
    )


def find_bulk(client: Client, body: Mapping[str, Any]) -> BulkOperation | None:
    """The bulk operation this run already created from ``body`` (its prototype's run id), if any.

    GET /devicecontrol/bulkoperations?withDeleted=true&dateFrom=<run start − 5 min>&dateTo=<now+1d>
        &pageSize=2000      (dateFrom/dateTo: §11.4 ⚠; filtered here again in any case)
    """
    prototype = body.get("operationPrototype") or {}
    run_id = run_id_of(prototype)
    if run_id is None:
        return None
    for bulk in client.bulk_operations.list(
        date_from=RUN_STARTED - LOOKUP_MARGIN, date_to=one_day_from_now(), page_size=LOOKUP_PAGE_SIZE
    ):
        theirs = bulk.operation_prototype or {}
        is_same = _is_same_target(bulk, body) and without_marker(theirs) == without_marker(prototype)
        if is_same and run_id_of(theirs) == run_id:
            return bulk
    return None


def create_bulk_once(
    client: Client, body: Mapping[str, Any], *, report: Report | None = None
) -> BulkOperation:
    """POST /devicecontrol/bulkoperations exactly once (``find_bulk`` reconciles a lost answer)."""
    return create_once(
        client,
        lambda: client.bulk_operations.create(body),
        lambda: find_bulk(client, body),
        what="bulk operation",
        report=report,
    )


def _hidden_groups_of_run(client: Client, run_id: str) -> Iterator[ManagedObject]:
    query = build(Q.eq("type", "c8y_DynamicGroup") & Q.eq(f"{FRAGMENT}.runId", run_id))
    return client.inventory.list(query=query, page_size=100, limit=100)


def create_query_group_once(
    client: Client, device_query: str, *, run_id: str | None = None, report: Report | None = None
) -> ManagedObject:
    """The UI's hidden dynamic group for a device selection (§11.3) with this run's marker, created
    exactly once. POST /inventory/managedObjects; look-up: GET /inventory/managedObjects?query=
    $filter=((type eq 'c8y_DynamicGroup') and (c8ydm_Origin.runId eq '<run>'))
    """
    marker = origin(run_id)
    body = {
        "name": HIDDEN_GROUP_NAME,
        "type": "c8y_DynamicGroup",
        "c8y_IsDynamicGroup": {"invisible": {}},
        QUERY_FRAGMENT: device_query,
        FRAGMENT: marker,
    }

    def lookup() -> ManagedObject | None:
        found = _hidden_groups_of_run(client, marker["runId"])
        return next((group for group in found if group.fragment(QUERY_FRAGMENT) == device_query), None)

    create = lambda: client.inventory.create(body)  # noqa: E731
    return create_once(client, create, lookup, what="hidden group", report=report)


def find_orphan_query_group(client: Client, device_query: str) -> ManagedObject | None:
    """A hidden group c8ydm made for this very device query that no bulk operation uses: what a run
    killed between creating the group and creating its bulk operation left behind (issue 14: a
    ``kill -9`` leaves no debris once the command is run again). Reusing it is safe even if another
    run adopts it at the same moment: a dynamic group is nothing but its query.

    GET /inventory/managedObjects?query=$filter=((type eq 'c8y_DynamicGroup') and (has(c8ydm_Origin))
        and (c8y_DeviceQueryString eq '<query>'))
    and, only when there is such a group, GET /devicecontrol/bulkoperations?withDeleted=true
        &pageSize=2000 (every bulk operation: one that uses the group, in any state, keeps it)
    """
    scope = Q.eq("type", "c8y_DynamicGroup") & Q.has(FRAGMENT) & Q.eq(QUERY_FRAGMENT, device_query)
    found = client.inventory.list(query=build(scope), page_size=LOOKUP_PAGE_SIZE, limit=LOOKUP_PAGE_SIZE)
    candidates = [  # `*` in a query is a wildcard for `eq`: compared exactly here
        group
        for group in found
        if group.fragment(QUERY_FRAGMENT) == device_query and group.name == HIDDEN_GROUP_NAME
    ]
    if not candidates:
        return None
    used = {
        str(bulk.group_id)
        for bulk in client.bulk_operations.list(page_size=LOOKUP_PAGE_SIZE)
        if bulk.group_id
    }
    return next((group for group in candidates if str(group.id) not in used), None)


def _query_of(client: Client, group_id: str | None) -> str | None:
    if not group_id:
        return None
    try:
        value = client.inventory.get(group_id, with_children=False).fragment(QUERY_FRAGMENT)
    except NotFoundError:
        return None
    return value if isinstance(value, str) else None


def find_duplicate(
    client: Client,
    prototype: Mapping[str, Any],
    *,
    group_id: str | None = None,
    device_query: str | None = None,
    failed_parent_id: str | None = None,
) -> BulkOperation | None:
    """An unfinished bulk operation sending the same prototype to the same target, if any.

    GET /devicecontrol/bulkoperations?generalStatus=SCHEDULED&generalStatus=EXECUTING
        &generalStatus=EXECUTING_WITH_ERROR&pageSize=2000   (and the group of a candidate with the
        same prototype, when the target is a device query: GET /inventory/managedObjects/{id})
    """
    wanted = without_marker(prototype)
    for bulk in client.bulk_operations.list(general_status=UNFINISHED_STATUSES, page_size=LOOKUP_PAGE_SIZE):
        if bulk.is_finished or bulk.status == "DELETED" or without_marker(bulk.operation_prototype) != wanted:
            continue
        if failed_parent_id is not None and bulk.failed_parent_id == failed_parent_id:
            return bulk
        if group_id is not None and bulk.group_id == group_id:
            return bulk
        if device_query is not None and _query_of(client, bulk.group_id) == device_query:
            return bulk
    return None


def duplicate_error(bulk: BulkOperation, target: str) -> ConflictError:
    """The exit-7 refusal of a second bulk operation while ``bulk`` still runs for ``target``."""
    return ConflictError(
        f"bulk operation {bulk.id} already sends this operation to {target} and is "
        f"{bulk.general_status_text}; a second one would send every device the same operation again",
        hint=f"follow it with: c8ydm bulk show {bulk.id} --wait; or add --force to schedule another",
    )


__all__ = [
    "HIDDEN_GROUP_NAME",
    "UNFINISHED_STATUSES",
    "create_bulk_once",
    "create_query_group_once",
    "duplicate_error",
    "find_bulk",
    "find_duplicate",
    "without_marker",
]
