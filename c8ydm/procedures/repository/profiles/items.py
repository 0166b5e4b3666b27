"""The items a profile can take, found as the profile page's pickers find them (contract §9.1).

Pickers list non-legacy entries (``not(has(url))``, §2.2) with ``pageSize=100``, restricted by the
profile's device type: firmware and software ``((c8y_Filter.type eq '<t>') or ((c8y_Filter.type eq '')
or (not(has(c8y_Filter.type)))))``, configuration ``((deviceType eq '<t>') or (not(has(deviceType))))``.
A profile without a device type restricts nothing (the UI adds the clause only for a typed profile).
Configuration entries always have a ``url`` (§2.2), so only firmware and software get ``not(has(url))``.

An item that the picker does not offer is refused with exit 2 naming it and saying why (absent,
legacy, made for another device type): one more look-up, made only to explain the refusal.
Versions are the entry's base versions (newest without ``@``) and, for firmware, their patches.

Item shapes (§9.1): firmware ``{"name","version","url"[,"isPatch":true]}`` (no ``dependency``: the
UI never sends it, §9.1 ⚠, §15.13); software ``{"name","version","url"[,"softwareType"],"action":
"install"}`` (``softwareType`` from the entry, left out when it has none); configuration
``{"url","name"[,"type"]}`` with the entry's ``configurationType``.
"""

from __future__ import annotations

from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Expr, Q, build, configuration_device_type_clause
from c8ydm.procedures.repository.kinds import CONFIGURATION, FIRMWARE, SOFTWARE, RepoKind
from c8ydm.procedures.repository.versions import (
    PackageSpec,
    find_patch,
    find_version,
    is_legacy,
    list_versions,
)
from c8ydm.procedures.resolve import find_named

PICKER_PAGE_SIZE = 100  # §9.1


def picker_device_type_clause(kind: RepoKind, device_type: str) -> Expr:
    """§9.1's restriction by the profile's device type (nested as the UI nests it)."""
    if kind.device_type_path == "deviceType":
        return configuration_device_type_clause(device_type)
    path = kind.device_type_path
    return Q.eq(path, device_type) | (Q.eq(path, "") | Q.not_(Q.has(path)))


def picker_query(kind: RepoKind, name: str, device_type: str | None) -> str:
    """The picker's query for one name: the kind, the name, non-legacy, the profile's device type."""
    expr = Q.eq("type", kind.entry_type) & Q.eq("name", name)
    if kind.versions is not None:
        expr = expr & Q.not_(Q.has("url"))
    if device_type:
        expr = expr & picker_device_type_clause(kind, device_type)
    return build(expr, orderby=[("name", "asc")])


def _fits(kind: RepoKind, entry: ManagedObject, device_type: str | None) -> bool:
    wanted = kind.device_type_of(entry)
    return (
        entry.type == kind.entry_type
        and not (kind.versions and is_legacy(entry))
        and (not device_type or wanted in (None, device_type))
    )


def _why_not(client: Client, kind: RepoKind, name: str, device_type: str | None) -> InputError:
    """Why the picker did not offer ``name``: absent, legacy, or another device type."""
    found = find_named(client, Q.eq("type", kind.entry_type), name)
    if not found:
        return InputError(
            f"{kind.label} {name!r} is not in the {kind.label} repository",
            hint=f"list entries with: c8ydm {kind.command} list",
        )
    entry = found[0]
    if kind.versions is not None and is_legacy(entry):
        return InputError(
            f"{kind.label} {name!r} is a legacy entry: profiles take only entries with versions"
        )
    return InputError(
        f"{kind.label} {name!r} is for devices of type {kind.device_type_of(entry)!r}; "
        f"the profile is for {device_type!r}",
        hint=f"list what fits with: c8ydm {kind.command} list --device-type {device_type}",
    )


def find_item_entry(client: Client, kind: RepoKind, value: str, device_type: str | None) -> ManagedObject:
    """The entry the picker offers for ``value`` (a numeric id is tried first); InputError otherwise.

    GET /inventory/managedObjects?pageSize=100&query=<picker query>
    """
    text = value.strip()
    if text.isdigit():
        try:
            by_id = client.inventory.get(text, with_children=False)
        except NotFoundError:
            by_id = None
        if by_id is not None and by_id.type == kind.entry_type:
            if not _fits(kind, by_id, device_type):
                raise _why_not(client, kind, str(by_id.name), device_type)
            return by_id
    query = picker_query(kind, text, device_type)
    offered = client.inventory.list(query=query, page_size=PICKER_PAGE_SIZE, limit=PICKER_PAGE_SIZE)
    matches = [entry for entry in offered if entry.name == text]  # `*` cannot be escaped (§1.6.2)
    if len(matches) > 1:
        ids = ", ".join(str(entry.id) for entry in matches)
        raise InputError(f"{len(matches)} {kind.label} entries are named {text!r} (ids {ids}): use the id")
    if not matches:
        raise _why_not(client, kind, text, device_type)
    return matches[0]


def _named(error: NotFoundError) -> InputError:
    return InputError(error.message, hint=error.hint)


def firmware_item(
    client: Client, spec: PackageSpec, patch: str | None, device_type: str | None
) -> dict[str, Any]:
    """§9.1's firmware item for a base version (newest without one) or one of its patches."""
    entry = find_item_entry(client, FIRMWARE, spec.name, device_type)
    try:
        base = find_version(list_versions(client, FIRMWARE, entry), FIRMWARE, entry, spec.version)
        chosen = find_patch(base, FIRMWARE, entry, patch) if patch is not None else base
    except NotFoundError as error:
        raise _named(error) from None
    item: dict[str, Any] = {"name": entry.name, "version": chosen.version, "url": chosen.url}
    if patch is not None:
        item["isPatch"] = True
    return item


def software_item(client: Client, spec: PackageSpec, device_type: str | None) -> dict[str, Any]:
    """§9.1's software item for a base version (newest without one), with the entry's software type."""
    entry = find_item_entry(client, SOFTWARE, spec.name, device_type)
    try:
        version = find_version(list_versions(client, SOFTWARE, entry), SOFTWARE, entry, spec.version)
    except NotFoundError as error:
        raise _named(error) from None
    item: dict[str, Any] = {"name": entry.name, "version": version.version, "url": version.url}
    software_type = entry.fragment("softwareType")
    if software_type:
        item["softwareType"] = str(software_type)
    item["action"] = "install"
    return item


def configuration_item(client: Client, value: str, device_type: str | None) -> dict[str, Any]:
    """§9.1's configuration item: the entry's url and name, and its configuration type if any."""
    entry = find_item_entry(client, CONFIGURATION, value, device_type)
    item: dict[str, Any] = {"url": str(entry.fragment("url") or ""), "name": entry.name}
    config_type = entry.fragment("configurationType")
    if config_type:
        item["type"] = str(config_type)
    return item
