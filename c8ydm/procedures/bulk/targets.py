"""Device-type filters for bulk targets: never send an entry to devices of a type it excludes (issue 14).

A repository entry with a device type (firmware, software and profiles: ``c8y_Filter.type``;
configuration: ``deviceType``, §2, §1.6.4) is meant only for devices of that type. A bulk operation
goes to every device of its group, so a group or query that also holds other types is checked here.

``restrict_to_device_type`` is THE helper for this; the configuration (``bulk create --config``)
and device-profile (``--profile``) flows use it too, with their entry's device type::

    selection = restrict_to_device_type(client, device_type, group=group)      # or query="…"
    if selection.has_excluded: raise selection.refusal(what="demo-fw", option="--type")
    ...                    # or, when the user asked for it, target selection.query (a hidden group)

The selection is counted with two device queries (``q=``: devices only, §1.6): the target's own
filter (a static group: ``bygroupid(<id>)``, the objects assigned to it, §1.6.1; a dynamic group:
its ``c8y_DeviceQueryString``; a query: as typed) AND'ed with ``type eq 'T'`` and with its negation.
The restricted selection is that first query, for a hidden dynamic group (§11.3).

Policy (c8ydm's decision; the contract is silent): when devices would be excluded, ``bulk create``
refuses (exit 2) naming how many, and schedules the restricted selection only when the user says so
with ``--type T``; silently shrinking a fleet operation would surprise as much as over-reaching.
"""

from __future__ import annotations

from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Expr, Q, build, filter_text

QUERY_FRAGMENT = "c8y_DeviceQueryString"


@dataclass(frozen=True)
class TypedSelection:
    """A bulk target split by device type: ``matching`` devices of ``device_type`` (the ones
    ``query`` selects), ``excluded`` devices of other types; counts are None without totals."""

    target: str  # for people: "group 'Gateways'", "the query …"
    device_type: str
    query: str
    matching: int | None
    excluded: int | None
    has_excluded: bool  # known even without totals (users restricted by inventory roles, §1.5)

    def refusal(self, *, what: str, option: str = "--type") -> InputError:
        """The exit-2 refusal naming the excluded devices, and how to restrict the target."""
        counted = f"{self.excluded} device(s)" if self.excluded is not None else "devices"
        if self.matching == 0:
            return InputError(
                f"{what} is for devices of type {self.device_type!r}, and none of the {counted} of "
                f"{self.target} is of that type: nothing would be scheduled",
                hint=f"target the {self.device_type} devices with {option} {self.device_type} alone",
            )
        return InputError(
            f"{what} is for devices of type {self.device_type!r}, but {self.target} holds {counted} "
            f"of other types (and {self.matching if self.matching is not None else '?'} of that type)",
            hint=f"add {option} {self.device_type} to schedule it only for the {self.device_type} devices",
        )


def target_filter(group: ManagedObject | None = None, query: str | None = None) -> Expr | None:
    """The device filter of a target: a static group's members, a dynamic group's or a user's query
    (None: every device, an empty dynamic query, §11.3)."""
    if group is not None:
        if QUERY_FRAGMENT in group.to_body():
            text = filter_text(str(group.fragment(QUERY_FRAGMENT) or ""))
            return Q.verbatim(text) if text else None
        return Q.bygroupid(str(group.id))
    text = filter_text(query or "")
    return Q.verbatim(text) if text else None


def _describe(group: ManagedObject | None, query: str | None) -> str:
    return f"group {group.name!r}" if group is not None else f"the query {query!r}"


def restrict_to_device_type(
    client: Client, device_type: str, *, group: ManagedObject | None = None, query: str | None = None
) -> TypedSelection:
    """Count the target's devices of ``device_type`` and of other types; the restricted query.

    GET /inventory/managedObjects?q=$filter=((<target>) and (type eq 'T'))&pageSize=1&withTotalPages=true
    GET /inventory/managedObjects?q=$filter=((<target>) and (not(type eq 'T')))&…
    """
    base = target_filter(group, query)
    wanted = Q.eq("type", device_type)
    matching = build(wanted if base is None else base & wanted)
    others = build(Q.not_(wanted) if base is None else base & Q.not_(wanted))
    excluded = client.inventory.count(q=others)
    if excluded is None:  # no totals for this user: is there at least one?
        has_excluded = next(iter(client.inventory.list(q=others, page_size=1, limit=1)), None) is not None
    else:
        has_excluded = excluded > 0
    return TypedSelection(
        target=_describe(group, query),
        device_type=device_type,
        query=matching,
        matching=client.inventory.count(q=matching),
        excluded=excluded,
        has_excluded=has_excluded,
    )


__all__ = ["QUERY_FRAGMENT", "TypedSelection", "restrict_to_device_type", "target_filter"]
