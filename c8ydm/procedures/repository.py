"""The firmware and software repositories: one model, two kinds (contract §2, §3, §4).

Firmware and software differ only in their type names, in patches (firmware only) and in the
top-level ``softwareType`` (software only); everything here is written once for both, including
what a user names (``PackageSpec``: ``NAME@VERSION``) and the device-type check of an install.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.resolve import resolve_managed_object


@dataclass(frozen=True)
class RepoKind:
    """The names that make a repository (contract §2's table)."""

    label: str  # the user's word: "firmware", "software"
    entry_type: str  # c8y_Firmware / c8y_Software
    version_type: str  # c8y_FirmwareBinary / c8y_SoftwareBinary
    fragment: str  # the version payload fragment: c8y_Firmware / c8y_Software
    global_flag: str  # c8y_FirmwareAsGlobal / c8y_SoftwareAsGlobal (§2.1)
    has_patches: bool
    has_software_type: bool


FIRMWARE = RepoKind(
    label="firmware",
    entry_type="c8y_Firmware",
    version_type="c8y_FirmwareBinary",
    fragment="c8y_Firmware",
    global_flag="c8y_FirmwareAsGlobal",
    has_patches=True,
    has_software_type=False,
)
SOFTWARE = RepoKind(
    label="software",
    entry_type="c8y_Software",
    version_type="c8y_SoftwareBinary",
    fragment="c8y_Software",
    global_flag="c8y_SoftwareAsGlobal",
    has_patches=False,
    has_software_type=True,
)


@dataclass
class Version:
    """A base version (or a legacy entry's single version) with its patches, newest first."""

    version: str
    url: str
    id: str | None  # None for a legacy entry's pseudo-version (§2.2)
    creation_time: str | None
    is_legacy: bool = False
    patches: list[Version] = field(default_factory=list)
    dependency: str | None = None  # a patch's base version
    mo: ManagedObject | None = None  # the version MO as read (None for a legacy pseudo-version)

    @property
    def is_patch(self) -> bool:
        """Whether this is a patch of a base version."""
        return self.dependency is not None


def payload(mo: ManagedObject, kind: RepoKind) -> dict[str, Any]:
    """A version MO's ``c8y_Firmware``/``c8y_Software`` payload (``{}`` when absent)."""
    value = mo.fragment(kind.fragment)
    return value if isinstance(value, dict) else {}


def is_legacy(entry: ManagedObject) -> bool:
    """A legacy entry keeps ``url`` (and ``version``) on the entry itself (§2.2: ``Boolean(entry.url)``)."""
    return bool(entry.fragment("url"))


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
        hint=f"list entries with: c8ydm {kind.label} list",
    )


def list_versions(client: Client, kind: RepoKind, entry: ManagedObject) -> list[Version]:
    """Base versions newest first, each with its patches newest first (§3.2).

    GET /inventory/managedObjects?query=$filter=(bygroupid(<entryId>)) $orderby=creationTime.date desc
        &pageSize=2000&withTotalPages=true
    """
    if is_legacy(entry):
        return [
            Version(
                version=str(entry.fragment("version") or ""),
                url=str(entry.fragment("url") or ""),
                id=None,
                creation_time=entry.creation_time,
                is_legacy=True,
            )
        ]
    assert entry.id is not None
    query = build(filter=Q.bygroupid(entry.id), orderby=[("creationTime.date", "desc")])
    children = [mo for mo in client.inventory.list(query=query) if kind.fragment in mo.to_body()]
    bases: list[Version] = []
    patches: list[Version] = []
    for mo in children:  # already newest first; keep only items with the payload (§3.2 ★)
        data = payload(mo, kind)
        patch = mo.fragment("c8y_Patch")
        item = Version(
            version=str(data.get("version") or ""),
            url=str(data.get("url") or ""),
            id=mo.id,
            creation_time=mo.creation_time,
            dependency=str(patch.get("dependency")) if isinstance(patch, dict) else None,
            mo=mo,
        )
        (patches if item.is_patch else bases).append(item)
    for base in bases:
        base.patches = [p for p in patches if p.dependency == base.version]
    return bases


def find_version(
    versions: list[Version], kind: RepoKind, entry: ManagedObject, version: str | None
) -> Version:
    """The named base version, or the newest when ``version`` is None; NotFound otherwise."""
    if not versions:
        raise NotFoundError(f"{kind.label} {entry.name!r} has no versions")
    if version is None:
        return versions[0]
    for item in versions:
        if item.version == version:
            return item
    known = ", ".join(v.version for v in versions[:10])
    raise NotFoundError(
        f"{kind.label} {entry.name!r} has no version {version!r}", hint=f"known versions: {known}"
    )


def find_patch(base: Version, kind: RepoKind, entry: ManagedObject, patch: str) -> Version:
    """A patch of ``base`` by its version; NotFound otherwise."""
    if not kind.has_patches:
        raise InputError(f"{kind.label} has no patches")
    for item in base.patches:
        if item.version == patch:
            return item
    raise NotFoundError(f"{kind.label} {entry.name!r} version {base.version!r} has no patch {patch!r}")


def device_type_filter(entry: ManagedObject) -> str | None:
    """The entry's device-type filter; None or "" means all devices (§2)."""
    value = entry.fragment("c8y_Filter")
    if isinstance(value, dict) and value.get("type"):
        return str(value["type"])
    return None


@dataclass(frozen=True)
class PackageSpec:
    """What the user typed as ``NAME@VERSION``; ``version`` None means the newest base version."""

    name: str
    version: str | None = None

    @classmethod
    def parse(cls, text: str) -> PackageSpec:
        """``NAME@VERSION`` or ``NAME`` (split at the last ``@``: names may contain one)."""
        name, at, version = text.strip().rpartition("@")
        if not at:
            name, version = text.strip(), ""
        if not name:
            raise InputError(f"not NAME@VERSION: {text!r}", hint="e.g. --firmware linux-image@6.1.2")
        if at and not version:
            raise InputError(f"empty version in {text!r}", hint="leave out '@' for the newest version")
        return cls(name, version or None)


def check_device_type(kind: RepoKind, entry: ManagedObject, device: ManagedObject) -> None:
    """Refuse an entry whose ``c8y_Filter.type`` names another device type (cli-surface.md, §2)."""
    wanted = device_type_filter(entry)
    if wanted is not None and wanted != device.type:
        raise InputError(
            f"{kind.label} {entry.name!r} is for devices of type {wanted!r}; "
            f"device {device.name!r} has type {device.type!r}",
            hint=f"list what fits with: c8ydm {kind.label} list --device-type {device.type}",
        )
