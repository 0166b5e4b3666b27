"""The device types an operation copied by ``bulk create --from-operation`` is meant for (issue 14).

A firmware, software, configuration or profile entry may be meant for one device type only (§2:
``c8y_Filter.type``; §5.2 and §9: ``deviceType``). An operation made from such an entry carries the
package (name, version, URL), not the restriction, so its copy sent to a group would reach devices
the entry excludes. The entries behind the operation are therefore looked up, and their device
types become the copy's ``Prototype.device_types``: the target is then restricted or refused exactly
as for ``bulk create --firmware`` (``create._plan_target``, ``targets.restrict_to_device_type``).

How each entry is found (the contract is silent on copies; this is the UI's own §3.3 lookup):

- ``c8y_Firmware``: the firmware entry of that exact name;
- ``c8y_SoftwareUpdate`` items, and the names in ``c8y_SoftwareList`` / ``c8y_Software`` (copied
  only with ``--allow-full-state``): the software entry of each exact name;
- ``c8y_DownloadConfigFile``: the configuration entry whose ``url`` is the operation's URL;
- ``c8y_DeviceProfile``: the profile of the operation's ``profileId``.

A package that is in no repository (installed from a URL of its own) restricts nothing. Entries of
one name meant for different device types cannot be told apart, so such a copy is refused (exit 2)
and the hint names the option that picks an entry explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.repository.kinds import CONFIGURATION, FIRMWARE, PROFILE, SOFTWARE, RepoKind
from c8ydm.procedures.resolve import find_named

LOOKUP_LIMIT = 100  # entries of one name or URL looked at (§3.3's lookup asks for one page)


def _one_type(kind: RepoKind, label: str, entries: list[ManagedObject], option: str) -> str | None:
    """The device type shared by every entry (None: for all devices); InputError when they differ."""
    types = {kind.device_type_of(entry) for entry in entries}
    if len(types) <= 1:
        return next(iter(types), None)
    listed = ", ".join(sorted(repr(value) if value else "all devices" for value in types))
    raise InputError(
        f"{len(entries)} {kind.label} entries match {label} of the copied operation, meant for "
        f"different device types ({listed}): which one the operation came from cannot be told",
        hint=f"schedule it from the repository with {option}, and --type for the devices it is meant for",
    )


def _named(client: Client, kind: RepoKind, name: str) -> list[ManagedObject]:
    return find_named(client, Q.eq("type", kind.entry_type), name)


def _configuration_entries(client: Client, url: str) -> list[ManagedObject]:
    """GET /inventory/managedObjects?query=$filter=((type eq 'c8y_ConfigurationDump') and (url eq '<url>'))"""
    query = build(filter=Q.eq("type", CONFIGURATION.entry_type) & Q.eq("url", url))
    found = client.inventory.list(query=query, page_size=LOOKUP_LIMIT, limit=LOOKUP_LIMIT)
    return [entry for entry in found if entry.to_body().get("url") == url]  # `*` in a URL is a wildcard


def _profile_entries(client: Client, profile_id: str) -> list[ManagedObject]:
    """GET /inventory/managedObjects/{profileId}"""
    try:
        found = client.inventory.get(profile_id, with_children=False)
    except NotFoundError:
        return []  # the profile was deleted since: nothing to restrict by
    return [found] if found.type == PROFILE.entry_type else []


def _software_names(body: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for fragment in ("c8y_SoftwareUpdate", "c8y_SoftwareList"):
        items = body.get(fragment)
        if isinstance(items, list):
            names += [str(item["name"]) for item in items if isinstance(item, dict) and item.get("name")]
    legacy = body.get("c8y_Software")
    if isinstance(legacy, dict):
        names += [str(name) for name in legacy]
    return list(dict.fromkeys(names))


def _add(found: dict[str, str], name: str, device_type: str | None) -> None:
    if device_type:
        found[name] = device_type


def source_device_types(client: Client, operation: Operation) -> dict[str, str]:
    """``{entry name: device type}`` of the restricted repository entries behind ``operation``."""
    body = operation.to_body()
    found: dict[str, str] = {}
    firmware = body.get("c8y_Firmware")
    if isinstance(firmware, dict) and firmware.get("name"):
        name = str(firmware["name"])
        _add(found, name, _one_type(FIRMWARE, repr(name), _named(client, FIRMWARE, name), "--firmware"))
    for name in _software_names(body):
        _add(found, name, _one_type(SOFTWARE, repr(name), _named(client, SOFTWARE, name), "--software"))
    config = body.get("c8y_DownloadConfigFile")
    if isinstance(config, dict) and config.get("url"):
        entries = _configuration_entries(client, str(config["url"]))
        name = str(entries[0].name) if entries else ""
        _add(found, name, _one_type(CONFIGURATION, repr(name), entries, "--config"))
    if isinstance(body.get("c8y_DeviceProfile"), dict) and body.get("profileId"):
        entries = _profile_entries(client, str(body["profileId"]))
        name = str(entries[0].name) if entries else str(body.get("profileName") or "")
        _add(found, name, _one_type(PROFILE, repr(name), entries, "--profile"))
    return found


__all__ = ["source_device_types"]
