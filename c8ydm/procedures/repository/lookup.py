"""Finding repository entries: by id or exact name, and the list grid's query (contract §3.1, §3.3, §5).

Names go through the query builder (§14(c)); ``*`` cannot be escaped (§1.6.2), so every name
match is checked client-side for exact equality.
"""

from __future__ import annotations

from collections.abc import Mapping

from c8ydm.api.client import Client
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Expr, Q, build
from c8ydm.procedures.repository.kinds import RepoKind
from c8ydm.procedures.resolve import find_named, resolve_managed_object


def resolve_entry(client: Client, kind: RepoKind, value: str) -> ManagedObject:
    """A repository entry by id or exact name (§3.3's entry lookup).

    GET /inventory/managedObjects?query=$filter=((type eq '<entry type>') and (name eq '<name>'))
    """
    return resolve_managed_object(
        client,
        value,
        what=kind.label,
        scope=Q.eq("type", kind.entry_type),
        accept=lambda mo: mo.type == kind.entry_type,
        hint=f"list entries with: c8ydm {kind.command} list",
    )


def find_entry(client: Client, kind: RepoKind, name: str) -> ManagedObject | None:
    """§3.3 entry lookup: ``$filter=((type eq '<entry type>') and (name eq '<name>'))``, exact match."""
    matches = find_named(client, Q.eq("type", kind.entry_type), name)
    return matches[0] if len(matches) == 1 else None


def list_query(
    kind: RepoKind,
    *,
    name: str | None = None,
    device_type: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> str:
    """§3.1's list query with the filters ANDed on as the builder does (two operands per node).

    ``fields`` filters on the kind's extra fields by Cumulocity name (``softwareType``: §4's grid
    filter; ``configurationType``). The contract shows the AND as ``((type eq 'c8y_Firmware') and
    (name eq '…'))`` (§1.6.2, the firmware list) and as ``((name eq '…') and (type eq …))`` (§3.1);
    the first, like the pickers' ``(((type …) and (name …)) and (…))`` of §1.6.3, is followed here.
    """
    expr: Expr = Q.eq("type", kind.entry_type)
    if name is not None:
        expr = expr & Q.eq("name", name)
    if device_type is not None:
        expr = expr & kind.list_device_type_clause(device_type)
    for path, value in (fields or {}).items():
        expr = expr & Q.eq(path, value)
    return build(expr, orderby=[("name", "asc")])
