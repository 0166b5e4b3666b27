"""Add to a repository: the UI's add flow, for every kind (contract §3.3, §3.4, §4, §5.1).

    plan = plan_add(client, AddRequest(FIRMWARE, "fw", "1.0.0", file=path, description="Router"))
    result = execute_add(client, plan, on_bytes=bar.advance)   # "unchanged" when the plan says so

An ``AddRequest`` is checked when it is made (before any request); ``plan_add`` resolves the entry
and decides: create, skip (``--if-exists skip``) or fail (exit 7). ``execute_add`` sends step 0
(the c8y_Global check, §2.1), step 1 (upload), step 2 (POST a new entry, or PUT an existing
versioned one), step 3 (create-and-link the version, versioned kinds only) and step 4 (link the
binary under the version, or under the entry for a single-level kind, §5.1). On any failure what
this run created is removed again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import ConflictError, InputError, NotFoundError
from c8ydm.api.models.inventory import Binary, ManagedObject
from c8ydm.procedures.reconcile import create_once
from c8ydm.procedures.repository.checks import check_locked_fields, check_new_entry, validate_add
from c8ydm.procedures.repository.content import refuse_different_content
from c8ydm.procedures.repository.existing import accept_existing, unlinked_binary
from c8ydm.procedures.repository.kinds import RepoKind
from c8ydm.procedures.repository.lookup import find_entry, resolve_entry
from c8ydm.procedures.repository.steps import GlobalFlags, Undo, link_binary
from c8ydm.procedures.repository.uploads import LocalFile, provide_binary, upload_target
from c8ydm.procedures.repository.versions import (
    Version,
    find_version,
    find_version_mo,
    is_legacy,
    list_versions,
    versions_of,
)


@dataclass(frozen=True)
class AddRequest:
    """What the user asked for. ``version`` is a patch's base version when ``patch`` is given; a
    single-level kind (configuration) has no version. ``fields``: the kind's extra entry fields by
    Cumulocity name (``{"softwareType": "apt"}``)."""

    kind: RepoKind
    name: str
    version: str | None = None
    file: Path | None = None
    url: str | None = None
    description: str | None = None
    device_type: str | None = None
    patch: str | None = None
    if_exists: str = "fail"
    fields: Mapping[str, str | None] = field(default_factory=dict)
    # The uploaded binary's file name and type when they are not the file's own: a device snapshot
    # is saved under the entered name with type c8y_upload, as the UI does (§8.3).
    upload_name: str | None = None
    upload_type: str | None = None

    def __post_init__(self) -> None:
        validate_add(self)  # valid by construction: checked once, before any request

    @property
    def given_fields(self) -> dict[str, str]:
        """The extra fields that were given."""
        return {path: value for path, value in self.fields.items() if value is not None}


@dataclass
class AddPlan:
    """The resolved request: the entry (None: this run creates it), a patch's base, an existing match."""

    request: AddRequest
    entry: ManagedObject | None
    base: Version | None = None
    existing: Version | None = None  # the version or patch that already exists (--if-exists skip)
    is_existing_entry: bool = False  # a single-level entry that exists (--if-exists skip)
    local: LocalFile | None = None  # the file to upload, with its size and SHA-256
    unlinked_binary: str | None = None  # an existing version's binary an interrupted add left unlinked

    @property
    def is_unchanged(self) -> bool:
        """True when nothing will be sent: it exists and ``--if-exists skip`` was given."""
        return self.existing is not None or self.is_existing_entry


@dataclass
class AddResult:
    """``status`` is "created" or "unchanged"; the objects are as the tenant returned them."""

    status: str
    entry: ManagedObject
    version: ManagedObject | None
    binary: Binary | None = None
    is_new_entry: bool = False
    request: AddRequest | None = None


def plan_add(client: Client, request: AddRequest) -> AddPlan:
    """Validate, resolve the entry and its versions, and decide: create, skip, or fail (exit 7).

    GET the entry by id or name (§3.3 lookup); for an existing entry GET its versions (§3.2).
    """
    kind = request.kind
    local = None
    if request.file is not None:
        local = LocalFile.read(request.file, name=request.upload_name, mime=request.upload_type)
    try:
        entry = resolve_entry(client, kind, request.name)
    except NotFoundError:
        if request.patch is not None:
            raise NotFoundError(
                f"{kind.label} {request.name.strip()!r} not found",
                hint="a patch is added to an existing firmware version",
            ) from None
        check_new_entry(kind, request.name, request.description, request.given_fields)
        return AddPlan(request, None, local=local)
    if kind.versions is None:
        return _plan_existing_entry(client, request, entry, local)
    plan = _plan_version(client, request, entry, local)
    plan.local = local
    return plan


def _plan_existing_entry(
    client: Client, request: AddRequest, entry: ManagedObject, local: LocalFile | None
) -> AddPlan:
    """A single-level entry of that name exists: fail (exit 7), or skip it when it holds exactly what
    was asked for (same file or URL, same fields; ``content``); a difference is exit 7 too. A binary
    an interrupted add left unlinked is linked when skipping (``existing``).

    GET the stored binary's size (and its content, streamed, unless c8ydm's marker has its digest),
    and the entry's child additions when a file is given.
    """
    kind = request.kind
    if request.if_exists == "fail":
        raise ConflictError(
            f"{kind.label} {entry.name!r} already exists (id {entry.id})",
            hint=f"add --if-exists skip to accept it, or change it with: c8ydm {kind.command} edit",
        )
    refuse_different_content(
        client, kind, entry, description=request.description, device_type=request.device_type,
        fields=request.given_fields, file=request.file, url=request.url,
    )  # fmt: skip
    stored = str(entry.fragment("url") or "")
    unlinked = unlinked_binary(client, entry.id, stored) if local is not None else None
    return AddPlan(request, entry, is_existing_entry=True, local=local, unlinked_binary=unlinked)


def _plan_version(
    client: Client, request: AddRequest, entry: ManagedObject, local: LocalFile | None
) -> AddPlan:
    kind = request.kind
    if is_legacy(entry):  # §2.2: legacy entries keep their only version on the entry itself
        raise InputError(
            f"{kind.label} {entry.name!r} is a legacy entry (its version is kept on the entry itself); "
            "versions and patches cannot be added to it"
        )
    versions = list_versions(client, kind, entry)
    base = find_version(versions, kind, entry, request.version) if request.patch is not None else None
    siblings = base.patches if base is not None else versions
    wanted = request.patch if request.patch is not None else request.version
    existing = next((item for item in siblings if item.version == wanted), None)
    if existing is not None:
        what = f"patch {wanted!r} of version {request.version!r}" if base else f"version {wanted!r}"
        conflict = ConflictError(
            f"{kind.label} {entry.name!r} already has {what}",
            hint="add --if-exists skip to accept an existing version",
        )
        unlinked = accept_existing(
            client, conflict, what=f"{kind.label} {entry.name!r} {what}",
            is_skip=request.if_exists == "skip", parent_id=existing.id, stored_url=existing.url,
            file=local, url=request.url,
        )  # fmt: skip
        return AddPlan(request, entry, base, existing, unlinked_binary=unlinked)
    check_locked_fields(
        kind,
        entry,
        description=request.description,
        device_type=request.device_type,
        fields=request.given_fields,
    )
    return AddPlan(request, entry, base)


def execute_add(
    client: Client,
    plan: AddPlan,
    *,
    flags: GlobalFlags | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_undo: Callable[[str], None] | None = None,
) -> AddResult:
    """Send steps 0-4 (§3.3/§3.4/§4/§5.1); on failure remove what this run created and re-raise.

    ``on_bytes(n)`` is called with each chunk size of the upload; ``on_undo(text)`` per clean-up,
    adoption or repair step (what an interrupted earlier run left behind: ``uploads.py``).
    """
    request, kind = plan.request, plan.request.kind
    if plan.is_unchanged:
        return _finish_existing(client, plan, on_undo)
    extra = (flags or GlobalFlags(client)).fragments(kind.global_flag)  # step 0
    undo = Undo(client, on_undo)
    try:
        binary = None
        if plan.local is not None:  # step 1
            target = upload_target(kind.entry_type, request.name.strip(), request.version, request.patch)
            binary = provide_binary(client, plan.local, target, extra, on_bytes, on_undo)
        url = request.url or ""
        if binary is not None:
            undo.binary_id = binary.id
            url = client.binaries.url_of(binary)
        entry = _save_entry(client, plan, extra, undo, url)
        assert entry.id is not None
        version = _add_version(client, plan, entry.id, url, extra, undo) if kind.versions else None
        if binary is not None and binary.id is not None:  # step 4
            parent = version.id if version is not None else entry.id
            assert parent is not None
            link_binary(client, parent, binary.id)
            undo.is_binary_linked = version is not None
    except BaseException as error:
        undo.run()
        undo.explain(error)
        raise
    return AddResult("created", entry, version, binary, is_new_entry=plan.entry is None, request=request)


def _finish_existing(client: Client, plan: AddPlan, report: Callable[[str], None] | None) -> AddResult:
    """``--if-exists skip``: nothing new; a binary an interrupted add left unlinked is linked now."""
    assert plan.entry is not None
    version = plan.existing.mo if plan.existing is not None else None
    if plan.unlinked_binary is not None:
        parent = version.id if version is not None else plan.entry.id
        assert parent is not None
        link_binary(client, parent, plan.unlinked_binary)
        if report is not None:
            done = "Would link" if client.dry_run else "Linked"
            report(f"{done} binary {plan.unlinked_binary} under {parent}: an interrupted add had not.")
    return AddResult("unchanged", plan.entry, version, request=plan.request)


def _entry_fields(kind: RepoKind, values: Mapping[str, Any], device_type: str | None) -> dict[str, Any]:
    """The kind's extra fields (non-empty ones) and the device type (only a non-empty one, §2)."""
    body = {spec.path: values[spec.path] for spec in kind.fields if values.get(spec.path)}
    return {**body, **(kind.device_type_body(device_type) if device_type else {})}


def _save_entry(client: Client, plan: AddPlan, extra: dict[str, Any], undo: Undo, url: str) -> ManagedObject:
    """Step 2: POST a new entry, or PUT the existing one with its current values (§3.3, §4, §5.1)."""
    request, kind, entry = plan.request, plan.request.kind, plan.entry
    if entry is not None:
        assert entry.id is not None
        body: dict[str, Any] = {"name": entry.name, "type": kind.entry_type}
        description = entry.fragment("description")
        if description is not None:
            body["description"] = description
        body.update(_entry_fields(kind, entry.to_body(), kind.device_type_of(entry)))
        return client.inventory.update(entry.id, {**body, **extra})
    name = request.name.strip()
    body = {"name": name}
    if request.description is not None:
        body["description"] = request.description
    body["type"] = kind.entry_type
    if kind.versions is None:
        body["url"] = url  # §5.1: a single-level entry holds the file's url itself
    body.update(_entry_fields(kind, request.given_fields, request.device_type))
    created = create_once(
        client,
        lambda: client.inventory.create({**body, **extra}),
        lambda: find_entry(client, kind, name),
        what=f"{kind.label} entry {name!r}",
    )
    undo.entry_id = created.id
    return created


def _add_version(
    client: Client, plan: AddPlan, entry_id: str, url: str, extra: dict[str, Any], undo: Undo
) -> ManagedObject:
    """Step 3: POST …/{entry}/childAdditions (managedObject media type) creating the version (§3.3/§3.4)."""
    request, kind = plan.request, plan.request.kind
    spec = versions_of(kind)
    version = request.patch if request.patch is not None else str(request.version)
    body: dict[str, Any] = {"type": spec.version_type, spec.fragment: {"url": url, "version": version}}
    dependency = plan.base.version if plan.base is not None else None
    if dependency is not None:
        body["c8y_Patch"] = {"dependency": dependency}
    created = create_once(
        client,
        lambda: client.inventory.create_child_addition(entry_id, {**body, **extra}),
        lambda: find_version_mo(client, kind, entry_id, version, dependency),
        what=f"version {version!r}",
    )
    undo.version_id = created.id
    return created
