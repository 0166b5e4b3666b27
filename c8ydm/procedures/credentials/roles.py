"""Global roles (user groups) of a device user: the catalogue, a membership diff, its execution (§12.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError, ServerError, TransportError
from c8ydm.api.models.users import Group, User
from c8ydm.procedures.credentials.targets import CredentialTarget, resolve_target

CATALOGUE_PAGE_SIZE = 1000  # §12.2: the UI reads the catalogue 1000 at a time


@dataclass(frozen=True)
class RolesPlan:
    """The membership changes that turn the user's current roles into the wanted ones."""

    target: CredentialTarget
    user: User
    current: list[Group]
    to_add: list[Group]
    to_remove: list[Group]

    @property
    def is_unchanged(self) -> bool:
        return not self.to_add and not self.to_remove


@dataclass(frozen=True)
class RolesResult:
    """The user's roles after the change, and what changed."""

    user_name: str
    roles: list[Group]
    added: list[str]
    removed: list[str]


def load_catalogue(client: Client) -> list[Group]:
    """Every global role of the tenant. GET /user/{tenant}/groups?pageSize=1000&withTotalPages=true"""
    return list(client.users.list_groups(page_size=CATALOGUE_PAGE_SIZE))


def find_roles(catalogue: Sequence[Group], names: Sequence[str]) -> list[Group]:
    """The catalogue entries for role names (exact, else case-insensitive) or ids; exit 2 otherwise."""
    found: list[Group] = []
    unknown: list[str] = []
    for name in names:
        match = next((g for g in catalogue if g.name == name or str(g.id) == name), None)
        if match is None:
            match = next((g for g in catalogue if (g.name or "").lower() == name.lower()), None)
        if match is None:
            unknown.append(name)
        else:
            found.append(match)
    if unknown:
        known = ", ".join(sorted(g.name or str(g.id) for g in catalogue))
        raise InputError(
            f"unknown global role {', '.join(map(repr, unknown))}", hint=f"the roles are: {known}"
        )
    return found


def plan_roles(client: Client, value: str, *, add: Sequence[str], remove: Sequence[str]) -> RolesPlan:
    """Resolve the user and the role names (exit 2 for unknown ones), then diff against its groups.

    GET /user/{tenant}/groups, GET /user/{tenant}/users/<id>
    """
    catalogue = load_catalogue(client) if add or remove else []
    wanted, unwanted = find_roles(catalogue, add), find_roles(catalogue, remove)
    both = {g.id for g in wanted} & {g.id for g in unwanted}
    if both:
        names = ", ".join(sorted(g.name or str(g.id) for g in wanted if g.id in both))
        raise InputError(f"a role cannot be both added and removed: {names}")
    target = resolve_target(client, value)
    user = client.users.get(target.user_name)
    current = [ref.group for ref in (user.groups.references if user.groups else [])]
    current_ids = {g.id for g in current}
    to_add = [g for g in wanted if g.id not in current_ids]
    to_remove = [g for g in unwanted if g.id in current_ids]
    return RolesPlan(target, user, current, to_add, to_remove)


def _add_member(client: Client, group: Group, user_name: str, user_self: str | None) -> None:
    """POST the membership once; after a lost answer look it up instead of posting again (§14(d))."""
    try:
        client.users.add_to_group(str(group.id), user_name, user_self=user_self)
    except ConflictError:
        return  # already a member
    except (TransportError, ServerError):
        if not any(g.id == group.id for g in client.users.groups_of(user_name)):
            raise


def execute_roles(client: Client, plan: RolesPlan) -> RolesResult:
    """Add and remove memberships, then read the resulting roles back.

    POST /user/{tenant}/groups/<id>/users {"user":{"id","self"}} per added role,
    DELETE /user/{tenant}/groups/<id>/users/<user> per removed role, GET /user/{tenant}/users/<id>/groups
    """
    user_name = plan.target.user_name
    for group in plan.to_add:
        _add_member(client, group, user_name, plan.user.self_url)
    for group in plan.to_remove:
        client.users.remove_from_group(str(group.id), user_name)
    roles = plan.current if client.dry_run else list(client.users.groups_of(user_name))
    return RolesResult(
        user_name,
        roles,
        added=[g.name or str(g.id) for g in plan.to_add],
        removed=[g.name or str(g.id) for g in plan.to_remove],
    )
