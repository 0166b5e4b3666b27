"""Versions and patches of a versioned repository entry (contract §2, §2.2, §3.1, §3.2).

Base versions are the entry's child additions without ``c8y_Patch``; a patch is a sibling whose
``c8y_Patch.dependency`` names its base version. A legacy entry (``url`` on the entry itself, §2.2)
has one pseudo-version. ``PackageSpec`` is what a user types to name a version: ``NAME@VERSION``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.repository.kinds import RepoKind, Versions

PER_ENTRY_COUNTS = 2  # up to this many entries, one UI count request each (§3.1); more: one listing


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


def versions_of(kind: RepoKind) -> Versions:
    """The kind's version layout; InputError for a single-level kind (configuration)."""
    if kind.versions is None:
        raise InputError(f"{kind.label} entries have no versions")
    return kind.versions


def payload(mo: ManagedObject, kind: RepoKind) -> dict[str, Any]:
    """A version MO's ``c8y_Firmware``/``c8y_Software`` payload (``{}`` when absent)."""
    value = mo.fragment(versions_of(kind).fragment)
    return value if isinstance(value, dict) else {}


def is_legacy(entry: ManagedObject) -> bool:
    """A legacy entry keeps ``url`` (and ``version``) on the entry itself (§2.2: ``Boolean(entry.url)``)."""
    return bool(entry.fragment("url"))


def list_versions(client: Client, kind: RepoKind, entry: ManagedObject) -> list[Version]:
    """Base versions newest first, each with its patches newest first (§3.2).

    GET /inventory/managedObjects?query=$filter=(bygroupid(<entryId>)) $orderby=creationTime.date desc
        &pageSize=2000&withTotalPages=true
    """
    fragment = versions_of(kind).fragment
    if is_legacy(entry):
        legacy = Version(
            version=str(entry.fragment("version") or ""),
            url=str(entry.fragment("url") or ""),
            id=None,
            creation_time=entry.creation_time,
            is_legacy=True,
        )
        return [legacy]
    assert entry.id is not None
    query = build(filter=Q.bygroupid(entry.id), orderby=[("creationTime.date", "desc")])
    children = [mo for mo in client.inventory.list(query=query) if fragment in mo.to_body()]
    bases: list[Version] = []
    patches: list[Version] = []
    for mo in children:  # already newest first; keep only items with the payload (§3.2 ★)
        item = _version(mo, kind)
        (patches if item.is_patch else bases).append(item)
    for base in bases:
        base.patches = [p for p in patches if p.dependency == base.version]
    return bases


def _version(mo: ManagedObject, kind: RepoKind) -> Version:
    data = payload(mo, kind)
    patch = mo.fragment("c8y_Patch")
    return Version(
        version=str(data.get("version") or ""),
        url=str(data.get("url") or ""),
        id=mo.id,
        creation_time=mo.creation_time,
        dependency=str(patch.get("dependency")) if isinstance(patch, dict) else None,
        mo=mo,
    )


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


def count_base_versions_of(
    client: Client, kind: RepoKind, entries: Sequence[ManagedObject]
) -> dict[str, int | None]:
    """The number of base versions of each entry (by id), in a constant number of requests.

    A legacy entry counts as 1 (§3.1). Up to ``PER_ENTRY_COUNTS`` entries are counted one request
    each with the UI's count query (``count_base_versions``); more are counted together from one
    listing of all the kind's base-version objects with their entry, the addition parent that
    ``withParents=true`` names (the Go CLI's way to a version's entry, contract §3.2, §6). That
    listing's pages hold 2000 versions each, so 150 entries cost the entry page and one page.

    GET /inventory/managedObjects?query=$filter=((type eq 'c8y_FirmwareBinary') and
        (not(has(c8y_Patch))))&withParents=true&withChildren=false&pageSize=2000&withTotalPages=true
    """
    counts: dict[str, int | None] = {}
    versioned = []
    for entry in entries:
        assert entry.id is not None
        if is_legacy(entry):
            counts[entry.id] = 1
        else:
            versioned.append(entry)
    if len(versioned) <= PER_ENTRY_COUNTS:
        counts.update({entry.id or "": count_base_versions(client, entry) for entry in versioned})
        return counts
    wanted = {entry.id or "" for entry in versioned}
    counts.update(dict.fromkeys(wanted, 0))
    query = build(Q.eq("type", versions_of(kind).version_type) & Q.not_(Q.has("c8y_Patch")))
    for mo in client.inventory.list(query=query, with_parents=True, with_children=False):
        parents = mo.addition_parents.ids() if mo.addition_parents is not None else []
        for parent in set(parents) & wanted:
            counts[parent] = (counts[parent] or 0) + 1
    return counts


def patches_of(client: Client, kind: RepoKind, entry_id: str, base: str) -> list[ManagedObject]:
    """A base version's patches, newest first (§3.2's "patches of one base"), matched exactly.

    GET /inventory/managedObjects?query=$filter=((c8y_Patch.dependency eq '<base>') and
        (bygroupid(<entryId>))) $orderby=creationTime.date desc
    """
    fragment = versions_of(kind).fragment
    query = build(
        Q.eq("c8y_Patch.dependency", base) & Q.bygroupid(entry_id), orderby=[("creationTime.date", "desc")]
    )
    # `*` cannot be escaped (§1.6.2): a base named "1.*" must not take other versions' patches along.
    return [
        mo
        for mo in client.inventory.list(query=query)
        if isinstance(mo.fragment("c8y_Patch"), dict)
        and mo.fragment("c8y_Patch").get("dependency") == base
        and fragment in mo.to_body()
    ]


def find_version_mo(
    client: Client, kind: RepoKind, entry_id: str, version: str, dependency: str | None
) -> ManagedObject | None:
    """§3.3 version lookup (the Go CLI's), with ``c8y_Patch.dependency`` in place of
    ``not(has(c8y_Patch))`` for a patch; checked client-side because ``*`` cannot be escaped."""
    spec = versions_of(kind)
    patch_clause = (
        Q.not_(Q.has("c8y_Patch")) if dependency is None else Q.eq("c8y_Patch.dependency", dependency)
    )
    query = build(
        Q.and_(
            Q.eq("type", spec.version_type),
            patch_clause,
            Q.eq(f"{spec.fragment}.version", version),
            Q.bygroupid(entry_id),
        )
    )
    for mo in client.inventory.list(query=query, page_size=100, limit=100):
        found = _version(mo, kind)
        if found.version == version and found.dependency == dependency:
            return mo
    return None
