"""Views of device groups: the list, one group with its members, a creation, membership changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View, brief

if TYPE_CHECKING:
    from c8ydm.api.models.inventory import ManagedObject
    from c8ydm.procedures.groups import GroupDetails, MembershipChange

GROUP_KEYS = ("id", "name", "type", "c8y_DeviceQueryString")
MEMBER_KEYS = ("id", "name", "type")
LIST_COLUMNS = [("NAME", "name"), ("KIND", "kind"), ("QUERY", "c8y_DeviceQueryString"), ("ID", "id")]
MEMBER_COLUMNS = [("ID", "id"), ("NAME", "name"), ("TYPE", "type")]
CHANGE_COLUMNS = [("ID", "id"), ("NAME", "name"), ("TYPE", "type"), ("STATUS", "status")]


def _kind(body: dict[str, Any]) -> str:
    dynamic = body.get("type") == "c8y_DynamicGroup" or "c8y_IsDynamicGroup" in body
    return "dynamic" if dynamic else "static"


def group_document(group: ManagedObject) -> dict[str, Any]:
    """A group as JSON: Cumulocity's id, name, type (and query), plus ``kind`` static|dynamic."""
    body = group.to_body()
    return {**brief(body, GROUP_KEYS), "kind": _kind(body)}


def list_view(groups: list[ManagedObject]) -> View:
    return View([group_document(group) for group in groups], LIST_COLUMNS)


def _members_text(details: GroupDetails) -> str:
    shown, total = len(details.members), details.member_count
    if total is None:
        return f"{shown} shown (the tenant gave no total)" if shown else "unknown"
    return f"{total} (showing {shown})" if shown < total else str(total)


def show_view(details: GroupDetails) -> View:
    """The group's fields as a card, its members as rows (json: ``members`` and ``memberCount``)."""
    document = {
        **group_document(details.group),
        "memberCount": details.member_count,
        "members": [brief(member.to_body(), MEMBER_KEYS) for member in details.members],
    }
    card = {
        "name": document.get("name"),
        "id": document.get("id"),
        "kind": document["kind"],
        "query": document.get("c8y_DeviceQueryString"),
        "members": _members_text(details),
    }
    card = {label: value for label, value in card.items() if value is not None}
    return View(document, MEMBER_COLUMNS, rows=document["members"], card=card)


def created_view(group: ManagedObject, *, is_created: bool, matching_devices: int | None) -> View:
    """``group create``: the group and whether it was ``created`` or found ``unchanged``."""
    document = {**group_document(group), "status": "created" if is_created else "unchanged"}
    if matching_devices is not None:
        document["matchingDevices"] = matching_devices
    columns = [key for key in (*GROUP_KEYS, "kind", "status", "matchingDevices") if key in document]
    return View(document, columns)


def membership_view(change: MembershipChange) -> View:
    """``group add|remove``: each device with its status (added/removed, or why it was left alone)."""
    plan = change.plan
    done = "added" if plan.action == "add" else "removed"
    left = "already in the group" if plan.action == "add" else "not in the group"
    changed = {member.id for member in change.changed}
    rows = [
        {**brief(device.to_body(), MEMBER_KEYS), "status": done if device.id in changed else left}
        for device in [*plan.changes, *plan.unchanged]
    ]
    document = {"group": brief(plan.group.to_body(), ("id", "name")), "action": plan.action, "devices": rows}
    return View(document, CHANGE_COLUMNS, rows=rows)


def deleted_view(group: ManagedObject) -> View:
    return View({**group_document(group), "deleted": True})
