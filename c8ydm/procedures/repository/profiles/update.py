"""``profile set``: change a profile's firmware, software and configuration in ONE PUT (contract §9.1).

    plan = plan_set(client, "Baseline", SetRequest(firmware="linux-image@6.1.2", software=("nginx",)))
    profile = execute_set(client, plan)      # one PUT, then a re-read that verifies it

- One read of the profile; the items are looked up as the pickers do (``items``), so an item that
  does not exist or does not fit the profile's device type is refused (exit 2) before any change.
- The PUT carries the COMPLETE ``c8y_DeviceProfile`` (§1.8 ★): existing keys kept, the merges of §9.1
  applied, removed items and a removed firmware simply left out (never ``null``, §9.1 ⚠), plus the
  software-type markers whenever the fragment carries ``software`` (``content.marker_body``).
- §1.8 ⚠ leaves open whether the tenant replaces a top-level fragment whole; the profile is read
  again and must hold exactly what was sent (no removed key kept, no nulled marker left). A
  difference is reported as ``ProfileMismatchError`` (exit 7): another writer, or a tenant that
  merges nested keys. Nothing is sent twice.
- Nothing to change (the items are already there, the removed ones already absent): no PUT at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.inputs import reject_blank, reject_blanks
from c8ydm.procedures.repository.kinds import PROFILE
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.profiles.content import (
    FRAGMENT,
    configuration_of,
    content_of,
    firmware_of,
    marker_body,
    markers_of,
    merge_configuration,
    merge_software,
    ordered,
    software_of,
)
from c8ydm.procedures.repository.profiles.items import configuration_item, firmware_item, software_item
from c8ydm.procedures.repository.versions import PackageSpec


class ProfileMismatchError(ConflictError):
    """The profile as read back differs from what the PUT sent (exit 7); see the module docstring."""

    kind = "profile_mismatch"


def _duplicates(names: Sequence[str]) -> list[str]:
    return sorted({name for name in names if names.count(name) > 1})


@dataclass(frozen=True)
class SetRequest:
    """The changes as typed; checked when made (exit 2 before any request)."""

    firmware: str | None = None  # NAME[@VERSION]
    patch: str | None = None
    software: tuple[str, ...] = ()  # NAME[@VERSION] each
    config: tuple[str, ...] = ()  # configuration entry names (or ids)
    remove_firmware: bool = False
    remove_software: tuple[str, ...] = ()
    remove_config: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        reject_blank(self.patch, "--patch")
        reject_blanks({f"--config {i + 1}": v for i, v in enumerate(self.config)})
        reject_blanks({f"--remove-software {i + 1}": v for i, v in enumerate(self.remove_software)})
        reject_blanks({f"--remove-config {i + 1}": v for i, v in enumerate(self.remove_config)})
        if self.patch is not None and self.firmware is None:
            raise InputError("--patch needs --firmware NAME@BASE_VERSION")
        if not (self.firmware or self.software or self.config or self.remove_firmware
                or self.remove_software or self.remove_config):  # fmt: skip
            raise InputError(
                "nothing to change",
                hint="give --firmware, --software, --config, --remove-firmware, --remove-software "
                "or --remove-config",
            )
        if self.firmware is not None and self.remove_firmware:
            raise InputError("give --firmware or --remove-firmware, not both")
        names = [spec.name for spec in self.software_specs()]
        for option, given in (("--software", names), ("--config", list(self.config)),
                              ("--remove-software", list(self.remove_software)),
                              ("--remove-config", list(self.remove_config))):  # fmt: skip
            if _duplicates(given):
                raise InputError(f"{option} names {', '.join(_duplicates(given))} more than once")
        both = sorted(set(names) & set(self.remove_software))
        if both:
            raise InputError(f"software {', '.join(both)} is both added and removed")
        if self.firmware is not None:
            PackageSpec.parse(self.firmware)

    def software_specs(self) -> list[PackageSpec]:
        """The ``--software`` values parsed (InputError for a malformed one)."""
        return [PackageSpec.parse(text) for text in self.software]


@dataclass
class SetPlan:
    """The profile as read, the body to PUT (None: nothing changes) and what changes, for people."""

    entry: ManagedObject
    content: dict[str, Any]  # the c8y_DeviceProfile to have
    body: dict[str, Any] | None
    changes: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _describe(area: str, item: dict[str, Any]) -> str:
    """``software nginx 1.24.0 (apt)``: an item for people."""
    version = f" {item['version']}" if item.get("version") else ""
    kind = item.get("softwareType" if area == "software" else "type")
    return f"{area} {item.get('name')}{version}" + (f" ({kind})" if kind else "")


def _report_added(
    plan: SetPlan, area: str, added: list[dict[str, Any]], existing: list[dict[str, Any]]
) -> None:
    for item in added:
        text = _describe(area, item)
        if item in existing:
            plan.unchanged.append(text + " is already in the profile")
        else:
            plan.changes.append("set " + text)


def _removed(
    plan: SetPlan, area: str, items: list[dict[str, Any]], names: Sequence[str]
) -> list[dict[str, Any]]:
    """``items`` without those named; each removal (or absence) reported."""
    for name in names:
        gone = [item for item in items if item.get("name") == name]
        items = [item for item in items if item.get("name") != name]
        if gone:
            plan.changes.append("removed " + _describe(area, gone[0]))
        else:
            plan.unchanged.append(f"{area} {name} is not in the profile")
    return items


def _store(plan: SetPlan, key: str, items: list[dict[str, Any]]) -> None:
    """Keep the list (an emptied list stays, as "existing minus the item"); add no empty new key."""
    if items or key in plan.content:
        plan.content[key] = items


def _firmware_step(client: Client, plan: SetPlan, request: SetRequest, device_type: str | None) -> None:
    current = firmware_of(plan.content)
    if request.firmware is not None:
        item = firmware_item(client, PackageSpec.parse(request.firmware), request.patch, device_type)
        if item != current:
            plan.content["firmware"] = item
            plan.changes.append("set " + _describe("firmware", item))
        else:
            plan.unchanged.append(_describe("firmware", item) + " is already in the profile")
    elif request.remove_firmware:
        if "firmware" in plan.content:
            del plan.content["firmware"]  # omitted, not null (§9.1 ⚠)
            plan.changes.append("removed " + _describe("firmware", current or {}))
        else:
            plan.unchanged.append("the profile has no firmware")


def _software_step(client: Client, plan: SetPlan, request: SetRequest, device_type: str | None) -> None:
    if not (request.software or request.remove_software):
        return
    existing = software_of(plan.content)
    added = [software_item(client, spec, device_type) for spec in request.software_specs()]
    _report_added(plan, "software", added, existing)
    merged = _removed(plan, "software", merge_software(existing, added), request.remove_software)
    _store(plan, "software", merged)


def _configuration_step(client: Client, plan: SetPlan, request: SetRequest, device_type: str | None) -> None:
    if not (request.config or request.remove_config):
        return
    existing = configuration_of(plan.content)
    added = [configuration_item(client, value, device_type) for value in request.config]
    types = [item.get("type") for item in added]
    twice = sorted({str(t or "(no type)") for t in types if types.count(t) > 1})
    if twice:
        raise InputError(
            f"--config gives configuration type {', '.join(twice)} more than once: "
            "a profile holds one per type"
        )
    _report_added(plan, "configuration", added, existing)
    merged = _removed(plan, "configuration", merge_configuration(existing, added), request.remove_config)
    _store(plan, "configuration", merged)


def put_body(entry: ManagedObject, content: dict[str, Any]) -> dict[str, Any]:
    """``{"id","c8y_DeviceProfile":{…complete…}[,<markers>]}`` (§9.1, §1.8)."""
    body: dict[str, Any] = {"id": entry.id, FRAGMENT: ordered(content)}
    if "software" in content:
        body.update(marker_body(markers_of(entry), software_of(content)))
    return body


def _is_noop(entry: ManagedObject, body: dict[str, Any]) -> bool:
    current = entry.to_body()
    if current.get(FRAGMENT) != body[FRAGMENT]:
        return False
    return all(current.get(key) == value for key, value in body.items() if key.startswith("softwareType!"))


def plan_set(client: Client, value: str, request: SetRequest) -> SetPlan:
    """Read the profile once, look up the items (pickers of §9.1), merge; nothing is sent yet.

    GET the profile (§3.3 lookup), each item's entry (picker query) and its versions (§3.2)
    """
    entry = resolve_entry(client, PROFILE, value)
    device_type = PROFILE.device_type_of(entry)
    plan = SetPlan(entry, content_of(entry), None)
    _firmware_step(client, plan, request, device_type)
    _software_step(client, plan, request, device_type)
    _configuration_step(client, plan, request, device_type)
    body = put_body(entry, plan.content)
    plan.body = None if _is_noop(entry, body) else body
    return plan


def mismatches(sent: dict[str, Any], read: ManagedObject) -> list[str]:
    """What the re-read profile holds differently from the PUT body (empty: as sent)."""
    found = read.to_body()
    problems = []
    if found.get(FRAGMENT) != sent[FRAGMENT]:
        kept = sorted(set(found.get(FRAGMENT) or {}) - set(sent[FRAGMENT]))
        problems.append(f"{FRAGMENT} differs" + (f" (kept {', '.join(kept)})" if kept else ""))
    for key, value in sent.items():
        if key.startswith("softwareType!") and (found.get(key) is None) != (value is None):
            problems.append(f"marker {key} {'still present' if value is None else 'missing'}")
    return problems


def execute_set(client: Client, plan: SetPlan) -> ManagedObject:
    """One PUT, then one GET to verify it (§1.8 ★); the profile as read back.

    PUT /inventory/managedObjects/<id>, GET /inventory/managedObjects/<id>?withChildren=false
    """
    entry = plan.entry
    assert entry.id is not None
    if plan.body is None:
        return entry
    written = client.inventory.update(entry.id, plan.body)
    if client.dry_run:  # nothing was sent: there is nothing to read back
        return written
    read = client.inventory.get(entry.id, with_children=False)
    problems = mismatches(plan.body, read)
    if problems:
        raise ProfileMismatchError(
            f"device profile {entry.name!r} does not hold what was written: {'; '.join(problems)}",
            hint="another change may have come in between, or the tenant merges nested keys "
            "(contract §1.8); compare with: c8ydm profile show",
        )
    return read
