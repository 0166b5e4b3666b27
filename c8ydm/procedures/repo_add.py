"""Add a version (or a firmware patch) to the firmware or software repository: the UI's 4-step flow.

    plan = plan_add(client, AddRequest(FIRMWARE, "fw", "1.0.0", file=path, description="Router"))
    result = execute_add(client, plan, on_bytes=bar.advance)   # "unchanged" when the plan says so

``plan_add`` validates (§3.8, before any request), resolves the entry and decides what happens;
``execute_add`` sends step 0 (the c8y_Global check, §2.1), step 1 (upload), step 2 (POST a new entry
or PUT the existing one), step 3 (create-and-link the version) and step 4 (link the binary), exactly
as contract §3.3, §3.4 and §4 give them. On any failure what this run created is removed again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import utc_now
from c8ydm.api.errors import C8yError, ConflictError, InputError, NotFoundError
from c8ydm.api.models.inventory import Binary, ManagedObject
from c8ydm.api.transfer import ProgressCallback, guess_mime
from c8ydm.procedures.repo_steps import (
    GlobalFlags,
    Undo,
    find_entry,
    find_uploaded_binary,
    find_version_mo,
    is_linked,
    reconciled,
)
from c8ydm.procedures.repo_validate import AddRequest, check_locked_fields, check_new_entry, validate_add
from c8ydm.procedures.repository import (
    Version,
    device_type_filter,
    find_version,
    is_legacy,
    list_versions,
    resolve_entry,
)


@dataclass
class AddPlan:
    """The resolved request: the entry (None: this run creates it), a patch's base, an existing match."""

    request: AddRequest
    entry: ManagedObject | None
    base: Version | None = None
    existing: Version | None = None  # the version or patch that already exists (--if-exists skip)

    @property
    def is_unchanged(self) -> bool:
        """True when nothing will be sent: the version exists and ``--if-exists skip`` was given."""
        return self.existing is not None


@dataclass
class AddResult:
    """``status`` is "created" or "unchanged"; the objects are as the tenant returned them."""

    status: str
    entry: ManagedObject
    version: ManagedObject | None
    binary: Binary | None = None
    is_new_entry: bool = False

    def to_json(self) -> dict[str, Any]:
        """The result with Cumulocity's field names: ``{"status", "entry", "version", "binary"}``."""
        return {
            "status": self.status,
            "entry": self.entry.to_body(),
            "version": self.version.to_body() if self.version is not None else None,
            "binary": self.binary.to_body() if self.binary is not None else None,
        }


def plan_add(client: Client, request: AddRequest) -> AddPlan:
    """Validate, resolve the entry and its versions, and decide: create, skip, or fail (exit 7).

    GET the entry by id or name (§3.3 lookup); for an existing entry GET its versions (§3.2).
    """
    validate_add(request)
    kind = request.kind
    try:
        entry = resolve_entry(client, kind, request.name)
    except NotFoundError:
        if request.patch is not None:
            raise NotFoundError(
                f"{kind.label} {request.name.strip()!r} not found",
                hint="a patch is added to an existing firmware version",
            ) from None
        check_new_entry(request)
        return AddPlan(request, None)
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
        if request.if_exists == "fail":
            what = f"patch {wanted!r} of version {request.version!r}" if base else f"version {wanted!r}"
            raise ConflictError(
                f"{kind.label} {entry.name!r} already has {what}",
                hint="add --if-exists skip to accept an existing version",
            )
        return AddPlan(request, entry, base, existing)
    check_locked_fields(request, entry)
    return AddPlan(request, entry, base)


def execute_add(
    client: Client,
    plan: AddPlan,
    *,
    flags: GlobalFlags | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_undo: Callable[[str], None] | None = None,
) -> AddResult:
    """Send steps 0-4 (§3.3/§3.4/§4); on failure remove what this run created and re-raise.

    ``on_bytes(n)`` is called with each chunk size of the upload; ``on_undo(text)`` per clean-up step.
    """
    if plan.is_unchanged:
        assert plan.entry is not None and plan.existing is not None
        return AddResult("unchanged", plan.entry, plan.existing.mo)
    request, kind = plan.request, plan.request.kind
    extra = (flags or GlobalFlags(client)).fragments(kind.global_flag)  # step 0
    undo = Undo(client, on_undo)
    try:
        binary = _upload(client, request.file, extra, on_bytes) if request.file is not None else None
        url = request.url or ""
        if binary is not None:
            undo.binary_id = binary.id
            url = client.binaries.url_of(binary)
        entry = _save_entry(client, plan, extra, undo)
        assert entry.id is not None
        version = _create_version(client, plan, entry.id, url, extra)
        assert version.id is not None
        undo.version_id = version.id
        if binary is not None and binary.id is not None:
            _link_binary(client, version.id, binary.id)  # step 4
            undo.is_binary_linked = True
    except BaseException as error:
        undo.run()
        if undo.left_behind and isinstance(error, C8yError):
            left = ", ".join(undo.left_behind)
            error.hint = f"{error.hint + ' ' if error.hint else ''}Left behind (remove by hand): {left}."
        raise
    return AddResult("created", entry, version, binary, is_new_entry=plan.entry is None)


def _progress(on_bytes: Callable[[int], None] | None) -> ProgressCallback | None:
    if on_bytes is None:
        return None
    last = [0]

    def progress(sent: int, total: int) -> None:
        if sent > last[0]:
            on_bytes(sent - last[0])
        last[0] = sent  # a replayed body starts again at 0

    return progress


def _upload(
    client: Client, path: Path, extra: dict[str, Any], on_bytes: Callable[[int], None] | None
) -> Binary:
    """Step 1 (§1.11): POST /inventory/binaries with ``object`` {"name","type"[,"c8y_Global"]}."""
    now = utc_now()
    started = now.replace(microsecond=now.microsecond // 1000 * 1000)  # the tenant keeps milliseconds
    return reconciled(
        lambda: client.binaries.upload(path, fragments=extra, on_progress=_progress(on_bytes)),
        lambda: find_uploaded_binary(client, path.name, guess_mime(path.name), started),
    )


def _save_entry(client: Client, plan: AddPlan, extra: dict[str, Any], undo: Undo) -> ManagedObject:
    """Step 2: POST a new entry, or PUT the existing one with its current values (§3.3, §4)."""
    request, kind, entry = plan.request, plan.request.kind, plan.entry
    if entry is not None:
        assert entry.id is not None
        body: dict[str, Any] = {"name": entry.name, "type": kind.entry_type}
        description = entry.fragment("description")
        if description is not None:
            body["description"] = description
        software_type = entry.fragment("softwareType")
        if kind.has_software_type and software_type:
            body["softwareType"] = software_type
        device_type = device_type_filter(entry)
        if device_type:  # the UI writes c8y_Filter only for a non-empty type (§2)
            body["c8y_Filter"] = {"type": device_type}
        return client.inventory.update(entry.id, {**body, **extra})
    name = request.name.strip()
    body = {"name": name, "description": request.description, "type": kind.entry_type}
    if kind.has_software_type:
        body["softwareType"] = request.software_type
    if request.device_type:
        body["c8y_Filter"] = {"type": request.device_type}
    created = reconciled(
        lambda: client.inventory.create({**body, **extra}),
        lambda: find_entry(client, kind, name),
    )
    undo.entry_id = created.id
    return created


def _create_version(
    client: Client, plan: AddPlan, entry_id: str, url: str, extra: dict[str, Any]
) -> ManagedObject:
    """Step 3: POST …/{entry}/childAdditions (managedObject media type) creating the version (§3.3/§3.4)."""
    request, kind = plan.request, plan.request.kind
    version = request.patch if request.patch is not None else request.version
    body: dict[str, Any] = {"type": kind.version_type, kind.fragment: {"url": url, "version": version}}
    dependency = plan.base.version if plan.base is not None else None
    if dependency is not None:
        body["c8y_Patch"] = {"dependency": dependency}
    return reconciled(
        lambda: client.inventory.create_child_addition(entry_id, {**body, **extra}),
        lambda: find_version_mo(client, kind, entry_id, version, dependency),
    )


def _link_binary(client: Client, version_id: str, binary_id: str) -> None:
    """Step 4: POST …/{version}/childAdditions (managedObjectReference media type) {"managedObject":{id}}."""

    def link() -> bool:
        client.inventory.link_child(version_id, binary_id)
        return True

    reconciled(link, lambda: is_linked(client, version_id, binary_id) or None)
