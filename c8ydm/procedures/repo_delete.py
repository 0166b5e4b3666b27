"""Delete a repository entry, a version or a patch, with the UI's semantics (contract §3.6, §4, §14(m)).

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
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.repo_manage import count_base_versions
from c8ydm.procedures.repo_validate import reject_blank
from c8ydm.procedures.repository import (
    RepoKind,
    Version,
    find_patch,
    find_version,
    list_versions,
    payload,
    resolve_entry,
)

_BRIEF_KEYS = ("id", "name", "type", "c8y_Firmware", "c8y_Software", "c8y_Patch", "creationTime")


def brief(mo: ManagedObject) -> dict[str, Any]:
    """The identifying fields of a deleted object (no child references)."""
    body = mo.to_body()
    return {key: body[key] for key in _BRIEF_KEYS if key in body}


@dataclass
class DeletePlan:
    """The objects to delete, in order, and the question to confirm them with."""

    kind: RepoKind
    entry: ManagedObject
    targets: list[ManagedObject]
    question: str
    is_whole_entry: bool
    deleted: list[ManagedObject] = field(default_factory=list)

    def to_json(self, *, status: str) -> dict[str, Any]:
        """``{"status", "entry", "deleted": [...]}``; ``deleted`` lists what was (or would be) deleted."""
        done = self.deleted if status == "deleted" else self.targets
        return {"status": status, "entry": brief(self.entry), "deleted": [brief(mo) for mo in done]}


def _label(kind: RepoKind, mo: ManagedObject) -> str:
    version = payload(mo, kind).get("version")
    return f"{version} (id {mo.id})"


def patches_of(client: Client, kind: RepoKind, entry_id: str, base: str) -> list[ManagedObject]:
    """A base version's patches, newest first (§3.2's "patches of one base"), matched exactly.

    GET /inventory/managedObjects?query=$filter=((c8y_Patch.dependency eq '<base>') and
        (bygroupid(<entryId>))) $orderby=creationTime.date desc
    """
    query = build(
        Q.eq("c8y_Patch.dependency", base) & Q.bygroupid(entry_id), orderby=[("creationTime.date", "desc")]
    )
    found = client.inventory.list(query=query)
    # `*` cannot be escaped (§1.6.2): a base named "1.*" must not take other versions' patches along.
    return [
        mo
        for mo in found
        if isinstance(mo.fragment("c8y_Patch"), dict)
        and mo.fragment("c8y_Patch").get("dependency") == base
        and kind.fragment in mo.to_body()
    ]


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
