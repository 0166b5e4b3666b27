"""Schedule a bulk operation: plan (read only), then execute (contract §11.2, §11.3, §11.4).

    plan = plan_bulk(client, BulkRequest(firmware="fw@1.0", group="Gateways"))
    if plan.is_all_devices and not app.confirm(...): ...        # the command asks, not the procedure
    bulk = execute_bulk(client, plan)

- Source (exactly one): a copy of an existing operation (§11.3 "from an existing operation", §10
  "Re-send"), the UI's firmware/software prototypes (``prototypes``), its device-profile one
  (``profile``) or its configuration one (``config_prototype``, whose selection is checked for
  device types and support: ``selection``). Every prototype carries a fresh ``c8ydm_Origin`` (14(f)).
  A copied operation that sets a device's whole state or that FAILED is refused (``sources``).
- Target (exactly one): an existing group (§11.2, classic), or a device query through a new hidden
  dynamic group (§11.3). A query typed by the user is sent as written (c8ydm builds no part of it,
  so §14(c) has nothing to escape); queries c8ydm makes from ``--type`` values go through the builder.
  ``--type`` with ``--group``/``--query`` restricts that target to one device type (a hidden group).
  An entry made for one device type is never sent to others (``targets``: refused, exit 2).
- Schedule: ``schedule.parse_start`` and ``schedule.check_ramp``.
- Safety (``once``): a still-running bulk operation with the same prototype and target is not
  scheduled again (exit 7 unless ``force``); a lost answer is adopted, never duplicated.
Executing creates the hidden group (for a query), then the bulk operation; a definitive refusal of
the bulk operation removes the group this run created again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError, InputError, RateLimitError, ServerError, TransportError
from c8ydm.api.models.devicecontrol import BulkOperation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.bulk.config_prototype import check_configuration_selection, configuration_prototype
from c8ydm.procedures.bulk.once import (
    HIDDEN_GROUP_NAME,
    create_bulk_once,
    create_query_group_once,
    duplicate_error,
    find_duplicate,
    find_orphan_query_group,
)
from c8ydm.procedures.bulk.profile import profile_prototype
from c8ydm.procedures.bulk.prototypes import (
    Prototype,
    check_target_types,
    firmware_prototype,
    operation_prototype,
    software_prototype,
)
from c8ydm.procedures.bulk.schedule import check_ramp, parse_start
from c8ydm.procedures.bulk.source_types import source_device_types
from c8ydm.procedures.bulk.sources import check_source
from c8ydm.procedures.bulk.targets import restrict_to_device_type
from c8ydm.procedures.reconcile import Report
from c8ydm.procedures.repository.versions import PackageSpec
from c8ydm.procedures.resolve import resolve_group


@dataclass(frozen=True)
class BulkRequest:
    """What the user asked for: one source, one target, a schedule (values as typed). ``device_types``
    alone is a target; with ``group`` or ``query`` it restricts that target to one device type."""

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
    force: bool = False  # a FAILED source; a second bulk operation while one still runs
    allow_full_state: bool = False  # a source that sets a device's whole state (sources.py)

    def __post_init__(self) -> None:
        """Exactly one source and one target, a valid start: checked when made (InputError, exit 2)."""
        sources = {
            "--from-operation": self.operation_id,
            "--firmware": self.firmware,
            "--software": self.software,
            "--config": self.config,
            "--profile": self.profile,
        }
        targets = {"--group": self.group, "--query": self.query}
        if sum(1 for value in sources.values() if value not in (None, ())) != 1:
            raise InputError(f"give exactly one source: {', '.join(sources)}")
        given = sum(1 for value in targets.values() if value is not None)
        if given > 1 or (given == 0 and not self.device_types):
            raise InputError("give exactly one target: --group, --query or --type")
        if given and len(set(self.device_types)) > 1:
            raise InputError("--type restricts --group or --query to ONE device type")
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
        source = client.operations.get(request.operation_id)
        check_source(source, allow_full_state=request.allow_full_state, force=request.force)
        # The entries behind the copy keep their device types (``source_types``): never bypassed.
        return Prototype(operation_prototype(source), source_device_types(client, source))
    if request.firmware is not None:
        return firmware_prototype(client, PackageSpec.parse(request.firmware), patch=request.patch)
    if request.config is not None:
        return configuration_prototype(client, request.config)
    if request.profile is not None:
        return profile_prototype(client, request.profile)
    return software_prototype(client, [PackageSpec.parse(text) for text in request.software])


def _wanted_type(prototype: Prototype, request: BulkRequest) -> str | None:
    """The one device type the target must be restricted to, if the entries or the user name one."""
    wanted = set(prototype.device_types.values())
    if len(wanted) > 1:
        listed = ", ".join(f"{name!r} for {kind!r}" for name, kind in sorted(prototype.device_types.items()))
        raise InputError(f"no device fits every entry: {listed}", hint="schedule them separately")
    check_target_types(prototype, request.device_types)
    return (request.device_types[0] if request.device_types else None) or next(iter(wanted), None)


def _plan_target(client: Client, plan: BulkPlan) -> None:
    """The group, or the device query of a hidden group, restricted to the entries' device type."""
    request = plan.request
    group = resolve_group(client, request.group) if request.group is not None else None
    if group is None and request.query is None:
        plan.device_query = type_query(request.device_types)
    else:
        wanted = _wanted_type(plan.prototype, request)
        selection = None
        if request.config is not None and not request.device_types:
            wanted = None  # check_configuration_selection refuses other types, naming the devices
        if wanted is not None:
            selection = restrict_to_device_type(client, wanted, group=group, query=request.query)
        if (
            selection is not None
            and selection.has_excluded
            and (not request.device_types or selection.matching == 0)
        ):
            raise selection.refusal(what=_source_name(plan.prototype))
        if selection is not None and selection.has_excluded:
            plan.device_query, plan.matching = selection.query, selection.matching
        elif group is not None:
            plan.group = group
        else:
            plan.device_query = str(request.query)
    if plan.device_query is not None and plan.device_query.strip() and plan.matching is None:
        plan.matching = client.inventory.count(q=plan.device_query)


def _source_name(prototype: Prototype) -> str:
    names = list(prototype.device_types)
    return repr(names[0]) if len(names) == 1 else "this operation"


def _target_label(plan: BulkPlan) -> str:
    """The target for people: a group, a group's devices of one type, or the device query."""
    request = plan.request
    if plan.group is not None:
        return f"group {plan.group.name!r}"
    if request.group is not None:
        return f"the {request.device_types[0]} devices of group {request.group!r}"
    return f"the devices of {plan.device_query!r}"


def plan_bulk(client: Client, request: BulkRequest) -> BulkPlan:
    """Build the prototype, check the ramp, resolve the target; nothing is created.

    GET the source (operation or repository entries; a copied operation's entries too, for their device
    types: ``source_types``), the ramp bounds (§11.3), the group, the
    devices of the target by type (``targets``), the number of devices matching the query (a bad
    query fails here: 422, exit 8), and unfinished bulk operations (``once.find_duplicate``).
    """
    start_date = parse_start(request.start)
    prototype = _prototype(client, request)
    check_target_types(prototype, request.device_types)
    plan = BulkPlan(request, prototype, start_date, check_ramp(client, request.ramp))
    _plan_target(client, plan)
    if request.config is not None:  # the selection's device types (and configuration support) checked
        checked = check_configuration_selection(
            client, prototype, group=plan.group, device_query=plan.device_query
        )
        plan.warnings += checked.warnings
    if not request.force:
        group_id = str(plan.group.id) if plan.group is not None else None
        running = find_duplicate(client, prototype.body, group_id=group_id, device_query=plan.device_query)
        if running is not None:
            raise duplicate_error(running, _target_label(plan))
    return plan


def create_query_group(client: Client, device_query: str, *, report: Report | None = None) -> ManagedObject:
    """The UI's hidden dynamic group for a device selection (§11.3), created exactly once (``once``).

    POST /inventory/managedObjects
    """
    return create_query_group_once(client, device_query, report=report)


def execute_bulk(client: Client, plan: BulkPlan, *, report: Report | None = None) -> BulkOperation:
    """Create the hidden group (for a query) and the bulk operation, each exactly once. A hidden group
    an interrupted run left for the same query is reused; only a group this run created is removed
    again when the tenant refuses the bulk operation.

    GET hidden groups of the query (``find_orphan_query_group``), POST /inventory/managedObjects
    (hidden group, §11.3), POST /devicecontrol/bulkoperations
    """
    group = plan.group
    if group is None:
        group = find_orphan_query_group(client, str(plan.device_query))
        if group is None:
            group = plan.created_group = create_query_group(client, str(plan.device_query), report=report)
        elif report is not None:
            report(f"Hidden group {group.id} for this selection was left by an interrupted run: reused.")
    request = plan.request
    try:
        return create_bulk(
            client,
            prototype=plan.prototype.body,
            group_id=str(group.id),
            start_date=plan.start_date,
            ramp=plan.ramp,
            note=request.note,
            report=report,
        )
    except C8yError as error:
        # A definitive refusal leaves nothing to run on the group this run made: remove it again.
        # Without an answer the bulk operation may exist, so its group stays (§14(d)).
        undecided = TransportError | ServerError | RateLimitError
        if plan.created_group is not None and not isinstance(error, undecided):
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
    report: Report | None = None,
) -> BulkOperation:
    """Schedule the prototype for every device of a group (§11.2), exactly once (``once``).

    POST /devicecontrol/bulkoperations
    """
    body: dict[str, Any] = {
        "groupId": group_id,
        "operationPrototype": prototype,
        "creationRamp": ramp,
        "startDate": start_date,
    }
    if note is not None:
        body["note"] = note
    return create_bulk_once(client, body, report=report)


__all__ = [
    "HIDDEN_GROUP_NAME",
    "BulkPlan",
    "BulkRequest",
    "create_bulk",
    "create_query_group",
    "execute_bulk",
    "plan_bulk",
    "type_query",
]
