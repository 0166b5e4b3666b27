"""List, show and edit repository entries (contract §3.1, §3.2, §3.5, §4, §5, §5.2).

Deleting is in ``delete``, downloading in ``download``, adding in ``add``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import mo_id_from_url
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.inputs import reject_blanks
from c8ydm.procedures.repository.checks import check_fields
from c8ydm.procedures.repository.kinds import RepoKind
from c8ydm.procedures.repository.lookup import find_entry, list_query, resolve_entry
from c8ydm.procedures.repository.versions import Version, count_base_versions_of, list_versions


@dataclass(frozen=True)
class ListRequest:
    """``list``'s filters: a name pattern (``*``), a device type, the kind's extra fields by name."""

    kind: RepoKind
    name: str | None = None
    device_type: str | None = None
    fields: Mapping[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        reject_blanks({"--name": self.name, "--device-type": self.device_type})
        check_fields(self.kind, self.fields)

    def given_fields(self) -> dict[str, str]:
        """The extra-field filters that were given."""
        return {path: value for path, value in self.fields.items() if value is not None}


@dataclass
class EntrySummary:
    """One row of ``list``: the entry and its number of base versions (None: not counted or unversioned)."""

    entry: ManagedObject
    version_count: int | None


def list_entries(client: Client, request: ListRequest) -> list[EntrySummary]:
    """Entries by name with their base-version counts, in a constant number of requests (the entries'
    pages, then ``count_base_versions_of``); a count is None only when the tenant gives no total.

    GET /inventory/managedObjects?query=$filter=(type eq '<entry type>') $orderby=name asc&…
    """
    kind = request.kind
    query = list_query(
        kind, name=request.name, device_type=request.device_type, fields=request.given_fields()
    )
    entries = list(client.inventory.list(query=query))
    if kind.versions is None:
        return [EntrySummary(entry, None) for entry in entries]
    counts = count_base_versions_of(client, kind, entries)
    return [EntrySummary(entry, counts.get(entry.id or "")) for entry in entries]


@dataclass
class EntryDetails:
    """An entry with its base versions newest first, each with its patches (§3.2); none if unversioned."""

    kind: RepoKind
    entry: ManagedObject
    versions: list[Version]


def show_entry(client: Client, kind: RepoKind, value: str) -> EntryDetails:
    """An entry by id or name with its versions and patches (§3.2).

    GET /inventory/managedObjects?query=$filter=(bygroupid(<entryId>)) $orderby=creationTime.date desc
    """
    entry = resolve_entry(client, kind, value)
    versions = list_versions(client, kind, entry) if kind.versions is not None else []
    return EntryDetails(kind, entry, versions)


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
    """The fields to change; ``fields`` are the kind's extra fields by Cumulocity name. Checked when
    made: at least one valid change (InputError, before any request)."""

    kind: RepoKind
    name: str | None = None
    description: str | None = None
    device_type: str | None = None
    clear_device_type: bool = False
    fields: Mapping[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kind = self.kind
        reject_blanks(
            {"--name": self.name, "--description": self.description, "--device-type": self.device_type}
        )
        check_fields(kind, self.fields)
        if self.device_type is not None and self.clear_device_type:
            raise InputError("give --device-type or --no-device-type, not both")
        if not self.changes():
            options = ["--name", "--description", "--device-type", "--no-device-type"]
            options += [spec.option for spec in kind.fields]
            raise InputError(f"nothing to change: give at least one of {', '.join(options)}")

    def changes(self) -> list[dict[str, Any]]:
        """One fragment per changed field, in the details page's order."""
        kind = self.kind
        changes: list[dict[str, Any]] = []
        if self.name is not None:
            changes.append({"name": self.name.strip()})
        if self.description is not None:
            changes.append({"description": self.description})
        if self.device_type is not None or self.clear_device_type:
            # §2: clearing sends an empty c8y_Filter.type (§3.5), or deviceType null (§5.2).
            changes.append(kind.device_type_body(self.device_type))
        changes += [{path: value} for path, value in self.fields.items() if value is not None]
        return changes


def edit_entry(client: Client, value: str, request: EditRequest) -> ManagedObject:
    """Change an entry: one PUT per field (§3.5, §4), or one PUT of the whole entry (§5.2).

    PUT /inventory/managedObjects/<entryId>  {"id","name"} | {"id","description"} |
        {"id","c8y_Filter":{"type"}} | {"id","softwareType"}
    """
    kind = request.kind
    entry = resolve_entry(client, kind, value)
    assert entry.id is not None
    if request.name is not None and request.name.strip() != entry.name:
        other = find_entry(client, kind, request.name.strip())
        if other is not None and other.id != entry.id:
            # Two entries with one name could no longer be told apart by name; refuse early.
            raise ConflictError(
                f"another {kind.label} is already named {request.name.strip()!r} (id {other.id})"
            )
    changes = request.changes()
    if not kind.is_edited_per_field:
        return client.inventory.update(entry.id, _whole_entry(kind, entry, changes))
    updated = entry
    for body in changes:
        updated = client.inventory.update(entry.id, body)
    return updated


def _whole_entry(kind: RepoKind, entry: ManagedObject, changes: list[dict[str, Any]]) -> dict[str, Any]:
    """§5.2: the entry's editable fields as they are, with the changes applied, in one body."""
    current = entry.to_body()
    keep = ("name", "description", "type", "url", kind.device_type_path.split(".")[0], "c8y_Global")
    body = {key: current[key] for key in keep if key in current}
    body.update({spec.path: current[spec.path] for spec in kind.fields if spec.path in current})
    for change in changes:
        body.update(change)
    return body
