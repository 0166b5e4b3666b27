"""Schedule a bulk operation: plan (read only), then execute (contract §11.2, §11.3, §11.4).

    plan = plan_bulk(client, BulkRequest(firmware="fw@1.0", group="Gateways"))
    if plan.is_all_devices and not app.confirm(...): ...        # the command asks, not the procedure
    bulk = execute_bulk(client, plan)

- Source (exactly one): a copy of an existing operation (§11.3 "from an existing operation", §10
  "Re-send"), the UI's firmware/software prototypes (``prototypes``), its device-profile one
  (``profile``) or its configuration one (``config_prototype``, whose selection is checked for
  device types: ``selection``). Every prototype carries a fresh ``c8ydm_Origin`` (14(f)).
- Target (exactly one): an existing group (§11.2, classic), or a device query through a new hidden
  dynamic group (§11.3). A query typed by the user is sent as written (c8ydm builds no part of it,
  so §14(c) has nothing to escape); queries c8ydm makes from ``--type`` values go through the builder.
- Schedule: ``schedule.parse_start`` and ``schedule.check_ramp``.
Executing creates the hidden group (for a query), then the bulk operation; a definitive refusal of
the bulk operation removes the group this run created again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError, InputError, ServerError, TransportError
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.bulk.config_prototype import check_configuration_selection, configuration_prototype
from c8ydm.procedures.bulk.profile import profile_prototype
from c8ydm.procedures.bulk.prototypes import (
    Prototype,
    check_target_types,
    firmware_prototype,
    prototype_from_operation,
    software_prototype,
)
from c8ydm.procedures.bulk.schedule import check_ramp, parse_start
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.versions import PackageSpec
from c8ydm.procedures.resolve import resolve_group

HIDDEN_GROUP_NAME = "Bulk operations group"  # §11.3, the UI's name


@dataclass(frozen=True)
class BulkRequest:
    """What the user asked for: one source, one target, a schedule (values as typed)."""

    operation_id: str | None = None
    firmware: str | None = None  # NAME[@VERSION]
    patch: str | None = None
    software: tuple[str, ...] = ()  # NAME[@VERSION] each
    config: str | None = None  # a configuration entry's NAME
    profile: str | None = None  # a device profile's name or id (§11.3)
    group: str | None = None
    query: str | None = None  # "" means all devices (§11.3)
    device_types: tuple[str, ...] = ()
    start: str | None = None
    ramp: float | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        """Exactly one source and one target, a valid start: checked when made (InputError, exit 2)."""
        sources = {
            "--from-operation": self.operation_id,
            "--firmware": self.firmware,
            "--software": self.software,
            "--config": self.config,
            "--profile": self.profile,
        }
        targets = {"--group": self.group, "--query": self.query, "--type": self.device_types}
        for kind, given in (("source", sources), ("target", targets)):
            if sum(1 for value in given.values() if value not in (None, ())) != 1:
                raise InputError(f"give exactly one {kind}: {', '.join(given)}")
        if self.patch is not None and not self.firmware:
            raise InputError("--patch needs --firmware NAME@VERSION (the patch's base version)")
        parse_start(self.start)


@dataclass
class BulkPlan:
    """What ``execute_bulk`` creates: for an existing ``group``, or a hidden group for ``device_query``."""

    request: BulkRequest
    prototype: Prototype
    start_date: str
    ramp: float
    group: ManagedObject | None = None
    device_query: str | None = None
    matching: int | None = None  # devices now matching device_query (None: not counted)
    created_group: ManagedObject | None = field(default=None, init=False)
    warnings: list[str] = field(default_factory=list)  # for people: e.g. devices that will fail

    @property
    def is_all_devices(self) -> bool:
        """An empty device query: every device of the tenant (the UI asks first, §11.3)."""
        return self.device_query is not None and not self.device_query.strip()


def type_query(device_types: Sequence[str]) -> str:
    """``$filter=(type eq 'T')``; several types become an OR of ``type eq`` (§11.3), built (14(c))."""
    return build(filter=Q.in_("type", device_types))


def _prototype(client: Client, request: BulkRequest) -> Prototype:
    if request.operation_id is not None:
        return Prototype(prototype_from_operation(client, request.operation_id))
    if request.firmware is not None:
        return firmware_prototype(client, PackageSpec.parse(request.firmware), patch=request.patch)
    if request.config is not None:
        return configuration_prototype(client, request.config)
    if request.profile is not None:
        return profile_prototype(client, request.profile)
    return software_prototype(client, [PackageSpec.parse(text) for text in request.software])


def plan_bulk(client: Client, request: BulkRequest) -> BulkPlan:
    """Build the prototype, check the ramp, resolve the target; nothing is created.

    GET the source (operation or repository entries), the ramp bounds (§11.3), the group, or the
    number of devices matching the query (a bad query fails here: 422, exit 8).
    """
    start_date = parse_start(request.start)
    prototype = _prototype(client, request)
    check_target_types(prototype, request.device_types)
    plan = BulkPlan(request, prototype, start_date, check_ramp(client, request.ramp))
    if request.group is not None:
        plan.group = resolve_group(client, request.group)
    else:
        plan.device_query = type_query(request.device_types) if request.device_types else str(request.query)
        if plan.device_query.strip():
            plan.matching = client.inventory.count(q=plan.device_query)
    if request.config is not None:  # the selection's device types (and configuration support) checked
        checked = check_configuration_selection(
            client, prototype, group=plan.group, device_query=plan.device_query
        )
        plan.warnings += checked.warnings
    return plan


def create_query_group(client: Client, device_query: str) -> ManagedObject:
    """The UI's hidden dynamic group for a device selection (§11.3). POST /inventory/managedObjects"""
    return client.inventory.create(
        {
            "name": HIDDEN_GROUP_NAME,
            "type": "c8y_DynamicGroup",
            "c8y_IsDynamicGroup": {"invisible": {}},
            "c8y_DeviceQueryString": device_query,
        }
    )


def execute_bulk(client: Client, plan: BulkPlan) -> BulkOperation:
    """Create the hidden group (for a query) and the bulk operation.

    POST /inventory/managedObjects (hidden group, §11.3), POST /devicecontrol/bulkoperations
    """
    group = plan.group
    if group is None:
        group = plan.created_group = create_query_group(client, str(plan.device_query))
    request = plan.request
    try:
        return create_bulk(
            client,
            prototype=plan.prototype.body,
            group_id=str(group.id),
            start_date=plan.start_date,
            ramp=plan.ramp,
            note=request.note,
        )
    except C8yError as error:
        # A definitive refusal leaves nothing to run on the group this run made: remove it again.
        # Without an answer the bulk operation may exist, so its group stays (§14(d)).
        if plan.created_group is not None and not isinstance(error, TransportError | ServerError):
            _remove_group(client, plan.created_group)
        raise


def _remove_group(client: Client, group: ManagedObject) -> None:
    with contextlib.suppress(C8yError):  # the original error is what the user needs to see
        client.inventory.delete(str(group.id))


def create_bulk(
    client: Client,
    *,
    prototype: dict[str, Any],
    group_id: str,
    start_date: str,
    ramp: float,
    note: str | None = None,
) -> BulkOperation:
    """Schedule the prototype for every device of a group (§11.2). POST /devicecontrol/bulkoperations"""
    body: dict[str, Any] = {
        "groupId": group_id,
        "operationPrototype": prototype,
        "creationRamp": ramp,
        "startDate": start_date,
    }
    if note is not None:
        body["note"] = note
    return client.bulk_operations.create(body)


def retry_bulk(
    client: Client,
    bulk_id: str,
    *,
    start_date: str,
    ramp: float | None = None,
    run_id: str | None = None,
) -> BulkOperation:
    """A new bulk operation for the devices whose operation FAILED in ``bulk_id`` (§11.4).

    Only the writable fields are sent (★): failedParentId, a copied prototype with a fresh marker,
    startDate, creationRamp (the old one unless given) and the old note.
    GET /devicecontrol/bulkoperations/{id}, POST /devicecontrol/bulkoperations
    """
    old = client.bulk_operations.get(bulk_id)
    if not old.operation_prototype:
        raise InputError(f"bulk operation {bulk_id} has no operation prototype to copy")
    chosen = ramp if ramp is not None else old.creation_ramp
    body: dict[str, Any] = {
        "failedParentId": old.id or bulk_id,
        "operationPrototype": with_origin(old.operation_prototype, run_id),
        "startDate": start_date,
        "creationRamp": check_ramp(client, chosen),
    }
    if old.note is not None:
        body["note"] = old.note
    return client.bulk_operations.create(body)
