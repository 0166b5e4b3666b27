"""Turning what a user types (a name or a numeric id) into one managed object.

cli-surface.md: "a numeric string is tried as an id first, then as a name". A name is tried as typed
first, then without surrounding blanks (an exact match wins). Names go through the
query builder (§14(c)); because ``*`` cannot be escaped (§1.6.2), every name match is checked
client-side for exact equality, so ``fw*`` never silently picks ``fw-beta``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from c8ydm.api.client import Client
from c8ydm.api.errors import AmbiguousNameError, InputError, NotFoundError
from c8ydm.api.query import Expr, Q, build

if TYPE_CHECKING:  # the models load pydantic's machinery: not before a listing's first request
    from c8ydm.api.models.inventory import ManagedObject

# Device groups as the UI creates them; both can be bulk-operation targets (§11.1).
GROUP_TYPES = ("c8y_DeviceGroup", "c8y_DynamicGroup")


def find_named(client: Client, scope: Expr, name: str) -> list[ManagedObject]:
    """The objects within ``scope`` named exactly ``name`` (checked here: ``*`` cannot be escaped).

    GET /inventory/managedObjects?query=$filter=((<scope>) and (name eq '<name>'))
    """
    query = build(filter=scope & Q.eq("name", name))
    return [mo for mo in client.inventory.list(query=query, page_size=100, limit=100) if mo.name == name]


def _by_id(client: Client, value: str, accept: Callable[[ManagedObject], bool]) -> ManagedObject | None:
    if not value.isdigit():
        return None
    try:
        found = client.inventory.get(value, with_children=False)
    except NotFoundError:
        return None
    return found if accept(found) else None


def resolve_managed_object(
    client: Client,
    value: str,
    *,
    what: str,
    scope: Expr,
    accept: Callable[[ManagedObject], bool],
    hint: str | None = None,
) -> ManagedObject:
    """Resolve ``value`` (id first, then exact name) within ``scope``; raises NotFound or Ambiguous.

    GET /inventory/managedObjects/{id}, then
    GET /inventory/managedObjects?query=$filter=((<scope>) and (name eq '<name>'))
    """
    text = value.strip()
    if not text:
        raise InputError(f"{what} name must not be empty")
    found = _by_id(client, text, accept)
    if found is not None:
        return found
    # A name with blanks around it: an object named exactly so wins over the trimmed name.
    matches = find_named(client, scope, value) if value != text else []
    matches = matches or find_named(client, scope, text)
    if not matches:
        raise NotFoundError(f"{what} {text!r} not found", hint=hint)
    if len(matches) > 1:
        ids = sorted((mo.id or "" for mo in matches), key=lambda i: (len(i), i))
        raise AmbiguousNameError(
            f"{len(matches)} {what} entries are named {text!r} (ids {', '.join(ids)})",
            ids=ids,
            hint="use the numeric id instead of the name",
        )
    return matches[0]


def resolve_device(client: Client, value: str) -> ManagedObject:
    """A device by id or exact name (objects with ``c8y_IsDevice``)."""
    return resolve_managed_object(
        client,
        value,
        what="device",
        scope=Q.has("c8y_IsDevice"),
        accept=lambda mo: mo.has_fragment("c8y_IsDevice"),
        hint="list devices with: c8ydm device list",
    )


def resolve_group(client: Client, value: str) -> ManagedObject:
    """A device group (static or dynamic) by id or exact name."""
    return resolve_managed_object(
        client,
        value,
        what="group",
        scope=Q.in_("type", GROUP_TYPES),
        accept=lambda mo: mo.type in GROUP_TYPES,
    )
