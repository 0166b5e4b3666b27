"""Managed objects as Cumulocity shows them, and their deletion (contract §1.7).

Rendering (spec schema `managedObject`): absolute `self`; `childAdditions`, `childAssets`,
`childDevices` as `{"self", "references": [{"self", "managedObject": {"id", "self", "name"}}]}` unless
`withChildren=false`; `additionParents`, `assetParents`, `deviceParents` the same way only with
`withParents=true` (the platform's default leaves them out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.store import REF_KINDS, Store

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

PARENT_KINDS = {
    "childAdditions": "additionParents",
    "childAssets": "assetParents",
    "childDevices": "deviceParents",
}


def mo_url(base: str, mo_id: str) -> str:
    return f"{base}/inventory/managedObjects/{mo_id}"


def get_mo(store: Store, mo_id: str) -> dict[str, Any]:
    """The stored managed object; 404 `inventory/notFound` if there is none."""
    doc = store.get("managedObjects", mo_id)
    if doc is None:
        raise C8yHTTPError(404, "inventory/notFound", f"Finding managed object with id {mo_id} failed")
    return doc


def reference_target(store: Store, base: str, mo_id: str, *, with_name: bool = True) -> dict[str, Any]:
    target: dict[str, Any] = {"id": mo_id, "self": mo_url(base, mo_id)}
    if with_name:
        other = store.peek("managedObjects", mo_id)
        if other is not None and "name" in other:
            target["name"] = other["name"]
    return target


def render_mo(
    store: Store,
    base: str,
    doc: dict[str, Any],
    *,
    with_children: bool = True,
    with_parents: bool = False,
    with_names: bool = True,
    self_url: str | None = None,
) -> dict[str, Any]:
    mo_id = str(doc["id"])
    url = mo_url(base, mo_id)
    rendered = {k: v for k, v in doc.items() if not k.startswith("_")}
    rendered["self"] = self_url or url
    for kind in REF_KINDS:
        if with_children:
            rendered[kind] = {
                "self": f"{url}/{kind}",
                "references": [
                    {
                        "self": f"{url}/{kind}/{child}",
                        "managedObject": reference_target(store, base, child, with_name=with_names),
                    }
                    for child in store.children(mo_id, kind)
                ],
            }
        if with_parents:
            rendered[PARENT_KINDS[kind]] = {
                "self": f"{url}/{PARENT_KINDS[kind]}",
                "references": [
                    {
                        "self": f"{mo_url(base, parent)}/{kind}/{mo_id}",
                        "managedObject": reference_target(store, base, parent, with_name=with_names),
                    }
                    for parent in store.parents(mo_id, kind)
                ],
            }
    return rendered


def is_device_or_group(doc: dict[str, Any]) -> bool:
    return "c8y_IsDevice" in doc or "c8y_IsDeviceGroup" in doc or "c8y_IsDynamicGroup" in doc


def _descendants(store: Store, root: str, kinds: tuple[str, ...], keep: Any) -> list[str]:
    """Ids below `root` through the given reference kinds whose documents satisfy `keep`, depth first."""
    found: list[str] = []
    stack = [root]
    seen = {root}
    while stack:
        current = stack.pop()
        for kind in kinds:
            for child in store.children(current, kind):
                doc = store.get("managedObjects", child)
                if child in seen or doc is None or not keep(doc):
                    continue
                seen.add(child)
                found.append(child)
                stack.append(child)
    return found


def delete_tree(
    state: SandboxState,
    mo_id: str,
    *,
    cascade: bool = False,
    force_cascade: bool = False,
    with_device_user: bool = False,
) -> None:
    """Delete an object as `DELETE /inventory/managedObjects/<id>` does (contract §1.7).

    - plain: the object; for a group also its subgroups (not its devices);
    - cascade=true: for a device or group, its whole asset/device hierarchy (additions are unlinked);
    - forceCascade=true: the whole hierarchy of additions, assets and devices without checking types,
      including binaries linked as child additions (their files too);
    - withDeviceUser=true: also the owner's `device_` user.
    """
    store = state.store
    root = get_mo(store, mo_id)
    if force_cascade:
        victims = _descendants(store, mo_id, REF_KINDS, lambda doc: True)
    elif cascade and is_device_or_group(root):
        victims = _descendants(store, mo_id, ("childAssets", "childDevices"), lambda doc: True)
    elif "c8y_IsDeviceGroup" in root:
        victims = _descendants(store, mo_id, ("childAssets",), lambda doc: "c8y_IsDeviceGroup" in doc)
    else:
        victims = []
    owner = str(root.get("owner", ""))
    for victim in [mo_id, *victims]:
        delete_one(state, victim)
    if with_device_user and owner.startswith("device_"):
        state.store.delete("users", owner)


def delete_one(state: SandboxState, mo_id: str) -> None:
    """Delete one object, its references, its external ids and, for a binary, its file."""
    store = state.store
    doc = store.get("managedObjects", mo_id)
    store.delete_mo(mo_id)
    for external in store.find("externalIds", managedObjectId=mo_id):
        store.delete("externalIds", external["id"])
    if doc is not None and "c8y_IsBinary" in doc:
        (state.options.binaries_dir / mo_id).unlink(missing_ok=True)
