"""List, show and edit repository entries (contract §3.1, §3.2, §3.5, §4, §5, §5.2).

Deleting is in ``delete``, downloading in ``download``, adding in ``add``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import mo_id_from_url
from c8ydm.api.errors import ConflictError, InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.inputs import check_repository_url, check_upload_file, reject_blanks
from c8ydm.procedures.repository.checks import check_entry_lengths, check_fields
from c8ydm.procedures.repository.edit_file import replace_file, whole_entry
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
    """The fields to change; ``fields`` are the kind's extra fields by Cumulocity name; ``file`` or
    ``url`` replace a single-level entry's file (§5.2). Checked when made: at least one valid change
    (InputError, before any request)."""

    kind: RepoKind
    name: str | None = None
    description: str | None = None
    device_type: str | None = None
    clear_device_type: bool = False
    fields: Mapping[str, str | None] = field(default_factory=dict)
    file: Path | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        kind = self.kind
        reject_blanks(
            {
                "--name": self.name,
                "--description": self.description,
                "--device-type": self.device_type,
                "--url": self.url,
            }
        )
        check_fields(kind, self.fields)
        check_entry_lengths(kind, self.name, self.description, self.device_type, self.fields)
        if self.device_type is not None and self.clear_device_type:
            raise InputError("give --device-type or --no-device-type, not both")
        self._check_source()
        if not self.changes() and not self.has_new_source:
            options = ["--name", "--description", "--device-type", "--no-device-type"]
            options += [spec.option for spec in kind.fields]
            options += ["--file", "--url"] if kind.versions is None else []
            raise InputError(f"nothing to change: give at least one of {', '.join(options)}")

    @property
    def has_new_source(self) -> bool:
        """Whether a new file or URL replaces the entry's."""
        return self.file is not None or self.url is not None

    def _check_source(self) -> None:
        if not self.has_new_source:
            return
        if self.kind.versions is not None:
            raise InputError(
                f"{self.kind.label} files belong to versions",
                hint=f"add a version with: c8ydm {self.kind.command} add",
            )
        if self.file is not None and self.url is not None:
            raise InputError("give --file PATH or --url URL, not both")
        if self.file is not None:
            check_upload_file(self.file)
        if self.url is not None:
            check_repository_url(self.url)

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


def edit_entry(
    client: Client,
    value: str,
    request: EditRequest,
    *,
    on_bytes: Callable[[int], None] | None = None,
    on_undo: Callable[[str], None] | None = None,
) -> ManagedObject:
    """Change an entry: one PUT per field (§3.5, §4), or one PUT of the whole entry (§5.2), with a
    new file or URL put in place first (``edit_file``; ``on_bytes`` per uploaded chunk).

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
    if request.has_new_source:
        return replace_file(
            client, kind, entry, changes, file=request.file, url=request.url, on_bytes=on_bytes,
            on_undo=on_undo,
        )  # fmt: skip
    if not kind.is_edited_per_field:
        return client.inventory.update(entry.id, whole_entry(kind, entry, changes))
    updated = entry
    for body in changes:
        updated = client.inventory.update(entry.id, body)
    return updated
