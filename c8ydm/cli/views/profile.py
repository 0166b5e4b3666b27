"""Views of device profiles: list, show, create/copy/edit, set, and the devices of a profile.

Documents keep Cumulocity's names: a profile is the managed object as the tenant returned it
(``c8y_Filter``, ``c8y_DeviceProfile``, ``softwareType!<x>``); ``show`` and ``set`` add ``items``,
one row per firmware, software and configuration item (``{"area","name","version","type","url"}``),
which csv prints; ``devices`` is a list of ``{"id","name","type","c8y_Profile","drifted",
"differences","unchecked"}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from c8ydm.cli.output import Column
from c8ydm.cli.views.base import View
from c8ydm.procedures.repository.profiles.content import content_of, item_counts, marker_types, profile_items

if TYPE_CHECKING:
    from c8ydm.api.models.inventory import ManagedObject
    from c8ydm.procedures.device.compliance import Compliance, ProfileDevices
    from c8ydm.procedures.repository.profiles.manage import CreateResult
    from c8ydm.procedures.repository.profiles.update import SetPlan

LIST_COLUMNS: list[Column] = [
    ("NAME", "name"),
    ("DEVICE TYPE", "c8y_Filter.type"),
    ("FIRMWARE", "itemCounts.firmware"),
    ("SOFTWARE", "itemCounts.software"),
    ("CONFIGURATION", "itemCounts.configuration"),
    ("ID", "id"),
]
ITEM_COLUMNS: list[Column] = [
    ("AREA", "area"),
    ("NAME", "name"),
    ("VERSION", "version"),
    ("TYPE", "type"),
    ("URL", "url"),
]
LIST_DEVICE_COLUMNS: list[tuple[str, str]] = [
    ("NAME", "name"),
    ("ID", "id"),
    ("TYPE", "type"),
    ("EXECUTED", "c8y_Profile.profileExecuted"),
    ("DRIFTED", "drifted"),
    ("DIFFERENCES", "differences"),
]
ENTRY_COLUMNS: list[Column] = [("name", "name"), ("id", "id"), ("deviceType", "c8y_Filter.type")]


def _items(entry: ManagedObject) -> list[dict[str, Any]]:
    return [item.as_row() for item in profile_items(content_of(entry))]


def profile_card(entry: ManagedObject) -> dict[str, Any]:
    """A profile for people: name, id, device type ("any" when none), software types."""
    counts = item_counts(content_of(entry))
    device_type = (entry.fragment("c8y_Filter") or {}).get("type")
    return {
        "name": entry.name,
        "id": entry.id,
        "device type": device_type or "any",
        "software types": ", ".join(marker_types(entry)),
        "items": ", ".join(f"{count} {area}" for area, count in counts.items()),
    }


def profiles_view(entries: list[ManagedObject]) -> View:
    """``profile list``: the profiles with ``itemCounts``."""
    document = [{**entry.to_body(), "itemCounts": item_counts(content_of(entry))} for entry in entries]
    return View(document, columns=LIST_COLUMNS)


def profile_view(entry: ManagedObject) -> View:
    """``profile show``: ``{"entry", "items"}``; a card, then the items as a table."""
    items = _items(entry)
    return View(
        {"entry": entry.to_body(), "items": items},
        columns=ITEM_COLUMNS,
        rows=items,
        card=profile_card(entry),
        table_rows=items,
    )


def entry_view(entry: ManagedObject, status: str | None = None) -> View:
    """``create``, ``copy``, ``edit``: the profile as the tenant returned it (plus ``status``)."""
    document = {**({"status": status} if status else {}), **entry.to_body()}
    card = {**({"status": status} if status else {}), **profile_card(entry)}
    columns = [("status", "status"), *ENTRY_COLUMNS] if status else ENTRY_COLUMNS
    return View(document, columns=columns, card=card)


def created_view(result: CreateResult) -> View:
    """``profile create``: ``created`` or ``unchanged`` and the profile."""
    return entry_view(result.entry, result.status)


def set_view(plan: SetPlan, entry: ManagedObject) -> View:
    """``profile set``: ``{"status","changes","unchanged","entry","items"}``; the items as a table."""
    items = _items(entry)
    status = "updated" if plan.body is not None else "unchanged"
    document = {
        "status": status,
        "changes": plan.changes,
        "unchanged": plan.unchanged,
        "entry": entry.to_body(),
        "items": items,
    }
    card = {"status": status, **profile_card(entry)}
    return View(document, columns=ITEM_COLUMNS, rows=items, card=card, table_rows=items)


def compliance_document(compliance: Compliance) -> dict[str, Any]:
    """One device against its profile: its ``c8y_Profile``, drift and what was not checked."""
    device = compliance.device
    return {
        "id": device.id,
        "name": device.name,
        "type": device.type,
        "c8y_Profile": compliance.assigned,
        "drifted": compliance.is_drifted,
        "differences": compliance.differences,
        "unchecked": compliance.unchecked,
    }


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def devices_view(result: ProfileDevices) -> View:
    """``profile devices``: the devices, executed or not, drifted or not, and how."""
    document = [compliance_document(item) for item in result.devices]
    table = [
        {
            **row,
            "executed": _yes_no(row["c8y_Profile"].get("profileExecuted") is True),
            "drifted": _yes_no(row["drifted"]),
            "differences": "; ".join(row["differences"] + [f"unchecked: {u}" for u in row["unchecked"]]),
        }
        for row in document
    ]
    table_columns: list[Column] = [
        (header, "executed" if header == "EXECUTED" else key) for header, key in LIST_DEVICE_COLUMNS
    ]
    return View(document, columns=LIST_DEVICE_COLUMNS, table_rows=table, table_columns=table_columns)
