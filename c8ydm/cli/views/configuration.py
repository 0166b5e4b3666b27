"""Views of a device's configuration: the ``device show`` section and ``device snapshot``'s result.

``device show`` adds ``"configuration": {"types": [...], "text": {...} | null}`` (null when the
device has no configuration): per type (``type`` null for the legacy pseudo-type) what the device
reports (``c8y_Configuration_<type>``, or its ``c8y_ConfigurationDump``), the newest snapshot and the
last operation, in Cumulocity's field names. ``device snapshot`` prints
``{"device", "operation", "snapshot", "entry"}``; the snapshot holds its ``content`` (text) or
``contentBase64`` (anything else) when it is shown rather than written to a file.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View

if TYPE_CHECKING:
    from pathlib import Path

    from c8ydm.api.models.devicecontrol import Operation
    from c8ydm.api.models.inventory import ManagedObject
    from c8ydm.procedures.device.config_snapshot import Snapshot
    from c8ydm.procedures.device.configuration import ConfigurationDetails, SnapshotInfo
    from c8ydm.procedures.repository.add import AddResult

LEGACY_LABEL = "Legacy configuration snapshot"  # the UI's label of the legacy pseudo-type (§8)
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def is_text(data: bytes) -> bool:
    """UTF-8 without control characters other than tab and line breaks: safe to show as it is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((ord(c) < 32 and c not in _ALLOWED_CONTROLS) or 127 <= ord(c) < 160 for c in text)


def _info(info: SnapshotInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    document = {"name": info.name, "time": info.time, "contentType": info.content_type}
    if info.event_id is not None:
        document["eventId"] = info.event_id
    if info.dump_id is not None:
        document.update(dumpId=info.dump_id, url=info.url)
    return document


def _operation(operation: Operation | None) -> dict[str, Any] | None:
    return operation.to_body() if operation is not None else None


def configuration_document(details: ConfigurationDetails | None) -> dict[str, Any] | None:
    """``device show``'s configuration section (see the module docstring)."""
    if details is None:
        return None
    types = [
        {
            "type": state.config_type,
            "label": state.config_type or LEGACY_LABEL,
            "reported": state.reported,
            "latestSnapshot": _info(state.latest_snapshot),
            "lastOperation": _operation(state.last_operation),
        }
        for state in details.types
    ]
    text = None
    if details.has_text:
        text = {"config": details.text, "lastOperation": _operation(details.last_text_operation)}
    return {"types": types, "text": text}


def _op_line(op: dict[str, Any] | None) -> str:
    return f"last operation {op['id']} {op.get('status')} {op.get('creationTime', '')}".strip() if op else ""


def _type_line(item: dict[str, Any]) -> str:
    parts = []
    reported = item.get("reported") or {}
    if reported.get("name"):
        parts.append(f"on device: {reported['name']}")
    snapshot = item.get("latestSnapshot")
    if snapshot:
        parts.append(f"snapshot {snapshot.get('name')!r} {snapshot.get('time') or ''}".rstrip())
    parts.append(_op_line(item.get("lastOperation")))
    return "; ".join(part for part in parts if part) or "no snapshot"


def configuration_card(document: dict[str, Any] | None) -> dict[str, Any]:
    """Readable ``device show`` lines: the types, one line per type, the text configuration."""
    if not document:
        return {}
    card: dict[str, Any] = {}
    if document["types"]:
        card["configuration types"] = ", ".join(item["label"] for item in document["types"])
    for item in document["types"]:
        card[f"config {item['type'] or '(legacy)'}"] = _type_line(item)
    text = document.get("text")
    if text is not None:
        config = text.get("config")
        size = f"{len(config.splitlines())} lines" if isinstance(config, str) else "none reported"
        card["text configuration"] = "; ".join(filter(None, [size, _op_line(text.get("lastOperation"))]))
    return card


def snapshot_view(
    device: ManagedObject,
    snapshot: Snapshot,
    *,
    operation: Operation | None = None,
    path: Path | None = None,
    saved: AddResult | None = None,
) -> View:
    """``device snapshot``: the snapshot's metadata and, unless written to ``path``, its content."""
    info = snapshot.info
    document: dict[str, Any] = {
        "configurationType": snapshot.config_type,
        "source": "c8y_Configuration"
        if snapshot.is_text
        else "event"
        if info and info.event_id
        else "c8y_ConfigurationDump",
        **(_info(info) or {}),
        "isNewer": snapshot.is_newer,
        "size": len(snapshot.data),
        "sha256": _sha256(snapshot.data),
    }
    if path is not None:
        document["path"] = str(path)
    elif saved is None and is_text(snapshot.data):
        document["content"] = snapshot.data.decode("utf-8")
    elif saved is None:
        document["contentBase64"] = base64.b64encode(snapshot.data).decode("ascii")
    result = {
        "device": {"id": device.id, "name": device.name, "type": device.type},
        "operation": _operation(operation),
        "snapshot": document,
        "entry": saved.entry.to_body() if saved is not None else None,
    }
    card = {k: v for k, v in document.items() if k not in ("content", "contentBase64")}
    if saved is not None:
        card.update(savedAs=saved.entry.name, entryId=saved.entry.id)
    columns = [(key, f"snapshot.{key}") for key in document]
    return View(result, columns=columns, card=card)


def _sha256(data: bytes) -> str:
    import hashlib  # here: `device list` imports this module and never needs it (start-up, issue 13)

    return hashlib.sha256(data).hexdigest()
