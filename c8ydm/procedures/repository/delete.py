"""Delete a repository entry, a version or a patch, with the UI's semantics (contract §3.6, §4, §5, §14(m)).

    plan = plan_delete(client, FIRMWARE, "fw", version="1.0.0")
    if app.confirm(plan.question): execute_delete(client, plan)

- the entry: ``DELETE /inventory/managedObjects/<entryId>?forceCascade=true``;
- a base version: when it is the only one (§3.1's count), the whole entry goes; otherwise its
  patches first (§14(m): the confirmation promises them; the UI leaves them behind), then the version;
- a patch: just the patch. Every delete uses ``forceCascade=true`` (§14(g)), so linked binaries go too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.inputs import reject_blank
from c8ydm.procedures.repository.kinds import RepoKind
from c8ydm.procedures.repository.lookup import resolve_entry
from c8ydm.procedures.repository.versions import (
    Version,
    count_base_versions,
    find_patch,
    find_version,
    list_versions,
    patches_of,
    payload,
)


@dataclass
class DeletePlan:
    """The objects to delete, in order, and the question to confirm them with."""

    kind: RepoKind
    entry: ManagedObject
    targets: list[ManagedObject]
    question: str
    is_whole_entry: bool
    deleted: list[ManagedObject] = field(default_factory=list)


def _label(kind: RepoKind, mo: ManagedObject) -> str:
    version = payload(mo, kind).get("version")
    return f"{version} (id {mo.id})"


def plan_delete(
    client: Client, kind: RepoKind, value: str, *, version: str | None = None, patch: str | None = None
) -> DeletePlan:
    """Resolve what ``delete`` will remove and phrase its confirmation; nothing is deleted yet."""
    if patch is not None and not kind.has_patches:
        raise InputError(f"{kind.label} has no patches: --patch is for firmware only")
    if patch is not None and version is None:
        raise InputError("--patch needs --version (the patch's base version)")
    reject_blank(version, "--version")
    reject_blank(patch, "--patch")
    entry = resolve_entry(client, kind, value)
    assert entry.id is not None
    what = f"{kind.label} {entry.name!r} (id {entry.id})"
    if kind.versions is None:  # §5: a single-level entry is deleted whole; its binary goes with it
        if version is not None:
            raise InputError(f"{kind.label} entries have no versions")
        return DeletePlan(kind, entry, [entry], f"Delete {what}?", is_whole_entry=True)
    everything = "all its versions and patches" if kind.has_patches else "all its versions"
    whole = DeletePlan(kind, entry, [entry], f"Delete {what} with {everything}?", is_whole_entry=True)
    if version is None:
        return whole
    versions = list_versions(client, kind, entry)
    base = find_version(versions, kind, entry, version)
    if patch is not None:
        target = _mo(find_patch(base, kind, entry, patch))
        question = f"Delete patch {_label(kind, target)} of {what} version {base.version}?"
        return DeletePlan(kind, entry, [target], question, is_whole_entry=False)
    count = count_base_versions(client, entry)
    if base.is_legacy or (count if count is not None else len(versions)) <= 1:
        whole.question = (
            f"Version {base.version} is the only version of {what}: this deletes the whole "
            f"{kind.label} with {everything}. Continue?"
        )
        return whole
    target = _mo(base)
    patches = patches_of(client, kind, entry.id, base.version) if kind.has_patches else []
    question = f"Delete {what} version {_label(kind, target)}"
    if patches:
        question += f" with its patches {', '.join(_label(kind, p) for p in patches)}"
    return DeletePlan(kind, entry, [*patches, target], question + "?", is_whole_entry=False)


def _describe(kind: RepoKind, target: ManagedObject, entry: ManagedObject) -> str:
    if target is entry:
        return f"{kind.label} {entry.name!r} (id {entry.id})"
    what = "patch" if target.has_fragment("c8y_Patch") else "version"
    return f"{what} {_label(kind, target)}"


def _mo(version: Version) -> ManagedObject:
    assert version.mo is not None  # only a legacy pseudo-version has none, handled before
    return version.mo


def execute_delete(
    client: Client, plan: DeletePlan, *, on_deleted: Callable[[str], None] | None = None
) -> DeletePlan:
    """Send the plan's DELETEs in order (each ``forceCascade=true``); ``plan.deleted`` records progress.

    DELETE /inventory/managedObjects/<id>?forceCascade=true
    """
    for target in plan.targets:
        assert target.id is not None
        client.inventory.delete(target.id, force_cascade=True)
        plan.deleted.append(target)
        if on_deleted is not None:
            on_deleted(f"Deleted {_describe(plan.kind, target, plan.entry)}.")
    return plan
