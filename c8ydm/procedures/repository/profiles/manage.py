"""Device profiles in the repository: list, show, create, copy, edit (contract §9.1).

Names identify profiles on the command line, so a create, copy or rename onto an existing name is
refused (exit 7) instead of making two profiles one name cannot tell apart. A create or copy whose
POST gets no definitive answer is looked up by name before anything else happens (14(d)).

Deleting goes through the repository's ``plan_delete``/``execute_delete`` with ``PROFILE``
(``DELETE …?forceCascade=true``, 14(g)).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.inputs import reject_blank, reject_blanks
from c8ydm.procedures.reconcile import create_once
from c8ydm.procedures.repository.kinds import PROFILE
from c8ydm.procedures.repository.lookup import find_entry, list_query, resolve_entry
from c8ydm.procedures.repository.profiles.content import content_of, is_empty

# Read-only or server-kept keys of a managed object as read: a duplicate is posted without them
# (§9.1: "a deep copy without id"; the rest are what the spec marks read-only, or references).
READ_ONLY_KEYS = frozenset(
    {
        "id", "self", "creationTime", "lastUpdated", "owner", "childAdditions", "childAssets",
        "childDevices", "additionParents", "assetParents", "deviceParents",
    }
)  # fmt: skip
IF_EXISTS_CHOICES = ("fail", "skip")


def list_profiles(
    client: Client, *, name: str | None = None, device_type: str | None = None
) -> list[ManagedObject]:
    """Profiles by name (§3.1 with ``type eq 'c8y_Profile'``, §9.1), optionally filtered.

    GET /inventory/managedObjects?query=$filter=(type eq 'c8y_Profile') $orderby=name asc
    """
    reject_blanks({"--name": name, "--device-type": device_type})
    return list(client.inventory.list(query=list_query(PROFILE, name=name, device_type=device_type)))


def show_profile(client: Client, value: str) -> ManagedObject:
    """A profile by id or exact name (§3.3's entry lookup with ``type eq 'c8y_Profile'``)."""
    return resolve_entry(client, PROFILE, value)


@dataclass(frozen=True)
class CreateRequest:
    """``profile create NAME [--device-type T] [--if-exists fail|skip]``, checked when made."""

    name: str
    device_type: str | None = None
    if_exists: str = "fail"

    def __post_init__(self) -> None:
        reject_blanks({"NAME": self.name, "--device-type": self.device_type})
        if self.if_exists not in IF_EXISTS_CHOICES:
            raise InputError(f"--if-exists must be one of {', '.join(IF_EXISTS_CHOICES)}")


@dataclass
class CreateResult:
    """``created`` or ``unchanged`` (it existed and ``--if-exists skip``), and the profile."""

    status: str
    entry: ManagedObject


def create_body(name: str, device_type: str | None) -> dict[str, Any]:
    """§9.1: ``{"name","type":"c8y_Profile","c8y_Filter":{["type"]},"c8y_DeviceProfile":{}}``."""
    return {
        "name": name,
        "type": PROFILE.entry_type,
        "c8y_Filter": {"type": device_type} if device_type else {},
        "c8y_DeviceProfile": {},
    }


def create_profile(client: Client, request: CreateRequest) -> CreateResult:
    """A new, empty profile; an existing one of that name fails (exit 7) or, with skip, is kept.

    GET the name (§3.3 lookup), POST /inventory/managedObjects (reconciled by name, 14(d))
    """
    name = request.name.strip()
    existing = find_entry(client, PROFILE, name)
    if existing is not None:
        current = PROFILE.device_type_of(existing)
        if request.if_exists == "skip" and current == request.device_type:
            return CreateResult("unchanged", existing)
        raise ConflictError(
            f"device profile {name!r} already exists (id {existing.id}, device type {current or 'any'})",
            hint="use --if-exists skip to keep it, or change it with: c8ydm profile edit",
        )
    created = create_once(
        client,
        lambda: client.inventory.create(create_body(name, request.device_type)),
        lambda: find_entry(client, PROFILE, name),
        what=f"device profile {name!r}",
    )
    return CreateResult("created", created)


def copy_body(source: ManagedObject, name: str) -> dict[str, Any]:
    """§9.1 "Duplicate": the profile as read, without its read-only keys, under a new name."""
    body = {key: value for key, value in source.to_body().items() if key not in READ_ONLY_KEYS}
    body = {key: value for key, value in body.items() if value is not None}
    return {"name": name, **{key: value for key, value in body.items() if key != "name"}}


def copy_profile(client: Client, value: str, new_name: str | None = None) -> ManagedObject:
    """Duplicate a profile (the UI names it ``Duplicate of <name>``); an existing new name: exit 7.

    GET the profile and the new name, POST /inventory/managedObjects (reconciled by name, 14(d))
    """
    reject_blank(new_name, "NEW")
    source = resolve_entry(client, PROFILE, value)
    name = new_name.strip() if new_name is not None else f"Duplicate of {source.name}"
    taken = find_entry(client, PROFILE, name)
    if taken is not None:
        raise ConflictError(f"device profile {name!r} already exists (id {taken.id})")
    return create_once(
        client,
        lambda: client.inventory.create(copy_body(source, name)),
        lambda: find_entry(client, PROFILE, name),
        what=f"device profile {name!r}",
    )


@dataclass(frozen=True)
class EditRequest:
    """``profile edit NAME [--name NEW] [--device-type T | --no-device-type]``, checked when made."""

    name: str | None = None
    device_type: str | None = None
    clear_device_type: bool = False

    def __post_init__(self) -> None:
        reject_blanks({"--name": self.name, "--device-type": self.device_type})
        if self.device_type is not None and self.clear_device_type:
            raise InputError("give --device-type or --no-device-type, not both")
        if self.name is None and self.device_type is None and not self.clear_device_type:
            raise InputError("nothing to change: give --name, --device-type or --no-device-type")


def edit_profile(client: Client, value: str, request: EditRequest) -> tuple[ManagedObject, list[str]]:
    """Rename and/or change the device type, one PUT each, only what differs (§9.1).

    PUT /inventory/managedObjects/<id> {"id","name"} | {"id","c8y_Filter":{"type"}}
    Returns the profile as last written and the fields changed.
    """
    entry = resolve_entry(client, PROFILE, value)
    assert entry.id is not None
    changes: list[dict[str, Any]] = []
    new_name = request.name.strip() if request.name is not None else None
    if new_name is not None and new_name != entry.name:
        other = find_entry(client, PROFILE, new_name)
        if other is not None and other.id != entry.id:
            raise ConflictError(f"another device profile is already named {new_name!r} (id {other.id})")
        changes.append({"name": new_name})
    wanted = None if request.clear_device_type else request.device_type
    if (request.device_type is not None or request.clear_device_type) and wanted != PROFILE.device_type_of(
        entry
    ):
        if not is_empty(content_of(entry)):
            raise InputError(
                f"device profile {entry.name!r} is not empty: its device type can change only while it "
                "has no firmware, software or configuration (as in the UI)",
                hint="make a profile for that device type with: c8ydm profile create, or first remove "
                "every item with: c8ydm profile set NAME --remove-firmware --remove-software S "
                "--remove-config C",
            )
        changes.append(PROFILE.device_type_body(wanted))  # cleared: {"c8y_Filter": {"type": ""}} (§2)
    updated = entry
    for body in changes:
        updated = client.inventory.update(entry.id, body)
    return updated, [key for body in changes for key in body]


def assigned_query(profile_id: str, *, is_sorted: bool = True) -> str:
    """The devices reporting this profile (§9.2 "Device side": ``c8y_Profile.profileId``), by name."""
    return build(Q.eq("c8y_Profile.profileId", profile_id), orderby=[("name", "asc")] if is_sorted else None)


def count_assigned(client: Client, profile_id: str) -> int | None:
    """How many devices report this profile in ``c8y_Profile.profileId`` (None: no totals).

    GET /inventory/managedObjects?query=$filter=(c8y_Profile.profileId eq '<id>')&pageSize=1
        &withTotalPages=true
    """
    return client.inventory.count(query=assigned_query(profile_id, is_sorted=False))
