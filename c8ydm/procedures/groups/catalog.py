"""List, show, create and delete device groups (see the package docstring for the requests)."""

from __future__ import annotations

from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import AmbiguousNameError, ConflictError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.resolve import GROUP_TYPES, find_named, resolve_group

STATIC_TYPE, DYNAMIC_TYPE = "c8y_DeviceGroup", "c8y_DynamicGroup"
QUERY_FRAGMENT = "c8y_DeviceQueryString"
# The UI's own hidden groups (bulk operations on a device selection, §11.3) are not listed.
HIDDEN_MARKER = "c8y_IsDynamicGroup.invisible"
GROUP_SCOPE = Q.in_("type", GROUP_TYPES)
PAGE_SIZE = 2000  # §14(e): bulk reads


def is_dynamic(group: ManagedObject) -> bool:
    """A dynamic ("smart") group: its devices are those its query matches."""
    return group.type == DYNAMIC_TYPE or group.has_fragment("c8y_IsDynamicGroup")


def device_query(group: ManagedObject) -> str | None:
    """A dynamic group's device query (``c8y_DeviceQueryString``), else None."""
    value = group.to_body().get(QUERY_FRAGMENT)
    return value if isinstance(value, str) else None


def list_groups(client: Client, *, name: str | None = None) -> list[ManagedObject]:
    """Static and dynamic groups by name, without the UI's hidden ones; ``name`` may hold ``*``.

    GET /inventory/managedObjects?query=$filter=((((type eq 'c8y_DeviceGroup') or (type eq
    'c8y_DynamicGroup')) and (not(has(c8y_IsDynamicGroup.invisible))))[ and (name eq '<name>')])
    $orderby=name asc&pageSize=2000
    """
    scope = GROUP_SCOPE & Q.not_(Q.has(HIDDEN_MARKER))
    if name is not None:
        scope = scope & Q.eq("name", name)
    query = build(filter=scope, orderby=[("name", "asc")])
    return list(client.inventory.list(query=query, page_size=PAGE_SIZE))


@dataclass(frozen=True)
class GroupDetails:
    """A group and (up to a limit) its members; ``member_count`` None: the tenant gave no total."""

    group: ManagedObject
    members: list[ManagedObject]
    member_count: int | None


def show_group(client: Client, value: str, *, limit: int) -> GroupDetails:
    """The group (by id or exact name) with its first ``limit`` members and their number.

    Static: GET /inventory/managedObjects/{id}/childAssets (paged), and its count
    (pageSize=1&withTotalPages=true). Dynamic: GET /inventory/managedObjects?q=<its query>, and its count.
    """
    group = resolve_group(client, value)
    group_id = str(group.id)
    query = device_query(group)
    if is_dynamic(group):
        if not (query or "").strip():
            return GroupDetails(group, [], None)
        members = list(client.inventory.list(q=query, page_size=min(limit, PAGE_SIZE) or 1, limit=limit))
        return GroupDetails(group, members, client.inventory.count(q=query))
    children = client.inventory.list_children(
        group_id, relation="childAssets", page_size=min(limit, PAGE_SIZE) or 1, limit=limit
    )
    members = list(children)
    return GroupDetails(group, members, client.inventory.count_children(group_id, relation="childAssets"))


@dataclass(frozen=True)
class GroupCreation:
    """What ``group create`` will do: create ``body``, or nothing when ``existing`` is that group."""

    name: str
    query: str | None
    existing: ManagedObject | None
    matching_devices: int | None  # devices a dynamic group's query matches now

    def body(self) -> dict[str, object]:
        """The UI's request body for this group (package docstring)."""
        if self.query is None:
            return {"name": self.name, "type": STATIC_TYPE, "c8y_IsDeviceGroup": {}}
        return {"name": self.name, "type": DYNAMIC_TYPE, "c8y_IsDynamicGroup": {}, QUERY_FRAGMENT: self.query}

    def is_same_as_existing(self) -> bool:
        """The existing group is of the same kind (and query): creating again would add nothing."""
        existing = self.existing
        if existing is None:
            return False
        if self.query is None:
            return not is_dynamic(existing)
        return is_dynamic(existing) and device_query(existing) == self.query


def plan_group(client: Client, name: str, *, query: str | None = None) -> GroupCreation:
    """Check the input, look for a group of that name, and test the query (a bad one: 422, exit 8).

    GET /inventory/managedObjects?query=$filter=((<group types>) and (name eq '<name>')), and for a
    dynamic group GET /inventory/managedObjects?q=<query>&pageSize=1&withTotalPages=true
    """
    if not name.strip():
        raise InputError("a group name must not be empty")
    if query is not None and not query.strip():
        raise InputError("--query must not be empty", hint="leave it out for a static group")
    named = find_named(client, GROUP_SCOPE, name)
    if len(named) > 1:
        ids = sorted((mo.id or "" for mo in named), key=lambda i: (len(i), i))
        raise AmbiguousNameError(f"{len(named)} groups are named {name!r} (ids {', '.join(ids)})", ids=ids)
    matching = client.inventory.count(q=query) if query is not None else None
    return GroupCreation(name, query, named[0] if named else None, matching)


def create_group(
    client: Client, plan: GroupCreation, *, if_exists: str = "fail"
) -> tuple[ManagedObject, bool]:
    """Create the planned group; returns (group, created). An existing group of that name is a
    ConflictError (exit 7) unless ``if_exists`` is "skip" and it is the same kind of group.

    POST /inventory/managedObjects
    """
    existing = plan.existing
    if existing is not None:
        if if_exists == "skip" and plan.is_same_as_existing():
            return existing, False
        kind = "a dynamic" if is_dynamic(existing) else "a static"
        raise ConflictError(
            f"{kind} group named {plan.name!r} already exists (id {existing.id})",
            status_code=409,
            hint=None
            if if_exists == "skip"
            else "add --if-exists skip to accept an existing group of that name",
        )
    # Never retried blindly (§14(d)): a lost answer is found by the name look-up on the next run.
    return client.inventory.create(plan.body()), True


def delete_group(client: Client, group: ManagedObject) -> None:
    """Delete the group itself; its devices stay (§1.7, no cascade). DELETE /inventory/managedObjects/{id}"""
    client.inventory.delete(str(group.id))
