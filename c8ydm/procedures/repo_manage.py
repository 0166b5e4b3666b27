"""List, show and edit firmware and software repository entries (contract §3.1, §3.2, §3.5, §4).

Deleting is in ``repo_delete``, downloading in ``repo_download``, adding in ``repo_add``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import mo_id_from_url
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Expr, Q, build
from c8ydm.procedures.repo_steps import find_entry
from c8ydm.procedures.repo_validate import reject_blank
from c8ydm.procedures.repository import (
    RepoKind,
    Version,
    is_legacy,
    list_versions,
    resolve_entry,
)

# One count request per listed entry (§3.1) is fine for modest lists; beyond this the count is left
# out (None) rather than sending hundreds of requests for one listing.
MAX_COUNTED_ENTRIES = 100


def _reject_blank(**values: str | None) -> None:
    for option, value in values.items():
        reject_blank(value, f"--{option.replace('_', '-')}")


@dataclass
class EntrySummary:
    """One row of ``list``: the entry and its number of base versions (None: not counted)."""

    entry: ManagedObject
    version_count: int | None

    def to_json(self) -> dict[str, Any]:
        """The entry MO with ``versionCount`` added."""
        return {**self.entry.to_body(), "versionCount": self.version_count}


def list_query(
    kind: RepoKind,
    *,
    name: str | None = None,
    device_type: str | None = None,
    software_type: str | None = None,
) -> str:
    """§3.1's list query with the filters ANDed on as the builder does (two operands per node).

    The contract shows the AND as ``((type eq 'c8y_Firmware') and (name eq '…'))`` (§1.6.2, the
    firmware list) and as ``((name eq '…') and (type eq …))`` (§3.1); the first, like the pickers'
    ``(((type …) and (name …)) and (…))`` of §1.6.3, is followed here.
    """
    expr: Expr = Q.eq("type", kind.entry_type)
    if name is not None:
        expr = expr & Q.eq("name", name)
    if device_type is not None:
        # §3.1: the type, or the "no device type" switch (absent or empty).
        path = "c8y_Filter.type"
        expr = expr & (Q.eq(path, device_type) | (Q.not_(Q.has(path)) | Q.eq(path, "")))
    if software_type is not None:
        expr = expr & Q.eq("softwareType", software_type)  # §4: the grid's softwareType filter
    return build(expr, orderby=[("name", "asc")])


def count_base_versions(client: Client, entry: ManagedObject) -> int | None:
    """The number of base versions (§3.1); a legacy entry counts as 1; None when the tenant gives no total.

    GET /inventory/managedObjects?query=$filter=((not(has(c8y_Patch))) and (bygroupid(<id>)))
        $orderby=creationTime.date desc&pageSize=1&withTotalElements=true
    """
    if is_legacy(entry):
        return 1
    assert entry.id is not None
    query = build(Q.not_(Q.has("c8y_Patch")) & Q.bygroupid(entry.id), orderby=[("creationTime.date", "desc")])
    return client.inventory.count_elements(query=query)


def list_entries(
    client: Client,
    kind: RepoKind,
    *,
    name: str | None = None,
    device_type: str | None = None,
    software_type: str | None = None,
    max_counted: int = MAX_COUNTED_ENTRIES,
) -> list[EntrySummary]:
    """Entries by name with their base-version counts (the first ``max_counted`` entries are counted).

    GET /inventory/managedObjects?query=$filter=(type eq '<entry type>') $orderby=name asc&…
    """
    _reject_blank(name=name, device_type=device_type, software_type=software_type)
    if software_type is not None and not kind.has_software_type:
        raise InputError("--software-type is for software only")
    query = list_query(kind, name=name, device_type=device_type, software_type=software_type)
    entries = list(client.inventory.list(query=query))
    return [
        EntrySummary(entry, count_base_versions(client, entry) if index < max_counted else None)
        for index, entry in enumerate(entries)
    ]


@dataclass
class EntryDetails:
    """An entry with its base versions newest first, each with its patches (§3.2)."""

    kind: RepoKind
    entry: ManagedObject
    versions: list[Version]

    def to_json(self) -> dict[str, Any]:
        """``{"entry": <MO>, "versions": [<version MO> + "patches": [<patch MO>…]]}``."""
        return {"entry": self.entry.to_body(), "versions": [self._version(v) for v in self.versions]}

    def _version(self, version: Version) -> dict[str, Any]:
        if version.mo is None:  # §2.2: a legacy entry's version lives on the entry
            body: dict[str, Any] = {self.kind.fragment: {"version": version.version, "url": version.url}}
            return {**body, "legacy": True}
        patches = [self._version(p) for p in version.patches]
        return {**version.mo.to_body(), **({"patches": patches} if self.kind.has_patches else {})}


def show_entry(client: Client, kind: RepoKind, value: str) -> EntryDetails:
    """An entry by id or name with its versions and patches (§3.2).

    GET /inventory/managedObjects?query=$filter=(bygroupid(<entryId>)) $orderby=creationTime.date desc
    """
    entry = resolve_entry(client, kind, value)
    return EntryDetails(kind, entry, list_versions(client, kind, entry))


def binary_name(version: Version) -> str | None:
    """The file name of an uploaded version: its child-addition reference to the binary (§3.3 step 4)."""
    binary_id = mo_id_from_url(version.url)
    if version.mo is None or binary_id is None or version.mo.child_additions is None:
        return None
    for reference in version.mo.child_additions.references:
        if reference.managed_object.id == binary_id:
            return reference.managed_object.name
    return None


@dataclass(frozen=True)
class EditRequest:
    """The fields to change; each one becomes its own PUT (§3.5, §4)."""

    name: str | None = None
    description: str | None = None
    device_type: str | None = None
    clear_device_type: bool = False
    software_type: str | None = None

    def validate(self, kind: RepoKind) -> None:
        """InputError unless at least one valid change is asked for (before any request)."""
        _reject_blank(
            name=self.name,
            description=self.description,
            device_type=self.device_type,
            software_type=self.software_type,
        )
        if self.device_type is not None and self.clear_device_type:
            raise InputError("give --device-type or --no-device-type, not both")
        if self.software_type is not None and not kind.has_software_type:
            raise InputError("--software-type is for software only")
        if not self.bodies():
            options = "--name, --description, --device-type, --no-device-type"
            extra = ", --software-type" if kind.has_software_type else ""
            raise InputError(f"nothing to change: give at least one of {options}{extra}")

    def bodies(self) -> list[dict[str, Any]]:
        """One PUT body per field, in the details page's order (the id is added by the client)."""
        bodies: list[dict[str, Any]] = []
        if self.name is not None:
            bodies.append({"name": self.name.strip()})
        if self.description is not None:
            bodies.append({"description": self.description})
        if self.device_type is not None or self.clear_device_type:
            # §2: clearing the device type sends an empty type, as the details page does.
            bodies.append({"c8y_Filter": {"type": self.device_type or ""}})
        if self.software_type is not None:
            bodies.append({"softwareType": self.software_type})
        return bodies


def edit_entry(client: Client, kind: RepoKind, value: str, request: EditRequest) -> ManagedObject:
    """Change an entry one field per PUT (§3.5, §4); the entry as the last PUT returned it.

    PUT /inventory/managedObjects/<entryId>  {"id","name"} | {"id","description"} |
        {"id","c8y_Filter":{"type"}} | {"id","softwareType"}
    """
    request.validate(kind)
    entry = resolve_entry(client, kind, value)
    assert entry.id is not None
    if request.name is not None and request.name.strip() != entry.name:
        other = find_entry(client, kind, request.name.strip())
        if other is not None and other.id != entry.id:
            # Two entries with one name could no longer be told apart by name; refuse early.
            raise ConflictError(
                f"another {kind.label} is already named {request.name.strip()!r} (id {other.id})"
            )
    updated = entry
    for body in request.bodies():
        updated = client.inventory.update(entry.id, body)
    return updated
