"""List device users with their roles and devices, and show one with its certificates (§12.1, §12.5).

The devices of a page of users come from ONE inventory query per page (their owners OR-ed), never
one request per user: ``query=$filter=(has(c8y_IsDevice)) and ((owner eq 'a') or (owner eq 'b'))``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.models.users import Group, User
from c8ydm.api.paging import MAX_PAGE_SIZE
from c8ydm.api.query import Q
from c8ydm.procedures.credentials.roles import find_roles, load_catalogue
from c8ydm.procedures.credentials.targets import CredentialTarget, resolve_target

USERS_PAGE_SIZE = 100  # §12.1: the UI lists device users 100 at a time


@dataclass(frozen=True)
class CredentialRow:
    """One device user with its global roles and the devices it owns."""

    user: User
    roles: list[str]
    devices: list[ManagedObject]


@dataclass(frozen=True)
class CredentialDetails:
    """One device user in full: roles, owned devices and certificates the platform issued to it."""

    target: CredentialTarget
    user: User
    roles: list[Group]
    devices: list[ManagedObject]
    certificates: list[dict[str, Any]] = field(default_factory=list)


def role_names(user: User) -> list[str]:
    """The names (else ids) of the user's groups, from ``groups.references`` (§12.1)."""
    references = user.groups.references if user.groups else []
    return [ref.group.name or str(ref.group.id) for ref in references]


def devices_by_owner(client: Client, owners: list[str]) -> dict[str, list[ManagedObject]]:
    """The devices owned by each user name, in one paged query for all of them.

    GET /inventory/managedObjects?query=$filter=((has(c8y_IsDevice)) and ((owner eq 'a') or …))
    """
    if not owners:
        return {}
    query = Q.has("c8y_IsDevice") & Q.in_("owner", owners)
    found: dict[str, list[ManagedObject]] = {owner: [] for owner in owners}
    for device in client.inventory.list(query=query, page_size=MAX_PAGE_SIZE):
        if device.owner in found:
            found[device.owner].append(device)
    return found


def _matches(user: User, roles: list[str], *, disabled: bool, role: Group | None) -> bool:
    if disabled and user.enabled is not False:
        return False
    return role is None or (role.name in roles or str(role.id) in roles)


def list_credentials(
    client: Client, *, username: str | None = None, disabled: bool = False, role: str | None = None
) -> Iterator[CredentialRow]:
    """Device users (``onlyDevices=true``), optionally only disabled ones or those with a role.

    GET /user/{tenant}/users?onlyDevices=true&withTotalPages=true&pageSize=100[&username=<prefix>],
    one owner query per page, and GET /user/{tenant}/groups when filtering by role
    """
    wanted = find_roles(load_catalogue(client), [role])[0] if role is not None else None
    users = client.users.list(only_devices=True, username=username, page_size=USERS_PAGE_SIZE)
    while page := list(islice(users, USERS_PAGE_SIZE)):
        rows = [(user, role_names(user)) for user in page]
        rows = [(u, r) for u, r in rows if _matches(u, r, disabled=disabled, role=wanted)]
        owned = devices_by_owner(client, [u.user_name or u.id or "" for u, _ in rows])
        for user, roles in rows:
            yield CredentialRow(user, roles, owned.get(user.user_name or user.id or "", []))


def show_credentials(client: Client, value: str) -> CredentialDetails:
    """One device user with ``withCertificates=true``, its roles and the devices it owns.

    GET /user/{tenant}/users/<id>?withCertificates=true and the owner query (§12.5)
    """
    target = resolve_target(client, value)
    user = client.users.get(target.user_name, with_certificates=True)
    groups = [ref.group for ref in (user.groups.references if user.groups else [])]
    devices = devices_by_owner(client, [target.user_name])[target.user_name]
    certificates = user.fragment("provisionedCertificates") or []
    return CredentialDetails(target, user, groups, devices, [c for c in certificates if isinstance(c, dict)])
