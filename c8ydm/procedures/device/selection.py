"""Which devices a ``device list`` means (§1.6): a type, name pattern or group, or the user's own query.

Kept apart from ``info`` (a device's firmware, software and configuration), so that a listing loads
nothing of the repositories and device changes: every millisecond of start-up counts on a command
that streams 20,000 devices (issue 13).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.query import Q, build
from c8ydm.procedures.resolve import resolve_group

if TYPE_CHECKING:
    from c8ydm.api.models.inventory import ManagedObject


@dataclass(frozen=True)
class DeviceSelection:
    """Which devices a ``device list`` means: a built ``query=`` or the user's own ``q=`` (§1.6)."""

    query: str | None = None
    q: str | None = None

    def list(self, client: Client, *, limit: int | None = None) -> Iterator[ManagedObject]:
        """The devices, across pages, at most ``limit``. GET /inventory/managedObjects?query=…|q=…"""
        return client.inventory.list(query=self.query, q=self.q, limit=limit)

    def documents(self, client: Client, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The devices each as the JSON object the tenant sent: nothing is validated or re-serialised,
        so a listing of 100,000 devices passes straight to the output (issue 13).

        GET /inventory/managedObjects?query=…|q=…
        """
        return client.inventory.documents(query=self.query, q=self.q, limit=limit)

    def count(self, client: Client) -> int | None:
        """How many devices match; None for users without totals.

        GET /inventory/managedObjects?query=…|q=…&pageSize=1&withTotalPages=true
        """
        return client.inventory.count(query=self.query, q=self.q)


def select_devices(
    client: Client,
    *,
    device_type: str | None = None,
    name: str | None = None,
    query: str | None = None,
    group: str | None = None,
) -> DeviceSelection:
    """Devices by type, name pattern (``*`` wildcard) and group, or by the user's own query.

    A group is resolved here (GET by id or name); a dynamic group's members are its query's matches.
    Built: ``$filter=((has(c8y_IsDevice)) and …) $orderby=name asc``; the user's query goes as ``q=``
    (q= keeps to devices, §1.6), unchanged: c8ydm builds no part of it (§14(c) covers built queries).
    """
    group_id = None
    if group is not None:
        if query is not None:
            raise InputError("--query cannot be combined with --group")
        found = resolve_group(client, group)
        dynamic = found.fragment("c8y_DeviceQueryString")
        if dynamic is None:  # a static group: its assigned devices (§1.6.1 bygroupid)
            assert found.id is not None
            group_id = found.id
        else:
            query = str(dynamic)  # a dynamic group's members are the devices its query matches
    if query is not None:
        if device_type is not None or name is not None:
            raise InputError(
                "a query (--query, or a dynamic group's) cannot be combined with --type or --name",
                hint="c8ydm never edits a query's text: put the type and name into the query",
            )
        return DeviceSelection(q=query)
    clauses = [Q.has("c8y_IsDevice")]
    if device_type is not None:
        clauses.append(Q.eq("type", device_type))
    if name is not None:
        clauses.append(Q.eq("name", name))
    if group_id is not None:
        clauses.append(Q.bygroupid(group_id))
    return DeviceSelection(query=build(filter=Q.and_(*clauses), orderby=[("name", "asc")]))


def list_devices(
    client: Client,
    *,
    device_type: str | None = None,
    name: str | None = None,
    query: str | None = None,
    group: str | None = None,
    limit: int | None = None,
) -> Iterator[ManagedObject]:
    """The devices :func:`select_devices` selects, at most ``limit``."""
    selection = select_devices(client, device_type=device_type, name=name, query=query, group=group)
    return selection.list(client, limit=limit)
